"""persons: a Latin name written by the German rules for Cyrillic (Sergej Worobjow) is also read in English

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-23 20:00:00.000000

German documents write Сергей Воробьёв as Sergej Worobjow, English ones and passports as Sergei Vorobyov;
the two met at 0.42, Juri Schukow and Yuri Zhukov not at all. A Latin name that shows the German rules
(tsch, or two of sch, a Slavic ending with w, a j for й or a soft vowel, a w after d, s or z) is now also
read the English way (``matching.names.german_reading``: worobjow as vorobyov, schukow as shukov and
zhukov), a reading of the kind "german". Normalisation does not change: this adds the keys of that reading
to the active persons with such a name (the test below reads the stored parts, so it finds a superset: the
Somali and non-Latin names among them are not read, and their keys come out as they are).

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for their English spelling as well.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.german_reading import german_readings
from peacelink.persons.keys import rekey_persons

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _concerned(_name: str, parts: str) -> bool:
    return bool(german_readings(tuple(parts.split())))


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
