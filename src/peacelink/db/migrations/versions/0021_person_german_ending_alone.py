"""persons: a German spelling with a long Slavic ending (Iwanow, Kadyrow) is read in English on its own

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-23 22:00:00.000000

Migration 0019 read a Latin name the English way when it showed two signs of the German rules for Cyrillic;
a part of six letters or more with a Slavic ending written with w (-ow, -ew, -owa, -ewa, -owski) is now enough
on its own (``matching.names.german_reading``: Iwan Iwanow as ivan ivanov, Ramsan Kadyrow as ramsan kadyrov).
Normalisation does not change: this adds the keys of that reading to the active persons with such a name (the
test below reads the stored parts, a superset: names read before keep their keys).

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for their English spelling as well.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.german_reading import german_readings
from peacelink.persons.keys import rekey_persons

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _concerned(_name: str, parts: str) -> bool:
    return bool(german_readings(tuple(parts.split())))


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
