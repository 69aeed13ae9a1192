"""persons: a name in the Arabic script is also read with a closing ه as a consonant h (وجيه, طه, فاطمه)

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-23 12:00:00.000000

Normalisation reads a closing ه as the -ah ending, whose h the skeleton drops: وجيه was wjyah, read as Waji,
and met neither Wajih nor Wajeeh; نبيه (Nabih), فقيه (Faqih), طه (Taha) and the Persian فاطمه (Fatemeh) and
زهره (Zohreh) likewise. Such a name is now also read with that ه as ح
(``matching.names.arabic_reading.final_h_reading``: wjyh), a reading of the kind "final_h". Normalisation
does not change: this adds the keys of that reading to the active persons with such a name.

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for the spellings that write the h as well.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.arabic_reading import final_h_reading
from peacelink.persons.keys import rekey_persons

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def _concerned(name: str, _parts: str) -> bool:
    return final_h_reading(name) is not None


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
