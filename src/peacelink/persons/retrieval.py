"""Steps 1-3 of a person look-up (persons/lookup.py): the query's blocking keys and their counts, stop keys,
IDF weights and the shortlist in SQL."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    Integer,
    Select,
    String,
    bindparam,
    column,
    exists,
    func,
    select,
    values,
)

from peacelink.checks.reader import Reader
from peacelink.db.direct import MAX_LIST, DirectStatement, list_binds, list_params, list_size
from peacelink.matching.names import (
    SHORTLIST,
    PartKind,
    PersonQuery,
    fact_keys,
    fact_query_keys,
    key_weights,
    prepared_query_keys,
    stop_key_cap,
    year_keys,
    year_query_keys,
)
from peacelink.matching.names.blocking import FACT_KEY_MAX_ROWS
from peacelink.persons import keys as person_keys
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonNameKey, table_of
from peacelink.translatable import Translatable


class _AllKeys(Mapping[str, int]):
    """A count mapping that keeps every key: asks ``prepared_query_keys`` for the full key set."""

    def __getitem__(self, key: str) -> int:
        return 1

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def get(self, key: str, default: Any = None) -> int:
        return 1


@lru_cache(maxsize=64)
def _shortlist_select(size: int, required: int) -> Select[Any]:
    """The shortlist for ``size`` key parameters ``k0``.. with weights ``w0``.., ``required`` filter keys
    ``r0``.. and ``limit``: the query's keys and weights are a ``VALUES`` list joined to the key table, so
    each row read carries its weight (a ``SUM(CASE key WHEN .. THEN ..)`` over an ``IN`` list compared every
    row with the keys: 40% slower on PostgreSQL, 9% on SQLite). Padding keys are "" (no such key)."""
    table = table_of(PersonNameKey)
    pairs = zip(list_binds("k", size, String), list_binds("w", size, Float), strict=True)
    wanted = values(column("key", String), column("w", Float), name="query_keys").data(list(pairs))
    keys = wanted.cte("query_keys")
    weight = func.sum(keys.c.w).label("weight")
    statement = select(table.c.person_number, weight).select_from(keys.join(table, table.c.key == keys.c.key))
    for position in range(required):
        held = table.alias(f"required_{position}")
        statement = statement.where(
            exists().where(
                held.c.key == bindparam(f"r{position}", type_=String),
                held.c.person_number == table.c.person_number,
            )
        )
    ordered = statement.group_by(table.c.person_number).order_by(weight.desc(), table.c.person_number)
    return ordered.limit(bindparam("limit", type_=Integer))


@lru_cache(maxsize=64)
def _shortlist_direct(size: int, required: int) -> DirectStatement:
    """``_shortlist_select`` run on the driver's cursor (the check path)."""
    return DirectStatement(_shortlist_select(size, required))


def _shortlist_values(
    weights: Mapping[str, float], limit: int, required: Sequence[str]
) -> tuple[int, dict[str, Any]]:
    """The size class and bind values of a shortlist query; the keys past the query's own are "" with
    weight 0, which match no row."""
    keys = sorted(weights)
    size = list_size(len(keys))
    padding = size - len(keys)
    values = {
        **list_params("k", [*keys, *[""] * padding], size),
        **list_params("w", [*(weights[k] for k in keys), *[0.0] * padding], size),
        **{f"r{position}": key for position, key in enumerate(required)},
        "limit": limit,
    }
    return size, values


def shortlist_statement(
    weights: Mapping[str, float], *, limit: int = SHORTLIST, required: Sequence[str] = ()
) -> Select[Any]:
    """The shortlist query, its values bound: persons sharing the most key weight with the query, best
    first (``WITH query_keys(key, w) AS (VALUES ..) SELECT person_number, SUM(w) .. JOIN .. GROUP BY
    person_number
    ORDER BY 2 DESC LIMIT n``).

    ``required`` keys (the search's filter keys, ``persons.keys.facet_key``) restrict it to the persons
    holding every one of them: a probe of the key table's primary key per key row read. The check runs the
    same statement on the driver's cursor (``shortlist``); this form is for EXPLAIN.
    """
    size, values = _shortlist_values(weights, limit, required)
    return _shortlist_select(size, len(required)).params(values)


def shortlist(
    connection: Connection,
    weights: Mapping[str, float],
    *,
    limit: int = SHORTLIST,
    required: Sequence[str] = (),
) -> list[int]:
    """Run the shortlist query (``shortlist_statement``); the persons' numbers (``Person.number``), best
    first."""
    size, values = _shortlist_values(weights, limit, required)
    return [row[0] for row in _shortlist_direct(size, len(required)).execute(connection, values)]


