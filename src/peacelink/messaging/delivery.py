"""Delivery: store a sealed message, fill local inboxes, queue copies for peer nodes, carry receipts back.

A relay never decrypts: a message arriving over the node link is checked with ``verify_envelope`` (signature,
key validity, freshness with a store-and-forward transit bound, expiry) and by the database replay cache,
then stored as the same opaque envelope. Only a reader's request opens it (service.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from peacelink.audit import service as audit
from peacelink.db.base import new_id, utcnow
from peacelink.db.dialect import insert_ignoring_duplicates
from peacelink.errors import Conflict, Invalid
from peacelink.messaging.canonical import canonical_json, format_time, parse_json_strict, parse_time
from peacelink.messaging.envelope import SealedMessage
from peacelink.messaging.keystore import DbKeyLookup
from peacelink.messaging.models import Message, MessageRecipient, ReplayEntry
from peacelink.messaging.sealing import verify_envelope
from peacelink.nodes import link
from peacelink.nodes.config import NodeConfig

log = logging.getLogger("peacelink.messaging")

# How old a message may be when it reaches this node over the link: the longest offline period we accept.
# It bounds how far a thief of a revoked key can back-date (docs/messaging-crypto.md, "Back-dating").
LINK_MAX_TRANSIT = timedelta(days=2)
CHANNEL_INFO_KEY = "peacelink.channel"


@dataclass(frozen=True, slots=True)
class Channel:
    """What messaging needs from the running node: the server secret (sealed private keys) and the node."""

    secret_key: bytes
    node: NodeConfig


def channel_of(session: Session) -> Channel:
    """The Channel create_app attached to every session it makes (for callers without one at hand)."""
    channel = session.info.get(CHANNEL_INFO_KEY)
    if not isinstance(channel, Channel):
        # Sessions made outside create_app (CLI, scripts) carry no channel: the caller must pass one.
        raise Conflict("no messaging channel on this session: pass channel= explicitly")
    return channel


class DbReplayCache:
    """The core's ReplayCache protocol over the ``message_replay`` table (unique key, INSERT-or-ignore)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def check_and_add(
        self, *, recipient_agency: str, sender_agency: str, msg_id: str, expires_at: datetime
    ) -> bool:
        """Record (recipient, sender, msg_id); False if it was already there (atomic in the database)."""
        dialect = self._session.get_bind().dialect.name
        statement = insert_ignoring_duplicates(ReplayEntry.__table__, dialect).values(
            recipient_agency=recipient_agency,
            sender_agency=sender_agency,
            msg_id=msg_id,
            expires_at=expires_at,
        )
        # RETURNING yields a row only when the INSERT happened (psycopg reports rowcount -1 here).
        result: Any = self._session.execute(statement.returning(ReplayEntry.__table__.c.msg_id))
        return result.first() is not None


def store_sealed_many(
    session: Session,
    *,
    items: Sequence[tuple[SealedMessage, bytes, list[str]]],
    channel: Channel,
    system: bool = False,
    now: datetime | None = None,
) -> list[Message]:
    """Store messages sealed here: fill local inboxes, queue one copy per peer hosting recipients.

    One INSERT per table for the whole batch (a single message is a batch of one).
    """
    now = now or utcnow()
    messages: list[dict[str, Any]] = []
    recipients: list[dict[str, Any]] = []
    queued: list[tuple[str, bytes]] = []
    for sealed, envelope, addressed in items:
        header = sealed.header
        values = {
            "id": new_id(),
            "msg_id": header.msg_id,
            "sender_agency": header.sender_agency,
            "sender_user": header.sender_user,
            "classification": header.classification,
            "created_at": header.created_at,
            "expires_at": header.expires_at,
            "received_at": now,
            "origin_peer": None,
            "system": system,
            "size": len(envelope),
            "envelope": envelope,
        }
        messages.append(values)
        peers: set[str] = set()
        for code in sorted(set(addressed)):
            route = channel.node.route(code)
            recipients.append(
                {
                    "message_id": values["id"],
                    "agency_code": code,
                    "local": route is None,
                    "delivered_at": now if route is None else None,
                    "read_at": None,
                    "read_by": None,
                }
            )
            if route is not None:
                peers.add(route)
        queued += [(peer, envelope) for peer in sorted(peers)]
    # Core executemany inserts: the ORM unit of work cost more than the sealing itself on this hot path
    # (benchmarks/messaging_store.py).
    session.execute(insert(cast(Table, Message.__table__)), messages)
    if recipients:
        session.execute(insert(cast(Table, MessageRecipient.__table__)), recipients)
    for peer, envelope in queued:
        link.enqueue(session, peer=peer, kind="message", payload=envelope)
    return [Message(**values) for values in messages]


