"""Canonical JSON, timestamps, base64url and the strict envelope/payload parsers."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from peacelink.messaging.canonical import (
    b64decode,
    b64encode,
    canonical_json,
    format_time,
    parse_json_strict,
    parse_time,
)
from peacelink.messaging.envelope import SealedMessage
from peacelink.messaging.errors import MalformedMessage
from peacelink.messaging.payload import PADDING_BLOCK, decode_payload, encode_payload, make_payload

if TYPE_CHECKING:  # fixtures come from conftest.py, which is not importable under --import-mode=importlib
    from conftest import World


def test_canonical_json() -> None:
    assert canonical_json({"z": {"b": 2, "a": 1}, "a": "ü"}) == '{"a":"ü","z":{"a":1,"b":2}}'.encode()
    with pytest.raises(TypeError):
        canonical_json({"x": 1.5})
    with pytest.raises(TypeError):
        canonical_json({"x": b"bytes"})


def test_strict_parse() -> None:
    assert parse_json_strict(b'{"a":[1,null]}') == {"a": [1, None]}
    for bad in (b'{"a":1,"a":2}', b'{"a":1.0}', b'{"a":NaN}', b"\xff", b"{"):
        with pytest.raises(ValueError, match=r"duplicate|float|not allowed|UTF-8|JSON"):
            parse_json_strict(bad)


def test_times() -> None:
    plus_two = timezone(timedelta(hours=2))
    moment = datetime(2025, 6, 1, 14, 0, 0, 5, tzinfo=plus_two)
    assert format_time(moment) == "2025-06-01T12:00:00.000005Z"
    assert parse_time(format_time(moment)) == moment
    assert format_time(datetime(5, 1, 1, tzinfo=UTC)).startswith("0005-")
    with pytest.raises(ValueError, match="naive"):
        format_time(datetime(2025, 1, 1))  # naive on purpose
    for bad in ("2025-06-01T12:00:00Z", "2025-06-01T12:00:00.000005+00:00", "2025-13-01T12:00:00.000000Z"):
        with pytest.raises(ValueError, match="canonical UTC"):
            parse_time(bad)


def test_base64url() -> None:
    for data in (b"", b"\x00", b"\xfb\xff", bytes(range(256))):
        text = b64encode(data)
        assert "=" not in text
        assert "+" not in text
        assert "/" not in text
        assert b64decode(text) == data
    for bad in ("a", "ab==", "a+b/", "AB"):  # "AB" has non-zero trailing bits (canonical is "AA")
        with pytest.raises(ValueError, match="base64url"):
            b64decode(bad)


def test_payload_codec_and_padding() -> None:
    payload = make_payload(
        subject="s", body="b" * 300, links=[("case", "7")], attachments=[("f", "text/plain", b"x" * 1000)]
    )
    encoded = encode_payload(payload, salt=bytes(16))
    assert len(encoded) % PADDING_BLOCK == 0
    assert decode_payload(encoded) == payload
    with pytest.raises(MalformedMessage):
        decode_payload(encoded[:-1] + b"\x01")  # non-zero padding
    with pytest.raises(MalformedMessage):
        decode_payload(encoded + bytes(PADDING_BLOCK))  # too much padding
    with pytest.raises(MalformedMessage):
        decode_payload(b"PLP1" + struct.pack(">I", 10_000) + b"{}")


def test_envelope_parsers_are_strict(world: World) -> None:
    sealed = world.seal()
    blob = sealed.to_bytes()
    assert SealedMessage.from_bytes(blob) == sealed
    for bad in (blob + b"\x00", blob[:-1], b"XXXX" + blob[4:], blob[:20], b""):
        with pytest.raises(MalformedMessage):
            SealedMessage.from_bytes(bad)
    document = sealed.to_json()
    for bad_document in (
        dict(document, extra=1),
        dict(document, nonce="AAAA"),
        dict(document, wrapped_keys={"nothex": document["signature"]}),
        dict(document, header=document["header"].replace('"version":1', '"version":2')),
        {k: v for k, v in document.items() if k != "ciphertext"},
    ):
        with pytest.raises(MalformedMessage):
            SealedMessage.from_json(bad_document)
