"""persons: a Latin part with the Arabic article glued to it (Elkhatib, Alhashimi) is also keyed without it

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-23 10:00:00.000000

A part such as Elkhatib, Alhashimi or ELSHAFEE is now also keyed and compared as the name without its article
(``matching.names.parts.article_stem``: khatib, hashimi, shafee), the way "El Khatib", "Al-Hashimi" and the
Arabic script write it: their records shared no key that was not a stop key at scale (ahmed), so a check
did not find them. Normalisation does not change: this adds those keys (``1:`` of the bare name and ``2:``
of it paired with the other parts) to the active persons with such a name, its readings included.

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for the spelling without the article as well.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.parts import ARTICLES
from peacelink.persons.keys import prepared_from_parts, rekey_persons

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _concerned(name: str, parts: str) -> bool:
    if not any(article in parts for article in ARTICLES):
        return False
    prepared = prepared_from_parts([(name, parts)])
    return any(part.bare for read in prepared.names for part in read.parts)


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