def apply_message(session: Session, peer: str, payload: bytes, channel: Channel) -> None:
    """Link handler: accept a message from ``peer``, deliver to local recipients, forward the rest."""
    now = utcnow()
    sealed = SealedMessage.from_bytes(payload)
    header = verify_envelope(
        sealed, sender_keys=DbKeyLookup(session), now=now, received_at=now, max_transit=LINK_MAX_TRANSIT
    )
    existing = session.scalar(
        select(Message).where(Message.sender_agency == header.sender_agency, Message.msg_id == header.msg_id)
    )
    if existing is not None:
        log.info("message %s/%s arrived twice; kept once", header.sender_agency, header.msg_id)
        return
    message = Message(
        msg_id=header.msg_id,
        sender_agency=header.sender_agency,
        sender_user=header.sender_user,
        classification=header.classification,
        created_at=header.created_at,
        expires_at=header.expires_at,
        received_at=now,
        origin_peer=peer,
        system=False,
        size=len(payload),
        envelope=payload,
    )
    session.add(message)
    session.flush()
    replay = DbReplayCache(session)
    forward: set[str] = set()
    for code in header.recipient_agencies:
        route = channel.node.route(code)
        if route is None:
            if code == header.sender_agency:
                continue  # the sender's own readable copy; its inbox is on the sending side
            if not replay.check_and_add(
                recipient_agency=code,
                sender_agency=header.sender_agency,
                msg_id=header.msg_id,
                expires_at=header.expires_at,
            ):
                continue
            session.add(
                MessageRecipient(message_id=message.id, agency_code=code, local=True, delivered_at=now)
            )
            send_receipt(session, message=message, agency_code=code, kind="delivered", at=now, by=None)
        elif route != peer:
            session.add(MessageRecipient(message_id=message.id, agency_code=code, local=False))
            forward.add(route)
    for target in sorted(forward):
        link.enqueue(session, peer=target, kind="message", payload=payload)
    audit.record(
        session,
        actor=None,
        action="message.receive",
        object_type="message",
        object_id=message.id,
        query={
            "from_node": peer,
            "sender": header.sender_agency,
            "recipients": list(header.recipient_agencies),
        },
    )


def send_receipt(
    session: Session, *, message: Message, agency_code: str, kind: str, at: datetime, by: str | None
) -> None:
    """Queue a delivery or read receipt back towards the node the message came from (if any)."""
    if message.origin_peer is None:
        return
    body = {
        "sender": message.sender_agency,
        "msg_id": message.msg_id,
        "agency": agency_code,
        "kind": kind,
        "at": format_time(at),
        "by": by,
    }
    link.enqueue(session, peer=message.origin_peer, kind="receipt", payload=canonical_json(body))


def apply_receipt(session: Session, peer: str, payload: bytes, channel: Channel) -> None:
    """Link handler: a peer reports that one of its agencies received or read a message."""
    try:
        data = parse_json_strict(payload)
        kind, at, agency = data["kind"], parse_time(data["at"]), str(data["agency"])
        sender, msg_id, by = str(data["sender"]), str(data["msg_id"]), data.get("by")
    except (KeyError, TypeError, ValueError) as error:
        raise Invalid(f"malformed receipt: {error}") from error
    if kind not in {"delivered", "read"}:
        raise Invalid(f"unknown receipt kind {kind!r}")
    # Only the node that hosts the agency may report for it.
    if channel.node.route(agency) != peer:
        raise Invalid(f"peer {peer} does not host {agency}")
    message = session.scalar(select(Message).where(Message.sender_agency == sender, Message.msg_id == msg_id))
    if message is None:
        return  # expired and pruned meanwhile
    row = session.scalar(
        select(MessageRecipient).where(
            MessageRecipient.message_id == message.id, MessageRecipient.agency_code == agency
        )
    )
    if row is None:
        return
    if row.delivered_at is None:
        row.delivered_at = at
    if kind == "read" and row.read_at is None:
        row.read_at, row.read_by = at, None if by is None else str(by)[:128]
    # A relayed message: pass the receipt on towards its origin.
    send_receipt(session, message=message, agency_code=agency, kind=kind, at=at, by=by)
