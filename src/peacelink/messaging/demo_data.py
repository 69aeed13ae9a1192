"""Demo content for the secure channel: every demo agency's keys and a short message thread."""

from __future__ import annotations

from sqlalchemy.orm import Session

from peacelink.messaging import sending
from peacelink.messaging.delivery import Channel
from peacelink.messaging.publication import ensure_keys, publish
from peacelink.messaging.schemas import Classification, MessageCreate
from peacelink.nodes.config import build
from peacelink.users import service as users


def seed_messages(session: Session, *, secret_key: bytes, agencies: list[str]) -> int:
    """Generate the agencies' keys (published in a signed directory) and send a few demo messages."""
    channel = Channel(secret_key=secret_key, node=build(name="demo", secret_key=secret_key))
    ensure_keys(session, agencies, channel=channel)
    publish(session, channel=channel)
    investigator = users.actor_for_username(session, username="investigator")
    supervisor = users.actor_for_username(session, username="supervisor")
    first = sending.send(
        session,
        actor=investigator,
        channel=channel,
        data=MessageCreate(
            recipients=["NCB-CAF", "mission:MINUSCA"],
            subject="Stolen passport UTO-P4400121 may be used to cross into CAF",
            body="Our SLTD record was updated today. Please alert the checkpoints and report any sighting.",
            classification=Classification.RESTRICTED,
            handling="Police use only; do not pass to third parties.",
        ),
    )
    sending.send(
        session,
        actor=supervisor,
        channel=channel,
        data=MessageCreate(
            recipients=["NCB-UTO"],
            subject="Re: Stolen passport UTO-P4400121",
            body="Received. The Bangui border posts have been alerted.",
            reply_to=first.msg_id,
        ),
    )
    sending.send_system_message(
        session,
        to_agencies=["MINUSCA"],
        subject="Welcome to the PeaceLink secure channel",
        body="Messages here are signed by the sending agency and encrypted for the recipients only.",
        channel=channel,
    )
    return 3
