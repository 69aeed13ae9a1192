"""The persons database's part of the check pipeline: names (any script) + DOB, nationality, sex, document.

A check reads only its own keys' rows, never the whole table (docs/names.md, "for the persons database"):
1. the query's blocking keys (name, fact and year keys) and their row counts (``person_key_counts``)
   and N (``#persons``);
2. stop keys dropped (``stop_key_cap(N)``), the rest weighted by IDF;
3. the shortlist in SQL: ``SELECT person_id, SUM(weight) FROM person_name_keys WHERE key IN (...)
   GROUP BY person_id ORDER BY 2 DESC LIMIT 150`` (an index range per key: the primary key is (key,
   person_id));
4. the shortlisted persons' facts by primary key, and the names of those to score (the first 40 and
   those whose date of birth, or for a record without one nationality, agrees with the query's:
   ``blocking.scored_positions``) by the person_id index;
5. the Scorer (with key counts: IDF and commonness) over them; candidates at or above
   CANDIDATE_THRESHOLD, best first, hits at or above HIT_THRESHOLD.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
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
from sqlalchemy.orm import Session

from peacelink.access import Actor
from peacelink.checks import pipeline
from peacelink.checks.pipeline import READER, Candidate, Match, Query, Reader
from peacelink.db.direct import MAX_LIST, DirectStatement, chunks, list_binds, list_params, list_size
from peacelink.documents.lookup import read_mrz
from peacelink.documents.rows import country
from peacelink.errors import Invalid
from peacelink.identifiers import countries
from peacelink.matching.names import (
    CANDIDATE_THRESHOLD,
    HIT_THRESHOLD,
    SHORTLIST,
    SHORTLIST_HEAD,
    PartKind,
    PersonCandidate,
    PersonQuery,
    Scorer,
    fact_keys,
    fact_query_keys,
    key_weights,
    prepared_query_keys,
    scored_positions,
    stop_key_cap,
    year_keys,
    year_query_keys,
)
from peacelink.matching.names.blocking import FACT_KEY_MAX_ROWS, SINGLE_PREFIX
from peacelink.matching.names.normalisation import PARTICLES, TITLES
from peacelink.persons import keys as person_keys
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonName, PersonNameKey, Sex, table_of
from peacelink.persons.schemas import DocumentIn, PersonCheck
from peacelink.persons.values import MAX_NAME_PARTS, check_dates, compact_number, decode_list

DATABASE = "persons"
# At most this many candidates are shown (a ranked list, best first); hits are always among them.
MAX_CANDIDATES = 20
# Persons shortlisted per check: blocking.SHORTLIST (150); the first blocking.SHORTLIST_HEAD (40) are
# scored, the others only when their date of birth agrees with the query's, or, for a record without
# one, a nationality does (blocking.scored_positions;
# trade-off measured in docs/persons.md). The accuracy benchmark runs the same rule.
# A presented identity document number that a candidate holds (and of the same issuing country, when both
# name one): strong evidence, added to the score; a holder whose name scores low is still shown, at
# DOCUMENT_LEAD, below the hit threshold (a stolen or lent document, or a new name on an old document).
DOCUMENT_MATCH = 0.10
DOCUMENT_LEAD = 0.60
# The largest names a check takes, in parts once normalised (titles and particles gone): MAX_NAME_PARTS
# in a name, as in a record, and MAX_CHECK_PARTS in all. 10 names of 40 random syllables each took 0.6 s at 1M
# persons (an officer could stall a server with them), 32 parts in all at most 93 ms.
MAX_CHECK_PARTS = 32


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


@dataclass(slots=True)
class PersonRow:
    """The columns of a shortlisted person a check needs (a Core row, cheaper than an ORM object)."""

    id: str
    owner_agency_id: int
    visibility: str
    visibility_agencies: str
    status: str
    review_due: dt.date
    reference: str
    sex: str
    dates_of_birth: str
    place_of_birth: str
    nationalities: str
    identifiers: str
    description: str
    crime_areas: str
    warnings: str
    action: str


_ROW_COLUMNS = [getattr(Person, f) for f in PersonRow.__dataclass_fields__]


def _from_mrz(data: PersonCheck) -> tuple[PersonCheck, list[str], dict[str, Any]]:
    """The check with what the MRZ says of its holder filled in (fields given stay as given), the MRZ's
    warnings and what the audit keeps of it."""
    parsed, warnings = read_mrz(data.mrz or "")
    given = parsed.given_names.split()
    if len(given) >= 2 and any("name zone is full" in w for w in parsed.warnings):
        # The zone cut the last given name short (ABDULA for Abdullah): left out, not matched as written.
        warnings.append(f"MRZ: the last given name {given[-1]!r} may be cut short; it is left out")
        given = given[:-1]
    holder = " ".join([*given, parsed.surname]).strip()
    if not holder and not data.names:
        raise Invalid("the MRZ holds no name: give the name as read", field="names")
    # A code the MRZ parser could not place (an OCR slip: C0L, CAE) is left out, not a reason to refuse.
    nationality = parsed.nationality if countries.is_valid_alpha3(parsed.nationality) else None
    issuer = parsed.issuing_country if countries.is_valid_alpha3(parsed.issuing_country) else None
    sex = {"M": Sex.MALE, "F": Sex.FEMALE}.get(parsed.sex)
    scanned_document = (
        DocumentIn(number=parsed.document_number, country=issuer)
        if len(parsed.document_number) >= 2
        else None
    )
    # What the officer typed wins; where it differs from the document, the answer says so.
    for field, typed, read in (
        ("date_of_birth", data.date_of_birth, parsed.birth_date),
        ("nationality", (data.nationality or "").strip().upper() or None, nationality),
        ("sex", data.sex.value if data.sex else None, sex.value if sex else None),
    ):
        if typed and read and typed != read:
            warnings.append(f"{field}: the MRZ reads {read}, the check uses the {typed} given")
    filled = data.model_copy(
        update={
            "names": [*([holder] if holder else []), *data.names][:10],
            "date_of_birth": data.date_of_birth or parsed.birth_date,
            "nationality": data.nationality or nationality,
            "sex": data.sex or sex,
            "document": data.document or scanned_document,
        }
    )
    return filled, warnings, {"source": "mrz", "mrz_format": parsed.format, "mrz_valid": parsed.valid}


def normalise(data: PersonCheck) -> Query:
    """Turn check input into a Query; Invalid names the field. With an ``mrz``, its holder's name, date of
    birth, nationality, sex and document fill the fields not given (``_from_mrz``)."""
    mrz_warnings: list[str] = []
    scanned: dict[str, Any] = {}
    if data.mrz:
        data, mrz_warnings, scanned = _from_mrz(data)
    names = [" ".join(n.split()) for n in data.names if n.strip()]
    if not names:
        raise Invalid("give at least one name, or an mrz", field="names")
    try:
        dates = check_dates([data.date_of_birth]) if data.date_of_birth else []
    except Invalid as exc:  # the check has one date_of_birth, not a list
        raise Invalid(exc.message, field="date_of_birth") from exc
    nationality = country(data.nationality.strip().upper(), "nationality") if data.nationality else None
    document, document_country = _document(data)
    query = PersonQuery(
        names=names,
        dates_of_birth=dates,
        nationalities=[nationality] if nationality else [],
        sex=data.sex.value if data.sex and data.sex.value != "unknown" else None,
    )
    warnings = [*mrz_warnings] + [
        f"{name.original!r} holds only a title or a particle: it matches few records, if any"
        for name in query.prepared.names
        if not name.reading and all(p.text in PARTICLES or p.text in TITLES for p in name.parts)
    ]
    if not query.prepared.names:
        raise Invalid("the names have no letters to match on", field="names")
    _check_size(query)
    summary = {
        "names": names,
        "date_of_birth": dates[0] if dates else None,
        "nationality": nationality,
        "sex": query.sex,
        "document": document,
    }
    if document_country:
        summary["document_country"] = document_country
    summary.update(scanned)
    values = {"query": query, "document": document, "document_country": document_country}
    return Query(values=values, summary=summary, warnings=tuple(warnings))


def _check_size(query: PersonQuery) -> None:
    """Refuse names no person bears that would cost a check seconds (the scoring compares every part with
    every part): more than MAX_NAME_PARTS parts in one name, or MAX_CHECK_PARTS in all."""
    given = [name for name in query.prepared.names if not name.reading]
    for name in given:
        if len(name.parts) > MAX_NAME_PARTS:
            raise Invalid(
                f"the name beginning {' '.join(name.original.split()[:4])!r} has {len(name.parts)} parts; "
                f"a person's name has at most {MAX_NAME_PARTS}: give its main parts",
                field="names",
            )
    total = sum(len(name.parts) for name in given)
    if total > MAX_CHECK_PARTS:
        raise Invalid(
            f"the names have {total} parts in all; a check compares at most {MAX_CHECK_PARTS}: "
            "give fewer spellings",
            field="names",
        )


def _document(data: PersonCheck) -> tuple[str | None, str | None]:
    """The presented identity document's number (compacted as stored) and issuing country, if given.

    A blank number is no document; a number that is not 2 to 40 letters and digits once spaces, dashes and
    MRZ fillers are gone is refused (it would match nothing, and silently ignoring it would hide that).
    """
    if data.document is None or (isinstance(data.document, str) and not data.document.strip()):
        return None, None
    if isinstance(data.document, str):
        raw, issuer, field = data.document, None, "document"
    else:
        raw, issuer, field = data.document.number, data.document.country, "document.number"
    number = compact_number(raw)
    if not 2 <= len(number) <= 40 or not (number.isascii() and number.isalnum()):
        raise Invalid("an identity document number has 2 to 40 letters and digits", field=field)
    code = country(issuer.strip().upper(), "document.country") if issuer and issuer.strip() else None
    return number, code


def held_document(identifiers: str, number: str, issuer: str | None) -> dict[str, str] | None:
    """The candidate's identifier with this number, unless both name an issuing country and they differ
    (then it is another country's document that happens to carry the same number)."""
    items: list[dict[str, str]] = json.loads(identifiers or "[]")
    for item in items:
        if item.get("number") != number:
            continue
        if issuer and item.get("country") and item["country"] != issuer:
            continue
        return item
    return None


def person_dict(row: PersonRow, names: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    """What a check answer shows of a person."""
    return {
        "id": row.id,
        "reference": row.reference,
        "names": [{"name": n, "kind": k, "script": s} for n, k, s in names],
        "sex": row.sex,
        "dates_of_birth": decode_list(row.dates_of_birth),
        "place_of_birth": row.place_of_birth,
        "nationalities": decode_list(row.nationalities),
        "identifiers": json.loads(row.identifiers or "[]"),
        "description": row.description,
        "crime_areas": decode_list(row.crime_areas),
        "warnings": decode_list(row.warnings),
    }


def summary(person: dict[str, Any]) -> dict[str, Any]:
    """What a hit row keeps of a person (the owner's queue shows it)."""
    return {
        "name": person["names"][0]["name"] if person["names"] else "",
        "dates_of_birth": ", ".join(person["dates_of_birth"]),
        "nationalities": ", ".join(person["nationalities"]),
        "crime_areas": ", ".join(person["crime_areas"]),
        "warnings": ", ".join(person["warnings"]),
    }


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
    statement = select(table.c.person_id, weight).select_from(keys.join(table, table.c.key == keys.c.key))
    for position in range(required):
        held = table.alias(f"required_{position}")
        statement = statement.where(
            exists().where(
                held.c.key == bindparam(f"r{position}", type_=String), held.c.person_id == table.c.person_id
            )
        )
    ordered = statement.group_by(table.c.person_id).order_by(weight.desc(), table.c.person_id)
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
    first (``WITH query_keys(key, w) AS (VALUES ..) SELECT person_id, SUM(w) .. JOIN .. GROUP BY person_id
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
) -> list[str]:
    """Run the shortlist query (``shortlist_statement``); the person ids, best first."""
    size, values = _shortlist_values(weights, limit, required)
    return [row[0] for row in _shortlist_direct(size, len(required)).execute(connection, values)]


@dataclass
class Retrieval:
    """What a look-up found before scoring: the weighted keys, the population and the shortlist."""

    population: int
    counts: dict[str, int]
    weights: dict[str, float]
    person_ids: list[str]


# A fact key held by more than FACT_KEY_MAX_ROWS persons, but at most this many, is counted again over the
# holders the reader may see: hidden holders must not take the facts lead away from a visible one.
FACT_RECOUNT_MAX = 200


@lru_cache(maxsize=1)
def _fact_holders_select() -> Select[Any]:
    keys = table_of(PersonNameKey)
    envelope = [getattr(Person, f) for f in ("owner_agency_id", "visibility", "visibility_agencies")]
    envelope += [Person.status, Person.review_due]
    joined = keys.join(table_of(Person), table_of(Person).c.id == keys.c.person_id)
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
    ids = shortlist(connection, weights, limit=limit or SHORTLIST, required=required)
    return Retrieval(population, counts, weights, ids)


_SCORING_COLUMNS = [
    Person.id,
    Person.dates_of_birth,
    Person.nationalities,
    Person.sex,
    Person.identifiers,
    Person.owner_agency_id,
    Person.visibility,
    Person.visibility_agencies,
    Person.status,
    Person.review_due,
]


@dataclass(slots=True)
class Facts:
    """What scoring needs of a shortlisted person, and its access envelope (``pipeline.Reader``)."""

    dates_of_birth: str
    nationalities: str
    sex: str
    identifiers: str
    owner_agency_id: int
    visibility: str
    visibility_agencies: str
    status: str
    review_due: dt.date


def _ids(size: int) -> list[Any]:
    """An IN list of ``size`` person id parameters ``p0``..."""
    return list_binds("p", size, String)


@lru_cache(maxsize=16)
def _facts_statement(size: int) -> DirectStatement:
    return DirectStatement(select(*_SCORING_COLUMNS).where(Person.id.in_(_ids(size))))


@lru_cache(maxsize=16)
def _names_statement(size: int) -> DirectStatement:
    table = table_of(PersonName)
    columns = (table.c.person_id, table.c.name, table.c.kind, table.c.script, table.c.parts)
    statement = select(*columns).where(table.c.person_id.in_(_ids(size)))
    return DirectStatement(statement.order_by(table.c.person_id, table.c.position))


@lru_cache(maxsize=16)
def _rows_statement(size: int) -> DirectStatement:
    return DirectStatement(select(*_ROW_COLUMNS).where(Person.id.in_(_ids(size))))


def _by_ids(
    statement: Callable[[int], DirectStatement], connection: Connection, ids: Sequence[str]
) -> list[Any]:
    """Rows of a statement over an IN list of person ids (each chunk's list padded to its size class)."""
    out: list[Any] = []
    for chunk in chunks(ids):
        size = list_size(len(chunk))
        out.extend(statement(size).rows(connection, list_params("p", chunk, size)))
    return out


def load_facts(connection: Connection, ids: Sequence[str]) -> dict[str, Facts]:
    """Step 4a: what scoring and access need of the shortlisted persons' records, by id. The full rows are
    read later, for the candidates shown only (``load_rows``)."""
    return {r[0]: Facts(*r[1:]) for r in _by_ids(_facts_statement, connection, ids)}


def load_names(connection: Connection, ids: Sequence[str]) -> dict[str, list[tuple[str, str, str, str]]]:
    """Step 4b: the names (name, kind, script, parts) of the persons to score, in their order."""
    names: dict[str, list[tuple[str, str, str, str]]] = {i: [] for i in ids}
    for person_id, name, kind, script, parts in _by_ids(_names_statement, connection, ids):
        names[person_id].append((name, kind, script, parts))
    return names


def load_rows(connection: Connection, ids: Sequence[str]) -> dict[str, PersonRow]:
    """The full rows (access envelope, answer fields) of the persons an answer shows."""
    return {r.id: PersonRow(*r) for r in _by_ids(_rows_statement, connection, ids)}


class PersonLookup:
    """Blocking keys in the database, a shortlist in SQL, the name scorer over the shortlist."""

    database = DATABASE

    def look_up(self, session: Session, query: Query) -> Sequence[Candidate]:
        """Scored candidates at or above CANDIDATE_THRESHOLD, best first (not yet filtered by access)."""
        person_query: PersonQuery = query.values["query"]
        document: str | None = query.values.get("document")
        # The investigators' search (persons/search.py) shortlists among the persons holding its filter
        # keys and may show more candidates; a check sets neither.
        required: Sequence[str] = query.values.get("required_keys", ())
        shown_at_most: int = query.values.get("max_candidates", MAX_CANDIDATES)
        # The investigators' search scores the whole shortlist (its years and owner are tested after).
        head: int = query.values.get("scored_head", SHORTLIST_HEAD)
        reader: Reader | None = query.values.get(READER)
        connection = session.connection()
        found = retrieve(connection, person_query, document, required=required, reader=reader)
        if not found.weights and reader is not None:
            _say_why_nothing_was_looked_up(person_query, found, reader)
        if not found.person_ids:
            return []
        shortlisted, shown_ids, told_ids = _read_shortlist(
            connection, person_query, found, reader, head, required
        )

        def to_score(ids: list[str]) -> list[str]:
            positions = scored_positions(
                person_query.dates_of_birth,
                [decode_list(shortlisted[pid].dates_of_birth) for pid in ids],
                head=head,
                query_nationalities=person_query.nationalities,
                candidate_nationalities=[decode_list(shortlisted[pid].nationalities) for pid in ids],
            )
            return [ids[i] for i in positions]

        facts = {pid: shortlisted[pid] for pid in [*to_score(shown_ids), *to_score(told_ids)]}
        names = load_names(connection, list(facts))
        prepared = {
            pid: person_keys.prepared_from_parts((n, parts) for n, _k, _s, parts in plist)
            for pid, plist in names.items()
        }
        # The scorer's IDF and commonness need the counts of the candidates' parts too.
        singles = {
            f"1:{part.coarse[:SINGLE_PREFIX]}"
            for p in prepared.values()
            for name in p.names
            for part in name.parts
        }
        missing = [k for k in singles if k not in found.counts]
        counts = {**found.counts, **person_keys.counts_for(connection, missing)}
        scorer = Scorer(person_query, key_counts=counts, population=found.population)
        scored: list[tuple[float, str, dict[str, Any]]] = []
        # A candidate whose score cannot reach the threshold (even with the document bonus) is skipped
        # before its alignment: an exact bound, so the answer is the same (Scorer.may_reach).
        issuer: str | None = query.values.get("document_country")
        for pid, fact in facts.items():
            held = held_document(fact.identifiers, document, issuer) if document else None
            candidate = PersonCandidate(
                names=[n for n, _k, _s, _p in names[pid]],
                dates_of_birth=decode_list(fact.dates_of_birth),
                nationalities=decode_list(fact.nationalities),
                sex=fact.sex if fact.sex != "unknown" else None,
                id=pid,
                prepared=prepared[pid],
            )
            # A holder of the presented document is always scored: it is shown whatever its name.
            if held is None and not scorer.may_reach(candidate, CANDIDATE_THRESHOLD):
                continue
            result = scorer.score(candidate)
            total, explanation = result.score, result.explanation
            if held is not None:
                total, explanation = _with_document(total, explanation, held)
            if total >= CANDIDATE_THRESHOLD:
                scored.append((total, pid, explanation))
        scored.sort(key=lambda item: (-item[0], item[1]))
        # At most shown_at_most candidates the reader may see; hits on records whose owner excluded the
        # reader's agency go on to the pipeline, which tells their owner alone.
        told = set(told_ids)
        shown = [item for item in scored if item[1] not in told][:shown_at_most]
        if told:
            shown += [item for item in scored if item[1] in told and item[0] >= HIT_THRESHOLD]
            shown.sort(key=lambda item: (-item[0], item[1]))
        rows = load_rows(connection, [pid for _t, pid, _e in shown]) if shown else {}
        out: list[Candidate] = []
        for total, pid, explanation in shown:
            row = rows.get(pid)
            if row is None:
                continue  # cancelled since the shortlist was read (PostgreSQL, read committed)
            person = person_dict(row, [(n, k, s) for n, k, s, _p in names[pid]])
            out.append(
                Candidate(
                    record=row,
                    match=Match.SCORED,
                    summary=summary(person),
                    action=row.action,
                    score=round(total, 4),
                    explanation=explanation,
                    is_hit=total >= HIT_THRESHOLD,
                    answer={"person": person},
                )
            )
        return out


def _with_document(
    total: float, explanation: dict[str, Any], held: dict[str, str]
) -> tuple[float, dict[str, Any]]:
    """A candidate holding the presented document: DOCUMENT_MATCH more, and at least DOCUMENT_LEAD (a
    candidate shown to the officer, never a hit on the document alone: the name must match too)."""
    raised = min(1.0, max(total + DOCUMENT_MATCH, DOCUMENT_LEAD))
    issued = f" issued by {held['country']}" if held.get("country") else ""
    factor = {
        "factor": "identity_document",
        "effect": "for",
        "weight": round(raised - total, 4),
        "detail": f"holds the presented document {held['number']}{issued}" + _document_note(total, raised),
    }
    return raised, {**explanation, "score": round(raised, 4), "factors": [*explanation["factors"], factor]}


def _document_note(total: float, raised: float) -> str:
    """Why the document's weight is not DOCUMENT_MATCH: a weak name raised to the lead, or a top score."""
    if raised - total > DOCUMENT_MATCH + 1e-9:
        return "; the name does not match it well"
    if raised - total < DOCUMENT_MATCH - 1e-9:
        return "; the score was already at or near its maximum of 1.0"
    return ""


def _say_why_nothing_was_looked_up(query: PersonQuery, found: Retrieval, reader: Reader) -> None:
    """A check that could look up no key finds nobody: say why, when the officer can do something about it."""
    cap = stop_key_cap(found.population)
    if any(count > cap for count in found.counts.values()):
        reader.warn(
            "the names are too common to look up on their own: add another part of the name, "
            "a date of birth or a nationality"
        )
    elif all(part.kind == PartKind.INITIAL for name in query.prepared.names for part in name.parts):
        reader.warn("the names hold initials only: nothing to look up; give at least one name in full")


# When records the reader may not see leave fewer than the scored head in a full shortlist, it is read
# again this many times wider, once (a flood of hidden namesakes must not hide a visible person).
WIDEN = 4


def _read_shortlist(
    connection: Connection,
    query: PersonQuery,
    found: Retrieval,
    reader: Reader | None,
    head: int,
    required: Sequence[str],
) -> tuple[dict[str, Facts], list[str], list[str]]:
    """Step 4a over the shortlist: the facts read, the ids the reader may see (best first, at most
    SHORTLIST) and those whose hits go to their owner alone (``Reader.owner_only``).

    Without a date of birth or a nationality in the query only the head can be scored, so only the head is
    read, and read on when hidden records took places in it. Cancelled records are gone from the facts."""
    backed = bool(query.dates_of_birth or query.nationalities)
    ids = found.person_ids
    facts = load_facts(connection, ids if backed else ids[:head])
    if reader is None:
        return facts, [pid for pid in ids if pid in facts], []

    def split() -> tuple[list[str], list[str]]:
        seen = [pid for pid in ids if pid in facts and reader.sees(facts[pid])]
        told = [pid for pid in ids if pid in facts and reader.owner_only(facts[pid])]
        return seen[:SHORTLIST], told

    seen, told = split()
    if len(seen) < head and len(facts) < len(ids):  # hidden records took places in the head
        facts.update(load_facts(connection, [pid for pid in ids if pid not in facts]))
        seen, told = split()
    if len(seen) < head and len(ids) >= SHORTLIST and len(ids) < WIDEN * SHORTLIST:
        ids = shortlist(connection, found.weights, limit=WIDEN * SHORTLIST, required=required)
        facts.update(load_facts(connection, [pid for pid in ids if pid not in facts]))
        seen, told = split()
    return facts, seen, told


PERSONS = PersonLookup()


def check_person(
    session: Session, *, actor: Actor, data: PersonCheck, today: dt.date | None = None
) -> pipeline.CheckResult:
    """Check a person (names, optional DOB, nationality, sex, document) through the pipeline."""
    return evaluate_person(session, actor=actor, data=data, today=today).persist(session)


def evaluate_person(
    session: Session, *, actor: Actor, data: PersonCheck, today: dt.date | None = None
) -> pipeline.PendingCheck:
    """The reading half of a person check (the API persists it through the group-commit writer)."""
    pending = pipeline.evaluate(session, actor=actor, lookup=PERSONS, query=normalise(data), today=today)
    if pending.result.candidates is None:
        pending.result.candidates = []  # the answer always lists candidates, even none
    return pending
