"""The check pipeline with a scored database: candidates ranked, hits only above the threshold, visibility."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import World

from peacelink.access import Role
from peacelink.access.visibility import encode_agencies
from peacelink.agencies.models import Agency
from peacelink.audit.models import AuditEvent
from peacelink.checks.pipeline import Candidate, Match, Query, run
from peacelink.db.unit_of_work import unit_of_work
from peacelink.hits.models import Hit


@dataclass
class FakeRecord:
    id: str
    owner_agency_id: int
    visibility: str = "all"
    visibility_agencies: str = ""
    status: str = "active"
    review_due: dt.date = dt.date(2099, 1, 1)


class FakeScoredLookup:
    database = "fake"

    def __init__(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates

    def look_up(self, session: Session, query: Query) -> Sequence[Candidate]:
        return self.candidates


def _candidate(record: FakeRecord, score: float, hit: bool) -> Candidate:
    return Candidate(
        record=record,
        match=Match.SCORED,
        summary={"ref": record.id},
        action="call the owner",
        score=score,
        explanation={"why": "test"},
        is_hit=hit,
        answer={"reference": record.id},
    )


def test_scored_candidates_hits_and_visibility(world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    with unit_of_work(world.state.sessions) as session:
        uto = session.scalar(select(Agency.id).where(Agency.code == "NCB-UTO"))
        caf = session.scalar(select(Agency.id).where(Agency.code == "NCB-CAF"))
    assert uto is not None and caf is not None
    strong = FakeRecord("r-strong", uto)
    weak = FakeRecord("r-weak", caf)
    hidden = FakeRecord(
        "r-hidden", uto, visibility="all_except", visibility_agencies=encode_agencies(["MINUSCA"])
    )
    lookup = FakeScoredLookup(
        [_candidate(strong, 0.97, True), _candidate(hidden, 0.95, True), _candidate(weak, 0.75, False)]
    )
    with unit_of_work(world.state.sessions) as session:
        answer = run(session, actor=officer.actor, lookup=lookup, query=Query({}, {"q": "x"})).to_dict()
    assert answer["result"] == "hit"
    assert [c["record_id"] for c in answer["candidates"]] == ["r-strong", "r-weak"]
    assert answer["candidates"][0]["hit_id"] == answer["hits"][0]["hit_id"]
    assert answer["candidates"][1]["hit_id"] is None
    assert answer["candidates"][0]["reference"] == "r-strong" and answer["candidates"][0]["score"] == 0.97
    assert "r-hidden" not in str(answer)
    with unit_of_work(world.state.sessions) as session:
        hits = {h.record_id: h for h in session.scalars(select(Hit))}
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    # The excluded agency's match reaches the owner only; the weak candidate is no hit at all.
    assert set(hits) == {"r-strong", "r-hidden"}
    assert hits["r-hidden"].excluded_agency and not hits["r-strong"].excluded_agency
    assert event is not None and event.action == "check.fake"
    assert "candidate:r-weak" in event.result_ids and len(event.result_ids) == 3


def test_unscored_answer_has_no_candidates_key(world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    with unit_of_work(world.state.sessions) as session:
        answer = run(session, actor=officer.actor, lookup=FakeScoredLookup([]), query=Query({}, {})).to_dict()
    assert answer["result"] == "no_hit" and "candidates" not in answer
