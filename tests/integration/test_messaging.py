"""Messaging services on a real database: replay cache, revocation, removed recipients, system messages,
expiry, and the node link's in-order, exactly-once apply."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from tests.conftest import SECRET, World

from peacelink.access import Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyUpdate
from peacelink.api.state import AppState
from peacelink.db.base import utcnow
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import Invalid
from peacelink.messaging import service
from peacelink.messaging.delivery import CHANNEL_INFO_KEY, Channel, DbReplayCache, apply_message
from peacelink.messaging.errors import NotARecipient
from peacelink.messaging.keystore import DbKeyLookup, history, private_keys, revoke_generation
from peacelink.messaging.models import Message, MessageRecipient
from peacelink.messaging.schemas import MessageCreate
from peacelink.messaging.sealing import open_message
from peacelink.nodes import link
from peacelink.nodes.config import build


@pytest.fixture
def channel() -> Channel:
    return Channel(secret_key=SECRET, node=build(name="central", secret_key=SECRET))


def _send(state: AppState, channel: Channel, account: Any, **data: Any) -> Message:
    fields = {"recipients": ["NCB-CAF"], "subject": "s", "body": "b", **data}
    with unit_of_work(state.sessions) as session:
        return service.send(session, actor=account.actor, channel=channel, data=MessageCreate(**fields))


def test_replay_cache_accepts_each_id_once(world: World, state: AppState) -> None:
    expires = utcnow() + dt.timedelta(days=1)
    with unit_of_work(state.sessions) as session:
        cache = DbReplayCache(session)
        key = {"recipient_agency": "NCB-CAF", "sender_agency": "NCB-UTO", "msg_id": "m-00000001"}
        assert cache.check_and_add(**key, expires_at=expires) is True
        assert cache.check_and_add(**key, expires_at=expires) is False
        assert cache.check_and_add(**{**key, "recipient_agency": "MINUSCA"}, expires_at=expires) is True


def test_relayed_envelope_is_delivered_once(world: World, state: AppState, channel: Channel) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    message = _send(state, channel, uto)
    envelope = bytes(message.envelope)
    # The same envelope replayed over the link (as if from a peer): stored and delivered once at most.
    with unit_of_work(state.sessions) as session:
        apply_message(session, "mission", envelope, channel)
        apply_message(session, "mission", envelope, channel)
    with unit_of_work(state.sessions) as session:
        assert len(session.scalars(select(Message)).all()) == 1
        rows = session.scalars(
            select(MessageRecipient).where(MessageRecipient.agency_code == "NCB-CAF")
        ).all()
        assert len(rows) == 1


def test_message_signed_after_revocation_is_rejected(world: World, state: AppState, channel: Channel) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    before = _send(state, channel, uto, body="before the theft")
    stolen = _send(state, channel, uto, body="sent with a stolen key")
    with unit_of_work(state.sessions) as session:
        # The laptop was lost just before the second message was signed: back-dated revocation.
        revoke_generation(session, agency_code="NCB-UTO", at=stolen.created_at, key_id=None)
    with unit_of_work(state.sessions) as session:
        views = {v.message.id: v for v in service.inbox(session, actor=caf.actor, channel=channel)}
    assert views[before.id].opened is not None and views[before.id].opened.body == "before the theft"
    assert views[stolen.id].opened is None and "KeyRevoked" in (views[stolen.id].error or "")


def test_removed_recipient_cannot_read_later_messages(
    world: World, state: AppState, channel: Channel
) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    minusca = world.user("MINUSCA", Role.FIELD_OFFICER)
    early = _send(state, channel, uto, recipients=["mission:MINUSCA"], body="to the whole area")
    with unit_of_work(state.sessions) as session:
        agencies.update(session, actor=world.admin.actor, code="MINUSCA", data=AgencyUpdate(active=False))
    later = _send(state, channel, uto, recipients=["mission:MINUSCA"], body="after the contingent left")
    with unit_of_work(state.sessions) as session:
        keys = private_keys(session, "MINUSCA", secret_key=SECRET)
        lookup = DbKeyLookup(session)
        opened = open_message(
            bytes(early.envelope),
            recipient_agency="MINUSCA",
            recipient_private_key=keys,
            sender_keys=lookup,
            now=utcnow(),
            seen_ids=None,
        )
        assert opened.body == "to the whole area"
        with pytest.raises(NotARecipient):
            open_message(
                bytes(later.envelope),
                recipient_agency="MINUSCA",
                recipient_private_key=keys,
                sender_keys=lookup,
                now=utcnow(),
                seen_ids=None,
            )
        inbox = service.inbox(session, actor=minusca.actor, channel=channel)
    assert [v.message.id for v in inbox] == [early.id]
    with pytest.raises(Invalid):
        _send(state, channel, uto, recipients=["MINUSCA"])


def test_system_message_uses_the_session_channel(world: World, state: AppState, channel: Channel) -> None:
    caf = world.user("NCB-CAF", Role.SUPERVISOR)
    state.sessions.configure(info={CHANNEL_INFO_KEY: channel})
    with unit_of_work(state.sessions) as session:
        message = service.send_system_message(
            session,
            to_agencies=["NCB-CAF"],
            subject="Hit on your record",
            body="A check matched SLTD record r1.",
            links=[("hit", "h1")],
        )
    with unit_of_work(state.sessions) as session:
        (view,) = service.inbox(session, actor=caf.actor, channel=channel)
    assert view.message.id == message.id and view.message.system and view.message.sender_user == "system"
    assert view.opened is not None and view.opened.payload.links[0].record_id == "h1"
    assert view.message.sender_agency == "CENTRAL"


def test_expired_messages_disappear_and_are_pruned(world: World, state: AppState, channel: Channel) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    message = _send(state, channel, uto, expires_in_days=1)
    with unit_of_work(state.sessions) as session:
        assert len(service.inbox(session, actor=caf.actor, channel=channel)) == 1
        assert service.prune_expired(session, now=message.expires_at + dt.timedelta(seconds=1)) == 1
    with unit_of_work(state.sessions) as session:
        assert service.inbox(session, actor=caf.actor, channel=channel) == []
        assert session.scalars(select(MessageRecipient)).all() == []


def test_link_apply_is_in_order_and_exactly_once(world: World, state: AppState) -> None:
    applied: list[bytes] = []

    def handler(session: Session, peer: str, payload: bytes, context: Any) -> None:
        if payload == b"poison":
            raise Invalid("refused")
        applied.append(payload)

    handlers = {"test": handler}
    with unit_of_work(state.sessions) as session:
        # A gap (3 without 2) stops the batch; duplicates are skipped; a rejected item is skipped for good.
        assert (
            link.apply(
                session,
                peer="p",
                items=[(1, "test", b"a"), (3, "test", b"c")],
                handlers=handlers,
                context=None,
            )
            == 1
        )
        assert (
            link.apply(
                session,
                peer="p",
                items=[(1, "test", b"a"), (2, "test", b"poison"), (3, "test", b"c")],
                handlers=handlers,
                context=None,
            )
            == 3
        )
        assert (
            link.apply(session, peer="p", items=[(4, "unknown", b"?")], handlers=handlers, context=None) == 3
        )
    assert applied == [b"a", b"c"]


def test_outbox_sequence_and_acknowledgement(world: World, state: AppState) -> None:
    with unit_of_work(state.sessions) as session:
        assert [link.enqueue(session, peer="m", kind="x", payload=bytes([i])) for i in range(3)] == [1, 2, 3]
    with unit_of_work(state.sessions) as session:
        assert [i.seq for i in link.pending(session, peer="m")] == [1, 2, 3]
        link.acknowledge(session, peer="m", seq=2)
    with unit_of_work(state.sessions) as session:
        assert [i.seq for i in link.pending(session, peer="m")] == [3]
        assert link.enqueue(session, peer="m", kind="x", payload=b"4") == 4
    with unit_of_work(state.sessions) as session:
        assert history(session, "NCB-UTO") == []


def test_send_batch_writes_one_audit_event(world: World, state: AppState, channel: Channel) -> None:
    from peacelink.audit.models import AuditEvent

    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    items = [MessageCreate(recipients=["NCB-CAF"], subject=f"s{i}", body=f"b{i}") for i in range(3)]
    with unit_of_work(state.sessions) as session:
        messages = service.send_batch(session, actor=uto.actor, channel=channel, items=items)
    with unit_of_work(state.sessions) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "message.send_batch")).one()
        assert sorted(event.result_ids) == sorted(m.id for m in messages)
        bodies = {v.opened.body for v in service.inbox(session, actor=caf.actor, channel=channel) if v.opened}
    assert bodies == {"b0", "b1", "b2"}


def test_copies_are_queued_per_peer_and_relayed(world: World, state: AppState, channel: Channel) -> None:
    from peacelink.nodes.config import node_public_key

    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    _send(state, channel, uto, recipients=["NCB-CAF", "MINUSCA"])  # makes every agency's keys while all local
    peers = [
        {"name": "mission", "url": "http://m", "key": node_public_key(b"m"), "agencies": ["MINUSCA"]},
        {"name": "field2", "url": "http://f", "key": node_public_key(b"f"), "agencies": ["NCB-CAF"]},
    ]
    routed = Channel(secret_key=SECRET, node=build(name="central", secret_key=SECRET, peers=peers))
    message = _send(state, routed, uto, recipients=["NCB-CAF", "MINUSCA"])
    with unit_of_work(state.sessions) as session:
        assert [i.kind for i in link.pending(session, peer="mission")] == ["message"]
        assert [i.kind for i in link.pending(session, peer="field2")] == ["message"]
        rows = session.scalars(
            select(MessageRecipient).where(MessageRecipient.message_id == message.id)
        ).all()
        assert {(r.agency_code, r.local, r.delivered_at is None) for r in rows} == {
            ("NCB-CAF", False, True),
            ("MINUSCA", False, True),
        }
        # The field2 node reports delivery: the receipt lands on the sender's recipient row.
        from peacelink.messaging.canonical import canonical_json, format_time
        from peacelink.messaging.delivery import apply_receipt

        receipt = {
            "sender": "NCB-UTO",
            "msg_id": message.msg_id,
            "agency": "NCB-CAF",
            "kind": "read",
            "at": format_time(utcnow()),
            "by": "bo",
        }
        apply_receipt(session, "field2", canonical_json(receipt), routed)
        with pytest.raises(Invalid):  # a peer cannot report for an agency it does not host
            apply_receipt(session, "mission", canonical_json(receipt), routed)
    with unit_of_work(state.sessions) as session:
        row = session.scalars(
            select(MessageRecipient).where(
                MessageRecipient.message_id == message.id, MessageRecipient.agency_code == "NCB-CAF"
            )
        ).one()
        assert row.delivered_at is not None and row.read_at is not None and row.read_by == "bo"
    # A message from the mission node naming an NCB-CAF recipient is forwarded to field2, not back.
    other = _send(state, channel, uto, recipients=["NCB-CAF", "MINUSCA"])
    envelope = bytes(other.envelope)
    with unit_of_work(state.sessions) as session:
        session.execute(delete(Message).where(Message.id == other.id))
    with unit_of_work(state.sessions) as session:
        before = len(link.pending(session, peer="field2"))
        apply_message(session, "mission", envelope, routed)
        assert len(link.pending(session, peer="field2")) == before + 1
        assert len(link.pending(session, peer="mission")) == 1
