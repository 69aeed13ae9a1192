"""Seal and open agency messages: sign, encrypt once, wrap the key per recipient (issue 7 "Sealing").

``seal`` follows DOMAIN.md section 4 ("Our small system with PyNaCl") in order:

1. **Sign** header || body. The header carries the BLAKE2b-256 hash of the salted payload, so the Ed25519
   signature over ``MESSAGE_DOMAIN || header`` commits to header and body together (hash-then-sign: a 25 MB
   attachment is hashed once instead of being fed to Ed25519's two SHA-512 passes). The header names every
   recipient agency and key ID, so a message cannot be forwarded to anyone else unnoticed.
2. **Encrypt** the payload once with a random 256-bit key: XChaCha20-Poly1305-IETF (libsodium
   ``crypto_aead_xchacha20poly1305_ietf_encrypt``), a random 192-bit nonce, the header as associated data.
3. **Wrap** that key for each recipient with ``crypto_box_seal`` (SealedBox: ephemeral X25519 + XSalsa20).

Why sign at all: SealedBox does not identify the sender and Box is deniable. Why a signed content hash: AEAD
is not key-committing, so without it a sender could craft one ciphertext that opens to different texts for
different recipients; every recipient checks the same signed hash.

``open_message`` checks in this order, so the error names the real problem: parse -> sender key known ->
signature -> key valid at created_at (revocation/rotation) -> freshness -> expiry -> reader is a named
recipient -> unwrap -> decrypt -> content hash -> replay (recorded last, only for a fully valid message, so a
relay that corrupts a copy cannot burn its msg_id).
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import nacl.exceptions
import nacl.hash
import nacl.utils
from nacl import bindings
from nacl.encoding import RawEncoder
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey

from peacelink.messaging.canonical import require_aware
from peacelink.messaging.envelope import (
    MessageHeader,
    RecipientRef,
    SealedMessage,
    check_classification,
    check_msg_id,
    check_user,
)
from peacelink.messaging.errors import (
    InvalidMessage,
    KeyNotValid,
    KeyRevoked,
    KeySuperseded,
    MessageExpired,
    MessageNotFresh,
    MessageTampered,
    NotARecipient,
    ReplayDetected,
    SignatureInvalid,
    UnknownKey,
)
from peacelink.messaging.keys import check_agency_code, enc_key_id, key_id, sign_key_id
from peacelink.messaging.payload import SALT_BYTES, Payload, decode_payload, encode_payload, make_payload
from peacelink.messaging.replay import ReplayCache

__all__ = [
    "DEFAULT_LIFETIME",
    "DEFAULT_MAX_SKEW",
    "MESSAGE_DOMAIN",
    "OpenedMessage",
    "SenderKey",
    "SenderKeyLookup",
    "content_hash",
    "open_message",
    "seal",
    "verify_envelope",
]

# Signature domain separation: a message signature can never pass as a directory signature, and vice versa.
MESSAGE_DOMAIN = b"peacelink.message.v1\x00"
DEFAULT_LIFETIME = timedelta(days=30)
DEFAULT_MAX_SKEW = timedelta(minutes=5)
_HASH_PERSON = b"peacelink.body1\x00"  # 16-byte BLAKE2b personalisation for the content hash


class SenderKey(Protocol):
    """What open_message needs to know about a signing key (a DirectoryEntry fits; so can a DB row)."""

    @property
    def agency_code(self) -> str: ...
    @property
    def sign_key(self) -> bytes: ...
    @property
    def valid_from(self) -> datetime: ...
    @property
    def valid_until(self) -> datetime | None: ...
    @property
    def revoked_at(self) -> datetime | None: ...


class SenderKeyLookup(Protocol):
    """Finds a sender's signing key by agency and key ID, whatever its dates (KeyDirectory implements it)."""

    def sender_key(self, agency_code: str, sign_key_id: str) -> SenderKey | None:
        """Return the key record, or None if unknown."""
        ...


@dataclass(frozen=True, slots=True)
class OpenedMessage:
    """A verified, decrypted message."""

    header: MessageHeader
    payload: Payload

    @property
    def msg_id(self) -> str:
        """The signed message id."""
        return self.header.msg_id

    @property
    def subject(self) -> str:
        """Decrypted subject."""
        return self.payload.subject

    @property
    def body(self) -> str:
        """Decrypted body."""
        return self.payload.body


def content_hash(payload: bytes) -> bytes:
    """BLAKE2b-256 of the encoded payload, personalised for PeaceLink message bodies."""
    digest: bytes = nacl.hash.blake2b(payload, digest_size=32, person=_HASH_PERSON, encoder=RawEncoder)
    return digest


