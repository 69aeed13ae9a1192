"""Agency keys on the node: private halves sealed at rest, public halves as a database-backed directory.

An agency's private keys are generated on its own node and stored only sealed: libsodium ``secretbox`` under
a key derived (BLAKE2b, personalised) from the server secret, the same scheme that protects TOTP secrets. The
agency code is sealed with the keys so a row cannot be relabelled for another agency. For moving keys between
machines, ``export_private`` / ``import_private`` use the core's passphrase file (Argon2id + secretbox).

``DbKeyLookup`` implements the core's ``SenderKeyLookup`` over the ``agency_keys`` table (indexed by key ID,
not the core directory's linear scan).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

import nacl.exceptions
import nacl.secret
from nacl.public import PrivateKey
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from peacelink.db.base import utcnow
from peacelink.errors import Conflict, Invalid, NotFound
from peacelink.messaging.directory import DirectoryEntry, KeyDirectory
from peacelink.messaging.errors import KeyFileInvalid, KeyRevoked
from peacelink.messaging.keys import AgencyKeyPair
from peacelink.messaging.models import AgencyKey, KeyDirectoryState


def _box(secret_key: bytes) -> nacl.secret.SecretBox:
    """A secretbox keyed by a hash of the server secret, with its own purpose label."""
    return nacl.secret.SecretBox(
        hashlib.blake2b(secret_key, digest_size=32, person=b"pl-agency-keys").digest()
    )


def seal_private(pair: AgencyKeyPair, secret_key: bytes) -> bytes:
    """Encrypt a key pair's secrets (and its agency code) for storage."""
    secret = bytes(pair.signing_key) + bytes(pair.encryption_key) + pair.agency_code.encode("ascii")
    return bytes(_box(secret_key).encrypt(secret))


def unseal_private(row: AgencyKey | KeyRow, secret_key: bytes) -> AgencyKeyPair:
    """Decrypt a stored key pair; KeyFileInvalid when the secret is wrong or the row was altered."""
    if row.private_sealed is None:
        raise KeyFileInvalid(f"this node holds no private key for {row.agency_code}")
    try:
        secret = _box(secret_key).decrypt(row.private_sealed)
    except nacl.exceptions.CryptoError as error:
        raise KeyFileInvalid("stored private key does not decrypt with this server's secret") from error
    if secret[64:] != row.agency_code.encode("ascii"):
        raise KeyFileInvalid("stored private key belongs to another agency")
    pair = AgencyKeyPair.from_seeds(row.agency_code, sign_seed=secret[:32], enc_secret=secret[32:64])
    if pair.sign_key_id != row.sign_key_id:
        raise KeyFileInvalid("stored private key does not match its public key")
    return pair


def entry_of(row: AgencyKey) -> DirectoryEntry:
    """The directory entry of a key row."""
    return DirectoryEntry(
        agency_code=row.agency_code,
        sign_key=bytes(row.sign_key),
        enc_key=bytes(row.enc_key),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        revoked_at=row.revoked_at,
    )


class DbKeyLookup:
    """``SenderKeyLookup`` over the agency_keys table, with a per-instance cache (one request or batch)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[tuple[str, str], DirectoryEntry | None] = {}

    def sender_key(self, agency_code: str, sign_key_id: str) -> DirectoryEntry | None:
        """The key generation with this signing key ID for this agency, whatever its dates."""
        key = (agency_code, sign_key_id)
        if key not in self._cache:
            row = self._session.scalar(
                select(AgencyKey).where(
                    AgencyKey.sign_key_id == sign_key_id, AgencyKey.agency_code == agency_code
                )
            )
            self._cache[key] = None if row is None else entry_of(row)
        return self._cache[key]


def history(session: Session, agency_code: str) -> list[AgencyKey]:
    """Every key generation of an agency, oldest first."""
    stmt = select(AgencyKey).where(AgencyKey.agency_code == agency_code).order_by(AgencyKey.valid_from)
    return list(session.scalars(stmt))


class KeyRow(NamedTuple):
    """The columns of an agency_keys row that sealing needs, loaded without the ORM (the hot path)."""

    agency_code: str
    sign_key_id: str
    enc_key: bytes
    private_sealed: bytes | None
    valid_from: datetime
    valid_until: datetime | None
    revoked_at: datetime | None

    def is_valid_at(self, moment: datetime) -> bool:
        """Inside its period and not yet revoked (the DirectoryEntry rule)."""
        if moment < self.valid_from or (self.valid_until is not None and moment >= self.valid_until):
            return False
        return self.revoked_at is None or moment < self.revoked_at


# Built once: a fixed statement object keeps SQLAlchemy's compiled-statement cache warm.
_KEYS_OF = select(
    AgencyKey.agency_code,
    AgencyKey.sign_key_id,
    AgencyKey.enc_key,
    AgencyKey.private_sealed,
    AgencyKey.valid_from,
    AgencyKey.valid_until,
    AgencyKey.revoked_at,
).where(AgencyKey.agency_code.in_(bindparam("codes", expanding=True)))


def current_rows(session: Session, codes: Iterable[str], *, at: datetime) -> dict[str, KeyRow]:
    """The key generation in force at ``at`` for each agency that has one (revoked ones left out)."""
    found: dict[str, KeyRow] = {}
    for values in session.execute(_KEYS_OF, {"codes": sorted(set(codes))}):
        row = KeyRow(*values)
        if row.is_valid_at(at):
            found[row.agency_code] = row
    return found


def active_row(session: Session, agency_code: str) -> AgencyKey | None:
    """The agency's active (not superseded, not revoked) key generation."""
    return session.scalar(
        select(AgencyKey).where(
            AgencyKey.agency_code == agency_code,
            AgencyKey.valid_until.is_(None),
            AgencyKey.revoked_at.is_(None),
        )
    )


