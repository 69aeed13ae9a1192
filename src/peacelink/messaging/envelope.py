"""Wire format of a sealed message: the signed cleartext header and the binary / JSON envelopes.

The header is canonical JSON (canonical.py) and is what the sender signs and what the AEAD takes as associated
data. It is readable by every relay, so it holds only what routing, policy and replay/expiry checks need:
msg_id, sender agency + user + signing key ID, recipient agency codes + encryption key IDs, created_at,
expires_at, classification, and the BLAKE2b-256 content hash of the (salted) payload. Subject, body, handling,
links, reply_to and attachments are inside the ciphertext (payload.py).

Binary envelope (big-endian; for storage and the node link)::

    b"PLM1" | u32 len(header) | header | signature (64) | nonce (24)
           | u16 n | n x (key ID (16 raw bytes) | wrapped key (80)) | u64 len(ciphertext) | ciphertext

The JSON envelope carries the same fields: the header as its exact UTF-8 text, the rest base64url.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from peacelink.messaging.canonical import (
    b64decode,
    b64encode,
    canonical_json,
    format_time,
    parse_json_strict,
    parse_time,
)
from peacelink.messaging.errors import InvalidMessage, MalformedMessage
from peacelink.messaging.keys import check_agency_code

__all__ = [
    "SUITE",
    "MessageHeader",
    "RecipientRef",
    "SealedMessage",
    "check_classification",
    "check_msg_id",
    "check_user",
]

SUITE = "ed25519/xchacha20poly1305-ietf/x25519-sealedbox/blake2b-256"
SIGNATURE_BYTES = 64
NONCE_BYTES = 24
WRAPPED_KEY_BYTES = 80  # crypto_box_SEALBYTES (48) + 32-byte content key
_HEADER_TYPE = "peacelink.message"
_HEADER_VERSION = 1
_MAGIC = b"PLM1"
_U16, _U32, _U64 = struct.Struct(">H"), struct.Struct(">I"), struct.Struct(">Q")
_MSG_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_KEY_ID = re.compile(r"^[0-9a-f]{32}$")
_CLASSIFICATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _./-]{0,63}$")


def check_msg_id(value: str) -> str:
    """Return a valid message id (8-64 of A-Z a-z 0-9 _ -) or raise InvalidMessage."""
    if not isinstance(value, str) or not _MSG_ID.match(value):
        raise InvalidMessage(f"invalid msg_id {value!r}")
    return value


def check_user(value: str) -> str:
    """Return a valid sender user name (1-128 printable characters) or raise InvalidMessage."""
    if not isinstance(value, str) or not 0 < len(value) <= 128 or not value.isprintable():
        raise InvalidMessage(f"invalid sender user {value!r}")
    return value


def check_classification(value: str) -> str:
    """Return a valid classification label or raise InvalidMessage (the label set is policy, not crypto)."""
    if not isinstance(value, str) or not _CLASSIFICATION.match(value):
        raise InvalidMessage(f"invalid classification {value!r}")
    return value


class RecipientRef(NamedTuple):
    """A named recipient: agency code and the ID of the X25519 key the content key was wrapped to."""

    agency_code: str
    enc_key_id: str


@dataclass(frozen=True, slots=True)
class MessageHeader:
    """The signed, cleartext header of a message."""

    msg_id: str
    sender_agency: str
    sender_user: str
    sender_key_id: str
    recipients: tuple[RecipientRef, ...]
    created_at: datetime
    expires_at: datetime
    classification: str
    content_hash: bytes

    @property
    def recipient_agencies(self) -> tuple[str, ...]:
        """Recipient agency codes in header order (sorted)."""
        return tuple(ref.agency_code for ref in self.recipients)

    def to_bytes(self) -> bytes:
        """Canonical JSON bytes: exactly what is signed and used as AEAD associated data."""
        return canonical_json(
            {
                "type": _HEADER_TYPE,
                "version": _HEADER_VERSION,
                "suite": SUITE,
                "msg_id": self.msg_id,
                "sender": {
                    "agency": self.sender_agency,
                    "user": self.sender_user,
                    "key_id": self.sender_key_id,
                },
                "recipients": [{"agency": r.agency_code, "key_id": r.enc_key_id} for r in self.recipients],
                "created_at": format_time(self.created_at),
                "expires_at": format_time(self.expires_at),
                "classification": self.classification,
                "content_hash": b64encode(self.content_hash),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> MessageHeader:
        """Parse header bytes strictly; MalformedMessage unless they are exactly canonical and valid."""
        try:
            raw = parse_json_strict(data)
            fields = {"type", "version", "suite", "msg_id", "sender", "recipients"}
            fields |= {"created_at", "expires_at", "classification", "content_hash"}
            if not isinstance(raw, dict) or set(raw) != fields:
                raise ValueError("missing or unknown header fields")
            if raw["type"] != _HEADER_TYPE or raw["version"] != _HEADER_VERSION or raw["suite"] != SUITE:
                raise ValueError("unsupported header type, version or suite")
            sender = raw["sender"]
            if set(sender) != {"agency", "user", "key_id"}:
                raise ValueError("bad sender")
            recipients = []
            for item in raw["recipients"]:
                if set(item) != {"agency", "key_id"} or not _KEY_ID.match(item["key_id"]):
                    raise ValueError("bad recipient")
                recipients.append(RecipientRef(check_agency_code(item["agency"]), item["key_id"]))
            if not _KEY_ID.match(sender["key_id"]):
                raise ValueError("bad sender key id")
            header = cls(
                msg_id=check_msg_id(raw["msg_id"]),
                sender_agency=check_agency_code(sender["agency"]),
                sender_user=check_user(sender["user"]),
                sender_key_id=sender["key_id"],
                recipients=tuple(recipients),
                created_at=parse_time(raw["created_at"]),
                expires_at=parse_time(raw["expires_at"]),
                classification=check_classification(raw["classification"]),
                content_hash=b64decode(raw["content_hash"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise MalformedMessage(f"malformed header: {error}") from error
        header.check()
        # One header, one byte string: refuse non-canonical spellings so signed bytes == parsed meaning.
        if header.to_bytes() != data:
            raise MalformedMessage("header is not in canonical form")
        return header

    def check(self) -> None:
        """Cross-field rules: sorted unique recipients, expiry after creation, 32-byte hash."""
        agencies = [ref.agency_code for ref in self.recipients]
        if not agencies:
            raise MalformedMessage("no recipients")
        if agencies != sorted(set(agencies)):
            raise MalformedMessage("recipients must be unique and sorted by agency code")
        if len({ref.enc_key_id for ref in self.recipients}) != len(self.recipients):
            raise MalformedMessage("two recipients share one key")
        if self.expires_at <= self.created_at:
            raise MalformedMessage("expires_at must be after created_at")
        if len(self.content_hash) != 32:
            raise MalformedMessage("content hash must be 32 bytes")


@dataclass(frozen=True, slots=True)
class SealedMessage:
    """What the server stores and relays: opaque to anyone without a recipient's private key."""

    header_bytes: bytes
    header: MessageHeader
    signature: bytes
    nonce: bytes
    ciphertext: bytes
    wrapped_keys: Mapping[str, bytes]  # recipient encryption key ID -> SealedBox(content key)

    def to_bytes(self) -> bytes:
        """Serialise to the binary envelope (module docstring)."""
        parts = [_MAGIC, _U32.pack(len(self.header_bytes)), self.header_bytes, self.signature, self.nonce]
        parts.append(_U16.pack(len(self.wrapped_keys)))
        for identifier in sorted(self.wrapped_keys):
            parts += [bytes.fromhex(identifier), self.wrapped_keys[identifier]]
        parts += [_U64.pack(len(self.ciphertext)), self.ciphertext]
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> SealedMessage:
        """Parse a binary envelope strictly; MalformedMessage on any inconsistency or trailing bytes."""
        try:
            view = memoryview(data)
            if bytes(view[:4]) != _MAGIC:
                raise ValueError("bad magic")
            (header_length,) = _U32.unpack_from(view, 4)
            offset = 8 + header_length
            header_bytes = bytes(view[8:offset])
            signature = bytes(view[offset : offset + SIGNATURE_BYTES])
            offset += SIGNATURE_BYTES
            nonce = bytes(view[offset : offset + NONCE_BYTES])
            offset += NONCE_BYTES
            (count,) = _U16.unpack_from(view, offset)
            offset += _U16.size
            wrapped: dict[str, bytes] = {}
            for _ in range(count):
                identifier = bytes(view[offset : offset + 16]).hex()
                wrapped[identifier] = bytes(view[offset + 16 : offset + 16 + WRAPPED_KEY_BYTES])
                offset += 16 + WRAPPED_KEY_BYTES
            (ct_length,) = _U64.unpack_from(view, offset)
            offset += _U64.size
            ciphertext = bytes(view[offset : offset + ct_length])
            if offset + ct_length != len(data) or len(wrapped) != count:
                raise ValueError("length mismatch or duplicate key IDs")
        except (ValueError, struct.error) as error:
            raise MalformedMessage(f"malformed envelope: {error}") from error
        return cls.build(header_bytes, signature, nonce, ciphertext, wrapped)

    def to_json(self) -> dict[str, Any]:
        """Serialise to the JSON envelope (for the HTTP API)."""
        return {
            "header": self.header_bytes.decode("utf-8"),
            "signature": b64encode(self.signature),
            "nonce": b64encode(self.nonce),
            "wrapped_keys": {identifier: b64encode(value) for identifier, value in self.wrapped_keys.items()},
            "ciphertext": b64encode(self.ciphertext),
        }

    @classmethod
    def from_json(cls, data: Any) -> SealedMessage:
        """Parse a JSON envelope (dict, or its JSON bytes) strictly."""
        try:
            if isinstance(data, bytes | str):
                data = parse_json_strict(data.encode("utf-8") if isinstance(data, str) else data)
            if set(data) != {"header", "signature", "nonce", "wrapped_keys", "ciphertext"}:
                raise ValueError("missing or unknown envelope fields")
            wrapped = {str(key): b64decode(value) for key, value in data["wrapped_keys"].items()}
            return cls.build(
                data["header"].encode("utf-8"),
                b64decode(data["signature"]),
                b64decode(data["nonce"]),
                b64decode(data["ciphertext"]),
                wrapped,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise MalformedMessage(f"malformed JSON envelope: {error}") from error

    @classmethod
    def build(
        cls,
        header_bytes: bytes,
        signature: bytes,
        nonce: bytes,
        ciphertext: bytes,
        wrapped: Mapping[str, bytes],
    ) -> SealedMessage:
        """Assemble from parts, checking sizes and parsing the header."""
        if len(signature) != SIGNATURE_BYTES or len(nonce) != NONCE_BYTES:
            raise MalformedMessage("bad signature or nonce length")
        for identifier, value in wrapped.items():
            if not _KEY_ID.match(identifier) or len(value) != WRAPPED_KEY_BYTES:
                raise MalformedMessage("bad wrapped key entry")
        header = MessageHeader.from_bytes(header_bytes)
        return cls(header_bytes, header, signature, nonce, ciphertext, dict(wrapped))
