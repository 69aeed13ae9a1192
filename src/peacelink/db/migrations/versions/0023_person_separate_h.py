"""persons: a name in the Arabic script is also read with ه or ح apart from the letter before it (سهيل)

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-24 12:00:00.000000

ICU romanises ش as sh, and so a س before ه: سهيل became shyl, read as Shyl, and met neither Suhail nor
Sohail; زهير (Zuhair), صهيب (Suhaib), سحر (Sahar), كهلان (Kahlan) and الزهراني (Al-Zahrani) likewise. A name
in the Arabic script with ه or ح after a letter read s, z, k, t, d, g, p or c is now also read with the two
letters apart (``matching.names.arabic_reading.separate_h_reading``: syhyl), a reading of the kind
"separate_h". Normalisation does not change: this adds the keys of that reading to the active persons with
such a name.

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for the spellings with the vowel between as well.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.arabic_reading import separate_h_reading
from peacelink.persons.keys import rekey_persons

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def _concerned(name: str, _parts: str) -> bool:
    return separate_h_reading(name) is not None


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
