"""The link's two ends in the database: a per-peer outbox with sequence numbers, and an idempotent apply.

Exactly once, in order, across restarts (issue 7, "Store-and-forward"): the sender numbers items per peer
(1, 2, 3...) in the same transaction as the change that produced them; the receiver applies item ``n`` only
when its ``last_applied`` for that peer is ``n - 1`` and moves ``last_applied`` to ``n`` in the same
transaction as the item's effect. A resent item is skipped, a gap stops the batch, and the reply tells the
sender what to drop from its outbox. Either side may crash at any point: the database says where it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peacelink.db.base import utcnow
from peacelink.errors import PeacelinkError
from peacelink.messaging.errors import MessagingError
from peacelink.nodes.models import LinkItem, LinkState

log = logging.getLogger("peacelink.nodes")

# handler(session, peer name, payload bytes, context) applies one item; it raises PeacelinkError or
# MessagingError to reject an item for good (logged, then skipped), anything else to retry the batch later.
Handler = Callable[[Session, str, bytes, Any], None]


def link_state(session: Session, peer: str, *, lock: bool = True) -> LinkState:
    """The link-state row of ``peer`` (created on first use), locked for the transaction."""
    stmt = select(LinkState).where(LinkState.peer == peer)
    state = session.scalar(stmt.with_for_update() if lock else stmt)
    if state is None:
        state = LinkState(peer=peer, last_queued=0, last_acked=0, last_applied=0)
        session.add(state)
        session.flush()
    return state


def enqueue(session: Session, *, peer: str, kind: str, payload: bytes) -> int:
    """Queue one item for ``peer`` in the caller's transaction; return its sequence number."""
    state = link_state(session, peer)
    state.last_queued += 1
    session.add(LinkItem(peer=peer, seq=state.last_queued, kind=kind, payload=payload))
    session.flush()
    return state.last_queued


def pending(session: Session, *, peer: str, limit: int = 200, max_bytes: int = 8 << 20) -> list[LinkItem]:
    """The next unacknowledged items for ``peer``, oldest first, at most ``max_bytes`` (at least one)."""
    state = link_state(session, peer, lock=False)
    stmt = (
        select(LinkItem)
        .where(LinkItem.peer == peer, LinkItem.seq > state.last_acked)
        .order_by(LinkItem.seq)
        .limit(limit)
    )
    items: list[LinkItem] = []
    total = 0
    for item in session.scalars(stmt):
        total += len(item.payload)
        if items and total > max_bytes:
            break
        items.append(item)
    return items


def acknowledge(session: Session, *, peer: str, seq: int) -> None:
    """The peer has applied everything up to ``seq``: forget those items."""
    state = link_state(session, peer)
    if seq > state.last_queued:
        # The peer claims more than we ever sent: its state belongs to another life of this node.
        raise PeacelinkError(f"peer {peer} acknowledged seq {seq} beyond {state.last_queued}")
    if seq > state.last_acked:
        state.last_acked = seq
    state.last_contact_at = utcnow()
    state.last_error = None
    session.execute(delete(LinkItem).where(LinkItem.peer == peer, LinkItem.seq <= seq))


def record_failure(session: Session, *, peer: str, error: str) -> None:
    """Remember why the last push to ``peer`` failed (for ``peacelink node status``)."""
    link_state(session, peer).last_error = error[:500]


def apply(
    session: Session,
    *,
    peer: str,
    items: Sequence[tuple[int, str, bytes]],
    handlers: Mapping[str, Handler],
    context: Any,
) -> int:
    """Apply ``(seq, kind, payload)`` items from ``peer`` in order, each once; return the last applied seq."""
    state = link_state(session, peer)
    state.last_contact_at = utcnow()
    for seq, kind, payload in sorted(items, key=lambda item: item[0]):
        if seq <= state.last_applied:
            continue  # a resend after a lost reply: already applied
        if seq != state.last_applied + 1:
            break  # a gap: wait for the missing item rather than apply out of order
        handler = handlers.get(kind)
        if handler is None:
            # A newer peer speaks a kind unknown here: stop, lose nothing, retry after an upgrade.
            log.warning("peer %s sent unknown link item kind %r at seq %d", peer, kind, seq)
            break
        savepoint = session.begin_nested()
        try:
            handler(session, peer, payload, context)
            savepoint.commit()
        except (PeacelinkError, MessagingError) as error:
            savepoint.rollback()
            log.warning("rejected %s item %d from %s: %s", kind, seq, peer, error)
        state.last_applied = seq
    session.flush()
    return state.last_applied
