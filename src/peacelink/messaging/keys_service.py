"""Key use cases: generate / rotate, revoke, list, and fetch the central-signed directory."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import Actor, Role
from peacelink.agencies import service as agencies
from peacelink.audit import service as audit
from peacelink.db.base import utcnow
from peacelink.errors import Conflict, Forbidden, Invalid, NotFound
from peacelink.messaging.delivery import Channel
from peacelink.messaging.errors import KeyRevoked
from peacelink.messaging.keystore import add_generation, directory_state, entry_of, revoke_generation
from peacelink.messaging.models import AgencyKey
from peacelink.messaging.publication import publish
from peacelink.messaging.schemas import KeyOut, KeyRevoke


def check_may_manage(actor: Actor, agency: str) -> None:
    """An agency's own admin, or a system admin of the central agency, manages its keys."""
    if actor.is_central and Role.SYSTEM_ADMIN in actor.roles:
        return
    if actor.agency_code == agency and Role.AGENCY_ADMIN in actor.roles:
        return
    raise Forbidden("only the agency's admin or a central system admin manages its messaging keys")


def key_out(row: AgencyKey) -> KeyOut:
    """The public description of a key row."""
    entry = entry_of(row)
    return KeyOut(
        agency=row.agency_code,
        sign_key_id=row.sign_key_id,
        enc_key_id=row.enc_key_id,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        revoked_at=row.revoked_at,
        status=entry.status,
        private_here=row.private_sealed is not None,
    )


def generate(session: Session, *, actor: Actor, channel: Channel, agency: str) -> KeyOut:
    """Make a new key pair for an agency hosted here; an existing active key is superseded (rotation)."""
    code = agencies.get_by_code(session, code=agency).code
    check_may_manage(actor, code)
    if not channel.node.is_local(code):
        raise Conflict(f"{code}'s keys are generated on its own node ({channel.node.route(code)})")
    row, _ = add_generation(session, agency_code=code, secret_key=channel.secret_key)
    publish(session, channel=channel)
    audit.record(
        session,
        actor=actor,
        action="message.key.generate",
        object_type="agency_key",
        object_id=row.sign_key_id,
        query={"agency": code},
    )
    return key_out(row)


def revoke(session: Session, *, actor: Actor, channel: Channel, agency: str, data: KeyRevoke) -> KeyOut:
    """Revoke an agency key from ``data.at`` (default now); messages signed from then on are refused."""
    code = agency.strip().upper()
    check_may_manage(actor, code)
    at = data.at or utcnow()
    if at.tzinfo is None:
        raise Invalid("give the revocation time with its time zone", field="at")
    row = revoke_generation(session, agency_code=code, at=at, key_id=data.key_id)
    try:
        publish(session, channel=channel)
    except KeyRevoked as error:
        # The directory is signed with the central agency's current key: with that one revoked, nothing
        # could sign (and so publish) the revocation. Its successor can, once generated.
        raise Conflict(
            f"{code}'s current key signs the key directory: generate its successor first "
            f"(POST /api/v1/messages/keys/{code}), then revoke this key by its key_id",
            field="key_id",
        ) from error
    audit.record(
        session,
        actor=actor,
        action="message.key.revoke",
        object_type="agency_key",
        object_id=row.sign_key_id,
        query={"agency": code, "at": at.isoformat()},
    )
    return key_out(row)


def list_keys(session: Session, *, actor: Actor, agency: str | None = None) -> list[KeyOut]:
    """Public key generations known here (any signed-in user: they are public)."""
    stmt = select(AgencyKey).order_by(AgencyKey.agency_code, AgencyKey.valid_from)
    if agency:
        stmt = stmt.where(AgencyKey.agency_code == agency.strip().upper())
    rows = list(session.scalars(stmt))
    audit.record(
        session, actor=actor, action="message.key.list", object_type="agency_key", query={"agency": agency}
    )
    return [key_out(row) for row in rows]


def directory_document(session: Session, *, actor: Actor) -> bytes:
    """The last central-signed key directory this node made or accepted."""
    state = directory_state(session)
    if state.document is None:
        raise NotFound("no signed key directory yet (the central agency has not published one)")
    audit.record(
        session,
        actor=actor,
        action="message.directory",
        object_type="key_directory",
        object_id=str(state.serial),
    )
    return bytes(state.document)
