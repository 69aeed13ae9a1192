"""The key directory: every agency's public keys, with validity periods, signed by the central agency.

Issue 7 "Keys": public halves are published in a directory the central agency signs; keys rotate (a contingent
changes) and are revoked (a laptop is lost). Each entry is one key generation of one agency:
``valid_from`` <= t < ``valid_until`` (set when superseded by a rotation) and, if revoked, t < ``revoked_at``.
``status`` is derived from the fields (revoked > superseded > active) and checked on parse.

Signed document (bytes on the wire / disk)::

    canonical_json({"directory": BODY, "signature": b64url(Ed25519(central, DOMAIN || canonical_json(BODY)))})

with ``DOMAIN = b"peacelink.key-directory.v1\\x00"`` and BODY holding ``type``, ``version``, ``serial``,
``issued_at``, ``issuer``, ``issuer_key_id`` and ``entries`` (sorted by agency then valid_from). The canonical
form is defined in ``canonical.py``. ``serial`` only grows: ``verify(..., min_serial=...)`` refuses an older
directory, because replaying an old (validly signed) directory would silently un-revoke a key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import nacl.exceptions
from nacl.public import PublicKey
from nacl.signing import SigningKey, VerifyKey

from peacelink.messaging.canonical import (
    b64decode,
    b64encode,
    canonical_json,
    format_time,
    parse_json_strict,
    parse_time,
    require_aware,
)
from peacelink.messaging.errors import (
    DirectoryInvalid,
    DirectoryRollback,
    KeyRevoked,
    MessagingError,
    UnknownAgency,
)
from peacelink.messaging.keys import AgencyPublicKeys, check_agency_code, key_id, sign_key_id

__all__ = ["DIRECTORY_DOMAIN", "DirectoryEntry", "KeyDirectory", "KeyStatus"]

DIRECTORY_DOMAIN = b"peacelink.key-directory.v1\x00"
_TYPE = "peacelink.key-directory"
_VERSION = 1

KeyStatus = Literal["active", "superseded", "revoked"]


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One key generation of one agency, as published in the directory."""

    agency_code: str
    sign_key: bytes
    enc_key: bytes
    valid_from: datetime
    valid_until: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def sign_key_id(self) -> str:
        """Key ID of the Ed25519 verify key."""
        return key_id(self.sign_key, algorithm="ed25519")

    @property
    def enc_key_id(self) -> str:
        """Key ID of the X25519 public key."""
        return key_id(self.enc_key, algorithm="x25519")

    @property
    def status(self) -> KeyStatus:
        """Revoked beats superseded beats active (as recorded, whatever the current time)."""
        if self.revoked_at is not None:
            return "revoked"
        return "superseded" if self.valid_until is not None else "active"

    @property
    def verify_key(self) -> VerifyKey:
        """The signing public key as a PyNaCl VerifyKey."""
        return VerifyKey(self.sign_key)

    @property
    def public_key(self) -> PublicKey:
        """The encryption public key as a PyNaCl PublicKey."""
        return PublicKey(self.enc_key)

    def is_valid_at(self, moment: datetime) -> bool:
        """True when the key may be used at ``moment``: inside its period and not yet revoked."""
        if moment < self.valid_from:
            return False
        if self.valid_until is not None and moment >= self.valid_until:
            return False
        return self.revoked_at is None or moment < self.revoked_at

    def to_json(self) -> dict[str, Any]:
        """Return the directory-document form of this entry."""
        return {
            "agency": self.agency_code,
            "sign_key": b64encode(self.sign_key),
            "sign_key_id": self.sign_key_id,
            "enc_key": b64encode(self.enc_key),
            "enc_key_id": self.enc_key_id,
            "valid_from": format_time(self.valid_from),
            "valid_until": None if self.valid_until is None else format_time(self.valid_until),
            "revoked_at": None if self.revoked_at is None else format_time(self.revoked_at),
            "status": self.status,
        }

    @classmethod
    def from_json(cls, data: Any) -> DirectoryEntry:
        """Parse and cross-check one entry (IDs match keys, status matches dates)."""
        fields = {
            "agency",
            "sign_key",
            "sign_key_id",
            "enc_key",
            "enc_key_id",
            "valid_from",
            "valid_until",
            "revoked_at",
            "status",
        }
        if not isinstance(data, dict) or set(data) != fields:
            raise DirectoryInvalid("directory entry has missing or unknown fields")
        try:
            entry = cls(
                agency_code=check_agency_code(data["agency"]),
                sign_key=b64decode(data["sign_key"]),
                enc_key=b64decode(data["enc_key"]),
                valid_from=parse_time(data["valid_from"]),
                valid_until=None if data["valid_until"] is None else parse_time(data["valid_until"]),
                revoked_at=None if data["revoked_at"] is None else parse_time(data["revoked_at"]),
            )
        except (TypeError, ValueError) as error:
            raise DirectoryInvalid(f"bad directory entry: {error}") from error
        if len(entry.sign_key) != 32 or len(entry.enc_key) != 32:
            raise DirectoryInvalid("public keys are 32 bytes")
        if data["sign_key_id"] != entry.sign_key_id or data["enc_key_id"] != entry.enc_key_id:
            raise DirectoryInvalid(f"key ID does not match key for {entry.agency_code}")
        if data["status"] != entry.status:
            raise DirectoryInvalid(f"status {data['status']!r} contradicts the dates for {entry.agency_code}")
        if entry.valid_until is not None and entry.valid_until <= entry.valid_from:
            raise DirectoryInvalid("valid_until must be after valid_from")
        return entry


