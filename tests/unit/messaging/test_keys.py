"""Agency key pairs: key IDs, public-key documents and passphrase-encrypted private-key files."""

from __future__ import annotations

import json

import nacl.pwhash.argon2id as argon2id
import pytest

from peacelink.messaging.canonical import canonical_json
from peacelink.messaging.errors import InvalidMessage, KeyFileInvalid, WrongPassphrase
from peacelink.messaging.keys import AgencyKeyPair, AgencyPublicKeys, key_id

FAST = {"opslimit": argon2id.OPSLIMIT_MIN, "memlimit": argon2id.MEMLIMIT_MIN}  # keep unit tests fast


def _pair(code: str = "NCB-UTO") -> AgencyKeyPair:
    return AgencyKeyPair.from_seeds(code, sign_seed=bytes(range(32)), enc_secret=bytes(range(32, 64)))


def test_key_ids_are_stable_distinct_and_hex() -> None:
    pair = _pair()
    assert pair.sign_key_id == key_id(bytes(pair.signing_key.verify_key), algorithm="ed25519")
    assert len(pair.sign_key_id) == 32
    assert int(pair.sign_key_id, 16) >= 0
    assert pair.sign_key_id != pair.enc_key_id
    assert pair.public().sign_key_id == pair.sign_key_id
    assert pair.public().enc_key_id == pair.enc_key_id
    assert AgencyKeyPair.generate("NCB-UTO").sign_key_id != pair.sign_key_id
    with pytest.raises(ValueError, match="32 bytes"):
        key_id(b"short", algorithm="x25519")


def test_public_document_round_trip() -> None:
    public = _pair().public()
    document = public.to_json()
    assert AgencyPublicKeys.from_json(document) == public
    with pytest.raises(ValueError, match="does not match"):
        AgencyPublicKeys.from_json(dict(document, enc_key_id="0" * 32))
    # The public document holds no private material.
    secret = bytes(_pair().signing_key) + bytes(_pair().encryption_key)
    assert secret[:32].hex() not in json.dumps(document)


def test_agency_code_is_validated() -> None:
    with pytest.raises(InvalidMessage):
        AgencyKeyPair.generate("ncb uto")


def test_encrypted_export_round_trip() -> None:
    pair = _pair()
    blob = pair.export_encrypted(b"correct horse battery staple", **FAST)
    assert bytes(pair.signing_key) not in blob
    assert bytes(pair.encryption_key) not in blob
    text = blob.decode()
    for secret in (bytes(pair.signing_key), bytes(pair.encryption_key)):
        assert secret.hex() not in text
    restored = AgencyKeyPair.import_encrypted(blob, b"correct horse battery staple")
    assert restored.public() == pair.public()
    assert bytes(restored.signing_key) == bytes(pair.signing_key)
    assert json.loads(blob)["kdf"]["name"] == "argon2id13"


def test_wrong_passphrase_and_tampering() -> None:
    pair = _pair()
    blob = pair.export_encrypted(b"passphrase-one", **FAST)
    with pytest.raises(WrongPassphrase):
        AgencyKeyPair.import_encrypted(blob, b"passphrase-two")
    document = json.loads(blob)
    box = document["box"]
    document["box"] = box[:10] + ("A" if box[10] != "A" else "B") + box[11:]
    with pytest.raises(KeyFileInvalid):
        AgencyKeyPair.import_encrypted(canonical_json(document), b"passphrase-one")
    # Relabelling the file for another agency is caught (the code is inside the ciphertext).
    relabelled = dict(json.loads(blob), agency="NCB-ARC")
    with pytest.raises(KeyFileInvalid, match="agency"):
        AgencyKeyPair.import_encrypted(canonical_json(relabelled), b"passphrase-one")
    # Absurd KDF limits from a forged file are refused before any work is done.
    forged = json.loads(blob)
    forged["kdf"]["memlimit"] = 1 << 40
    with pytest.raises(KeyFileInvalid, match="out of range"):
        AgencyKeyPair.import_encrypted(canonical_json(forged), b"passphrase-one")
    with pytest.raises(KeyFileInvalid):
        AgencyKeyPair.import_encrypted(b"not json", b"passphrase-one")
    with pytest.raises(ValueError, match="empty"):
        pair.export_encrypted(b"", **FAST)
