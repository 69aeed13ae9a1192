"""The generic check pipeline.

A database plugs in by turning the officer's input into a :class:`Query` (normalised, with a summary for
the audit log) and by implementing :class:`Lookup`: return :class:`Candidate` records, exact matches first,
OCR-confusable ones flagged ``confidence="low"``. The pipeline does the rest, identically for documents,
vehicles and every later database: drop what the caller's agency may not see (``access.visibility``),
tell the owner about matches by agencies it excluded, create one Hit per match, write one audit event in
the same transaction, and build the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from peacelink.access import OPERATIONAL_ROLES, Actor, can_see, require_role
from peacelink.access.visibility import VisibleRecord, excluded_by_owner
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.checks.reader import READER, Reader, served
from peacelink.db.base import new_ordered_id, utcnow
from peacelink.db.direct import DirectStatement
from peacelink.db.engine import FACTORY_MEMO_KEY
from peacelink.hits.models import Hit, HitStatus


class Match:
    """How a candidate matched; the first two are high confidence, the last needs a closer look."""

    EXACT = "exact"
    RANGE = "range"
    CONFUSABLE = "confusable"
    # Scored databases (names, fingerprints, DNA): a similarity score decides; confidence follows the score.
    SCORED = "scored"


CONFIDENCE = {Match.EXACT: "high", Match.RANGE: "high", Match.CONFUSABLE: "low", Match.SCORED: "medium"}


@dataclass(frozen=True)
class Query:
    """A normalised check: the values to look up, what the audit log records, and input warnings.

    ``searched`` is for a database that can decide from the input alone that nothing can match, and then
    searches no record (DNA: fewer typed loci than ``min_loci``): False says so in the answer, where
    ``no_hit`` would read as "nobody is known". None (the others): the database always searches, and its
    answer has no ``searched`` field.
    """

    values: dict[str, Any]
    summary: dict[str, Any]
    warnings: tuple[str, ...] = ()
    searched: bool | None = None


class CandidateRecord(VisibleRecord, Protocol):
    """What the pipeline needs from a matched record."""

    id: str


@dataclass(frozen=True)
class Candidate:
    """One record a lookup found, with how it matched and what the answer shows of it.

    Exact-match databases (documents, vehicles) leave ``score`` unset: every candidate is a hit. Scored
    databases (persons, fingerprints, DNA) set ``score`` and ``explanation``; a candidate becomes a hit only
    when ``is_hit`` (its score passed the database's hit threshold), the others are listed as candidates
    for the officer to weigh. ``answer`` holds database-specific fields of the candidate in the answer
    (``person``, ``reference``, per-locus comparison...).
    """

    record: CandidateRecord
    match: str
    summary: dict[str, Any]
    action: str
    score: float | None = None
    explanation: dict[str, Any] | None = None
    is_hit: bool = True
    confidence: str | None = None
    answer: dict[str, Any] = field(default_factory=dict)


class Lookup(Protocol):
    """A database's part of the pipeline."""

    database: str

    def look_up(self, session: Session, query: Query) -> Sequence[Candidate]:
        """Return the matching records (exact first); the pipeline filters them by access. A look-up that
        cuts its list must first leave out what ``query.values[READER]`` (a ``Reader``) may not report on."""
        ...


@dataclass
class HitAnswer:
    """One hit as the searcher sees it."""

    hit_id: str
    database: str
    record_id: str
    record: dict[str, Any]
    owner_agency: str
    action: str
    match: str
    confidence: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "hit_id": self.hit_id,
            "database": self.database,
            "record_id": self.record_id,
            "record": self.record,
            "owner_agency": self.owner_agency,
            "action": self.action,
            "match": self.match,
            "confidence": self.confidence,
        }


@dataclass
class CandidateAnswer:
    """A scored candidate as the searcher sees it (best first); ``hit_id`` is set when it became a hit."""

    record_id: str
    owner_agency: str
    score: float | None
    explanation: dict[str, Any] | None
    hit_id: str | None
    fields: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the database's own fields, then the common ones."""
        return {
            **self.fields,
            "record_id": self.record_id,
            "owner_agency": self.owner_agency,
            "score": self.score,
            "explanation": self.explanation,
            "hit_id": self.hit_id,
        }


