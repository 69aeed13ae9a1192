"""Hit use cases: the owner's queue, the searcher's outcomes, and the owner supervisor's decision."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from peacelink.access import Actor, Role, require_role
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.db.base import utcnow
from peacelink.errors import Conflict, Forbidden, NotFound
from peacelink.hits.models import Hit, HitStatus
from peacelink.hits.schemas import HitOut
from peacelink.users.models import User


class HitView(StrEnum):
    """Which hits to list: those on the agency's records, or those its checks produced."""

    QUEUE = "queue"
    MINE = "mine"


def _visible(actor: Actor, hit: Hit) -> bool:
    """The owner sees every hit on its records; the searcher sees its own unless excluded by the owner."""
    if hit.owner_agency_id == actor.agency_id:
        return True
    return hit.searching_agency_id == actor.agency_id and not hit.excluded_agency


def list_hits(
    session: Session,
    *,
    actor: Actor,
    view: HitView = HitView.QUEUE,
    status: HitStatus | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Hit]:
    """The owner's queue (hits on our records) or our checks' outcomes, newest first."""
    if view is HitView.QUEUE:
        stmt = select(Hit).where(Hit.owner_agency_id == actor.agency_id)
    else:
        stmt = select(Hit).where(Hit.searching_agency_id == actor.agency_id, Hit.excluded_agency.is_(False))
    if status is not None:
        stmt = stmt.where(Hit.status == status.value)
    stmt = stmt.order_by(Hit.created_at.desc(), Hit.id).limit(limit).offset(offset)
    hits = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="hit.list",
        object_type="hit",
        query={
            "view": view.value,
            "status": status.value if status else None,
            "limit": limit,
            "offset": offset,
        },
        result_ids=[h.id for h in hits],
    )
    return hits


def get(session: Session, *, actor: Actor, hit_id: str) -> Hit:
    """One hit the actor's agency may see (else NotFound: no trace of hidden hits)."""
    hit = session.get(Hit, hit_id)
    if hit is None or not _visible(actor, hit):
        raise NotFound(f"no hit {hit_id}")
    return hit


def read(session: Session, *, actor: Actor, hit_id: str) -> Hit:
    """One hit, audited."""
    hit = get(session, actor=actor, hit_id=hit_id)
    audit.record(session, actor=actor, action="hit.read", object_type="hit", object_id=hit.id)
    return hit


def decide(session: Session, *, actor: Actor, hit_id: str, confirm: bool, note: str) -> Hit:
    """A supervisor of the owner agency confirms or rejects a new hit, with a note the searcher reads."""
    require_role(actor, Role.SUPERVISOR)
    hit = get(session, actor=actor, hit_id=hit_id)
    if hit.owner_agency_id != actor.agency_id:
        raise Forbidden("only the owner agency decides on a hit")
    if hit.status != HitStatus.NEW:
        raise Conflict(f"the hit is already {hit.status}", field="status")
    # Decided only if still new when written: of two supervisors deciding at once, one succeeds and the
    # other gets the 409 (a read-then-write let both succeed on PostgreSQL, the last one winning).
    decided = session.execute(
        update(Hit)
        .where(Hit.id == hit.id, Hit.status == HitStatus.NEW.value)
        .values(
            status=(HitStatus.CONFIRMED if confirm else HitStatus.REJECTED).value,
            note=note.strip(),
            decided_by=actor.user_id,
            decided_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(hit)
    if decided.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"the hit is already {hit.status}", field="status")
    audit.record(
        session,
        actor=actor,
        action="hit.confirm" if confirm else "hit.reject",
        object_type="hit",
        object_id=hit.id,
        query={"note": hit.note},
    )
    session.flush()
    return hit


def _score(hit: Hit) -> float | None:
    """The score a scored database put in the hit's summary (the pipeline adds it), else None."""
    score = hit.summary.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float):
        return None
    return float(score)


def to_out(session: Session, hit: Hit) -> HitOut:
    """The API shape of a hit."""

    def agency(agency_id: int) -> str:
        found = session.get(Agency, agency_id)
        return found.code if found else "?"

    def user(user_id: int | None) -> str | None:
        found = session.get(User, user_id) if user_id is not None else None
        return found.username if found else None

    return HitOut(
        id=hit.id,
        check_id=hit.check_id,
        database=hit.database,
        record_id=hit.record_id,
        record=hit.summary,
        query=hit.query,
        score=_score(hit),
        action=hit.action,
        owner_agency=agency(hit.owner_agency_id),
        searching_agency=agency(hit.searching_agency_id),
        searching_user=user(hit.searching_user_id) or "?",
        match=hit.match,
        confidence=hit.confidence,
        excluded_agency=hit.excluded_agency,
        status=hit.status,
        note=hit.note,
        decided_by=user(hit.decided_by),
        decided_at=hit.decided_at,
        created_at=hit.created_at,
    )
