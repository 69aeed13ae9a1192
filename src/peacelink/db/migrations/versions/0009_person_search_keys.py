"""persons: search-filter keys (nationality, crime area, warning) and an index on created_at

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 21:00:00.000000

The investigators' search without a name used to filter every person row with ``LIKE``. Each active
person now has a key row per nationality, crime area and warning (``persons.keys.facet_keys``, prefix
``s:``) with its count, so a search reads the rows of its rarest filter only; ``ix_persons_birth_year_max``
(with the existing index on the earliest year) lets a narrow birth-year range drive a search; and
``ix_persons_created_at`` lets a search whose filters are all common walk the persons newest first and stop
at the page's end. Downgrade drops all three.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from alembic import op

from peacelink.persons.keys import FACET_PREFIX, facet_keys
from peacelink.persons.models import Person, PersonKeyCount, table_of

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Persons keyed per round trip (bounds memory and the statements' size).
_CHUNK = 5000

_persons = table_of(Person)
# The key table as it was until 0035, which names the person by its number instead.
_keys = sa.table("person_name_keys", sa.column("key", sa.String), sa.column("person_id", sa.String))
_counts = table_of(PersonKeyCount)


def upgrade() -> None:
    op.create_index("ix_persons_created_at", "persons", ["created_at", "id"], unique=False)
    op.create_index("ix_persons_birth_year_max", "persons", ["birth_year_max"], unique=False)
    bind = op.get_bind()
    # Any filter keys already there (0008 re-keys with the current key function) are rebuilt from scratch.
    bind.execute(sa.delete(_keys).where(_keys.c.key.startswith(FACET_PREFIX, autoescape=True)))
    bind.execute(sa.delete(_counts).where(_counts.c.key.startswith(FACET_PREFIX, autoescape=True)))
    columns = (_persons.c.id, _persons.c.nationalities, _persons.c.crime_areas, _persons.c.warnings)
    # Keyed persons are the active ones (a cancelled record leaves the key index: persons.service.cancel).
    active = sa.select(*columns).where(_persons.c.status == "active").order_by(_persons.c.id)
    counts: Counter[str] = Counter()
    last = ""
    while True:
        chunk = bind.execute(active.where(_persons.c.id > last).limit(_CHUNK)).all()
        if not chunk:
            break
        rows = [
            {"key": key, "person_id": pid}
            for pid, nationalities, crime_areas, warnings in chunk
            for key in sorted(
                facet_keys(nationalities=nationalities, crime_areas=crime_areas, warnings=warnings)
            )
        ]
        if rows:
            bind.execute(sa.insert(_keys), rows)
            counts.update(r["key"] for r in rows)
        last = chunk[-1][0]
    if counts:
        bind.execute(sa.insert(_counts), [{"key": k, "count": n} for k, n in sorted(counts.items())])


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.delete(_keys).where(_keys.c.key.startswith(FACET_PREFIX, autoescape=True)))
    bind.execute(sa.delete(_counts).where(_counts.c.key.startswith(FACET_PREFIX, autoescape=True)))
    op.drop_index("ix_persons_birth_year_max", table_name="persons")
    op.drop_index("ix_persons_created_at", table_name="persons")
