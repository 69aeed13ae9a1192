"""persons: the stem of a glued Abd (Abdul Sattar: Sattar) is paired with the other parts in the keys

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-24 12:00:00.000000

A man named Abdul Sattar, Abdul Karim or Abdel Rahman is often named by the stem alone: Haji Abdul Sattar
Barakzai is also Haji Satar Barakzai. The scorer compared the stem already (method ``stem``), but the keys
paired only the whole compound (``2:bdst|brks``) with the other parts, so a query giving the stem shared
nothing with such a record but its single-part keys, which many namesakes hold: the record was not
shortlisted. The stem of a glued Abd is now paired with the other parts too
(``matching.names.blocking.servant_stem``: ``2:brks|str``), when its key holds three letters or more (not
Abdullah, whose stem is Allah, nor Abdul Haq). Normalisation does not change: this adds those pair keys to
the active persons with such a part, their readings included.

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for their name without Abd as well.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.blocking import SERVANT_HEAD, servant_stem
from peacelink.persons.keys import prepared_from_parts, rekey_persons

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def _concerned(name: str, parts: str) -> bool:
    if SERVANT_HEAD not in parts:  # the readings keep it (Cabdiraxmaan, read abdrahman, holds it too)
        return False
    prepared = prepared_from_parts([(name, parts)])
    return any(servant_stem(part) for read in prepared.names for part in read.parts)


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