def signing_pair(session: Session, agency_code: str, *, secret_key: bytes, at: datetime) -> AgencyKeyPair:
    """The private key pair the agency signs with now; KeyRevoked / Conflict when it has none here."""
    row = current_rows(session, [agency_code], at=at).get(agency_code)
    if row is None:
        if any(r.revoked_at is not None and r.revoked_at <= at for r in history(session, agency_code)):
            raise KeyRevoked(f"{agency_code}'s messaging key is revoked; generate a new one")
        # A state of this node, not a resource a path names: 409, never 404.
        raise Conflict(
            f"{agency_code} has no messaging key in force on this node: generate one on the node that "
            f"hosts it (POST /api/v1/messages/keys/{agency_code})"
        )
    return unseal_private(row, secret_key)


def private_keys(session: Session, agency_code: str, *, secret_key: bytes) -> list[PrivateKey]:
    """Every encryption private key of the agency held here (current and older generations, to read)."""
    return [
        unseal_private(row, secret_key).encryption_key
        for row in history(session, agency_code)
        if row.private_sealed is not None
    ]


def add_generation(
    session: Session, *, agency_code: str, secret_key: bytes, at: datetime | None = None
) -> tuple[AgencyKey, AgencyKeyPair]:
    """Generate a fresh pair for the agency, superseding its active one at ``at`` (rotation) if any."""
    at = at or utcnow()
    pair = AgencyKeyPair.generate(agency_code)
    old = active_row(session, agency_code)
    if old is not None:
        if at <= old.valid_from:
            raise Conflict("a rotation must come after the current key's start")
        old.valid_until = at
    public = pair.public()
    row = AgencyKey(
        agency_code=agency_code,
        sign_key=public.sign_key,
        enc_key=public.enc_key,
        sign_key_id=public.sign_key_id,
        enc_key_id=public.enc_key_id,
        valid_from=at,
        private_sealed=seal_private(pair, secret_key),
    )
    session.add(row)
    session.flush()
    return row, pair


def revoke_generation(session: Session, *, agency_code: str, at: datetime, key_id: str | None) -> AgencyKey:
    """Mark a key revoked from ``at`` (may be back-dated, never moved later)."""
    if key_id is None:
        target = active_row(session, agency_code)
    else:
        target = next(
            (r for r in history(session, agency_code) if key_id in (r.sign_key_id, r.enc_key_id)), None
        )
    if target is None:
        raise NotFound(f"no such messaging key for {agency_code}")
    if target.revoked_at is not None and target.revoked_at <= at:
        raise Conflict("this key was already revoked earlier")
    target.revoked_at = at
    session.flush()
    return target


def upsert_public(session: Session, entry: DirectoryEntry) -> AgencyKey:
    """Store or update a public key generation learnt from the directory or a peer (public part only)."""
    row = session.scalar(select(AgencyKey).where(AgencyKey.sign_key_id == entry.sign_key_id))
    if row is None:
        row = AgencyKey(
            agency_code=entry.agency_code,
            sign_key=entry.sign_key,
            enc_key=entry.enc_key,
            sign_key_id=entry.sign_key_id,
            enc_key_id=entry.enc_key_id,
            valid_from=entry.valid_from,
        )
        session.add(row)
    elif row.agency_code != entry.agency_code or row.enc_key_id != entry.enc_key_id:
        raise Invalid(f"key {entry.sign_key_id} is already registered differently")
    # Supersession and revocation only ever move earlier: a stale copy cannot revive a key.
    if entry.valid_until is not None and (row.valid_until is None or entry.valid_until < row.valid_until):
        row.valid_until = entry.valid_until
    if entry.revoked_at is not None and (row.revoked_at is None or entry.revoked_at < row.revoked_at):
        row.revoked_at = entry.revoked_at
    session.flush()
    return row


def directory_state(session: Session) -> KeyDirectoryState:
    """The single directory-state row (created on first use)."""
    state = session.get(KeyDirectoryState, 1)
    if state is None:
        state = KeyDirectoryState(id=1, serial=0)
        session.add(state)
        session.flush()
    return state


def load_directory(session: Session, *, serial: int | None = None) -> KeyDirectory:
    """Every key row as a core KeyDirectory (consistency checked by its constructor)."""
    rows = session.scalars(select(AgencyKey).order_by(AgencyKey.agency_code, AgencyKey.valid_from))
    number = directory_state(session).serial if serial is None else serial
    return KeyDirectory(serial=number, entries=tuple(entry_of(row) for row in rows))


def export_private(session: Session, *, agency_code: str, secret_key: bytes, passphrase: bytes) -> bytes:
    """The agency's active private keys as a passphrase-protected key file (Argon2id, core format)."""
    row = active_row(session, agency_code)
    if row is None:
        raise NotFound(f"{agency_code} has no active messaging key on this node")
    return unseal_private(row, secret_key).export_encrypted(passphrase)


def import_private(session: Session, *, data: bytes, passphrase: bytes, secret_key: bytes) -> AgencyKey:
    """Attach a passphrase key file's private keys to their public row here (moving an agency's node)."""
    pair = AgencyKeyPair.import_encrypted(data, passphrase)
    row = session.scalar(select(AgencyKey).where(AgencyKey.sign_key_id == pair.sign_key_id))
    if row is None:
        raise NotFound("the key file's public key is not in this node's directory")
    row.private_sealed = seal_private(pair, secret_key)
    return row
