"""Sending: seal a message for its recipients plus the sender's own readable copy, store it, route it.

``send`` (one message, one audit event: the API, web and CLI path), ``send_batch`` (many messages in one
transaction with one audit event listing them all: bulk senders such as the check pipeline), and
``send_system_message`` (what other modules call; see docs/messaging.md). Nothing here logs or audits a
subject, body or attachment.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from nacl.public import PublicKey
from sqlalchemy.orm import Session

from peacelink.access import Actor
from peacelink.audit import service as audit
from peacelink.db.base import utcnow
from peacelink.errors import Conflict, Invalid
from peacelink.messaging.delivery import Channel, channel_of, store_sealed_many
from peacelink.messaging.envelope import SealedMessage
from peacelink.messaging.errors import AttachmentTooLarge, InvalidMessage, KeyRevoked
from peacelink.messaging.keys import AgencyKeyPair
from peacelink.messaging.keystore import current_rows, signing_pair, unseal_private
from peacelink.messaging.models import Message
from peacelink.messaging.publication import central_code, ensure_keys, publish
from peacelink.messaging.recipients import resolve
from peacelink.messaging.schemas import Classification, MessageCreate
from peacelink.messaging.sealing import seal

SYSTEM_USER = "system"


def _decode_attachments(data: MessageCreate) -> list[tuple[str, str, bytes]]:
    out = []
    for index, item in enumerate(data.attachments):
        try:
            content = base64.b64decode(item.data, validate=True)
        except (binascii.Error, ValueError) as error:
            raise Invalid("attachment data is not base64", field=f"attachments.{index}.data") from error
        out.append((item.name, item.content_type, content))
    return out


@dataclass(frozen=True, slots=True)
class _Keys:
    """The sender's private pair and every reader's public key, checked once for one set of readers."""

    pair: AgencyKeyPair
    public: dict[str, PublicKey]


def _keys(
    session: Session, *, channel: Channel, sender_agency: str, readers: list[str], now: datetime
) -> _Keys:
    """The keys a message needs (first keys made for local agencies on first use), or why not."""
    host = channel.node.route(sender_agency)
    if host is not None:
        # The sender's private keys never leave its own node: signing here is impossible, which is no bad
        # input and no missing resource of the path but a clash with where the agency is hosted.
        raise Conflict(
            f"{sender_agency}'s messaging keys are held on node {host!r}, not on this node "
            f"({channel.node.name!r}): send the message from node {host!r}"
        )
    keys = current_rows(session, readers, at=now)
    if len(keys) < len(readers) and ensure_keys(session, readers, channel=channel, at=now):
        publish(session, channel=channel, at=now)
        keys = current_rows(session, readers, at=now)
    if sender_agency not in keys:
        try:
            signing_pair(session, sender_agency, secret_key=channel.secret_key, at=now)
        except KeyRevoked as error:
            # A revoked sender key is the sender's conflict, not a bad recipient.
            raise Conflict(str(error)) from error
    missing = [code for code in readers if code not in keys]
    if missing:
        raise Invalid(
            f"no valid messaging key for {', '.join(missing)} (revoked or not yet published)",
            field="recipients",
        )
    if keys[sender_agency].private_sealed is None:
        # Only the public half came here (the directory): the agency signs on the node that holds its keys.
        raise Conflict(
            f"{sender_agency}'s private messaging key is not on this node ({channel.node.name!r}), only its "
            "public key: send the message from the node that holds its keys"
        )
    pair = unseal_private(keys[sender_agency], channel.secret_key)
    return _Keys(pair, {code: PublicKey(bytes(keys[code].enc_key)) for code in readers})


def _seal(
    keys: _Keys,
    *,
    sender_user: str,
    subject: str,
    body: str,
    classification: str,
    now: datetime,
    handling: str = "",
    attachments: Sequence[tuple[str, str, bytes]] = (),
    links: Sequence[tuple[str, str]] = (),
    reply_to: str | None = None,
    lifetime: timedelta = timedelta(days=30),
) -> SealedMessage:
    """Seal one message for ``keys.public`` (the addressed agencies plus the sender's own copy)."""
    try:
        return seal(
            sender_agency=keys.pair.agency_code,
            sender_user=sender_user,
            sender_signing_key=keys.pair.signing_key,
            recipients=keys.public,
            subject=subject,
            body=body,
            classification=classification,
            handling=handling,
            attachments=attachments,
            links=links,
            reply_to=reply_to,
            created_at=now,
            expires_at=now + lifetime,
        )
    except AttachmentTooLarge as error:
        raise Invalid(str(error), field="attachments") from error
    except InvalidMessage as error:
        raise Invalid(str(error)) from error


def _seal_data(keys: _Keys, data: MessageCreate, *, sender_user: str, now: datetime) -> SealedMessage:
    return _seal(
        keys,
        sender_user=sender_user,
        subject=data.subject,
        body=data.body,
        classification=data.classification.value,
        now=now,
        handling=data.handling,
        attachments=_decode_attachments(data),
        links=[(link.kind, link.id) for link in data.links],
        reply_to=data.reply_to,
        lifetime=timedelta(days=data.expires_in_days),
    )


def send(session: Session, *, actor: Actor, channel: Channel, data: MessageCreate) -> Message:
    """Seal a message from the actor's agency to the resolved recipients and deliver or queue it."""
    now = utcnow()
    addressed = resolve(session, data.recipients)
    keys = _keys(
        session, channel=channel, sender_agency=actor.agency_code, readers=_readers(addressed, actor), now=now
    )
    sealed = _seal_data(keys, data, sender_user=actor.username, now=now)
    (message,) = store_sealed_many(
        session, items=[(sealed, sealed.to_bytes(), addressed)], channel=channel, now=now
    )
    audit.record(
        session,
        actor=actor,
        action="message.send",
        object_type="message",
        object_id=message.id,
        # Routing facts only: never the subject, body or attachment names (they are secret).
        query={
            "recipients": addressed,
            "classification": data.classification.value,
            "attachments": len(data.attachments),
            "links": [f"{link.kind}:{link.id}" for link in data.links],
        },
    )
    return message


def _readers(addressed: list[str], actor: Actor) -> list[str]:
    return sorted({*addressed, actor.agency_code})


def send_batch(
    session: Session, *, actor: Actor, channel: Channel, items: Sequence[MessageCreate]
) -> list[Message]:
    """Seal and store many messages in the caller's transaction, with one audit event naming them all.

    For bulk senders (a hit-notification run, a circular to every NCB): recipients are resolved and keys
    loaded once per distinct recipient list, rows go in with one INSERT per table.
    """
    now = utcnow()
    resolved: dict[tuple[str, ...], tuple[list[str], _Keys]] = {}
    sealed_items = []
    for data in items:
        spec = tuple(data.recipients)
        if spec not in resolved:
            addressed = resolve(session, data.recipients)
            readers = _readers(addressed, actor)
            keys = _keys(session, channel=channel, sender_agency=actor.agency_code, readers=readers, now=now)
            resolved[spec] = (addressed, keys)
        addressed, keys = resolved[spec]
        sealed = _seal_data(keys, data, sender_user=actor.username, now=now)
        sealed_items.append((sealed, sealed.to_bytes(), addressed))
    messages = store_sealed_many(session, items=sealed_items, channel=channel, now=now)
    audit.record(
        session,
        actor=actor,
        action="message.send_batch",
        object_type="message",
        query={"count": len(messages), "recipients": sorted({c for a, _ in resolved.values() for c in a})},
        result_ids=[m.id for m in messages],
    )
    return messages


def send_system_message(
    session: Session,
    *,
    to_agencies: Sequence[str],
    subject: str,
    body: str,
    links: Sequence[tuple[str, str]] = (),
    classification: str = Classification.RESTRICTED.value,
    channel: Channel | None = None,
    sender_agency: str | None = None,
) -> Message:
    """Send a SYSTEM message (e.g. a hit notification) in the caller's transaction.

    Signed by ``sender_agency`` (default: the central agency, whose key must be on this node) as user
    ``system``; ``channel`` defaults to the one create_app attached to the session.
    """
    channel = channel or channel_of(session)
    sender = sender_agency or central_code(session)
    if sender is None or not channel.node.is_local(sender):
        raise Conflict("system messages need the sending agency's key on this node")
    now = utcnow()
    addressed = resolve(session, to_agencies)
    keys = _keys(
        session, channel=channel, sender_agency=sender, readers=sorted({*addressed, sender}), now=now
    )
    sealed = _seal(
        keys,
        sender_user=SYSTEM_USER,
        subject=subject,
        body=body,
        classification=classification,
        now=now,
        links=links,
    )
    (message,) = store_sealed_many(
        session, items=[(sealed, sealed.to_bytes(), addressed)], channel=channel, system=True, now=now
    )
    audit.record(
        session,
        actor=None,
        action="message.system",
        object_type="message",
        object_id=message.id,
        query={"recipients": addressed, "links": [f"{kind}:{record}" for kind, record in links]},
    )
    return message
