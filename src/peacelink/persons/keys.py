"""Blocking-key rows and their counts, kept in step with the person records.

docs/names.md ("for the persons database"): store a row per (key, person), keep the rows per key and the
person count N, give both to the query-key selection (stop keys) and to the Scorer (IDF, commonness).
The counts are a table updated in the same transaction as the key rows (an upsert that adds), not a
``GROUP BY`` at check time, because a check must not read more than its own keys' rows.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Executable,
    String,
    TableClause,
    bindparam,
    column,
    delete,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.orm import Session

from peacelink.db.bulk import insert_rows
from peacelink.db.dialect import dialect_insert
from peacelink.db.direct import DirectStatement, chunks, list_binds, list_params, list_size
from peacelink.matching.names import (
    PreparedName,
    PreparedNames,
    fact_keys,
    normalise,
    prepare,
    prepared_blocking_keys,
    year_keys,
)
from peacelink.matching.names.normalisation import has_several_names, own_name_length
from peacelink.matching.names.parts import READINGS, make_part, with_readings
from peacelink.persons.models import (
    PERSONS_COUNT_KEY,
    Person,
    PersonKeyCount,
    PersonName,
    PersonNameKey,
    table_of,
)
from peacelink.persons.values import compact_number, decode_list

# Identity document numbers are keys too: a check giving a document number finds its holder even when
# the name was mangled, and such a key (one row) weighs the most in the shortlist.
DOCUMENT_PREFIX = "d:"
# The investigators' search filters (nationality, crime area, warning) are keys too: a search without a name
# reads the rows of its rarest filter's key, never every person (persons/search.py); the key counts tell
# which filter is the rarest. No check ever looks these keys up.
FACET_PREFIX = "s:"
FACET_KINDS = {"nationality": "n", "crime_area": "c", "warning": "w"}
# Ordered by key so that concurrent transactions take the count rows' locks in one order (no deadlock).
_IN_CHUNK = 5000


@lru_cache(maxsize=200_000)
def _prepared_name(name: str, parts: str) -> tuple[PreparedName, ...]:
    """One prepared name from its stored parts, with its readings (``parts.with_readings``; cached: the
    same persons are shortlisted again and again). A check reads the stored form instead
    (``prepared_from_stored``); this is for the names that have none and for the writes that make it."""
    if has_several_names(name):
        # Several spellings in one field ("Husain Salimi; Hosain Salimi"), or a name and an alias joined by
        # a word ("Iyad Ag Ghaly dit Abou Fadl"): each is a name, as ``prepare`` makes them (the stored parts
        # run them together: scored as one name of all their parts, a query giving one matched a fraction).
        return prepare([name]).names
    split = parts.split()
    own = own_name_length(name)  # a cheap test first: most names hold no nasab link
    prepared = PreparedName(
        original=name, parts=tuple(make_part(p) for p in split), own=own if own < len(split) else 0
    )
    return with_readings(prepared) if prepared.parts else ()


def prepared_from_parts(
    names: Iterable[tuple[str, str]], *, readings: Collection[str] = READINGS
) -> PreparedNames:
    """Rebuild prepared names from (name as given, stored parts) without transliterating again; as
    ``prepare`` does, a name is followed by its readings (``parts.with_readings``). ``readings`` keeps
    only those kinds (migrations 0011 and 0012 tell their keys apart with it)."""
    prepared = (p for n, parts in names for p in _prepared_name(n, parts))
    return PreparedNames(names=tuple(p for p in prepared if not p.reading or p.reading in readings))


def stored_form(name: str, parts: str) -> str:
    """What ``person_names.prepared`` holds for a name (migration 0033): what a check needs to rebuild the
    name and its readings (``_prepared_name``) with no reading rule run again, only cached part look-ups.

    "" for the common case, a name that is its stored parts and nothing more (no reading, no own-name
    length, one name); otherwise a JSON list of [original, reading, own, parts] per prepared name.

    >>> stored_form("Ahmed Ali", "ahmed ali")
    ''
    >>> stored_form("Xasan Cali", "xasan cali")
    '[["Xasan Cali","",0,"xasan cali"],["Xasan Cali (read as Somali spelling)","somali",0,"hasan ali"]]'
    """
    prepared = _prepared_name(name, parts)
    if len(prepared) == 1:
        only = prepared[0]
        if not (only.reading or only.own) and only.original == name and _texts(only) == parts:
            return ""
    rows = [[p.original, p.reading, p.own, _texts(p)] for p in prepared]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def _texts(name: PreparedName) -> str:
    return " ".join(p.text for p in name.parts)


@lru_cache(maxsize=200_000)
def _from_stored(name: str, parts: str, stored: str) -> tuple[PreparedName, ...]:
    if not stored:
        return (PreparedName(original=name, parts=tuple(make_part(p) for p in parts.split())),)
    return tuple(
        PreparedName(original, tuple(make_part(p) for p in texts.split()), reading, own)
        for original, reading, own, texts in json.loads(stored)
    )


def prepared_from_stored(names: Iterable[tuple[str, str, str | None]]) -> PreparedNames:
    """The prepared names of a person from its stored rows (name as given, parts, ``stored_form``): what
    ``prepared_from_parts`` makes, without the reading rules (a check's names: ``lookup.load_names``). A row
    with no stored form (NULL: written by something other than this code) is prepared as before."""
    prepared = (
        p
        for n, parts, stored in names
        for p in (_prepared_name(n, parts) if stored is None else _from_stored(n, parts, stored))
    )
    return PreparedNames(names=tuple(prepared))


def document_key(number: str) -> str:
    """The key row of an identity document number."""
    return DOCUMENT_PREFIX + compact_number(number)[:46]


def facet_key(kind: str, value: str) -> str:
    """The key row of one search filter value (``kind`` is a key of FACET_KINDS).

    >>> facet_key("nationality", "UTO"), facet_key("crime_area", "drugs")
    ('s:n:UTO', 's:c:drugs')
    """
    return f"{FACET_PREFIX}{FACET_KINDS[kind]}:{value}"[:48]


def facet_keys(*, nationalities: str, crime_areas: str, warnings: str) -> set[str]:
    """The search-filter keys of one person, from its stored (``,A,B,``-encoded) columns."""
    return {
        facet_key(kind, value)
        for kind, column in (
            ("nationality", nationalities),
            ("crime_area", crime_areas),
            ("warning", warnings),
        )
        for value in decode_list(column)
    }


def person_keys(
    name_parts: Iterable[tuple[str, str]],
    identifiers_json: str,
    *,
    dates_of_birth: str,
    nationalities: str,
    crime_areas: str = "",
    warnings: str = "",
    readings: Collection[str] = READINGS,
) -> set[str]:
    """All keys of one person: name blocking keys, identity document keys, fact keys, year keys and filter
    keys.

    ``dates_of_birth``, ``nationalities``, ``crime_areas`` and ``warnings`` are the stored
    (``,A,B,``-encoded) columns; the fact keys (full date of birth x nationality,
    ``matching.names.blocking.fact_keys``) let a check that gives both find the person under a name that
    shares nothing with the stored ones; the year keys (a name part x a year of birth, ``year_keys``) let a
    check that gives a year find the persons born then who share a part too common to look up alone; the
    filter keys (``facet_keys``) serve the search. A name is keyed under its readings too
    (``prepared_from_parts``: Somali orthography, Cyrillic х, Persian, Maghrebi, Ukrainian, Russian);
    ``readings`` keeps only those kinds.
    """
    prepared = prepared_from_parts(name_parts, readings=readings)
    keys = prepared_blocking_keys(prepared)
    keys.update(document_key(i["number"]) for i in json.loads(identifiers_json or "[]"))
    keys.update(fact_keys(decode_list(dates_of_birth), decode_list(nationalities)))
    keys.update(year_keys(prepared, decode_list(dates_of_birth)))
    keys.update(facet_keys(nationalities=nationalities, crime_areas=crime_areas, warnings=warnings))
    return {k[:48] for k in keys}


def _upsert(connection: Connection) -> Executable:
    """INSERT ... ON CONFLICT (key) DO UPDATE SET count = count + excluded.count, on either engine."""
    table = table_of(PersonKeyCount)
    stmt = dialect_insert(table, connection.dialect.name)
    upserted: Executable = stmt.on_conflict_do_update(
        index_elements=["key"], set_={"count": table.c.count + stmt.excluded.count}
    )
    return upserted


# New person numbers from PostgreSQL's sequence of ``persons.number`` (migration 0035).
_DRAW_NUMBERS = text("SELECT nextval('persons_number_seq') FROM generate_series(1, :n)")


def allocate_numbers(connection: Connection, count: int) -> list[int]:
    """``count`` new person numbers (``Person.number``), ascending, for persons about to be inserted in this
    transaction. PostgreSQL draws them from its sequence (concurrent writers never share one); SQLite, which
    has one writer at a time, continues from the highest number held (``uq_persons_number``'s last entry). A
    number drawn for a person that is not inserted (an import's existing reference) is a gap, nothing more."""
    if count <= 0:
        return []
    if connection.dialect.name == "postgresql":
        drawn = connection.execute(_DRAW_NUMBERS, {"n": count})
        return sorted(int(row[0]) for row in drawn)
    highest = connection.execute(select(func.max(table_of(Person).c.number))).scalar()
    first = int(highest or 0) + 1
    return list(range(first, first + count))


def add_keys(
    connection: Connection, keys_by_person: Mapping[int, set[str]], *, new_persons: bool = True
) -> int:
    """Insert the key rows of new (or re-keyed) persons, by ``Person.number``, and add them to the counts;
    return rows. ``new_persons=False`` adds rows to persons already keyed (the population N stays)."""
    rows: list[dict[str, Any]] = [
        {"key": k, "person_number": p} for p, keys in keys_by_person.items() for k in keys
    ]
    if not rows:
        return 0
    insert_rows(connection, table_of(PersonNameKey), rows)
    counts: Counter[str] = Counter(r["key"] for r in rows)
    if new_persons:
        counts[PERSONS_COUNT_KEY] = len(keys_by_person)
    connection.execute(_upsert(connection), [{"key": k, "count": counts[k]} for k in sorted(counts)])
    return len(rows)


def remove_keys(session: Session, person_numbers: Sequence[int]) -> None:
    """Delete the key rows of persons, by ``Person.number`` (names changed, record cancelled), and subtract
    them from the counts."""
    table = table_of(PersonNameKey)
    connection = session.connection()
    counts: Counter[str] = Counter()
    keyed = 0
    for start in range(0, len(person_numbers), _IN_CHUNK):
        chunk = list(person_numbers[start : start + _IN_CHUNK])
        found = connection.execute(
            select(table.c.key, table.c.person_number).where(table.c.person_number.in_(chunk))
        )
        people: set[int] = set()
        for key, person in found:
            counts[key] += 1
            people.add(person)
        keyed += len(people)
        connection.execute(delete(table).where(table.c.person_number.in_(chunk)))
    if not counts:
        return
    counts[PERSONS_COUNT_KEY] = keyed
    count_table = table_of(PersonKeyCount)
    stmt = (
        update(count_table)
        .where(count_table.c.key == bindparam("k"))
        .values(count=count_table.c.count - bindparam("n"))
    )
    connection.execute(stmt, [{"k": k, "n": counts[k]} for k in sorted(counts)])


@lru_cache(maxsize=16)
def _counts_statement(size: int) -> DirectStatement:
    """Rows per key for an IN list of ``size`` keys (a check's hot read, run on the driver's cursor)."""
    table = table_of(PersonKeyCount)
    return DirectStatement(
        select(table.c.key, table.c.count).where(table.c.key.in_(list_binds("k", size, String)))
    )


def counts_for(connection: Connection, keys: Iterable[str]) -> dict[str, int]:
    """Rows per key for these keys (absent keys are left out), in chunks of one IN list."""
    out: dict[str, int] = {}
    for chunk in chunks(sorted(set(keys))):
        size = list_size(len(chunk))
        for key, count in _counts_statement(size).execute(connection, list_params("k", chunk, size)):
            out[key] = int(count)
    return out


def population(connection: Connection) -> int:
    """The number of keyed persons (N)."""
    table = table_of(PersonKeyCount)
    value = connection.execute(select(table.c.count).where(table.c.key == PERSONS_COUNT_KEY)).scalar()
    return int(value or 0)


_RESYNC_CHUNK = 2000


def _holding(
    connection: Connection,
    holding: Sequence[str],
    written: re.Pattern[str] | None = None,
    concerned: Callable[[str, str], bool] | None = None,
) -> list[str]:
    """The active persons with a name whose stored parts hold one of ``holding``, or, with ``written``, a
    name as given that it finds (a script's letters: SQL has no portable test for them, so those names are
    read and tested here), or, with ``concerned``, a name for which ``concerned(name, parts)`` holds."""
    names, persons = table_of(PersonName), table_of(Person)
    active = select(names.c.person_id).join(persons, persons.c.id == names.c.person_id)
    active = active.where(persons.c.status == "active")
    found: set[str] = set()
    if holding:
        holds = or_(*(names.c.parts.contains(s, autoescape=True) for s in holding))
        found.update(row[0] for row in connection.execute(active.where(holds).distinct()))
    if written is not None or concerned is not None:
        rows = connection.execute(active.add_columns(names.c.name, names.c.parts))
        found.update(
            pid
            for pid, name, parts in rows
            if (written is not None and written.search(name))
            or (concerned is not None and concerned(name, parts or ""))
        )
    return sorted(found)


def rekey_persons(connection: Connection, concerned: Callable[[str, str], bool]) -> None:
    """For migrations that add a reading or a key rule and leave normalisation as it is (0019 on): the
    active persons with a name ``concerned(name, parts)`` picks keyed exactly as this code keys them, with
    every kind of reading (``resync_persons``). A set of kinds written out per migration froze nothing (the
    readings themselves are this code's) and would take away the keys of a kind it left out."""
    resync_persons(connection, (), readings=READINGS, renormalise=False, concerned=concerned)


def _key_table_as_stored(connection: Connection) -> tuple[TableClause, str, str]:
    """The key table as the database holds it, its person column and the persons column that column names:
    ``person_number`` and ``number`` from migration 0035 on; the migrations before it (which call
    ``resync_persons``) see ``person_id`` and ``id``."""
    stored = {c["name"] for c in inspect(connection).get_columns(PersonNameKey.__tablename__)}
    key_person, person_key = ("person_number", "number") if "person_number" in stored else ("person_id", "id")
    return table(PersonNameKey.__tablename__, column("key"), column(key_person)), key_person, person_key


def resync_persons(
    connection: Connection,
    holding: Sequence[str],
    *,
    readings: Collection[str],
    renormalise: bool,
    written: re.Pattern[str] | None = None,
    concerned: Callable[[str, str], bool] | None = None,
    ids: Sequence[str] | None = None,
) -> None:
    """Bring the active persons whose stored parts hold one of ``holding`` (or with a name ``written``
    finds, or one that ``concerned(name, parts)`` picks, or those of ``ids``) up to date with this code:
    their names normalised again (``renormalise``) and their key rows exactly ``person_keys(..., readings=)``,
    rows added and removed and the counts moved by the difference. For migrations that change how names are
    normalised or read (0011 on), or a fact the keys are made of (0029); the population N does not change.
    """
    names_table, persons = table_of(PersonName), table_of(Person)
    key_table, key_person, person_key = _key_table_as_stored(connection)
    ids = sorted(ids) if ids is not None else _holding(connection, holding, written, concerned)
    # The stored forms are remade with the keys, once migration 0033 has made their column (the migrations
    # before it call this on a table without it).
    forms = "prepared" in {c["name"] for c in inspect(connection).get_columns(names_table.name)}
    form_column = names_table.c.prepared if forms else literal(None, String)
    delta: Counter[str] = Counter()
    for start in range(0, len(ids), _RESYNC_CHUNK):
        chunk = ids[start : start + _RESYNC_CHUNK]
        names: dict[str, list[tuple[str, str]]] = {pid: [] for pid in chunk}
        changed: list[dict[str, str | None]] = []
        statement = (
            select(
                names_table.c.id,
                names_table.c.person_id,
                names_table.c.name,
                names_table.c.parts,
                form_column,
            )
            .where(names_table.c.person_id.in_(chunk))
            .order_by(names_table.c.person_id, names_table.c.position)
        )
        for row_id, pid, name, parts, form in connection.execute(statement):
            fresh = (" ".join(normalise(name))[:400] or parts) if renormalise else parts
            fresh_form = stored_form(name, fresh) if forms else None
            if fresh != parts or fresh_form != form:
                changed.append({"row_id": row_id, "fresh": fresh, "form": fresh_form})
            names[pid].append((name, fresh))
        if changed:
            renamed = update(names_table).where(names_table.c.id == bindparam("row_id"))
            values: dict[str, Any] = {"parts": bindparam("fresh")}
            if forms:
                values["prepared"] = bindparam("form")
            connection.execute(renamed.values(values), changed)
        stored: dict[str, set[str]] = {pid: set() for pid in chunk}
        held = (
            select(key_table.c.key, persons.c.id)
            .join(persons, persons.c[person_key] == key_table.c[key_person])
            .where(persons.c.id.in_(chunk))
        )
        for key, pid in connection.execute(held):
            stored[pid].add(key)
        columns = (
            persons.c[person_key],
            persons.c.id,
            persons.c.identifiers,
            persons.c.dates_of_birth,
            persons.c.nationalities,
            persons.c.crime_areas,
            persons.c.warnings,
        )
        added: list[dict[str, Any]] = []
        removed: list[dict[str, Any]] = []
        for held_by, pid, identifiers, dates, nationalities, crime_areas, warnings in connection.execute(
            select(*columns).where(persons.c.id.in_(chunk))
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
            added.extend({"key": k, key_person: held_by} for k in sorted(wanted - stored[pid]))
            removed.extend({"k": k, "p": held_by} for k in sorted(stored[pid] - wanted))
        if added:
            connection.execute(insert(key_table), added)
            delta.update(r["key"] for r in added)
        if removed:
            gone = delete(key_table).where(
                key_table.c.key == bindparam("k"), key_table.c[key_person] == bindparam("p")
            )
            connection.execute(gone, removed)
            delta.subtract(r["k"] for r in removed)
    _move_counts(connection, delta)


def _move_counts(connection: Connection, delta: Counter[str]) -> None:
    """Add ``delta`` to the key counts (a key new to the table gets a row)."""
    count_table = table_of(PersonKeyCount)
    keys = sorted(k for k, n in delta.items() if n)
    present: set[str] = set()
    for start in range(0, len(keys), _RESYNC_CHUNK):
        found = connection.execute(
            select(count_table.c.key).where(count_table.c.key.in_(keys[start : start + _RESYNC_CHUNK]))
        )
        present.update(row[0] for row in found)
    if present:
        moved = update(count_table).where(count_table.c.key == bindparam("k"))
        connection.execute(
            moved.values(count=count_table.c.count + bindparam("n")),
            [{"k": k, "n": delta[k]} for k in keys if k in present],
        )
    new = [{"key": k, "count": delta[k]} for k in keys if k not in present]
    if new:
        connection.execute(insert(count_table), new)
