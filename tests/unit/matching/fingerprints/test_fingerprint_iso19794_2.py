"""ISO/IEC 19794-2:2005 codec: exact layout, round trips, and clear errors on bad input."""

import contextlib
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacelink.matching.fingerprints import iso19794_2 as iso
from peacelink.matching.fingerprints import synthetic
from peacelink.matching.fingerprints.template import Minutia, Template, TemplateError


def hand_built_record() -> bytes:
    """A record assembled field by field from the standard's table, independent of the encoder."""
    minutiae = struct.pack(">HHBB", (1 << 14) | 100, 200, 64, 55) + struct.pack(
        ">HHBB", (2 << 14) | 7, 9, 255, 0
    )
    view = bytes([3, (1 << 4) | 2, 80, 2]) + minutiae + b"\x00\x00"
    header_rest = struct.pack(">HHHHHBB", (1 << 12) | 0x123, 388, 374, 197, 197, 1, 0)
    length = 4 + 4 + 4 + len(header_rest) + len(view)
    return b"FMR\x00" + b" 20\x00" + struct.pack(">I", length) + header_rest + view


def test_decodes_hand_built_record_field_by_field() -> None:
    record = iso.decode_record(hand_built_record())
    assert record.capture_equipment_compliance == 1
    assert record.capture_equipment_id == 0x123
    view = record.views[0]
    assert (view.width, view.height, view.resolution_ppi) == (388, 374, (500, 500))
    assert (view.finger_position, view.impression_type, view.quality) == (3, 2, 80)
    assert view.extra["view_number"] == 1
    assert view.minutiae[0] == Minutia(x=100, y=200, angle=90.0, kind="ending", quality=55)
    assert view.minutiae[1] == Minutia(x=7, y=9, angle=255 * 360 / 256, kind="bifurcation", quality=0)


def test_round_trip_is_byte_identical() -> None:
    data = hand_built_record()
    assert iso.encode_record(iso.decode_record(data)) == data


def test_extended_data_is_kept() -> None:
    extended = struct.pack(">HH", 1, 8) + b"abcd"
    data = bytearray(hand_built_record())
    data[-2:] = struct.pack(">H", len(extended)) + extended
    data[8:12] = struct.pack(">I", len(data))
    assert iso.encode_record(iso.decode_record(bytes(data))) == bytes(data)


def test_synthetic_templates_round_trip() -> None:
    rng = np.random.default_rng(3)
    for master in synthetic.fingers(5, seed=2):
        template = synthetic.impression(master, rng)
        decoded = iso.decode(iso.encode(template))
        assert [(m.x, m.y, m.kind) for m in decoded.minutiae] == [
            (m.x, m.y, m.kind) for m in template.minutiae
        ]
        for a, b in zip(decoded.minutiae, template.minutiae, strict=True):
            assert abs((a.angle - b.angle + 180) % 360 - 180) <= 360 / 512 + 1e-9


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: b"XMR\x00" + d[4:], "format identifier"),
        (lambda d: d[:4] + b"030\x00" + d[8:], "version"),
        (lambda d: d[:-3], "length"),
        (lambda d: d[:8] + struct.pack(">I", 10) + d[12:], "length"),
        (lambda d: d[:24] + bytes([11]) + d[25:], "finger position"),
    ],
)
def test_malformed_records_raise_clear_errors(mutate: object, message: str) -> None:
    with pytest.raises(iso.IsoFormatError, match=message):
        iso.decode(mutate(hand_built_record()))  # type: ignore[operator]


def test_truncated_record_with_consistent_length_is_reported() -> None:
    data = hand_built_record()[:-8]
    data = data[:8] + struct.pack(">I", len(data)) + data[12:]
    with pytest.raises(iso.TruncatedRecordError):
        iso.decode(data)


def test_errors_are_value_errors() -> None:
    assert issubclass(iso.IsoFormatError, ValueError)
    with pytest.raises(ValueError, match="format identifier"):
        iso.decode(b"")


def test_encoder_rejects_what_the_format_cannot_hold() -> None:
    with pytest.raises(TemplateError):
        Template(width=10, height=10, minutiae=(Minutia(x=1, y=1, angle=0.0),) * 256)
    with pytest.raises(TemplateError):
        Minutia(x=1 << 14, y=0, angle=0.0)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_garbage_never_crashes(data: bytes) -> None:
    with contextlib.suppress(iso.IsoFormatError):
        iso.decode_record(data)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=41), st.integers(min_value=0, max_value=255))
def test_single_byte_corruption_is_rejected_or_round_trips(position: int, value: int) -> None:
    data = bytearray(hand_built_record())
    data[position] = value
    try:
        record = iso.decode_record(bytes(data))
    except iso.IsoFormatError:
        return
    # Reserved bits are normalised to zero on writing; everything else must survive.
    again = iso.encode_record(record)
    assert iso.decode_record(again) == record
