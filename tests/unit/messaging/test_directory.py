"""Key directory: central signature, tamper detection, rollback, rotation, revocation and time lookups."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from peacelink.messaging.canonical import b64encode, canonical_json
from peacelink.messaging.directory import KeyDirectory
from peacelink.messaging.errors import DirectoryInvalid, DirectoryRollback, KeyRevoked, UnknownAgency

if TYPE_CHECKING:  # fixtures come from conftest.py, which is not importable under --import-mode=importlib
    from conftest import World


def _signed(world: World, directory: KeyDirectory | None = None) -> bytes:
    return (directory or world.directory).sign(
        world.central.signing_key, issuer="CENTRAL", issued_at=world.t0
    )


def _resign_body(world: World, document: bytes, mutate: object) -> bytes:
    """Change the body and re-sign it with a NON-central key (an attacker without the central key)."""
    outer = json.loads(document)
    mutate(outer["directory"])  # type: ignore[operator]
    forged_key = world.pairs["NCB-UTO"].signing_key
    signature = forged_key.sign(
        b"peacelink.key-directory.v1\x00" + canonical_json(outer["directory"])
    ).signature
    outer["signature"] = b64encode(signature)
    return canonical_json(outer)


def test_signed_round_trip_and_canonical_form(world: World) -> None:
    document = _signed(world)
    assert document == canonical_json(json.loads(document))  # sorted keys, no whitespace
    assert b" " not in document
    assert b"\n" not in document
    directory = KeyDirectory.verify(document, central_key=world.central.signing_key.verify_key)
    assert directory == world.directory
    assert directory.serial == len(world.pairs)
    assert directory.agencies() == sorted(world.pairs)
    entry = json.loads(document)["directory"]["entries"][0]
    assert entry["status"] == "active"
    assert entry["revoked_at"] is None


def test_tampering_is_detected(world: World) -> None:
    document = _signed(world)
    central = world.central.signing_key.verify_key
    swapped = document.replace(
        world.directory.entries[1].to_json()["enc_key"].encode(),
        world.directory.entries[2].to_json()["enc_key"].encode(),
        1,
    )
    assert swapped != document
    with pytest.raises(DirectoryInvalid):
        KeyDirectory.verify(swapped, central_key=central)
    # Flipping any byte of the document breaks it.
    for index in range(0, len(document), 53):
        flipped = document[:index] + bytes([document[index] ^ 0x02]) + document[index + 1 :]
        with pytest.raises(DirectoryInvalid):
            KeyDirectory.verify(flipped, central_key=central)
    # Signed by someone other than the central agency.
    with pytest.raises(DirectoryInvalid):
        KeyDirectory.verify(document, central_key=world.pairs["NCB-UTO"].signing_key.verify_key)
    forged = _resign_body(world, document, lambda body: body.update(serial=999))
    with pytest.raises(DirectoryInvalid):
        KeyDirectory.verify(forged, central_key=central)
    # Whitespace or key order changes do not matter to the signature (it covers the canonical body),
    # but a duplicate key is refused outright.
    pretty = json.dumps(json.loads(document), indent=2).encode()
    assert KeyDirectory.verify(pretty, central_key=central) == world.directory
    with pytest.raises(DirectoryInvalid):
        KeyDirectory.verify(document[:-1] + b',"signature":"AAAA"}', central_key=central)


def test_inconsistent_but_signed_document_is_refused(world: World) -> None:
    """Even the central key cannot publish an entry whose key ID or status contradicts the data."""
    body = world.directory.body(issuer="CENTRAL", issuer_key_id=world.central.sign_key_id, issued_at=world.t0)
    body["entries"][0]["status"] = "revoked"
    key = world.central.signing_key
    signature = key.sign(b"peacelink.key-directory.v1\x00" + canonical_json(body)).signature
    document = canonical_json({"directory": body, "signature": b64encode(signature)})
    with pytest.raises(DirectoryInvalid, match="status"):
        KeyDirectory.verify(document, central_key=key.verify_key)


def test_rollback_is_refused(world: World) -> None:
    central = world.central.signing_key.verify_key
    old = _signed(world)
    newer = world.directory.revoke("UNMIK", at=world.t0 + timedelta(hours=1))
    accepted = KeyDirectory.verify(
        _signed(world, newer), central_key=central, min_serial=world.directory.serial
    )
    with pytest.raises(DirectoryRollback):
        KeyDirectory.verify(old, central_key=central, min_serial=accepted.serial)


def test_rotation_and_lookup_by_time(world: World) -> None:
    rotation = world.t0 + timedelta(days=10)
    new = world.make_pair("MINUSCA", 1)
    rotated = world.directory.rotate(new.public(), at=rotation)
    assert rotated.serial == world.directory.serial + 1
    before = rotated.current("MINUSCA", at=rotation - timedelta(seconds=1))
    after = rotated.current("MINUSCA", at=rotation)
    assert before.sign_key_id == world.pairs["MINUSCA"].sign_key_id
    assert (before.status, before.valid_until) == ("superseded", rotation)
    assert (after.sign_key_id, after.status, after.valid_from) == (new.sign_key_id, "active", rotation)
    assert [e.status for e in rotated.history("MINUSCA")] == ["superseded", "active"]
    with pytest.raises(UnknownAgency):
        rotated.current("MINUSCA", at=world.t0 - timedelta(days=1))
    with pytest.raises(UnknownAgency):
        rotated.current("NOBODY", at=rotation)
    # The rotated directory survives signing and verification.
    signed = _signed(world, rotated)
    assert KeyDirectory.verify(signed, central_key=world.central.signing_key.verify_key) == rotated
    with pytest.raises(DirectoryInvalid):
        world.directory.add(new.public(), valid_from=rotation)  # already has an active key
    with pytest.raises(DirectoryInvalid):
        rotated.rotate(new.public(), at=rotation + timedelta(days=1))  # same key twice


def test_revocation_lookup(world: World) -> None:
    revoked_at = world.t0 + timedelta(days=2)
    directory = world.directory.revoke("NCB-ARC", at=revoked_at)
    assert directory.current("NCB-ARC", at=revoked_at - timedelta(microseconds=1)).status == "revoked"
    with pytest.raises(KeyRevoked):
        directory.current("NCB-ARC", at=revoked_at)
    with pytest.raises(KeyRevoked):
        directory.recipient_keys(["NCB-UTO", "NCB-ARC"], at=revoked_at + timedelta(days=1))
    # A revoked agency rotates to a fresh key; the new key serves again.
    replacement = world.make_pair("NCB-ARC", 2)
    directory = directory.add(replacement.public(), valid_from=revoked_at + timedelta(hours=1))
    assert (
        directory.current("NCB-ARC", at=revoked_at + timedelta(hours=2)).enc_key_id == replacement.enc_key_id
    )
    # Revoking by key ID, and the sender-key lookup used by open_message.
    old_id = world.pairs["NCB-ARC"].sign_key_id
    entry = directory.sender_key("NCB-ARC", old_id)
    assert entry is not None
    assert entry.revoked_at == revoked_at
    assert directory.sender_key("NCB-UTO", old_id) is None
    assert directory.find_key(world.pairs["NCB-ARC"].enc_key_id) == entry
    with pytest.raises(DirectoryInvalid):
        directory.revoke("NCB-ARC", key_id=old_id, at=revoked_at + timedelta(days=1))
    earlier = directory.revoke("NCB-ARC", key_id=old_id, at=revoked_at - timedelta(hours=1))
    assert earlier.sender_key("NCB-ARC", old_id).revoked_at == revoked_at - timedelta(hours=1)  # type: ignore[union-attr]
