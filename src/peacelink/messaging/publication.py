"""Publishing public keys: the central node signs the directory; other nodes send it their agencies' keys.

- On the node that holds the central agency's key (``central``): every key change bumps the directory
  serial, signs the whole directory with the central agency's Ed25519 key and queues it to every peer.
- On another node: every key change queues the public halves of its agencies' keys to its peers ("keys").
  The central node accepts them only for agencies that peer hosts (its routing table), then republishes.
- A node configured with ``node_directory_key`` trusts only directories that verify with it and whose
  serial is newer than the last one accepted (``DirectoryRollback`` otherwise: no silent un-revocation).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import AgencyKind
from peacelink.agencies.models import Agency
from peacelink.db.base import utcnow
from peacelink.errors import Invalid
from peacelink.messaging.canonical import canonical_json, parse_json_strict
from peacelink.messaging.delivery import Channel
from peacelink.messaging.directory import DirectoryEntry, KeyDirectory
from peacelink.messaging.keystore import (
    add_generation,
    directory_state,
    history,
    load_directory,
    signing_pair,
    upsert_public,
)
from peacelink.messaging.models import AgencyKey
from peacelink.nodes import link

log = logging.getLogger("peacelink.messaging")


def central_code(session: Session) -> str | None:
    """The central agency's code, if this database knows it."""
    return session.scalar(select(Agency.code).where(Agency.kind == AgencyKind.CENTRAL.value))


def ensure_keys(session: Session, codes: list[str], *, channel: Channel, at: datetime | None = None) -> bool:
    """Generate a first key pair for local agencies that have never had one; True if any was made.

    Keys are made on the agency's own node only (never for an agency hosted elsewhere), and never again
    after a revocation: that takes an administrator's deliberate ``generate``.
    """
    local = sorted({code for code in codes if channel.node.is_local(code)})
    if not local:
        return False
    # One query for the common case (every agency already has keys), not one per recipient.
    known = set(session.scalars(select(AgencyKey.agency_code).where(AgencyKey.agency_code.in_(local))))
    for code in local:
        if code not in known:
            add_generation(session, agency_code=code, secret_key=channel.secret_key, at=at)
    return len(known) < len(local)


def publish(session: Session, *, channel: Channel, at: datetime | None = None) -> bytes | None:
    """After a key change: sign and send the directory (central node) or send our public keys (others)."""
    at = at or utcnow()
    central = central_code(session)
    if central is not None and channel.node.is_local(central) and channel.node.directory_key is None:
        if not history(session, central):
            add_generation(session, agency_code=central, secret_key=channel.secret_key, at=at)
        state = directory_state(session)
        state.serial += 1
        directory = load_directory(session, serial=state.serial)
        pair = signing_pair(session, central, secret_key=channel.secret_key, at=at)
        state.document = directory.sign(pair.signing_key, issuer=central, issued_at=at)
        state.issued_at = at
        for peer in channel.node.peers:
            link.enqueue(session, peer=peer.name, kind="directory", payload=state.document)
        return state.document
    entries = [
        DirectoryEntry(
            r.agency_code, bytes(r.sign_key), bytes(r.enc_key), r.valid_from, r.valid_until, r.revoked_at
        )
        for r in session.scalars(select(AgencyKey).where(AgencyKey.private_sealed.is_not(None)))
    ]
    payload = canonical_json({"entries": [entry.to_json() for entry in entries]})
    for peer in channel.node.peers:
        link.enqueue(session, peer=peer.name, kind="keys", payload=payload)
    return None


def apply_keys(session: Session, peer: str, payload: bytes, channel: Channel) -> None:
    """Link handler: public keys from a peer, accepted for the agencies that peer hosts, then republished."""
    if channel.node.directory_key is not None:
        return  # this node trusts only the central directory
    try:
        raw_entries = parse_json_strict(payload)["entries"]
        entries = [DirectoryEntry.from_json(item) for item in raw_entries]
    except (KeyError, TypeError, ValueError) as error:
        raise Invalid(f"malformed key publication: {error}") from error
    for entry in entries:
        if channel.node.route(entry.agency_code) != peer:
            log.warning("peer %s published a key for %s, which it does not host", peer, entry.agency_code)
            continue
        upsert_public(session, entry)
    publish(session, channel=channel)


def apply_directory(session: Session, peer: str, payload: bytes, channel: Channel) -> None:
    """Link handler: a signed directory from the central node, verified and merged if newer."""
    key = channel.node.directory_key
    if key is None:
        return
    state = directory_state(session)
    directory = KeyDirectory.verify(payload, central_key=key, min_serial=state.serial)
    if directory.serial == state.serial and state.document is not None:
        return
    for entry in directory.entries:
        upsert_public(session, entry)
    state.serial = directory.serial
    state.document = payload
    state.issued_at = utcnow()
