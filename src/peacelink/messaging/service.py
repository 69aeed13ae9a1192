"""Messaging use cases: send, system messages, inbox, outbox, read (with receipts), threads, expiry.

Services take a session, an actor and the node's ``Channel`` (server secret + node config). The database
holds only sealed envelopes; content exists in clear only in memory, while a reader's request opens it.
Nothing here logs or audits a subject, body or attachment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peacelink.access import Actor
from peacelink.audit import service as audit
from peacelink.db.base import utcnow
from peacelink.errors import Conflict, NotFound
from peacelink.messaging.delivery import Channel, send_receipt
from peacelink.messaging.errors import MessagingError
from peacelink.messaging.keystore import DbKeyLookup, private_keys
from peacelink.messaging.models import Message, MessageRecipient, ReplayEntry
from peacelink.messaging.payload import Attachment
from peacelink.messaging.sealing import OpenedMessage, open_message
from peacelink.messaging.sending import SYSTEM_USER, send, send_batch, send_system_message

__all__ = [
    "SYSTEM_USER",
    "MessageView",
    "attachment",
    "inbox",
    "outbox",
    "prune_expired",
    "read",
    "send",
    "send_batch",
    "send_system_message",
    "thread",
]

MAX_LIST = 200


@dataclass
class MessageView:
    """A stored message with what its reader may see: opened content or the reason it cannot be opened."""

    message: Message
    folder: str
    opened: OpenedMessage | None = None
    error: str | None = None
    recipients: list[MessageRecipient] = field(default_factory=list)
    read_at: datetime | None = None


class _Opener:
    """Opens stored messages for one agency: its private keys unsealed once, sender keys cached."""

    def __init__(self, session: Session, *, agency: str, channel: Channel) -> None:
        self.agency = agency
        self.keys = private_keys(session, agency, secret_key=channel.secret_key)
        self.lookup = DbKeyLookup(session)
        self.now = utcnow()

    def view(self, message: Message, folder: str) -> MessageView:
        view = MessageView(message=message, folder=folder)
        try:
            view.opened = open_message(
                message.envelope,
                recipient_agency=self.agency,
                recipient_private_key=self.keys,
                sender_keys=self.lookup,
                now=self.now,
                seen_ids=None,  # accepted once at delivery; reading again is not a replay
            )
        except MessagingError as error:
            # e.g. KeyRevoked: signed with a key revoked before the message's date (a stolen key).
            view.error = f"{type(error).__name__}: {error}"
        return view


def inbox(
    session: Session, *, actor: Actor, channel: Channel, limit: int = 50, unread: bool = False
) -> list[MessageView]:
    """The actor's agency's inbox, newest first, opened for the reader (expired messages are gone)."""
    now = utcnow()
    stmt = (
        select(Message, MessageRecipient)
        .join(MessageRecipient, MessageRecipient.message_id == Message.id)
        .where(
            MessageRecipient.agency_code == actor.agency_code,
            MessageRecipient.local.is_(True),
            MessageRecipient.delivered_at.is_not(None),
            Message.expires_at > now,
        )
        .order_by(Message.created_at.desc(), Message.id)
        .limit(min(limit, MAX_LIST))
    )
    if unread:
        stmt = stmt.where(MessageRecipient.read_at.is_(None))
    opener = _Opener(session, agency=actor.agency_code, channel=channel)
    views = []
    for message, entry in session.execute(stmt).all():
        view = opener.view(message, "inbox")
        view.read_at = entry.read_at
        views.append(view)
    audit.record(
        session,
        actor=actor,
        action="message.list",
        object_type="message",
        query={"folder": "inbox", "unread": unread},
        result_ids=[v.message.id for v in views],
    )
    return views


def _recipients(session: Session, message_ids: list[str]) -> dict[str, list[MessageRecipient]]:
    rows = session.scalars(select(MessageRecipient).where(MessageRecipient.message_id.in_(message_ids)))
    grouped: dict[str, list[MessageRecipient]] = {}
    for row in rows:
        grouped.setdefault(row.message_id, []).append(row)
    return grouped


def outbox(session: Session, *, actor: Actor, channel: Channel, limit: int = 50) -> list[MessageView]:
    """Messages the actor's agency sent from this node, with each recipient's delivery and read receipts."""
    stmt = (
        select(Message)
        .where(
            Message.sender_agency == actor.agency_code,
            Message.origin_peer.is_(None),
            Message.expires_at > utcnow(),
        )
        .order_by(Message.created_at.desc(), Message.id)
        .limit(min(limit, MAX_LIST))
    )
    messages = list(session.scalars(stmt))
    grouped = _recipients(session, [m.id for m in messages])
    opener = _Opener(session, agency=actor.agency_code, channel=channel)
    views = []
    for message in messages:
        view = opener.view(message, "outbox")
        view.recipients = sorted(grouped.get(message.id, []), key=lambda r: r.agency_code)
        views.append(view)
    audit.record(
        session,
        actor=actor,
        action="message.list",
        object_type="message",
        query={"folder": "outbox"},
        result_ids=[v.message.id for v in views],
    )
    return views


def _locate(session: Session, *, actor: Actor, message_id: str) -> tuple[Message, MessageRecipient | None]:
    """The message if it is in the actor's agency's inbox or outbox, else NotFound (no existence leak)."""
    message = session.get(Message, message_id)
    if message is None or message.expires_at <= utcnow():
        raise NotFound("no such message")
    entry = session.scalar(
        select(MessageRecipient).where(
            MessageRecipient.message_id == message.id,
            MessageRecipient.agency_code == actor.agency_code,
            MessageRecipient.local.is_(True),
            MessageRecipient.delivered_at.is_not(None),
        )
    )
    own = message.sender_agency == actor.agency_code and message.origin_peer is None
    if entry is None and not own:
        raise NotFound("no such message")
    return message, entry


def read(
    session: Session, *, actor: Actor, channel: Channel, message_id: str, mark_read: bool = True
) -> MessageView:
    """Open one message; with ``mark_read``, the recipient agency's first read sets its read receipt."""
    message, entry = _locate(session, actor=actor, message_id=message_id)
    view = _Opener(session, agency=actor.agency_code, channel=channel).view(
        message, "inbox" if entry is not None else "outbox"
    )
    if mark_read and entry is not None and view.opened is not None and entry.read_at is None:
        entry.read_at, entry.read_by = utcnow(), actor.username
        send_receipt(
            session,
            message=message,
            agency_code=actor.agency_code,
            kind="read",
            at=entry.read_at,
            by=actor.username,
        )
    if entry is not None:
        view.read_at = entry.read_at
    if message.sender_agency == actor.agency_code:
        view.recipients = sorted(
            _recipients(session, [message.id]).get(message.id, []), key=lambda r: r.agency_code
        )
    audit.record(session, actor=actor, action="message.read", object_type="message", object_id=message.id)
    return view


