"""persons: Benjamin, Bennett, Bintou and other names that begin with ben or bin have no stem

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23 17:00:00.000000

A part glued to ben or bin (Benali, "son of Ali") is also keyed and compared through its stem. Given names
that only begin with those letters (``matching.names.parts.NOT_SON_OF``: Benjamin, Bennett, Benito, Bintou,
Benazir...) got a stem too, so "Benjamin Smith" met "Jamin Smith" at 0.90, a hit. They no longer have one;
this removes their stem keys (``1:`` and ``2:`` rows) from the persons holding such a name. Downgrade
changes nothing: the code before this migration reads the rows as they are, only without those keys.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.parts import NOT_SON_OF
from peacelink.persons.keys import resync_persons

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    readings = {"somali", "cyrillic", "persian", "maghrebi", "ukrainian", "russian"}
    resync_persons(op.get_bind(), sorted(NOT_SON_OF), readings=readings, renormalise=False)


def downgrade() -> None:
    pass
