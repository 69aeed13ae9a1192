"""Audit use cases: append an event in the caller's transaction, list, export and verify the chain."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from peacelink.access import Actor, Role, require_role
from peacelink.audit.chain import GENESIS_HASH, canonical_event, chain_hash
from peacelink.audit.models import AuditEvent, AuditHead
from peacelink.db.base import utcnow
from peacelink.db.direct import DirectStatement
from peacelink.errors import Forbidden

SYSTEM_USERNAME = "system"
SYSTEM_AGENCY = "-"
MAX_QUERY_SUMMARY = 2000
# session.info key: (the transaction or savepoint that last moved the head, its seq, its hash). Holding the
# transaction object keeps it alive, so a later transaction can never be mistaken for it.
_HEAD_INFO_KEY = "peacelink_audit_head"


def bounded_summary(query: dict[str, Any]) -> dict[str, Any]:
    """Keep the query summary bounded; a huge payload (an image) is replaced by its size."""
    out: dict[str, Any] = {}
    for key, value in query.items():
        text = json.dumps(value, default=str)
        out[key] = value if len(text) <= MAX_QUERY_SUMMARY else {"omitted_chars": len(text)}
    return out


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str | None = None,
    query: dict[str, Any] | None = None,
    result_ids: Sequence[str] = (),
) -> int:
    """Append one event to the chain inside the caller's transaction (it commits with the change).

    Returns the event's sequence number. Written with Core statements run on the driver's cursor
    (``db/direct.py``), not ORM objects: every check writes one event, so this is on the hot path of every
    query an officer makes.
    """
    statements = _statements()
    connection = session.connection()
    transaction = session.get_nested_transaction() or session.get_transaction()
    known = session.info.get(_HEAD_INFO_KEY)
    if known is not None and known[0] is transaction:
        # This transaction (or savepoint) moved the head itself, with the head row locked since its first
        # event: nobody else can have moved it, so the SELECT is skipped (a group commit writes many
        # checks' events in one transaction). A new transaction or savepoint is another object: it reads.
        prev_seq, prev_hash = int(known[1]), str(known[2])
        head_exists = True
    else:
        rows = statements.head.execute(connection)
        head_exists = bool(rows)
        prev_seq, prev_hash = (int(rows[0][0]), str(rows[0][1])) if rows else (0, GENESIS_HASH)
    seq = prev_seq + 1
    fields: dict[str, Any] = {
        "seq": seq,
        "at": utcnow(),
        "user_id": actor.user_id if actor else None,
        "username": actor.username if actor else SYSTEM_USERNAME,
        "agency_code": actor.agency_code if actor else SYSTEM_AGENCY,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "query": bounded_summary(query or {}),
        "result_ids": [str(r) for r in result_ids],
    }
    digest = chain_hash(prev_hash, canonical_event(**fields))
    statements.insert_event.execute(connection, {**fields, "prev_hash": prev_hash, "hash": digest})
    move = statements.move_head if head_exists else statements.insert_head
    move.execute(connection, {"seq": seq, "hash": digest})
    session.info[_HEAD_INFO_KEY] = (transaction, seq, digest)
    return seq


@dataclass(frozen=True)
class _Statements:
    head: DirectStatement
    insert_event: DirectStatement
    insert_head: DirectStatement
    move_head: DirectStatement


@cache
def _statements() -> _Statements:
    """The hot-path statements, built and compiled once; they run on the driver's cursor (db/direct.py)."""
    return _Statements(
        head=DirectStatement(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
        ),
        insert_event=DirectStatement(insert(AuditEvent)),
        insert_head=DirectStatement(
            insert(AuditHead).values(id=1, seq=bindparam("seq"), hash=bindparam("hash"))
        ),
        move_head=DirectStatement(
            update(AuditHead).where(AuditHead.id == 1).values(seq=bindparam("seq"), hash=bindparam("hash"))
        ),
    )


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of a chain verification."""

    ok: bool
    events: int
    first_bad: int | None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON shape printed by ``peacelink audit verify --json``."""
        return {"ok": self.ok, "events": self.events, "first_bad": self.first_bad, "reason": self.reason}


def verify(session: Session, *, batch: int = 5000) -> VerifyResult:
    """Recompute the chain; report the first event that was altered, deleted or moved."""
    prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    last_seq = 0
    stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    for event in session.scalars(stmt):
        count += 1
        if event.seq != expected_seq:
            return VerifyResult(False, count, expected_seq, "event missing or out of order")
        if event.prev_hash != prev:
            return VerifyResult(False, count, event.seq, "previous-hash link broken")
        content = canonical_event(
            seq=event.seq,
            at=event.at,
            user_id=event.user_id,
            username=event.username,
            agency_code=event.agency_code,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            query=event.query,
            result_ids=event.result_ids,
        )
        if chain_hash(prev, content) != event.hash:
            return VerifyResult(False, count, event.seq, "event content altered")
        prev = event.hash
        last_seq = event.seq
        expected_seq += 1
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != last_seq or head_hash != prev:
        return VerifyResult(False, count, last_seq + 1, "events after the last one were deleted")
    return VerifyResult(True, count, None)


def require_auditor(actor: Actor) -> None:
    """Only the central agency's system administrators read the audit log."""
    require_role(actor, Role.SYSTEM_ADMIN)
    if not actor.is_central:
        raise Forbidden("the audit log is read only by the central agency")


def list_events(
    session: Session,
    *,
    actor: Actor,
    after_seq: int = 0,
    limit: int = 100,
    action: str | None = None,
    agency_code: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    audit_read: bool = True,
) -> list[AuditEvent]:
    """Events in sequence order, filtered; reading the log is itself audited."""
    require_auditor(actor)
    stmt = select(AuditEvent).where(AuditEvent.seq > after_seq).order_by(AuditEvent.seq).limit(limit)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if agency_code:
        stmt = stmt.where(AuditEvent.agency_code == agency_code.upper())
    if since:
        stmt = stmt.where(AuditEvent.at >= since)
    if until:
        stmt = stmt.where(AuditEvent.at < until)
    events = list(session.scalars(stmt))
    if audit_read:
        record(
            session,
            actor=actor,
            action="audit.list",
            object_type="audit",
            query={"after_seq": after_seq, "limit": limit, "action": action, "agency_code": agency_code},
            result_ids=[str(e.seq) for e in events],
        )
    return events


def event_to_dict(event: AuditEvent) -> dict[str, Any]:
    """JSON-ready form of an event (one line of the JSON Lines export)."""
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "user_id": event.user_id,
        "username": event.username,
        "agency_code": event.agency_code,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "query": event.query,
        "result_ids": event.result_ids,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def events_after(session: Session, *, after_seq: int) -> Iterator[AuditEvent]:
    """Every event after ``after_seq`` in sequence order, read in batches as the caller iterates."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.seq > after_seq)
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=5000)
    )
    return iter(session.scalars(stmt))


def export_lines(session: Session, *, actor: Actor, after_seq: int = 0) -> Iterator[str]:
    """All events after ``after_seq`` as JSON Lines; the export itself is audited first."""
    require_auditor(actor)
    record(session, actor=actor, action="audit.export", object_type="audit", query={"after_seq": after_seq})
    session.commit()
    for event in events_after(session, after_seq=after_seq):
        yield json.dumps(event_to_dict(event), ensure_ascii=False, sort_keys=True) + "\n"
