"""persons: Abd followed by a Latin name opening with al and a vowel keeps that name's letters (Abdul Aleem)

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-24 18:00:00.000000

When Abd was glued to the name after it, an al opening that name was dropped as an article whatever followed:
Abdul Aleem became abdeem, while Abdul Alim, Abdelalim and عبد العليم became abdalim and abdalym. The
al is now dropped only before a consonant (Abdul Alhakim: abdhakim) or in a name written in the Arabic script
(``matching.names.normalisation``), so Abdul Aleem is abdaleem and meets the others by its keys. This
re-normalises and re-keys the active persons with a name that the new code normalises otherwise; only names
holding an Abd compound are read again.

Downgrade keeps the new parts and keys (the old code reads abdaleem as it reads Abdelaleem); it changes
nothing.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names import normalise
from peacelink.matching.names.parts import READINGS
from peacelink.persons.keys import resync_persons

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def _concerned(name: str, parts: str) -> bool:
    return "abd" in parts and (" ".join(normalise(name))[:400] or parts) != parts


def upgrade() -> None:
    resync_persons(op.get_bind(), (), readings=READINGS, renormalise=True, concerned=_concerned)


def downgrade() -> None:
    pass