def seal(
    *,
    sender_agency: str,
    sender_user: str,
    sender_signing_key: SigningKey,
    recipients: Mapping[str, PublicKey],
    subject: str,
    body: str,
    classification: str,
    attachments: Sequence[Sequence[Any]] = (),
    handling: str = "",
    links: Sequence[Sequence[Any]] = (),
    reply_to: str | None = None,
    expires_at: datetime | None = None,
    created_at: datetime | None = None,
    msg_id: str | None = None,
) -> SealedMessage:
    """Sign, encrypt and wrap a message for the given recipient agencies (their X25519 public keys).

    ``created_at`` defaults to now (UTC), ``expires_at`` to ``created_at + DEFAULT_LIFETIME``, ``msg_id`` to a
    random UUID4. Include the sender's own agency in ``recipients`` if its sent folder must stay readable.
    Raises AttachmentTooLarge (> 25 MB) or InvalidMessage on bad input.
    """
    check_agency_code(sender_agency)
    check_user(sender_user)
    check_classification(classification)
    created = require_aware(datetime.now(UTC) if created_at is None else created_at, name="created_at")
    expires = created + DEFAULT_LIFETIME
    if expires_at is not None:
        expires = require_aware(expires_at, name="expires_at")
    if expires <= created:
        raise InvalidMessage("expires_at must be after created_at")
    message_id = check_msg_id(msg_id) if msg_id is not None else str(uuid.uuid4())
    if not recipients:
        raise InvalidMessage("a message needs at least one recipient")
    refs = []
    recipient_keys: list[tuple[str, bytes]] = []
    for code in sorted(recipients):
        public_key = recipients[code]
        if not isinstance(public_key, PublicKey):
            raise InvalidMessage(f"recipient {code!r}: expected a nacl.public.PublicKey")
        identifier = enc_key_id(public_key)
        refs.append(RecipientRef(check_agency_code(code), identifier))
        recipient_keys.append((identifier, bytes(public_key)))
    payload = make_payload(
        subject=subject, body=body, handling=handling, links=links, reply_to=reply_to, attachments=attachments
    )
    plaintext = encode_payload(payload, salt=nacl.utils.random(SALT_BYTES))

    # 1. Sign header || body (the header carries the body's hash).
    header = MessageHeader(
        msg_id=message_id,
        sender_agency=sender_agency,
        sender_user=sender_user,
        sender_key_id=sign_key_id(sender_signing_key.verify_key),
        recipients=tuple(refs),
        created_at=created,
        expires_at=expires,
        classification=classification,
        content_hash=content_hash(plaintext),
    )
    header.check()
    header_bytes = header.to_bytes()
    signature = sender_signing_key.sign(MESSAGE_DOMAIN + header_bytes).signature

    # 2. Encrypt once under a fresh random key; the header is associated data (bound, not encrypted).
    content_key = nacl.utils.random(bindings.crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    nonce = nacl.utils.random(bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    ciphertext = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext, header_bytes, nonce, content_key
    )

    # 3. Wrap the content key for each recipient (anonymous sealed box to its X25519 key).
    wrapped = {identifier: bindings.crypto_box_seal(content_key, pk) for identifier, pk in recipient_keys}
    return SealedMessage(header_bytes, header, signature, nonce, ciphertext, wrapped)


def _check_key_validity(record: SenderKey, created_at: datetime) -> None:
    """The revocation rule: a signature dated at/after revoked_at (or outside the key's period) is refused."""
    if record.revoked_at is not None and created_at >= record.revoked_at:
        raise KeyRevoked(f"signing key was revoked at {record.revoked_at.isoformat()}")
    if record.valid_until is not None and created_at >= record.valid_until:
        raise KeySuperseded(f"signing key was superseded at {record.valid_until.isoformat()}")
    if created_at < record.valid_from:
        raise KeyNotValid("message is dated before its signing key became valid")


def verify_envelope(
    sealed: SealedMessage | bytes,
    *,
    sender_keys: SenderKeyLookup,
    now: datetime,
    received_at: datetime | None = None,
    max_skew: timedelta = DEFAULT_MAX_SKEW,
    max_transit: timedelta | None = None,
) -> MessageHeader:
    """Check everything a relay can check without decrypting: signature, key validity, freshness, expiry.

    Back-dating: created_at is chosen by the signer, so a thief of a revoked key could date a message before
    the revocation. Pass ``received_at`` (when this node first took the message) and ``max_transit`` (how old
    a message may be on arrival, e.g. 5 minutes from a client, a few days over a store-and-forward link) to
    bound that window; created_at more than ``max_skew`` after ``received_at`` or ``now`` is refused too.
    """
    if isinstance(sealed, bytes):
        sealed = SealedMessage.from_bytes(sealed)
    now = require_aware(now, name="now")
    header = sealed.header
    record = sender_keys.sender_key(header.sender_agency, header.sender_key_id)
    if record is None or record.agency_code != header.sender_agency:
        raise UnknownKey(f"unknown signing key {header.sender_key_id} for {header.sender_agency}")
    if key_id(bytes(record.sign_key), algorithm="ed25519") != header.sender_key_id:
        raise UnknownKey("key lookup returned a key with another ID")
    try:
        VerifyKey(bytes(record.sign_key)).verify(MESSAGE_DOMAIN + sealed.header_bytes, sealed.signature)
    except (nacl.exceptions.BadSignatureError, ValueError) as error:
        raise SignatureInvalid(f"signature of {header.msg_id} does not verify") from error
    _check_key_validity(record, header.created_at)
    if header.created_at > now + max_skew:
        raise MessageNotFresh("created_at is in the future")
    if received_at is not None:
        received_at = require_aware(received_at, name="received_at")
        if header.created_at > received_at + max_skew:
            raise MessageNotFresh("created_at is after the time the message was received")
        if max_transit is not None and header.created_at < received_at - max_transit:
            raise MessageNotFresh("created_at is too long before reception (possible back-dating)")
    if now >= header.expires_at:
        raise MessageExpired(f"message {header.msg_id} expired at {header.expires_at.isoformat()}")
    return header


def open_message(
    sealed: SealedMessage | bytes,
    *,
    recipient_agency: str,
    recipient_private_key: PrivateKey | Sequence[PrivateKey],
    sender_keys: SenderKeyLookup,
    now: datetime,
    seen_ids: ReplayCache | None,
    received_at: datetime | None = None,
    max_skew: timedelta = DEFAULT_MAX_SKEW,
    max_transit: timedelta | None = None,
) -> OpenedMessage:
    """Verify and decrypt a message for ``recipient_agency``.

    ``recipient_private_key`` may be a list (current and older key generations after a rotation). Pass a
    ReplayCache as ``seen_ids`` when accepting a delivery; pass None when re-opening a stored, already
    accepted message for display. Raises the MessagingError subclasses listed in errors.py.
    """
    if isinstance(sealed, bytes):
        sealed = SealedMessage.from_bytes(sealed)
    header = verify_envelope(
        sealed,
        sender_keys=sender_keys,
        now=now,
        received_at=received_at,
        max_skew=max_skew,
        max_transit=max_transit,
    )
    listed = next((ref for ref in header.recipients if ref.agency_code == recipient_agency), None)
    if listed is None:
        raise NotARecipient(f"{recipient_agency} is not a recipient of {header.msg_id}")
    private_keys = (
        [recipient_private_key] if isinstance(recipient_private_key, PrivateKey) else recipient_private_key
    )
    private_key = next((k for k in private_keys if enc_key_id(k.public_key) == listed.enc_key_id), None)
    if private_key is None:
        raise NotARecipient(f"{header.msg_id} was sealed to {recipient_agency}'s key {listed.enc_key_id}")
    wrapped = sealed.wrapped_keys.get(listed.enc_key_id)
    if wrapped is None:
        raise MessageTampered("the wrapped key for this recipient is missing")
    try:
        content_key = bindings.crypto_box_seal_open(
            wrapped, bytes(private_key.public_key), bytes(private_key)
        )
        if len(content_key) != bindings.crypto_aead_xchacha20poly1305_ietf_KEYBYTES:
            raise MessageTampered("wrapped key has the wrong length")
        plaintext = bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            sealed.ciphertext, sealed.header_bytes, sealed.nonce, content_key
        )
    except nacl.exceptions.CryptoError:
        raise MessageTampered(f"{header.msg_id}: wrapped key or ciphertext altered") from None
    if not hmac.compare_digest(content_hash(plaintext), header.content_hash):
        raise MessageTampered("decrypted content does not match the signed content hash")
    payload = decode_payload(plaintext)
    if seen_ids is not None and not seen_ids.check_and_add(
        recipient_agency=recipient_agency,
        sender_agency=header.sender_agency,
        msg_id=header.msg_id,
        expires_at=header.expires_at,
    ):
        raise ReplayDetected(f"{header.sender_agency}/{header.msg_id} was already accepted")
    return OpenedMessage(header, payload)
