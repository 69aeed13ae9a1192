"""Owner changes every record database shares: find the owned record, check that it may still change (not
cancelled, version current), apply the envelope fields (visibility, review date), cancel.

The owner owns the record (ARCHITECTURE, rules of the domain): nobody else, the central agency included,
changes it. An agency that may not see a record gets NotFound, never a trace that it exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import can_see
from peacelink.access.actor import Actor
from peacelink.access.visibility import RecordStatus, Visibility, encode_agencies
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.errors import Conflict, Forbidden, Invalid, NotFound
from peacelink.records.envelope import RecordEnvelope, review_due_from

# Persons and travel documents: 5 years unless the owner sets another date.
REVIEW_YEARS = 5

R = TypeVar("R", bound=RecordEnvelope)


def visibility_codes(session: Session, codes: list[str]) -> str:
    """Check that every listed agency exists and encode the list."""
    cleaned = sorted({c.strip().upper() for c in codes if c.strip()})
    if cleaned:
        known = set(session.scalars(select(Agency.code).where(Agency.code.in_(cleaned))))
        unknown = [c for c in cleaned if c not in known]
        if unknown:
            raise Invalid(f"unknown agencies: {', '.join(unknown)}", field="visibility_agencies")
    return encode_agencies(cleaned)


def future_review(value: dt.date | None, *, today: dt.date) -> dt.date:
    """The review date: as given (must be in the future) or the default 5 years from today."""
    if value is None:
        return review_due_from(today, REVIEW_YEARS)
    if value <= today:
        raise Invalid("review_due must be in the future", field="review_due")
    return value


def visible(session: Session, table: type[R], *, actor: Actor, record_id: str, noun: str) -> R:
    """The record if the actor's agency may see it, else NotFound ("no {noun} {id}")."""
    record = session.get(table, record_id)
    if record is None or not can_see(actor, record):
        raise NotFound(f"no {noun} {record_id}")
    return record


def owned(session: Session, table: type[R], *, actor: Actor, record_id: str, noun: str) -> R:
    """A record the actor's agency owns; NotFound if it may not see it, Forbidden if it only sees it."""
    record = visible(session, table, actor=actor, record_id=record_id, noun=noun)
    if record.owner_agency_id != actor.agency_id:
        raise Forbidden(f"only the owner agency changes this {noun}")
    return record


def check_version(record: RecordEnvelope, version: int, *, noun: str) -> None:
    """Refuse a change made from a stale read (optimistic concurrency): a Conflict on ``version``."""
    if record.version != version:
        raise Conflict(
            f"the {noun} is at version {record.version}, not {version}; reload it", field="version"
        )


def apply_envelope_changes(
    session: Session, record: RecordEnvelope, changes: dict[str, Any], *, today: dt.date
) -> None:
    """Apply (and pop from ``changes``) visibility and review date; refuse a ``reported_at`` in the future."""
    if "visibility" in changes:
        record.visibility = Visibility(changes.pop("visibility")).value
    if "visibility_agencies" in changes:
        record.visibility_agencies = visibility_codes(session, changes.pop("visibility_agencies") or [])
    if "review_due" in changes:
        record.review_due = future_review(changes.pop("review_due"), today=today)
    if changes.get("reported_at") and changes["reported_at"] > today:
        raise Invalid("reported_at is in the future", field="reported_at")


def check_changeable(record: RecordEnvelope, version: int, *, noun: str) -> None:
    """Refuse a change to a cancelled record, then a change made from a stale read (both Conflicts).

    Cancelling is final: a withdrawn record stays for the audit trail and the owner's own list, frozen as it
    was withdrawn (as persons.service does). The cancelled state is tested first so a client retrying with an
    old version learns why, not just that its version is stale.
    """
    if record.status == RecordStatus.CANCELLED.value:
        raise Conflict(f"{noun} {record.id} is cancelled; a cancelled record can no longer be changed")
    check_version(record, version, noun=noun)


def check_cancellable(record: RecordEnvelope, version: int, *, noun: str) -> None:
    """Refuse to cancel a record twice (so the version moves once, on the real change), then a stale read."""
    if record.status == RecordStatus.CANCELLED.value:
        raise Conflict(f"{noun} {record.id} is already cancelled")
    check_version(record, version, noun=noun)


def cancel(session: Session, record: RecordEnvelope, *, actor: Actor, version: int, noun: str) -> None:
    """Withdraw an owned record at ``version``; it stops being served at once. Audited as {noun}.cancel.

    Cancelling a cancelled record is a Conflict, checked before the version.
    """
    check_cancellable(record, version, noun=noun)
    record.status = RecordStatus.CANCELLED.value
    record.updated_by = actor.user_id
    audit.record(session, actor=actor, action=f"{noun}.cancel", object_type=noun, object_id=record.id)
    session.flush()


def read(session: Session, table: type[R], *, actor: Actor, record_id: str, noun: str) -> R:
    """One record the actor's agency may see, audited as ``{noun}.read``."""
    record = visible(session, table, actor=actor, record_id=record_id, noun=noun)
    audit.record(session, actor=actor, action=f"{noun}.read", object_type=noun, object_id=record.id)
    return record
