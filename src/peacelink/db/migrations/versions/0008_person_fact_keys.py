"""persons: normalise names again and re-key every keyed person (fact keys: full DOB x nationality)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 10:00:00.000000

A data migration, no schema change. Every stored name's parts are recomputed with the current
normaliser (titles such as Commandant or Ustadz and FNU placeholders are now dropped, "FAMILY, Given" is
put back in order); a name whose parts would become empty keeps its old ones. Then the blocking-key rows
of every keyed (active) person are rebuilt with the current key function (``persons.keys.person_keys``),
which now adds a fact key per full date of birth x nationality, and the per-key counts are recomputed
from the new rows. The person count (``#persons``) is kept as it was. Downgrade drops the fact keys and
their counts again (the re-normalised parts stay: the previous code reads them as it reads any parts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

from peacelink.matching.names import normalise
from peacelink.matching.names.blocking import FACT_PREFIX
from peacelink.persons.keys import person_keys
from peacelink.persons.models import (
    PERSONS_COUNT_KEY,
    Person,
    PersonKeyCount,
    PersonName,
    table_of,
)

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Persons re-keyed per round trip (bounds memory and the IN lists).
_CHUNK = 2000

# The persons tables as the models declare them (this reads and writes only columns made by 0006), but the
# key table as it was then.
_persons = table_of(Person)
_names = table_of(PersonName)
# The key table as it was until 0035, which names the person by its number instead.
_keys = sa.table("person_name_keys", sa.column("key", sa.String), sa.column("person_id", sa.String))
_counts = table_of(PersonKeyCount)


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    """Slices of at most _CHUNK values."""
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


def _new_keys(bind: sa.Connection, ids: list[str]) -> dict[str, set[str]]:
    """The current keys of these persons, from their names (parts normalised again), identifiers, facts."""
    names: dict[str, list[tuple[str, str]]] = {i: [] for i in ids}
    statement = (
        sa.select(_names.c.id, _names.c.person_id, _names.c.name, _names.c.parts)
        .where(_names.c.person_id.in_(ids))
        .order_by(_names.c.person_id, _names.c.position)
    )
    changed: list[dict[str, object]] = []
    for row_id, person_id, name, parts in bind.execute(statement):
        fresh = " ".join(normalise(name))[:400] or parts
        if fresh != parts:
            changed.append({"row_id": row_id, "fresh": fresh})
        names[person_id].append((name, fresh))
    if changed:
        update = sa.update(_names).where(_names.c.id == sa.bindparam("row_id"))
        bind.execute(update.values(parts=sa.bindparam("fresh")), changed)
    columns = (_persons.c.id, _persons.c.identifiers, _persons.c.dates_of_birth, _persons.c.nationalities)
    return {
        pid: person_keys(
            names[pid], identifiers, dates_of_birth=dates or "", nationalities=nats or "", readings=()
        )
        for pid, identifiers, dates, nats in bind.execute(sa.select(*columns).where(_persons.c.id.in_(ids)))
    }


def upgrade() -> None:
    bind = op.get_bind()
    keyed = sorted(bind.execute(sa.select(_keys.c.person_id).distinct()).scalars())
    bind.execute(sa.delete(_keys))
    bind.execute(sa.delete(_counts).where(_counts.c.key != PERSONS_COUNT_KEY))
    counts: Counter[str] = Counter()
    for ids in _chunks(keyed):
        rows = [{"key": k, "person_id": p} for p, keys in _new_keys(bind, ids).items() for k in keys]
        if rows:
            bind.execute(sa.insert(_keys), rows)
            counts.update(r["key"] for r in rows)
    if counts:
        bind.execute(sa.insert(_counts), [{"key": k, "count": n} for k, n in sorted(counts.items())])


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.delete(_keys).where(_keys.c.key.startswith(FACT_PREFIX, autoescape=True)))
    bind.execute(sa.delete(_counts).where(_counts.c.key.startswith(FACT_PREFIX, autoescape=True)))
