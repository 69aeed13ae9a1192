"""ANSI/NIST-ITL 1-2011 transactions: read Type-1, 2, 4, 9 and 14 records; write Type-9 minutiae.

Traditional encoding (ANSI/NIST-ITL 1-2011 clause 7.2): tagged records are ASCII fields ``T.NNN:value``
separated by GS (0x1D) and ended by FS (0x1C); subfields are separated by RS (0x1E) and information
items by US (0x1F). Field ``x.001`` (LEN) gives the record length in bytes. Type-4 is the binary
fixed-header record (clause 8.4): LEN 4 bytes, IDC 1, IMP 1, FGP 6, ISR 1, HLL 2, VLL 2, GCA 1, then the
image. The Type-1 field 1.003 (CNT) lists the records that follow: first subfield ``1 US count``, then
``type US IDC`` per record.

Type-9 choice: we read and write the **legacy "standard format" minutiae block**, fields 9.004-9.012
(FMT ``S``, OFR, FGP, FPC, MIN, RDG, MRC), not the INCITS 378 block 9.126-9.137. Reason: it is the block
INTERPOL and FBI AFIS exchanges (EBTS/INT-I type 9) have carried for decades and it is self-contained
ASCII, so it round-trips without a second binary standard. 9.012 (MRC) has one subfield per minutia:
index US ``XXXXYYYYTTT`` (x and y in 0.01 mm, theta in degrees counter-clockwise from the right) US
quality (0 manual, 1 unknown, 2-63 low to high) US type (A ending, B bifurcation, C compound, D other).
Coordinates in 9.012 have their origin at the **lower-left** corner (y up), so converting to our pixel
frame (upper-left origin) needs the image height: taken from the Type-4/14 image with the same IDC, else
from the ``height`` the caller passes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from peacelink.matching.fingerprints.template import Minutia, MinutiaKind, Template, TemplateError

FS, GS, RS, US = b"\x1c", b"\x1d", b"\x1e", b"\x1f"
TAGGED_TYPES = frozenset({1, 2, 9, 10, 13, 14, 15, 16, 17, 18, 19, 20, 21, 98, 99})
BINARY_TYPES = frozenset({3, 4, 5, 6, 7, 8})
TYPE4_HEADER = struct.Struct(">IBB6sBHHB")
MINUTIA_TYPES: dict[str, MinutiaKind] = {"A": "ending", "B": "bifurcation", "C": "other", "D": "other"}
HUNDREDTHS_MM_PER_INCH = 2540


class AnsiNistError(TemplateError):
    """The bytes are not a valid ANSI/NIST-ITL transaction or record."""


@dataclass(frozen=True, slots=True)
class Record:
    """One logical record: its type, its fields (tag number -> raw bytes) or its binary payload."""

    record_type: int
    fields: dict[int, bytes] = field(default_factory=dict)
    idc: int = 0
    binary: dict[str, object] = field(default_factory=dict)

    def text(self, tag: int, default: str = "") -> str:
        """Return a field as text (ASCII/UTF-8), or ``default`` when absent."""
        value = self.fields.get(tag)
        return default if value is None else value.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class FingerImage:
    """A fingerprint image from a Type-4 or Type-14 record."""

    record_type: int
    idc: int
    finger_positions: tuple[int, ...]
    width: int
    height: int
    compression: str
    data: bytes


def _tagged(data: bytes, offset: int, expected_type: int) -> tuple[Record, int]:
    """Parse one tagged record starting at ``offset``; return it and the next offset."""
    colon = data.find(b":", offset, offset + 20)
    if colon < 0:
        raise AnsiNistError(f"record at byte {offset}: no 'T.001:' length field")
    tag = data[offset:colon].decode("ascii", errors="replace")
    try:
        record_type, number = (int(p) for p in tag.split("."))
    except ValueError as error:
        raise AnsiNistError(f"record at byte {offset}: bad tag {tag!r}") from error
    if record_type != expected_type or number != 1:
        raise AnsiNistError(f"record at byte {offset}: expected {expected_type}.001, found {tag}")
    end_of_len = min((i for i in (data.find(GS, colon), data.find(FS, colon)) if i >= 0), default=-1)
    try:
        length = int(data[colon + 1 : end_of_len])
    except ValueError as error:
        raise AnsiNistError(f"record at byte {offset}: LEN is not a number") from error
    end = offset + length
    if end_of_len < 0 or length < 8 or end > len(data) or data[end - 1 : end] != FS:
        raise AnsiNistError(f"Type-{record_type} record at byte {offset}: LEN {length} does not end at an FS")
    fields: dict[int, bytes] = {}
    position = offset
    while position < end - 1:
        colon = data.find(b":", position, end)
        if colon < 0:
            raise AnsiNistError(f"Type-{record_type} record: field without ':' at byte {position}")
        try:
            field_type, number = (int(p) for p in data[position:colon].decode("ascii").split("."))
        except (ValueError, UnicodeDecodeError) as error:
            raise AnsiNistError(f"Type-{record_type} record: bad field tag at byte {position}") from error
        if field_type != record_type:
            raise AnsiNistError(f"Type-{record_type} record holds a field of type {field_type}")
        if number == 999:
            # 999 (image data) is binary and always last: it runs to the record's FS (clause 7.2.1).
            value, position = data[colon + 1 : end - 1], end - 1
        else:
            stop = data.find(GS, colon, end - 1)
            stop = end - 1 if stop < 0 else stop
            value, position = data[colon + 1 : stop], stop + 1 if stop < end - 1 else end - 1
        fields[number] = value
    idc_text = fields.get(2, b"0").split(RS)[0] or b"0"
    idc = int(idc_text) if idc_text.isdigit() else 0
    return Record(record_type, fields, idc), end


def _type4(data: bytes, offset: int) -> tuple[Record, int]:
    if offset + TYPE4_HEADER.size > len(data):
        raise AnsiNistError(f"Type-4 record at byte {offset} truncated")
    length, idc, impression, positions, scan, width, height, compression = TYPE4_HEADER.unpack_from(
        data, offset
    )
    if length < TYPE4_HEADER.size or offset + length > len(data):
        raise AnsiNistError(f"Type-4 record at byte {offset}: LEN {length} is beyond the transaction")
    fgp = tuple(p for p in positions if p != 255)  # 255 fills unused finger position bytes (8.4.4)
    binary: dict[str, object] = {
        "impression_type": impression,
        "finger_positions": fgp,
        "scanning_resolution": scan,
        "width": width,
        "height": height,
        "compression": compression,
        "image": data[offset + TYPE4_HEADER.size : offset + length],
    }
    return Record(4, {}, idc, binary), offset + length


def read(data: bytes) -> list[Record]:
    """Parse a whole traditional-encoding transaction into its records (Type-1 first)."""
    if not isinstance(data, bytes | bytearray) or not data.startswith(b"1.001:"):
        raise AnsiNistError("not an ANSI/NIST-ITL transaction: it must start with '1.001:'")
    data = bytes(data)
    header, offset = _tagged(data, 0, 1)
    content = [s.split(US) for s in header.fields.get(3, b"").split(RS)]
    try:
        listed = [(int(item[0]), int(item[1])) for item in content[1:]]
        announced = int(content[0][1])
    except (ValueError, IndexError) as error:
        raise AnsiNistError("field 1.003 (CNT) is malformed") from error
    if announced != len(listed):
        raise AnsiNistError(f"CNT announces {announced} records but lists {len(listed)}")
    records = [header]
    for record_type, _idc in listed:
        if record_type == 4:
            record, offset = _type4(data, offset)
        elif record_type in TAGGED_TYPES:
            record, offset = _tagged(data, offset, record_type)
        else:
            raise AnsiNistError(f"record Type-{record_type} is not supported")
        records.append(record)
    if offset != len(data):
        raise AnsiNistError(f"{len(data) - offset} bytes after the last record listed in CNT")
    return records


def _int(record: Record, tag: int, default: int = 0) -> int:
    text = record.text(tag).split("\x1e")[0].split("\x1f")[0]
    return int(text) if text.strip().isdigit() else default


def finger_images(records: list[Record]) -> list[FingerImage]:
    """Return the fingerprint images of Type-4 and Type-14 records."""
    images = []
    for record in records:
        if record.record_type == 4:
            b = record.binary
            compression = {0: "NONE", 1: "WSQ"}.get(int(str(b["compression"])), str(b["compression"]))
            images.append(
                FingerImage(
                    4,
                    record.idc,
                    tuple(int(p) for p in str(b["finger_positions"]).strip("(),").split(",") if p.strip()),
                    int(str(b["width"])),
                    int(str(b["height"])),
                    compression,
                    b["image"] if isinstance(b["image"], bytes) else b"",
                )
            )
        elif record.record_type == 14:
            positions = tuple(int(p) for p in record.text(13).split("\x1e") if p.strip().isdigit())
            images.append(
                FingerImage(
                    14,
                    record.idc,
                    positions,
                    _int(record, 6),
                    _int(record, 7),
                    record.text(11, "NONE"),
                    record.fields.get(999, b""),
                )
            )
    return images


def decode_type9(record: Record, *, height: int, ppi: int = 500, width: int = 0) -> Template:
    """Turn a legacy Type-9 record (9.006 FGP, 9.012 MRC) into a Template in pixel coordinates."""
    if record.record_type != 9:
        raise AnsiNistError(f"expected a Type-9 record, got Type-{record.record_type}")
    if record.text(4, "S") not in {"S", "U"} or 12 not in record.fields:
        raise AnsiNistError("Type-9 record has no standard-format minutiae (9.004 FMT / 9.012 MRC)")
    minutiae = []
    for index, subfield in enumerate(record.fields[12].split(RS)):
        items = subfield.decode("ascii", errors="replace").split("\x1f")
        position = items[1] if len(items) > 1 else ""
        if len(position) != 11 or not position.isdigit():
            raise AnsiNistError(f"9.012 minutia {index}: position {position!r} is not XXXXYYYYTTT")
        x_mm, y_mm, theta = int(position[:4]), int(position[4:8]), int(position[8:])
        if theta >= 360:
            raise AnsiNistError(f"9.012 minutia {index}: theta {theta} not below 360")
        quality = int(items[2]) if len(items) > 2 and items[2].isdigit() else 1
        kind = MINUTIA_TYPES.get(items[3] if len(items) > 3 else "D", "other")
        x = round(x_mm * ppi / HUNDREDTHS_MM_PER_INCH)
        y = height - 1 - round(y_mm * ppi / HUNDREDTHS_MM_PER_INCH)
        if y < 0:
            raise AnsiNistError(f"9.012 minutia {index} lies above the image height {height}")
        scaled = 0 if quality < 2 else round((min(quality, 63) - 2) / 61 * 99) + 1
        minutiae.append(Minutia(x=x, y=y, angle=float(theta), kind=kind, quality=scaled))
    count = _int(record, 10, len(minutiae))
    if count != len(minutiae):
        raise AnsiNistError(f"9.010 MIN says {count} minutiae but 9.012 holds {len(minutiae)}")
    finger = _int(record, 6)
    return Template(
        width=width,
        height=height,
        minutiae=tuple(minutiae),
        resolution_ppi=(ppi, ppi),
        finger_position=finger if finger <= 10 else 0,
    )


def _tagged_bytes(record_type: int, fields: list[tuple[int, bytes]]) -> bytes:
    """Serialise a tagged record, solving LEN (which counts its own digits) by iteration."""
    body = GS.join(f"{record_type}.{n:03d}:".encode() + v for n, v in fields)
    length = 0
    while True:
        record = f"{record_type}.001:{length}".encode() + GS + body + FS
        if len(record) == length:
            return record
        length = len(record)


def encode_type9(
    template: Template, *, idc: int, impression_type: int = 0, system: str = "PEACELINK"
) -> bytes:
    """Write a legacy-format Type-9 record (9.001-9.012) for a template."""
    ppi = template.resolution_ppi[0] or 500
    subfields = []
    kinds = {"ending": "A", "bifurcation": "B", "other": "D"}
    for index, m in enumerate(template.minutiae, start=1):
        x_mm = round(m.x * HUNDREDTHS_MM_PER_INCH / ppi)
        y_mm = round((template.height - 1 - m.y) * HUNDREDTHS_MM_PER_INCH / ppi)
        if not (0 <= x_mm <= 9999 and 0 <= y_mm <= 9999):
            raise AnsiNistError(f"minutia {index} does not fit the 4-digit 0.01 mm coordinates of 9.012")
        quality = 1 if m.quality == 0 else 2 + round((m.quality - 1) / 99 * 61)
        theta = round(m.angle) % 360
        subfields.append(
            f"{index:03d}\x1f{x_mm:04d}{y_mm:04d}{theta:03d}\x1f{quality}\x1f{kinds[m.kind]}".encode()
        )
    fields = [
        (2, f"{idc:02d}".encode()),
        (3, str(impression_type).encode()),
        (4, b"S"),
        (5, system.encode() + US + b"A"),  # OFR: system name, method A = automatic
        (6, str(template.finger_position).encode()),
        (7, b"T" + US + b"UN"),  # FPC: pattern class unknown (table 8 code UN)
        (10, str(len(template.minutiae)).encode()),
        (11, b"0"),  # RDG: no ridge counts
        (12, RS.join(subfields)),
    ]
    return _tagged_bytes(9, fields)


def encode_transaction(
    records: list[tuple[int, bytes]],
    *,
    transaction_type: str = "CPS",
    originator: str = "PEACELINK",
    date: str = "20260101",
    control_number: str = "1",
) -> bytes:
    """Wrap already-encoded records (type, bytes) in a Type-1 header (version 0500, ANSI/NIST-ITL 1-2011)."""
    content = [b"1" + US + str(len(records)).encode()]
    content += [str(t).encode() + US + f"{i:02d}".encode() for i, (t, _) in enumerate(records, start=1)]
    fields = [
        (2, b"0500"),
        (3, RS.join(content)),
        (4, transaction_type.encode()),
        (5, date.encode()),
        (7, b"DAI000000"),
        (8, originator.encode()),
        (9, control_number.encode()),
        (11, b"19.69"),  # NSR: native scanning resolution 19.69 px/mm = 500 ppi
        (12, b"19.69"),
    ]
    return _tagged_bytes(1, fields) + b"".join(r for _, r in records)


def encode_type4(
    image: bytes, *, idc: int, width: int, height: int, finger_position: int, compression: int = 0
) -> bytes:
    """Write a Type-4 record (used by tests to build transactions; 8.4)."""
    positions = bytes([finger_position, 255, 255, 255, 255, 255])
    header = TYPE4_HEADER.pack(
        TYPE4_HEADER.size + len(image), idc, 0, positions, 1, width, height, compression
    )
    return header + image


def minutiae(records: list[Record], *, default_height: int = 0, ppi: int = 500) -> list[Template]:
    """Return the Templates of all Type-9 records; the image of the same IDC gives the height."""
    sizes = {image.idc: (image.width, image.height) for image in finger_images(records)}
    templates = []
    for record in records:
        if record.record_type == 9:
            width, height = sizes.get(record.idc, (0, default_height))
            if height <= 0:
                raise AnsiNistError(f"Type-9 IDC {record.idc}: no image height to convert 9.012 coordinates")
            templates.append(decode_type9(record, height=height, width=width, ppi=ppi))
    return templates
