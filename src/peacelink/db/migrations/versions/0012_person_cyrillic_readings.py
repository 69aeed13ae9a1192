"""persons: keys of the reading of Cyrillic names with х as h

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 05:30:00.000000

Russian has no h: its х (romanised kh) also stands for the Arabic ح and ه, so Мохаммед аль-Хашими
romanises as mokhammed khashimi and met neither Mohammed nor Hashimi. A name written in Cyrillic is now
also read with its х as h (``matching.names.normalisation.cyrillic_reading``) and keyed under that
reading; the BGN romanisation of Шейх (sheykh) is dropped as a title, like Sheikh. This re-normalises and
re-keys the active persons whose stored parts hold "kh" (the readings' keys and counts added; nothing else
changes for the others). Downgrade removes the readings' keys again; the parts stay re-normalised.
"""

from __future__ import annotations

from alembic import op

from peacelink.persons.keys import resync_persons

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    resync_persons(op.get_bind(), ("kh",), readings={"somali", "cyrillic"}, renormalise=True)


def downgrade() -> None:
    resync_persons(op.get_bind(), ("kh",), readings={"somali"}, renormalise=False)
