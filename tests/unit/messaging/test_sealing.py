"""seal / open_message: round trip, tampering, forwarding, revocation, removal, replay, expiry, limits."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import nacl.exceptions
import pytest
from nacl import bindings
from nacl.public import PrivateKey, SealedBox

from peacelink.messaging.envelope import SealedMessage
from peacelink.messaging.errors import (
    AttachmentTooLarge,
    InvalidMessage,
    KeyNotValid,
    KeyRevoked,
    KeySuperseded,
    MalformedMessage,
    MessageExpired,
    MessageNotFresh,
    MessageTampered,
    MessagingError,
    NotARecipient,
    ReplayDetected,
    SignatureInvalid,
    UnknownKey,
)
from peacelink.messaging.payload import MAX_ATTACHMENT_BYTES, encode_payload, make_payload
from peacelink.messaging.replay import InMemoryReplayCache
from peacelink.messaging.sealing import seal, verify_envelope

if TYPE_CHECKING:  # fixtures come from conftest.py, which is not importable under --import-mode=importlib
    from conftest import World


def _rebuild(sealed: SealedMessage, **changes: object) -> SealedMessage:
    """Swap raw parts of a sealed message without re-validating the signature (an attacker's view)."""
    parts = {
        "header_bytes": sealed.header_bytes,
        "signature": sealed.signature,
        "nonce": sealed.nonce,
        "ciphertext": sealed.ciphertext,
        "wrapped": dict(sealed.wrapped_keys),
    }
    parts.update(changes)
    return SealedMessage.build(**parts)  # type: ignore[arg-type]


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def test_round_trip_all_fields(world: World) -> None:
    sealed = world.seal(
        attachments=[
            ("photo.jpg", "image/jpeg", b"\xff\xd8jpeg-bytes"),
            ("prints.nist", "application/octet-stream", b""),
        ],
        handling="Do not disseminate outside the NCB",
        links=[("hit", "42"), ("notice", "A-123/4-2025")],
        reply_to="0f8d1c2e-aaaa-bbbb-cccc-123456789abc",
        msg_id="msg-0001-abcdef",
    )
    opened = world.open(SealedMessage.from_bytes(sealed.to_bytes()))
    assert opened.msg_id == "msg-0001-abcdef"
    assert opened.subject == "Stolen vehicle sighting"
    assert opened.body.startswith("The blue truck")
    assert opened.payload.handling == "Do not disseminate outside the NCB"
    assert [tuple(link) for link in opened.payload.links] == [("hit", "42"), ("notice", "A-123/4-2025")]
    assert opened.payload.reply_to == "0f8d1c2e-aaaa-bbbb-cccc-123456789abc"
    assert [tuple(a) for a in opened.payload.attachments] == [
        ("photo.jpg", "image/jpeg", b"\xff\xd8jpeg-bytes"),
        ("prints.nist", "application/octet-stream", b""),
    ]
    header = opened.header
    assert (header.sender_agency, header.sender_user) == ("NCB-UTO", "officer.kim")
    assert header.sender_key_id == world.pairs["NCB-UTO"].sign_key_id
    assert header.recipient_agencies == ("MINUSCA", "NCB-ARC")
    assert header.classification == "RESTRICTED"
    assert header.expires_at == header.created_at + timedelta(days=30)
    # Every listed recipient can open it, each with its own key.
    assert world.open(sealed, reader="MINUSCA", seen_ids=None).body == opened.body


def test_json_envelope_round_trip(world: World) -> None:
    sealed = world.seal()
    as_text = json.dumps(sealed.to_json())
    again = SealedMessage.from_json(as_text)
    assert again == sealed
    assert world.open(again).subject == "Stolen vehicle sighting"


def test_sealed_blob_never_holds_plaintext(world: World) -> None:
    subject = "Operation Nightjar informant meeting"
    body = "Informant JUNO will meet at warehouse 17 on Thursday " * 40
    handling = "Eyes only: head of NCB"
    attachment = b"FINGERPRINT-TEMPLATE-" * 50
    sealed = world.seal(
        subject=subject, body=body, handling=handling, attachments=[("a.bin", "x/y", attachment)]
    )
    blobs = [sealed.to_bytes(), json.dumps(sealed.to_json()).encode(), sealed.header_bytes]
    for blob in blobs:
        for secret in (subject, body, body[:24], "JUNO", "warehouse 17", handling, "Nightjar"):
            assert secret.encode() not in blob
        assert attachment[:32] not in blob
    # The header exposes only routing/policy metadata.
    assert set(json.loads(sealed.header_bytes)) == {
        "type", "version", "suite", "msg_id", "sender", "recipients",
        "created_at", "expires_at", "classification", "content_hash",
    }  # fmt: skip
    assert world.open(sealed).subject == subject


def test_tampered_ciphertext_is_detected(world: World) -> None:
    sealed = world.seal()
    for index in (0, len(sealed.ciphertext) // 2, len(sealed.ciphertext) - 1):
        with pytest.raises(MessageTampered):
            world.open(_rebuild(sealed, ciphertext=_flip(sealed.ciphertext, index)), seen_ids=None)
    with pytest.raises(MessageTampered):
        world.open(_rebuild(sealed, nonce=_flip(sealed.nonce, 3)), seen_ids=None)


def test_tampered_header_is_detected(world: World) -> None:
    sealed = world.seal()
    raw = json.loads(sealed.header_bytes)
    for field, value in [("classification", "UNCLASSIFIED"), ("msg_id", "forged-id-000"),
                         ("expires_at", "2099-01-01T00:00:00.000000Z")]:  # fmt: skip
        forged = dict(raw, **{field: value})
        header = json.dumps(forged, sort_keys=True, separators=(",", ":")).encode()
        with pytest.raises(SignatureInvalid):
            world.open(_rebuild(sealed, header_bytes=header), seen_ids=None)
    # Changing the sender user is also caught (the agency signs for its user).
    forged = dict(raw, sender=dict(raw["sender"], user="someone.else"))
    header = json.dumps(forged, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(SignatureInvalid):
        world.open(_rebuild(sealed, header_bytes=header), seen_ids=None)
    # Arbitrary bit flips anywhere in the stored blob are caught one way or another. A flip inside one
    # recipient's wrapped key only hurts that recipient, so each flip must make at least one reader fail.
    blob = sealed.to_bytes()
    for index in range(0, len(blob), 37):
        failures = 0
        for reader in sealed.header.recipient_agencies:
            try:
                world.open(_flip(blob, index), reader=reader, seen_ids=None)
            except MessagingError:
                failures += 1
        assert failures >= 1, f"bit flip at byte {index} went unnoticed"


def test_non_canonical_header_is_refused(world: World) -> None:
    sealed = world.seal()
    spaced = json.dumps(json.loads(sealed.header_bytes), sort_keys=True).encode()
    with pytest.raises(MalformedMessage):
        _rebuild(sealed, header_bytes=spaced)


def test_tampered_wrapped_key_and_signature(world: World) -> None:
    sealed = world.seal()
    reader_id = world.pairs["NCB-ARC"].enc_key_id
    wrapped = dict(sealed.wrapped_keys)
    wrapped[reader_id] = _flip(wrapped[reader_id], 50)
    with pytest.raises(MessageTampered):
        world.open(_rebuild(sealed, wrapped=wrapped), seen_ids=None)
    # A wrapped key swapped for a valid wrap of a different content key fails at AEAD decryption.
    wrapped[reader_id] = bindings.crypto_box_seal(
        b"k" * 32, bytes(world.pairs["NCB-ARC"].encryption_key.public_key)
    )
    with pytest.raises(MessageTampered):
        world.open(_rebuild(sealed, wrapped=wrapped), seen_ids=None)
    del wrapped[reader_id]
    with pytest.raises(MessageTampered):
        world.open(_rebuild(sealed, wrapped=wrapped), seen_ids=None)
    with pytest.raises(SignatureInvalid):
        world.open(_rebuild(sealed, signature=_flip(sealed.signature, 10)), seen_ids=None)
    # A signature by another agency's key over the same header does not pass as the sender's.
    other = world.pairs["UNMIK"].signing_key.sign(b"peacelink.message.v1\x00" + sealed.header_bytes).signature
    with pytest.raises(SignatureInvalid):
        world.open(_rebuild(sealed, signature=other), seen_ids=None)


def test_forwarding_to_unlisted_recipient_fails(world: World) -> None:
    sealed = world.seal(to=("NCB-ARC",))
    with pytest.raises(NotARecipient):
        world.open(sealed, reader="UNMIK")
    # NCB-ARC, a legitimate reader, recovers the content key and re-wraps it for UNMIK.
    arc = world.pairs["NCB-ARC"].encryption_key
    content_key = SealedBox(arc).decrypt(sealed.wrapped_keys[world.pairs["NCB-ARC"].enc_key_id])
    unmik = world.pairs["UNMIK"]
    wrapped = dict(sealed.wrapped_keys)
    wrapped[unmik.enc_key_id] = bytes(SealedBox(unmik.encryption_key.public_key).encrypt(content_key))
    forwarded = _rebuild(sealed, wrapped=wrapped)
    with pytest.raises(NotARecipient):
        world.open(forwarded, reader="UNMIK")
    # Claiming to be a listed agency while holding another key does not help either.
    with pytest.raises(NotARecipient):
        world.open(forwarded, reader="NCB-ARC", recipient_private_key=unmik.encryption_key)


def test_revoked_sender_key(world: World) -> None:
    revoked_at = world.t0 + timedelta(hours=5)
    before = world.seal(created_at=revoked_at - timedelta(minutes=1))
    after = world.seal(created_at=revoked_at + timedelta(minutes=1))
    world.directory = world.directory.revoke("NCB-UTO", at=revoked_at)
    now = revoked_at + timedelta(hours=1)
    assert world.open(before, now=now).subject == "Stolen vehicle sighting"
    with pytest.raises(KeyRevoked):
        world.open(after, now=now)
    # Exactly at revoked_at counts as after.
    with pytest.raises(KeyRevoked):
        world.open(world.seal(created_at=revoked_at, msg_id="at-revocation-1"), now=now)


def test_back_dating_limited_by_reception_window(world: World) -> None:
    """A thief of a revoked key back-dates created_at; the reception-time window catches it."""
    revoked_at = world.t0 + timedelta(hours=5)
    world.directory = world.directory.revoke("NCB-UTO", at=revoked_at)
    received = revoked_at + timedelta(hours=3)
    backdated = world.seal(created_at=revoked_at - timedelta(minutes=1))
    with pytest.raises(MessageNotFresh):
        world.open(backdated, now=received, received_at=received, max_transit=timedelta(minutes=5))
    # Without the window (e.g. re-opening an old, stored message) the signature date is all we have.
    assert world.open(backdated, now=received, received_at=None).subject
    # Future-dated messages are refused against now and against the reception time.
    future = world.seal(created_at=world.later + timedelta(hours=1))
    with pytest.raises(MessageNotFresh):
        world.open(future, now=world.later)
    with pytest.raises(MessageNotFresh):
        world.open(future, now=world.later + timedelta(hours=2), received_at=world.later)


def test_rotated_key(world: World) -> None:
    rotation = world.t0 + timedelta(hours=3)
    old_message = world.seal(created_at=rotation - timedelta(minutes=1))
    old_arc = world.pairs["NCB-ARC"]
    new_uto, new_arc = world.make_pair("NCB-UTO", 1), world.make_pair("NCB-ARC", 1)
    world.directory = world.directory.rotate(new_uto.public(), at=rotation).rotate(
        new_arc.public(), at=rotation
    )
    now = rotation + timedelta(hours=1)
    # Signed before the rotation with the old key: still valid; and readable with the old private key.
    assert world.open(
        old_message, now=now, recipient_private_key=[new_arc.encryption_key, old_arc.encryption_key]
    )
    with pytest.raises(NotARecipient):
        world.open(old_message, now=now, recipient_private_key=new_arc.encryption_key, seen_ids=None)
    # After the rotation the old signing key is no longer accepted.
    stale = world.seal(
        created_at=rotation + timedelta(minutes=1), recipients={"NCB-ARC": new_arc.encryption_key.public_key}
    )
    with pytest.raises(KeySuperseded):
        world.open(stale, now=now, recipient_private_key=new_arc.encryption_key)
    world.pairs["NCB-UTO"], world.pairs["NCB-ARC"] = new_uto, new_arc
    fresh = world.seal(created_at=rotation + timedelta(minutes=2))
    assert fresh.header.recipients[1].enc_key_id == new_arc.enc_key_id
    assert world.open(fresh, now=now).body


def test_removed_recipient_cannot_read_later_messages(world: World) -> None:
    first = world.seal(to=("NCB-ARC", "MINUSCA"))
    assert world.open(first, reader="MINUSCA").subject
    # MINUSCA's contingent leaves: it is no longer among the recipients of later messages.
    second = world.seal(to=("NCB-ARC",), created_at=world.t0 + timedelta(hours=1, minutes=30))
    minusca = world.pairs["MINUSCA"].encryption_key
    with pytest.raises(NotARecipient):
        world.open(second, reader="MINUSCA")
    # Cryptographically, not just by policy: its private key opens none of the wrapped keys ...
    for wrapped in second.wrapped_keys.values():
        with pytest.raises(nacl.exceptions.CryptoError):
            SealedBox(minusca).decrypt(wrapped)
    # ... and forging the reader check gains nothing (it cannot get the content key).
    assert world.pairs["MINUSCA"].enc_key_id not in second.wrapped_keys
    # Revoking MINUSCA's key in the directory also stops new messages being sealed to it.
    world.directory = world.directory.revoke("MINUSCA", at=world.t0 + timedelta(hours=1, minutes=45))
    with pytest.raises(KeyRevoked):
        world.seal(to=("MINUSCA",), created_at=world.t0 + timedelta(hours=2))


def test_replay_is_rejected(world: World) -> None:
    sealed = world.seal()
    assert world.open(sealed).subject
    with pytest.raises(ReplayDetected):
        world.open(sealed)
    # The same message is accepted once per recipient agency.
    assert world.open(sealed, reader="MINUSCA").subject
    # Re-opening a stored message for display is allowed with seen_ids=None.
    assert world.open(sealed, seen_ids=None).subject


def test_corrupted_copy_does_not_burn_msg_id(world: World) -> None:
    sealed = world.seal()
    corrupted = _rebuild(sealed, ciphertext=_flip(sealed.ciphertext, 5))
    with pytest.raises(MessageTampered):
        world.open(corrupted)
    assert world.open(sealed).subject  # the genuine copy still gets through once


def test_replay_cache_prunes_expired() -> None:
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    cache = InMemoryReplayCache()
    assert cache.check_and_add(recipient_agency="A1", sender_agency="B1", msg_id="m1", expires_at=t0)
    assert not cache.check_and_add(recipient_agency="A1", sender_agency="B1", msg_id="m1", expires_at=t0)
    assert cache.check_and_add(
        recipient_agency="A1", sender_agency="B2", msg_id="m1", expires_at=t0 + timedelta(days=1)
    )
    assert cache.prune(now=t0) == 1
    assert len(cache) == 1


def test_expiry(world: World) -> None:
    expires = world.t0 + timedelta(hours=3)
    sealed = world.seal(expires_at=expires)
    assert world.open(sealed, now=expires - timedelta(seconds=1), seen_ids=None).subject
    with pytest.raises(MessageExpired):
        world.open(sealed, now=expires)
    with pytest.raises(InvalidMessage):
        world.seal(expires_at=world.t0)


def test_attachment_limit(world: World) -> None:
    with pytest.raises(AttachmentTooLarge):
        world.seal(attachments=[("big.tif", "image/tiff", bytes(MAX_ATTACHMENT_BYTES + 1))])
    exact = bytes(MAX_ATTACHMENT_BYTES)
    opened = world.open(world.seal(attachments=[("ok.tif", "image/tiff", exact)]))
    assert opened.payload.attachments[0].content == exact


@pytest.mark.parametrize(
    "changes",
    [
        {"sender_agency": "bad code"},
        {"sender_user": ""},
        {"classification": ""},
        {"recipients": {}},
        {"msg_id": "x"},
        {"attachments": [("../etc/passwd", "text/plain", b"")]},
        {"attachments": [("a.txt", "not a type", b"")]},
        {"links": [("Hit", "1")]},
        {"subject": "s" * 501},
    ],
)
def test_bad_input_is_refused(world: World, changes: dict[str, object]) -> None:
    with pytest.raises(InvalidMessage):
        world.seal(**changes)


def test_naive_datetimes_are_refused(world: World) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        world.seal(created_at=world.t0.replace(tzinfo=None))


def test_unknown_sender_and_relay_verification(world: World) -> None:
    stranger = world.make_pair("ROGUE")
    sealed = seal(
        sender_agency="ROGUE",
        sender_user="x",
        sender_signing_key=stranger.signing_key,
        recipients={"NCB-ARC": world.pairs["NCB-ARC"].encryption_key.public_key},
        subject="s",
        body="b",
        classification="RESTRICTED",
        created_at=world.t0 + timedelta(hours=1),
    )
    with pytest.raises(UnknownKey):
        world.open(sealed)
    # A relay checks signature and expiry without being able to decrypt.
    good = world.seal()
    header = verify_envelope(good.to_bytes(), sender_keys=world.directory, now=world.later)
    assert header.msg_id == good.header.msg_id
    with pytest.raises(SignatureInvalid):
        verify_envelope(
            dataclasses.replace(good, signature=bytes(64)), sender_keys=world.directory, now=world.later
        )


def test_a_stranger_key_opens_nothing(world: World) -> None:
    sealed = world.seal()
    with pytest.raises(NotARecipient):
        world.open(sealed, recipient_private_key=PrivateKey.generate())


def test_recipient_cannot_substitute_content(world: World) -> None:
    """A recipient knows the content key and can build a valid AEAD ciphertext; the signed hash stops it."""
    sealed = world.seal(to=("NCB-ARC", "MINUSCA"))
    arc = world.pairs["NCB-ARC"]
    content_key = SealedBox(arc.encryption_key).decrypt(sealed.wrapped_keys[arc.enc_key_id])
    fake = make_payload(subject="Stolen vehicle sighting", body="Release the truck, no action needed.")
    forged_ciphertext = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        encode_payload(fake, salt=bytes(16)), sealed.header_bytes, sealed.nonce, content_key
    )
    with pytest.raises(MessageTampered, match="content hash"):
        world.open(_rebuild(sealed, ciphertext=forged_ciphertext), reader="MINUSCA")


def test_message_dated_before_key_validity(world: World) -> None:
    early = world.t0 - timedelta(hours=1)  # keys are valid from t0
    recipients = {"NCB-ARC": world.pairs["NCB-ARC"].encryption_key.public_key}
    sealed = world.seal(created_at=early, recipients=recipients)
    with pytest.raises(KeyNotValid) as caught:
        world.open(sealed)
    assert type(caught.value) is KeyNotValid  # not revoked, not superseded: simply not yet valid
