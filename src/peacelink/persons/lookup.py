"""The persons database's part of the check pipeline: names (any script) + DOB, nationality, sex, document.

A check's input is checked and turned into a ``Query`` in ``check_input``; steps 1-3 are in ``retrieval``.
A check reads only its own keys' rows, never the whole table (docs/names.md, "for the persons database"):
1. the query's blocking keys (name, fact and year keys) and their row counts (``person_key_counts``)
   and N (``#persons``);
2. stop keys dropped (``stop_key_cap(N)``), the rest weighted by IDF;
3. the shortlist in SQL: ``SELECT person_id, SUM(weight) FROM person_name_keys WHERE key IN (...)
   GROUP BY person_id ORDER BY 2 DESC LIMIT 150`` (an index range per key: the primary key is (key,
   person_id));
4. the shortlisted persons' facts by primary key, and the names of those to score (the first 40 and
   those whose date of birth, or for a record without one nationality, agrees with the query's:
   ``shortlisting.scored_positions``) by the person_id index;
5. the Scorer (with key counts: IDF and commonness) over them; candidates at or above
   CANDIDATE_THRESHOLD, best first, hits at or above HIT_THRESHOLD.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Integer, String, select
from sqlalchemy.orm import Session

from peacelink.access import Actor, RecordStatus
from peacelink.checks import pipeline
from peacelink.checks.pipeline import Candidate, Match, Query
from peacelink.checks.reader import READER, Reader
from peacelink.db.direct import DirectStatement, chunks, list_binds, list_params, list_size
from peacelink.matching.names import (
    CANDIDATE_THRESHOLD,
    HIT_THRESHOLD,
    SHORTLIST,
    SHORTLIST_HEAD,
    PersonCandidate,
    PersonQuery,
    Scorer,
    scored_positions,
)
from peacelink.matching.names.blocking import SINGLE_PREFIX
from peacelink.persons import keys as person_keys
from peacelink.persons.check_input import normalise
from peacelink.persons.models import Person, PersonName, table_of
from peacelink.persons.retrieval import Retrieval, retrieve, say_why_nothing_was_looked_up, shortlist
from peacelink.persons.schemas import PersonCheck
from peacelink.persons.values import decode_list
from peacelink.translatable import Translatable

DATABASE = "persons"
# At most this many candidates are shown (a ranked list, best first); hits are always among them.
MAX_CANDIDATES = 20
# Persons shortlisted per check: blocking.SHORTLIST (150); the first blocking.SHORTLIST_HEAD (40) are
# scored, the others only when their date of birth agrees with the query's, or, for a record without
# one, a nationality does (shortlisting.scored_positions;
# trade-off measured in docs/persons.md). The accuracy benchmark runs the same rule.
# A presented identity document number that a candidate holds (and of the same issuing country, when both
# name one): strong evidence, added to the score; a holder whose name scores low is still shown, at
# DOCUMENT_LEAD, below the hit threshold (a stolen or lent document, or a new name on an old document).
DOCUMENT_MATCH = 0.10
DOCUMENT_LEAD = 0.60


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


# One stored name of a person: as given, its kind, script, parts and stored form
# (``persons.keys.stored_form``).
StoredName = tuple[str, str, str, str, str | None]


@dataclass(slots=True)
class Facts:
    """What scoring needs of a shortlisted person, and its access envelope (``checks.reader.Reader``)."""

    dates_of_birth: str
    nationalities: str
    sex: str
    identifiers: str
    owner_agency_id: int
    visibility: str
    visibility_agencies: str
    status: str
    review_due: dt.date


# A cancelled record is never served, to its owner either, who may see it otherwise (``can_see``). Cancelling
# removes its keys, but on PostgreSQL (read committed) each statement of a look-up reads its own snapshot:
# a cancel committed after the shortlist was read would have been scored and shown to the owner.
_ACTIVE = Person.status == RecordStatus.ACTIVE.value


def _ids(size: int) -> list[Any]:
    """An IN list of ``size`` person id parameters ``p0``..."""
    return list_binds("p", size, String)


@lru_cache(maxsize=16)
def _facts_statement(size: int) -> DirectStatement:
    """The facts by the persons' numbers, which the shortlist gives. On SQLite from the covering index
    ``ix_persons_check_facts``, which begins with the number: named, because the planner takes the unique
    index of the number (``uq_persons_number``) and then reads the table, a third slower (migration 0032)."""
    numbers = list_binds("p", size, Integer)
    statement = select(Person.number, *_SCORING_COLUMNS).where(Person.number.in_(numbers), _ACTIVE)
    return DirectStatement(statement, sqlite_index=("persons", "ix_persons_check_facts"))


@lru_cache(maxsize=16)
def _names_statement(size: int) -> DirectStatement:
    table = table_of(PersonName)
    columns = (table.c.person_id, table.c.name, table.c.kind, table.c.script, table.c.parts, table.c.prepared)
    statement = select(*columns).where(table.c.person_id.in_(_ids(size)))
    return DirectStatement(statement.order_by(table.c.person_id, table.c.position))


@lru_cache(maxsize=16)
def _rows_statement(size: int) -> DirectStatement:
    return DirectStatement(select(*_ROW_COLUMNS).where(Person.id.in_(_ids(size)), _ACTIVE))


def _by_ids(
    statement: Callable[[int], DirectStatement], connection: Connection, ids: Sequence[str] | Sequence[int]
) -> list[Any]:
    """Rows of a statement over an IN list of person ids or numbers (each chunk's list padded to its size
    class)."""
    out: list[Any] = []
    for chunk in chunks(ids):
        size = list_size(len(chunk))
        out.extend(statement(size).rows(connection, list_params("p", chunk, size)))
    return out


def load_facts(connection: Connection, numbers: Sequence[int]) -> dict[int, tuple[str, Facts]]:
    """Step 4a: what scoring and access need of the shortlisted persons' records, by their numbers: the id
    and facts of each active one. The full rows are read later, for the candidates shown only
    (``load_rows``)."""
    return {r[0]: (r[1], Facts(*r[2:])) for r in _by_ids(_facts_statement, connection, numbers)}


def load_names(connection: Connection, ids: Sequence[str]) -> dict[str, list[StoredName]]:
    """Step 4b: the names (name, kind, script, parts, stored form) of the persons to score, in their
    order."""
    names: dict[str, list[StoredName]] = {i: [] for i in ids}
    for person_id, name, kind, script, parts, prepared in _by_ids(_names_statement, connection, ids):
        names[person_id].append((name, kind, script, parts, prepared))
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
        if not found.person_numbers:
            if reader is not None:
                say_why_nothing_was_looked_up(person_query, found, reader)
            return []
        shortlisted, shown_ids, told_ids = _read_shortlist(
            connection, person_query, found, reader, head, required
        )
        # Said when no person the reader may see was shortlisted, not when no key was looked up: a key held
        # only by records hidden from the reader (a document, a date of birth and nationality beside
        # initials) would otherwise silence the warning and tell the officer that somebody holds it.
        if not shown_ids and reader is not None:
            say_why_nothing_was_looked_up(person_query, found, reader)

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
            pid: person_keys.prepared_from_stored((n, parts, form) for n, _k, _s, parts, form in plist)
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
                names=[n for n, *_ in names[pid]],
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
            person = person_dict(row, [(n, k, s) for n, k, s, *_ in names[pid]])
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
    number, country, note = held["number"], held.get("country") or "", _document_note(total, raised)
    issued = f" issued by {country}" if country else ""
    detail = Translatable(
        f"holds the presented document {number}{issued}{note}",
        "persons.factor.identity_document" + (".issued" if country else ""),
        number=number,
        country=country,
        note=note,
    )
    factor = {
        "factor": "identity_document",
        "effect": "for",
        "weight": round(raised - total, 4),
        "detail": detail,
    }
    return raised, {**explanation, "score": round(raised, 4), "factors": [*explanation["factors"], factor]}


def _document_note(total: float, raised: float) -> str:
    """Why the document's weight is not DOCUMENT_MATCH: a weak name raised to the lead, or a top score."""
    if raised - total > DOCUMENT_MATCH + 1e-9:
        return Translatable("; the name does not match it well", "persons.factor.identity_document.weak_name")
    if raised - total < DOCUMENT_MATCH - 1e-9:
        return Translatable(
            "; the score was already at or near its maximum of 1.0",
            "persons.factor.identity_document.near_max",
        )
    return ""


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
    numbers = found.person_numbers
    read = load_facts(connection, numbers if backed else numbers[:head])
    if reader is None:
        return dict(read.values()), [read[n][0] for n in numbers if n in read], []

    def split() -> tuple[list[str], list[str]]:
        # One pass: each record's visibility is decided once (owner_only only for the few hidden ones).
        seen: list[str] = []
        told: list[str] = []
        for number in numbers:
            got = read.get(number)
            if got is None:
                continue
            pid, fact = got
            if reader.sees(fact):
                seen.append(pid)
            elif reader.owner_only(fact):
                told.append(pid)
        return seen[:SHORTLIST], told

    seen, told = split()
    if len(seen) < head and len(read) < len(numbers):  # hidden records took places in the head
        read.update(load_facts(connection, [n for n in numbers if n not in read]))
        seen, told = split()
    if len(seen) < head and len(numbers) >= SHORTLIST and len(numbers) < WIDEN * SHORTLIST:
        numbers = shortlist(connection, found.weights, limit=WIDEN * SHORTLIST, required=required)
        read.update(load_facts(connection, [n for n in numbers if n not in read]))
        seen, told = split()
    return dict(read.values()), seen, told


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
