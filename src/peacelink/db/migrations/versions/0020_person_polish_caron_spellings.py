"""persons: a name written the Polish way (Jurij Żukow) or with carons (Jurij Žukov) is also read in English

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-23 21:00:00.000000

Polish writes Юрий Жуков as Jurij Żukow, Czech, Slovak, Croatian and the scholarly transliteration as Jurij
Žukov; the fold to ASCII made both zukow / zukov, which met Yuri Zhukov at 0.43. A name holding a letter only
Polish writes (ł ż ź ś ń ą ę), szcz, or sz, cz, a soft vowel's i or -cow beside another sign of the Slavic
spellings is now also read the English way (``matching.names.slavic_reading.polish_reading``: yuriy zhukov),
a reading of the kind "polish"; a name holding č, š, ž, ř or ě likewise (``caron_reading``), of the kind
"caron". Normalisation does not change: this adds the keys of those readings to the active persons with
such a name (the test below runs the readings on the names as given).

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for their English spelling as well.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.slavic_reading import caron_reading, polish_reading
from peacelink.persons.keys import rekey_persons

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _concerned(name: str, _parts: str) -> bool:
    return polish_reading(name) is not None or caron_reading(name) is not None


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
