"""persons: Somali readings and the Arabic-script nasab links, in the stored parts and keys

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 05:00:00.000000

A name written in Somali orthography (Maxamed Cali Faarax) is now also read as such (mahamed ali farah:
``matching.names.normalisation.somali_reading``) and keyed under that reading, so a check for Mohamed Ali
Farah finds the record, and the other way round. The normaliser also drops the nasab links as the Arabic
script gives them (ولد -> wld, بنت -> bnt) and ``bent`` between two parts (Aicha bent Hassan).

This brings the persons whose names may be concerned (stored parts holding an x, a c, wld, bnt or bent)
up to date: their names' parts are normalised again, and their key rows become exactly what the current
code keys them under (rows added and removed, counts adjusted by the difference). Downgrade removes the
readings' keys again; the re-normalised parts stay (the previous code reads them as well).
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from alembic import op

from peacelink.matching.names import normalise
from peacelink.persons.keys import person_keys
from peacelink.persons.models import Person, PersonKeyCount, PersonName, PersonNameKey, table_of

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Persons re-keyed per round trip (bounds memory and the IN lists).
_CHUNK = 2000
# Stored parts that may read as Somali or hold one of the new particles.
_CONCERNED = ("x", "c", "wld", "bnt", "bent")

_persons = table_of(Person)
_names = table_of(PersonName)
_keys = table_of(PersonNameKey)
_counts = table_of(PersonKeyCount)


def _concerned(bind: sa.Connection) -> list[str]:
    """The active persons with a name whose stored parts hold one of ``_CONCERNED``."""
    holds = sa.or_(*(_names.c.parts.contains(s, autoescape=True) for s in _CONCERNED))
    statement = (
        sa.select(_names.c.person_id)
        .join(_persons, _persons.c.id == _names.c.person_id)
        .where(holds, _persons.c.status == "active")
        .distinct()
    )
    return sorted(row[0] for row in bind.execute(statement))


def _sync(bind: sa.Connection, *, readings: bool, renormalise: bool) -> None:
    """Make the concerned persons' parts (``renormalise``) and key rows what the current code gives."""
    ids = _concerned(bind)
    delta: Counter[str] = Counter()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        names: dict[str, list[tuple[str, str]]] = {pid: [] for pid in chunk}
        changed: list[dict[str, str]] = []
        statement = (
            sa.select(_names.c.id, _names.c.person_id, _names.c.name, _names.c.parts)
            .where(_names.c.person_id.in_(chunk))
            .order_by(_names.c.person_id, _names.c.position)
        )
        for row_id, pid, name, parts in bind.execute(statement):
            fresh = (" ".join(normalise(name))[:400] or parts) if renormalise else parts
            if fresh != parts:
                changed.append({"row_id": row_id, "fresh": fresh})
            names[pid].append((name, fresh))
        if changed:
            update = sa.update(_names).where(_names.c.id == sa.bindparam("row_id"))
            bind.execute(update.values(parts=sa.bindparam("fresh")), changed)
        stored: dict[str, set[str]] = {pid: set() for pid in chunk}
        for key, pid in bind.execute(
            sa.select(_keys.c.key, _keys.c.person_id).where(_keys.c.person_id.in_(chunk))
        ):
            stored[pid].add(key)
        columns = (
            _persons.c.id,
            _persons.c.identifiers,
            _persons.c.dates_of_birth,
            _persons.c.nationalities,
            _persons.c.crime_areas,
            _persons.c.warnings,
        )
        added: list[dict[str, str]] = []
        removed: list[dict[str, str]] = []
        for pid, identifiers, dates, nationalities, crime_areas, warnings in bind.execute(
            sa.select(*columns).where(_persons.c.id.in_(chunk))
        ):
            wanted = person_keys(
                names[pid],
                identifiers,
                dates_of_birth=dates or "",
                nationalities=nationalities or "",
                crime_areas=crime_areas or "",
                warnings=warnings or "",
                readings=readings,
            )
            added.extend({"key": k, "person_id": pid} for k in sorted(wanted - stored[pid]))
            removed.extend({"k": k, "p": pid} for k in sorted(stored[pid] - wanted))
        if added:
            bind.execute(sa.insert(_keys), added)
            delta.update(r["key"] for r in added)
        if removed:
            gone = _keys.delete().where(
                _keys.c.key == sa.bindparam("k"), _keys.c.person_id == sa.bindparam("p")
            )
            bind.execute(gone, removed)
            delta.subtract(r["k"] for r in removed)
    _apply(bind, delta)


def _apply(bind: sa.Connection, delta: Counter[str]) -> None:
    """Add ``delta`` to the key counts (a key new to the table gets a row)."""
    keys = sorted(k for k, n in delta.items() if n)
    present: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        found = bind.execute(sa.select(_counts.c.key).where(_counts.c.key.in_(keys[start : start + _CHUNK])))
        present.update(row[0] for row in found)
    if present:
        change = _counts.update().where(_counts.c.key == sa.bindparam("k"))
        bind.execute(
            change.values(count=_counts.c.count + sa.bindparam("n")),
            [{"k": k, "n": delta[k]} for k in keys if k in present],
        )
    new = [{"key": k, "count": delta[k]} for k in keys if k not in present]
    if new:
        bind.execute(sa.insert(_counts), new)


def upgrade() -> None:
    _sync(op.get_bind(), readings=True, renormalise=True)


def downgrade() -> None:
    _sync(op.get_bind(), readings=False, renormalise=False)