def attachment(
    session: Session, *, actor: Actor, channel: Channel, message_id: str, index: int
) -> Attachment:
    """One decrypted attachment of a message the actor's agency may read."""
    message, _ = _locate(session, actor=actor, message_id=message_id)
    view = _Opener(session, agency=actor.agency_code, channel=channel).view(message, "")
    if view.opened is None:
        raise Conflict(view.error or "the message cannot be opened")
    files = view.opened.payload.attachments
    if not 0 <= index < len(files):
        raise NotFound("no such attachment")
    audit.record(
        session,
        actor=actor,
        action="message.attachment",
        object_type="message",
        object_id=message.id,
        query={"index": index},
    )
    return files[index]


def thread(session: Session, *, actor: Actor, channel: Channel, message_id: str) -> list[MessageView]:
    """The reply thread around a message, oldest first, among what the agency can read (last 500)."""
    _locate(session, actor=actor, message_id=message_id)
    candidates = {v.message.id: v for v in outbox(session, actor=actor, channel=channel, limit=MAX_LIST)}
    candidates.update({v.message.id: v for v in inbox(session, actor=actor, channel=channel, limit=MAX_LIST)})
    by_msg_id = {v.message.msg_id: v for v in candidates.values()}
    root = candidates.get(message_id)
    if root is None:
        return []
    seen = {root.message.msg_id}
    while root.opened is not None and root.opened.payload.reply_to in by_msg_id:
        parent = by_msg_id[root.opened.payload.reply_to or ""]
        if parent.message.msg_id in seen:
            break
        seen.add(parent.message.msg_id)
        root = parent
    members, frontier = {root.message.msg_id: root}, [root.message.msg_id]
    while frontier:
        current = frontier.pop()
        for view in candidates.values():
            opened = view.opened
            if (
                opened is not None
                and opened.payload.reply_to == current
                and view.message.msg_id not in members
            ):
                members[view.message.msg_id] = view
                frontier.append(view.message.msg_id)
    return sorted(members.values(), key=lambda v: (v.message.created_at, v.message.id))


def prune_expired(session: Session, *, now: datetime | None = None) -> int:
    """Delete messages (and replay-cache rows) past their signed expiry; return how many messages."""
    now = now or utcnow()
    expired = list(session.scalars(select(Message.id).where(Message.expires_at <= now)))
    if expired:
        session.execute(delete(MessageRecipient).where(MessageRecipient.message_id.in_(expired)))
        session.execute(delete(Message).where(Message.id.in_(expired)))
    session.execute(delete(ReplayEntry).where(ReplayEntry.expires_at <= now))
    if expired:
        audit.record(
            session, actor=None, action="message.prune", object_type="message", query={"count": len(expired)}
        )
    return len(expired)
