"""persons: a given name with short forms is keyed as each of them too (Robert as Bob, Rob and Robbie)

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-24 10:00:00.000000

The scorer takes a short form for its given name (``matching.names.forms``: Bob Smith / Robert Smith 0.92),
but a check finds a record only through a key they share. Smith alone is a stop key in a large database, so
"Bob Smith" did not find a stored Robert Smith. A part with short forms in rigour's list now also holds the
pair keys of each short form with the name's other parts (``blocking._short_form_keys``). This migration
adds those keys to the active persons with such a part (``rekey_persons``).

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for their short forms as well.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.forms import short_forms
from peacelink.persons.keys import rekey_persons

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def _concerned(_name: str, parts: str) -> bool:
    return any(short_forms(p) for p in parts.split())


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