@dataclass
class Retrieval:
    """What a look-up found before scoring: the weighted keys, the population and the shortlist."""

    population: int
    counts: dict[str, int]
    weights: dict[str, float]
    # The shortlist: persons' numbers (``Person.number``), best first.
    person_numbers: list[int]


# A fact key held by more than FACT_KEY_MAX_ROWS persons, but at most this many, is counted again over the
# holders the reader may see: hidden holders must not take the facts lead away from a visible one.
FACT_RECOUNT_MAX = 200


@lru_cache(maxsize=1)
def _fact_holders_select() -> Select[Any]:
    keys = table_of(PersonNameKey)
    envelope = [getattr(Person, f) for f in ("owner_agency_id", "visibility", "visibility_agencies")]
    envelope += [Person.status, Person.review_due]
    joined = keys.join(table_of(Person), table_of(Person).c.number == keys.c.person_number)
    return select(*envelope).select_from(joined).where(keys.c.key == bindparam("key", type_=String))


def _recount_fact_keys(
    connection: Connection, counts: dict[str, int], query: PersonQuery, reader: Reader
) -> None:
    """Replace the counts of the query's fact keys by the number of holders the reader may see, where the
    difference could matter (more than FACT_KEY_MAX_ROWS holders in all, at most FACT_RECOUNT_MAX)."""
    for key in fact_keys(query.dates_of_birth, query.nationalities):
        if FACT_KEY_MAX_ROWS < counts.get(key, 0) <= FACT_RECOUNT_MAX:
            holders = connection.execute(_fact_holders_select(), {"key": key}).all()
            counts[key] = sum(1 for holder in holders if reader.sees(holder))


def retrieve(
    connection: Connection,
    query: PersonQuery,
    document: str | None = None,
    *,
    limit: int | None = None,
    required: Sequence[str] = (),
    reader: Reader | None = None,
) -> Retrieval:
    """Steps 1-3: keys, counts, stop keys, IDF weights, the SQL shortlist (``shortlist_statement``).

    With a ``reader``, the query's fact keys are counted over the holders it may see (``_recount_fact_keys``).
    """
    wanted = prepared_query_keys(query.prepared, _AllKeys())
    wanted |= fact_query_keys(query.dates_of_birth, query.nationalities)
    years = year_keys(query.prepared, query.dates_of_birth)
    wanted |= years
    if document:
        wanted.add(person_keys.document_key(document))
    counts = person_keys.counts_for(connection, [*wanted, PERSONS_COUNT_KEY])
    population = counts.pop(PERSONS_COUNT_KEY, 0)
    if reader is not None:
        _recount_fact_keys(connection, counts, query, reader)
    cap = stop_key_cap(population)
    keys = prepared_query_keys(query.prepared, counts, max_postings=cap)
    keys |= fact_query_keys(query.dates_of_birth, query.nationalities, counts)
    keys |= year_query_keys(years, counts, max_postings=cap)
    if document and counts.get(person_keys.document_key(document), 0) > 0:
        keys.add(person_keys.document_key(document))
    if not keys or population <= 0:
        return Retrieval(population, counts, {}, [])
    weights = key_weights(keys, counts, population=population)
    # A key held by every person has weight 0; keep it positive so the sum still ranks.
    weights = {k: max(w, 0.01) for k, w in weights.items()}
    if len(weights) > MAX_LIST:  # hundreds of names in one query: its heaviest keys
        weights = dict(sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:MAX_LIST])
    numbers = shortlist(connection, weights, limit=limit or SHORTLIST, required=required)
    return Retrieval(population, counts, weights, numbers)


def say_why_nothing_was_looked_up(query: PersonQuery, found: Retrieval, reader: Reader) -> None:
    """A check that shortlisted nobody the reader may see: say why, when the officer can do something about
    it (a name too common to look up alone, initials only).

    Decided on what the reader may see, never on whether a key was looked up: a key held only by records
    hidden from the reader is looked up too, and the warning's absence would betray them."""
    cap = stop_key_cap(found.population)
    if any(count > cap for count in found.counts.values()):
        reader.warn(
            Translatable(
                "the names are too common to look up on their own: add another part of the name, "
                "a date of birth or a nationality",
                "persons.check.warning.too_common",
            )
        )
    elif all(part.kind == PartKind.INITIAL for name in query.prepared.names for part in name.parts):
        reader.warn(
            Translatable(
                "the names hold initials only: nothing to look up; give at least one name in full",
                "persons.check.warning.initials_only",
            )
        )
