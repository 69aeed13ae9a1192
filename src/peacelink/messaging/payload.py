"""The encrypted payload of a message: subject, body, handling, links, reply thread and attachments.

Everything an outsider should not learn lives here, inside the AEAD ciphertext; the cleartext header keeps
only routing and policy metadata (see envelope.py). Layout (all integers big-endian)::

    b"PLP1" || u32 len(meta) || meta (canonical JSON) || attachment 1 bytes || ... || zero padding

``meta`` = ``{"salt", "subject", "body", "handling", "links": [{"kind","id"}], "reply_to",
"attachments": [{"name","content_type","size"}]}``. The 16 random ``salt`` bytes make the signed content hash
(BLAKE2b-256 of the whole payload, in the cleartext header) unguessable, so a relay cannot confirm a guessed
short body ("yes"/"no") by hashing candidates. Zero padding to a multiple of 256 bytes blurs exact lengths.
Attachments are raw bytes after the JSON (not base64) so a 25 MB file costs 25 MB, not 33 MB.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from peacelink.messaging.canonical import b64decode, b64encode, canonical_json, parse_json_strict
from peacelink.messaging.errors import AttachmentTooLarge, InvalidMessage, MalformedMessage

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "Attachment",
    "Payload",
    "RecordLink",
    "decode_payload",
    "encode_payload",
]

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024  # issue 7: "attachments ... up to 25 MB each" (read as MiB)
MAX_SUBJECT_CHARS = 500
SALT_BYTES = 16
PADDING_BLOCK = 256

_MAGIC = b"PLP1"
_LENGTH = struct.Struct(">I")
_CONTENT_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*$")
_LINK_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class Attachment(NamedTuple):
    """A file carried by a message; a plain ``(name, content_type, bytes)`` tuple is accepted too."""

    name: str
    content_type: str
    content: bytes


class RecordLink(NamedTuple):
    """A link to a PeaceLink record, e.g. ``RecordLink("hit", "42")``; a ``(kind, id)`` tuple works too."""

    kind: str
    record_id: str


@dataclass(frozen=True, slots=True)
class Payload:
    """The secret part of a message."""

    subject: str
    body: str
    handling: str = ""
    links: tuple[RecordLink, ...] = ()
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()


def attachment_name_error(name: object) -> str | None:
    """Why ``name`` cannot name an attachment, or None (the request shapes check it with this rule too).

    >>> attachment_name_error("scan.pdf") is None, attachment_name_error("../scan.pdf")
    (True, "invalid attachment name '../scan.pdf': 1 to 255 characters, no slash, backslash or NUL")
    """
    # No path separators or NUL: the name may later become a file name on a node's disk.
    if not isinstance(name, str) or not name or len(name) > 255 or any(c in name for c in "/\\\x00"):
        return f"invalid attachment name {name!r}: 1 to 255 characters, no slash, backslash or NUL"
    return None


def content_type_error(content_type: object) -> str | None:
    """Why ``content_type`` is no attachment content type (``type/subtype``), or None.

    >>> content_type_error("application/pdf") is None, content_type_error("pdf")
    (True, "invalid attachment content type 'pdf': give type/subtype, e.g. application/pdf")
    """
    if not isinstance(content_type, str) or not _CONTENT_TYPE.match(content_type):
        return f"invalid attachment content type {content_type!r}: give type/subtype, e.g. application/pdf"
    return None


def _check_attachment(raw: Sequence[Any]) -> Attachment:
    try:
        name, content_type, content = raw
    except (TypeError, ValueError) as error:
        raise InvalidMessage("an attachment is (name, content_type, bytes)") from error
    if not isinstance(content, bytes | bytearray | memoryview):
        raise InvalidMessage("attachment content must be bytes")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLarge(f"attachment {name!r} is {len(content)} bytes; limit {MAX_ATTACHMENT_BYTES}")
    problem = attachment_name_error(name) or content_type_error(content_type)
    if problem is not None:
        raise InvalidMessage(problem)
    return Attachment(name, content_type, bytes(content))


def _check_link(raw: Sequence[Any]) -> RecordLink:
    try:
        kind, record_id = raw
    except (TypeError, ValueError) as error:
        raise InvalidMessage("a link is (kind, record_id)") from error
    if not isinstance(kind, str) or not _LINK_KIND.match(kind):
        raise InvalidMessage(f"invalid link kind {kind!r}")
    if not isinstance(record_id, str) or not record_id or len(record_id) > 128:
        raise InvalidMessage(f"invalid link record id {record_id!r}")
    return RecordLink(kind, record_id)


def make_payload(
    *,
    subject: str,
    body: str,
    handling: str = "",
    links: Sequence[Sequence[Any]] = (),
    reply_to: str | None = None,
    attachments: Sequence[Sequence[Any]] = (),
) -> Payload:
    """Validate caller input into a Payload (AttachmentTooLarge / InvalidMessage on bad input)."""
    if not isinstance(subject, str) or len(subject) > MAX_SUBJECT_CHARS:
        raise InvalidMessage(f"subject must be a string of at most {MAX_SUBJECT_CHARS} characters")
    if not isinstance(body, str) or not isinstance(handling, str):
        raise InvalidMessage("body and handling must be strings")
    if reply_to is not None and (not isinstance(reply_to, str) or not reply_to or len(reply_to) > 128):
        raise InvalidMessage("reply_to must be a message id")
    return Payload(
        subject=subject,
        body=body,
        handling=handling,
        links=tuple(_check_link(link) for link in links),
        reply_to=reply_to,
        attachments=tuple(_check_attachment(item) for item in attachments),
    )


def encode_payload(payload: Payload, *, salt: bytes) -> bytes:
    """Serialise a payload to the padded binary layout described in the module docstring."""
    if len(salt) != SALT_BYTES:
        raise ValueError("salt must be 16 bytes")
    meta = canonical_json(
        {
            "salt": b64encode(salt),
            "subject": payload.subject,
            "body": payload.body,
            "handling": payload.handling,
            "links": [{"kind": link.kind, "id": link.record_id} for link in payload.links],
            "reply_to": payload.reply_to,
            "attachments": [
                {"name": a.name, "content_type": a.content_type, "size": len(a.content)}
                for a in payload.attachments
            ],
        }
    )
    length = len(_MAGIC) + _LENGTH.size + len(meta) + sum(len(a.content) for a in payload.attachments)
    padding = bytes(-length % PADDING_BLOCK)
    contents = [attachment.content for attachment in payload.attachments]
    return b"".join([_MAGIC, _LENGTH.pack(len(meta)), meta, *contents, padding])


def decode_payload(data: bytes) -> Payload:
    """Parse a decrypted payload strictly; MalformedMessage if anything is off."""
    try:
        if data[:4] != _MAGIC:
            raise ValueError("bad payload magic")
        (meta_length,) = _LENGTH.unpack_from(data, 4)
        offset = 4 + _LENGTH.size + meta_length
        meta = parse_json_strict(data[4 + _LENGTH.size : offset])
        if not isinstance(meta, dict):
            raise ValueError("payload metadata is not an object")
        b64decode(meta["salt"])
        attachments = []
        for item in meta["attachments"]:
            size = item["size"]
            if not isinstance(size, int) or size < 0 or offset + size > len(data):
                raise ValueError("attachment size out of range")
            attachments.append((item["name"], item["content_type"], data[offset : offset + size]))
            offset += size
        if len(data) - offset >= PADDING_BLOCK or any(data[offset:]):
            raise ValueError("bad padding")
        links = [(link["kind"], link["id"]) for link in meta["links"]]
        return make_payload(
            subject=meta["subject"],
            body=meta["body"],
            handling=meta["handling"],
            links=links,
            reply_to=meta["reply_to"],
            attachments=attachments,
        )
    except (KeyError, TypeError, ValueError, struct.error, InvalidMessage) as error:
        raise MalformedMessage(f"malformed payload: {error}") from error
