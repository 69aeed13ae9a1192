"""persons: a Polish patronymic surname (Abramowicz, Łukaszewicz) is a sign of the Polish spelling on its own

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-24 19:00:00.000000

Polish writes the Cyrillic -ович and -евич as -owicz and -ewicz: Роман Абрамович is Roman Abramowicz. The
Polish reading (``matching.names.slavic_reading.polish_reading``) needed a second sign beside the cz, which a
name like Roman Abramowicz does not hold, so it met Roman Abramovich only as a typing error (0.92) and shared
none of its surname's keys. A part of seven letters or more ending in -owicz or -ewicz is now a sign on its
own. Normalisation does not change: this adds the keys of the reading to the active persons with such a part.

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for their English spelling as well.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.slavic_reading import _PATRONYMIC_ALONE, _POLISH_PATRONYMIC
from peacelink.persons.keys import rekey_persons

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def _concerned(_name: str, parts: str) -> bool:
    return any(len(p) >= _PATRONYMIC_ALONE and _POLISH_PATRONYMIC.search(p) for p in parts.split())


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