@dataclass
class CheckResult:
    """The answer to a check."""

    check_id: str
    database: str
    hits: list[HitAnswer] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    candidates: list[CandidateAnswer] | None = None
    searched: bool | None = None  # see Query.searched: in the answer only when the database says

    @property
    def result(self) -> str:
        """'hit' when at least one visible match, else 'no_hit'."""
        return "hit" if self.hits else "no_hit"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the API, CLI --json and web page all show this)."""
        return {
            "check_id": self.check_id,
            "database": self.database,
            "result": self.result,
            **({} if self.candidates is None else {"candidates": [c.to_dict() for c in self.candidates]}),
            "hits": [h.to_dict() for h in self.hits],
            "warnings": list(self.warnings),
            **({} if self.searched is None else {"searched": self.searched}),
        }


_INSERT_HIT = DirectStatement(insert(Hit))
_AGENCY_CODE = select(Agency.__table__.c.code).where(Agency.__table__.c.id == bindparam("agency_id"))


def _agency_code(session: Session, agency_id: int, known: dict[int, str]) -> str:
    """The owner's code: from the session factory's memo, else one prebuilt Core select.

    An agency's code never changes once created (``agencies.update`` has no code field), so the sessions
    of one factory share what they have read (``db.engine.FACTORY_MEMO_KEY``) and a hit costs no query for
    an owner seen before. A session without the memo asks once per check.
    """
    if agency_id not in known:
        code = session.connection().execute(_AGENCY_CODE, {"agency_id": agency_id}).scalar()
        if code is None:
            return "?"
        known[agency_id] = code
    return known[agency_id]


def _agency_codes(session: Session) -> dict[int, str]:
    memo = session.info.get(FACTORY_MEMO_KEY)
    if not isinstance(memo, dict):
        return {}
    codes: dict[int, str] = memo.setdefault("agency_codes", {})
    return codes


# Sessions made by the app carry a read-only session factory under this key (api.app.create_app). On SQLite
# the look-up then runs beside the one writer, and the write transaction (hits, audit) starts only after it:
# scoring hundreds of name or fingerprint candidates must not hold the database's write lock.
READER_INFO_KEY = "peacelink_reader_sessions"


def _look_up(session: Session, lookup: Lookup, query: Query) -> list[Candidate]:
    readers = session.info.get(READER_INFO_KEY)
    if readers is None or session.in_transaction():
        # No reader configured (CLI, scripts), or this transaction already wrote: read our own writes.
        return list(lookup.look_up(session, query))
    with readers() as reader:
        return list(lookup.look_up(reader, query))


def _candidate_answer(
    session: Session, candidate: Candidate, hit_id: str | None, codes: dict[int, str]
) -> CandidateAnswer:
    record = candidate.record
    return CandidateAnswer(
        record_id=record.id,
        owner_agency=_agency_code(session, record.owner_agency_id, codes),
        score=candidate.score,
        explanation=candidate.explanation,
        hit_id=hit_id,
        fields=candidate.answer,
    )


@dataclass
class PendingCheck:
    """A check that has been looked up and answered but not yet written (its hits and audit event).

    ``evaluate`` builds it from reads only, so the look-up can run on a read-only connection; ``persist``
    writes it. The answer must not leave the server before ``persist``'s transaction has committed.
    """

    result: CheckResult
    actor: Actor
    summary: dict[str, Any]
    hit_rows: list[dict[str, Any]]
    hit_ids: list[str]

    def persist(self, session: Session) -> CheckResult:
        """Write the hits and the check's audit event in ``session``'s transaction; return the answer."""
        if self.hit_rows:
            # On the driver's cursor (db/direct.py): the ORM unit of work, or even a Core execute, costs
            # more than the insert itself.
            _INSERT_HIT.execute_many(session.connection(), self.hit_rows)
        # The audit keeps every hit id, owner-only ones included: the auditors must see the whole trail.
        # Shown candidates that did not become hits are recorded too, as "candidate:<record id>".
        result = self.result
        shown = [f"candidate:{c.record_id}" for c in result.candidates or [] if c.hit_id is None]
        audit.record(
            session,
            actor=self.actor,
            action=f"check.{result.database}",
            object_type="check",
            object_id=result.check_id,
            query=self.summary,
            result_ids=[*self.hit_ids, *shown],
        )
        return result


def evaluate(
    session: Session,
    *,
    actor: Actor,
    lookup: Lookup,
    query: Query,
    today: dt.date | None = None,
) -> PendingCheck:
    """Look up, filter by access and build the answer and the rows to write; reads only."""
    require_role(actor, *OPERATIONAL_ROLES)
    day = today or dt.date.today()
    result = CheckResult(
        check_id=new_ordered_id(),
        database=lookup.database,
        warnings=list(query.warnings),
        searched=query.searched,
    )
    seen: set[str] = set()
    hit_ids: list[str] = []
    hit_rows: list[dict[str, Any]] = []
    codes = _agency_codes(session)
    now = utcnow()
    # Each hit keeps what the officer asked, as the audit log does (bounded the same way): the owner decides
    # the hit by comparing it with its record. The searcher's agency sees its own query anyway; a hit on a
    # record that excludes it goes to the owner alone (``excluded_agency``), query included.
    asked = audit.bounded_summary(query.summary)
    reader = Reader(actor, day)
    query = replace(query, values={**query.values, READER: reader})
    found = _look_up(session, lookup, query)
    result.warnings.extend(reader.notes)
    for candidate in found:
        record = candidate.record
        if record.id in seen:
            continue  # a record found twice (exact and range) gives one hit, the best match (first)
        seen.add(record.id)
        visible = can_see(actor, record, today=day)
        # A served record hidden from this agency by its owner: the owner alone is told (no trace here).
        owner_only = not visible and served(record, day) and excluded_by_owner(actor, record)
        if not visible and not owner_only:
            continue
        if candidate.score is not None and result.candidates is None:
            result.candidates = []
        if not candidate.is_hit:
            if visible and result.candidates is not None:
                result.candidates.append(_candidate_answer(session, candidate, None, codes))
            continue
        hit_id = new_ordered_id()
        confidence = candidate.confidence or CONFIDENCE[candidate.match]
        hit_rows.append(
            {
                "id": hit_id,
                "check_id": result.check_id,
                "database": lookup.database,
                "record_id": record.id,
                "owner_agency_id": record.owner_agency_id,
                "searching_agency_id": actor.agency_id,
                "searching_user_id": actor.user_id,
                "match": candidate.match,
                "confidence": confidence,
                "excluded_agency": owner_only,
                "summary": candidate.summary
                if candidate.score is None
                else {**candidate.summary, "score": candidate.score},
                "query": asked,
                "action": candidate.action,
                "status": HitStatus.NEW.value,
                "note": "",
                "created_at": now,
            }
        )
        hit_ids.append(hit_id)
        if owner_only:
            continue
        if result.candidates is not None:
            result.candidates.append(_candidate_answer(session, candidate, hit_id, codes))
        result.hits.append(
            HitAnswer(
                hit_id=hit_id,
                database=lookup.database,
                record_id=record.id,
                record=candidate.summary,
                owner_agency=_agency_code(session, record.owner_agency_id, codes),
                action=candidate.action,
                match=candidate.match,
                confidence=confidence,
            )
        )
    return PendingCheck(result, actor, query.summary, hit_rows, hit_ids)


def run(
    session: Session,
    *,
    actor: Actor,
    lookup: Lookup,
    query: Query,
    today: dt.date | None = None,
) -> CheckResult:
    """Run one check through the pipeline inside the caller's transaction."""
    return evaluate(session, actor=actor, lookup=lookup, query=query, today=today).persist(session)