def _sort_key(entry: DirectoryEntry) -> tuple[str, datetime, str]:
    return (entry.agency_code, entry.valid_from, entry.sign_key_id)


@dataclass(frozen=True, slots=True)
class KeyDirectory:
    """An immutable directory version. Every change returns a new version with ``serial`` + 1."""

    serial: int = 0
    entries: tuple[DirectoryEntry, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(sorted(self.entries, key=_sort_key)))
        self._check_consistent()

    def _check_consistent(self) -> None:
        """One directory-wide invariant set: unique key IDs, at most one active entry per agency."""
        seen: set[str] = set()
        active: set[str] = set()
        for entry in self.entries:
            for identifier in (entry.sign_key_id, entry.enc_key_id):
                if identifier in seen:
                    raise DirectoryInvalid(f"key {identifier} appears twice in the directory")
                seen.add(identifier)
            if entry.status == "active":
                if entry.agency_code in active:
                    raise DirectoryInvalid(f"{entry.agency_code} has two active keys")
                active.add(entry.agency_code)

    # -- changes (each returns a new version) -------------------------------------------------------------

    def _replace(self, entries: Iterable[DirectoryEntry]) -> KeyDirectory:
        return KeyDirectory(serial=self.serial + 1, entries=tuple(entries))

    def add(self, keys: AgencyPublicKeys, *, valid_from: datetime) -> KeyDirectory:
        """Publish an agency's first key (use ``rotate`` when it already has an active key)."""
        valid_from = require_aware(valid_from, name="valid_from")
        if self._active(keys.agency_code) is not None:
            raise DirectoryInvalid(f"{keys.agency_code} already has an active key: rotate instead")
        entry = DirectoryEntry(keys.agency_code, keys.sign_key, keys.enc_key, valid_from=valid_from)
        return self._replace((*self.entries, entry))

    def rotate(self, keys: AgencyPublicKeys, *, at: datetime) -> KeyDirectory:
        """Supersede the agency's active key at ``at`` (valid_until) and publish ``keys`` from ``at``."""
        at = require_aware(at, name="at")
        old = self._active(keys.agency_code)
        if old is None:
            raise UnknownAgency(f"{keys.agency_code} has no active key to rotate")
        if at <= old.valid_from:
            raise DirectoryInvalid("rotation time must be after the old key's valid_from")
        new = DirectoryEntry(keys.agency_code, keys.sign_key, keys.enc_key, valid_from=at)
        others = [entry for entry in self.entries if entry is not old]
        return self._replace((*others, dataclasses.replace(old, valid_until=at), new))

    def revoke(self, agency_code: str, *, at: datetime, key_id: str | None = None) -> KeyDirectory:
        """Revoke one key (by sign or enc key ID) or the agency's active key, effective from ``at``.

        ``at`` may be earlier than now (the laptop was lost on Monday, reported on Wednesday): messages signed
        from ``at`` on are rejected. Revoking every key of an agency also removes it as a recipient.
        """
        at = require_aware(at, name="at")
        if key_id is None:
            target = self._active(agency_code)
        else:
            target = next(
                (
                    entry
                    for entry in self.entries
                    if entry.agency_code == agency_code and key_id in (entry.sign_key_id, entry.enc_key_id)
                ),
                None,
            )
        if target is None:
            raise UnknownAgency(f"no such key for {agency_code}")
        if target.revoked_at is not None and target.revoked_at <= at:
            raise DirectoryInvalid("key already revoked earlier")
        others = [entry for entry in self.entries if entry is not target]
        return self._replace((*others, dataclasses.replace(target, revoked_at=at)))

    # -- lookups ---------------------------------------------------------------------------------------------

    def _active(self, agency_code: str) -> DirectoryEntry | None:
        return next((e for e in self.entries if e.agency_code == agency_code and e.status == "active"), None)

    def history(self, agency_code: str) -> list[DirectoryEntry]:
        """Every key generation of an agency, oldest first."""
        return [entry for entry in self.entries if entry.agency_code == agency_code]

    def agencies(self) -> list[str]:
        """Agency codes that appear in the directory."""
        return sorted({entry.agency_code for entry in self.entries})

    def current(self, agency_code: str, *, at: datetime) -> DirectoryEntry:
        """The agency's key generation in force at ``at``; KeyRevoked if it was revoked by then."""
        at = require_aware(at, name="at")
        revoked: DirectoryEntry | None = None
        for entry in self.history(agency_code):
            if entry.is_valid_at(at):
                return entry
            in_period = entry.valid_from <= at and (entry.valid_until is None or at < entry.valid_until)
            if in_period and entry.revoked_at is not None:
                revoked = entry
        if revoked is not None:
            raise KeyRevoked(f"{agency_code}'s key {revoked.sign_key_id} was revoked at {revoked.revoked_at}")
        raise UnknownAgency(f"no key for {agency_code} at {format_time(at)}")

    def recipient_keys(self, agency_codes: Iterable[str], *, at: datetime) -> dict[str, PublicKey]:
        """Current encryption keys of the given agencies, ready for ``seal(recipients=...)``."""
        return {code: self.current(code, at=at).public_key for code in agency_codes}

    def sender_key(self, agency_code: str, sign_key_id: str) -> DirectoryEntry | None:
        """The entry holding this signing key for this agency, whatever its dates (``SenderKeyLookup``)."""
        return next(
            (e for e in self.entries if e.agency_code == agency_code and e.sign_key_id == sign_key_id), None
        )

    def find_key(self, identifier: str) -> DirectoryEntry | None:
        """The entry holding a signing or encryption key with this ID, if any."""
        return next((e for e in self.entries if identifier in (e.sign_key_id, e.enc_key_id)), None)

    # -- signed document -------------------------------------------------------------------------------------

    def body(self, *, issuer: str, issuer_key_id: str, issued_at: datetime) -> dict[str, Any]:
        """The JSON body that the central agency signs."""
        return {
            "type": _TYPE,
            "version": _VERSION,
            "serial": self.serial,
            "issuer": check_agency_code(issuer),
            "issuer_key_id": issuer_key_id,
            "issued_at": format_time(require_aware(issued_at, name="issued_at")),
            "entries": [entry.to_json() for entry in self.entries],
        }

    def sign(self, signing_key: SigningKey, *, issuer: str, issued_at: datetime) -> bytes:
        """Return the canonical signed directory document, signed by the central agency's key."""
        issuer_key_id = sign_key_id(signing_key.verify_key)
        body = self.body(issuer=issuer, issuer_key_id=issuer_key_id, issued_at=issued_at)
        signature = signing_key.sign(DIRECTORY_DOMAIN + canonical_json(body)).signature
        return canonical_json({"directory": body, "signature": b64encode(signature)})

    @classmethod
    def verify(cls, document: bytes, *, central_key: VerifyKey, min_serial: int = 0) -> KeyDirectory:
        """Check the central signature and consistency of a signed document and return the directory.

        ``central_key`` is the trust anchor, configured on every node out of band. ``min_serial`` is the
        serial of the directory already accepted: an older one is refused with DirectoryRollback.
        """
        try:
            outer = parse_json_strict(document)
            if not isinstance(outer, dict) or set(outer) != {"directory", "signature"}:
                raise DirectoryInvalid("not a signed key directory")
            body, signature = outer["directory"], b64decode(outer["signature"])
        except ValueError as error:
            raise DirectoryInvalid(f"malformed directory document: {error}") from error
        try:
            central_key.verify(DIRECTORY_DOMAIN + canonical_json(body), signature)
        except (nacl.exceptions.BadSignatureError, ValueError, TypeError) as error:
            raise DirectoryInvalid("central signature does not verify") from error
        directory = cls._from_body(body)
        if body.get("issuer_key_id") != sign_key_id(central_key):
            raise DirectoryInvalid("issuer_key_id does not name the central key")
        if directory.serial < min_serial:
            raise DirectoryRollback(f"directory serial {directory.serial} is older than {min_serial}")
        return directory

    @classmethod
    def _from_body(cls, body: Any) -> KeyDirectory:
        fields = {"type", "version", "serial", "issuer", "issuer_key_id", "issued_at", "entries"}
        if not isinstance(body, dict) or set(body) != fields:
            raise DirectoryInvalid("directory body has missing or unknown fields")
        if body["type"] != _TYPE or body["version"] != _VERSION:
            raise DirectoryInvalid("not a version 1 PeaceLink key directory")
        serial, entries = body["serial"], body["entries"]
        if not isinstance(serial, int) or isinstance(serial, bool) or serial < 0:
            raise DirectoryInvalid("serial must be a non-negative integer")
        if not isinstance(entries, list):
            raise DirectoryInvalid("entries must be a list")
        try:
            return cls(serial=serial, entries=tuple(DirectoryEntry.from_json(item) for item in entries))
        except DirectoryInvalid:
            raise
        except MessagingError as error:
            raise DirectoryInvalid(str(error)) from error
