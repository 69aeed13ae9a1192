"""ANSI/NIST-ITL 1-2011: build transactions with Type-2, 4, 9 and 14 records, then read them back."""

import numpy as np
import pytest

from peacelink.matching.fingerprints import ansi_nist, synthetic
from peacelink.matching.fingerprints.ansi_nist import FS, GS, RS, US


def type14(image: bytes, *, idc: int, position: int, width: int, height: int) -> bytes:
    fields = [
        (2, f"{idc:02d}".encode()),
        (3, b"0"),
        (4, b"TEST"),
        (5, b"20260101"),
        (6, str(width).encode()),
        (7, str(height).encode()),
        (8, b"1"),
        (9, b"500"),
        (10, b"500"),
        (11, b"NONE"),
        (12, b"8"),
        (13, str(position).encode()),
        (999, image),
    ]
    return ansi_nist._tagged_bytes(14, fields)


def transaction() -> tuple[bytes, object]:
    master = synthetic.fingers(1, seed=6)[0]
    template = synthetic.impression(master, np.random.default_rng(2))
    template = type(template)(
        width=template.width, height=template.height, minutiae=template.minutiae, finger_position=2
    )
    pixels = bytes(range(256)) * 4  # binary image data, including separator byte values
    records = [
        (2, ansi_nist._tagged_bytes(2, [(2, b"00"), (18, b"DOE" + US + b"JOHN")])),
        (
            4,
            ansi_nist.encode_type4(
                pixels, idc=1, width=template.width, height=template.height, finger_position=2
            ),
        ),
        (14, type14(pixels, idc=2, position=7, width=32, height=32)),
        (9, ansi_nist.encode_type9(template, idc=1)),
    ]
    return ansi_nist.encode_transaction(records), template


def test_reads_all_records_and_images() -> None:
    data, _ = transaction()
    records = ansi_nist.read(data)
    assert [r.record_type for r in records] == [1, 2, 4, 14, 9]
    assert records[0].text(2) == "0500"
    assert int(records[0].text(1)) == data.index(b"2.001:")
    images = ansi_nist.finger_images(records)
    assert [(i.record_type, i.finger_positions, i.width, i.compression) for i in images] == [
        (4, (2,), 320, "NONE"),
        (14, (7,), 32, "NONE"),
    ]
    assert images[0].data == images[1].data == bytes(range(256)) * 4


def test_type9_round_trip_within_format_precision() -> None:
    data, template = transaction()
    (decoded,) = ansi_nist.minutiae(ansi_nist.read(data), ppi=500)
    assert decoded.finger_position == 2
    assert len(decoded.minutiae) == len(template.minutiae)  # type: ignore[attr-defined]
    for a, b in zip(decoded.minutiae, template.minutiae, strict=True):  # type: ignore[attr-defined]
        # 0.01 mm units are 0.2 px at 500 ppi; theta is whole degrees.
        assert abs(a.x - b.x) <= 1 and abs(a.y - b.y) <= 1
        assert abs((a.angle - b.angle + 180) % 360 - 180) <= 0.5 + 1e-9
        assert a.kind == b.kind


def test_type9_fields_follow_the_legacy_layout() -> None:
    _, template = transaction()
    record = ansi_nist.encode_type9(template, idc=3)  # type: ignore[arg-type]
    assert record.startswith(b"9.001:" + str(len(record)).encode() + GS + b"9.002:03" + GS)
    assert record.endswith(FS)
    assert GS + b"9.004:S" + GS in record
    first = record.split(b"9.012:")[1].split(RS)[0]
    index, position, _quality, kind = first.split(US)
    assert index == b"001" and len(position) == 11 and kind in {b"A", b"B", b"D"}


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: b"2.001" + d[5:], "1.001"),
        (lambda d: d[:-5], "LEN|truncated|FS"),
        (lambda d: d + b"extra", "after the last record"),
        (lambda d: d.replace(b"1.003:1" + US + b"4", b"1.003:1" + US + b"5", 1), "CNT"),
    ],
)
def test_malformed_transactions_raise(damage: object, message: str) -> None:
    data, _ = transaction()
    with pytest.raises(ansi_nist.AnsiNistError, match=message):
        ansi_nist.read(damage(data))  # type: ignore[operator]


def test_garbage_is_rejected() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        junk = b"1.001:" + rng.bytes(int(rng.integers(0, 80)))
        with pytest.raises(ValueError):
            ansi_nist.read(junk)
