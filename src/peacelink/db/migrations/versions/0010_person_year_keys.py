"""persons: year keys (a name part x a year of birth)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 22:30:00.000000

A check giving a year of birth now also looks up ``y:<part key>|<year>`` (``matching.names.blocking
.year_keys``): the persons born that year who share a name part, even a part too common to be looked up
alone (a stop key), and they rank above their namesakes born in other years. This adds those key rows and
their counts for every active (keyed) person, from the stored name parts and dates of birth. Downgrade
drops them.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from alembic import op

from peacelink.matching.names.blocking import YEAR_PREFIX, year_keys
from peacelink.persons.keys import prepared_from_parts
from peacelink.persons.models import Person, PersonKeyCount, PersonName, table_of
from peacelink.persons.values import decode_list

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Persons keyed per round trip (bounds memory and the IN lists).
_CHUNK = 2000

_persons = table_of(Person)
_names = table_of(PersonName)
# The key table as it was until 0035, which names the person by its number instead.
_keys = sa.table("person_name_keys", sa.column("key", sa.String), sa.column("person_id", sa.String))
_counts = table_of(PersonKeyCount)


def upgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.delete(_keys).where(_keys.c.key.startswith(YEAR_PREFIX, autoescape=True)))
    bind.execute(sa.delete(_counts).where(_counts.c.key.startswith(YEAR_PREFIX, autoescape=True)))
    # Keyed persons are the active ones (a cancelled record leaves the key index: persons.service.cancel).
    active = (
        sa.select(_persons.c.id, _persons.c.dates_of_birth)
        .where(_persons.c.status == "active", _persons.c.dates_of_birth != "")
        .order_by(_persons.c.id)
    )
    counts: Counter[str] = Counter()
    last = ""
    while True:
        chunk = bind.execute(active.where(_persons.c.id > last).limit(_CHUNK)).all()
        if not chunk:
            break
        last = chunk[-1][0]
        names: dict[str, list[tuple[str, str]]] = {pid: [] for pid, _dates in chunk}
        statement = (
            sa.select(_names.c.person_id, _names.c.name, _names.c.parts)
            .where(_names.c.person_id.in_(list(names)))
            .order_by(_names.c.person_id, _names.c.position)
        )
        for person_id, name, parts in bind.execute(statement):
            names[person_id].append((name, parts))
        rows = [
            {"key": key[:48], "person_id": pid}
            for pid, dates in chunk
            for key in sorted(year_keys(prepared_from_parts(names[pid], readings=()), decode_list(dates)))
        ]
        if rows:
            bind.execute(sa.insert(_keys), rows)
            counts.update(r["key"] for r in rows)
    if counts:
        bind.execute(sa.insert(_counts), [{"key": k, "count": n} for k, n in sorted(counts.items())])


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.delete(_keys).where(_keys.c.key.startswith(YEAR_PREFIX, autoescape=True)))
    bind.execute(sa.delete(_counts).where(_counts.c.key.startswith(YEAR_PREFIX, autoescape=True)))
