"""ISO/IEC 19794-2:2005 finger minutiae records (the "FMR" record format).

Layout (ISO/IEC 19794-2:2005 clause 7, all integers big-endian):

========================  =====  =====================================================
field                     bytes  notes
========================  =====  =====================================================
format identifier         4      ``b"FMR\\0"``
version                   4      ``b" 20\\0"``
record length             4      the whole record, header included
capture equipment         2      4-bit compliance + 12-bit equipment ID
image size x, y           2+2    pixels
resolution x, y           2+2    pixels per **centimetre**
number of finger views    1
reserved                  1      0
------------------------  -----  -----------------------------------------------------
per finger view:
finger position           1      0-10 (table 2)
view number / impression  1      high 4 bits view number, low 4 bits impression type
finger quality            1      0-100
number of minutiae        1
minutiae                  6 each 2-bit type + 14-bit x; 2 reserved bits + 14-bit y;
                                 angle in units of 360/256 degrees; quality 0-100
extended data length      2      0 when absent; else a list of (type 2, length 2, data)
========================  =====  =====================================================

Minutia type bits (7.4.1.1): 00 other, 01 ridge ending, 10 ridge bifurcation.

Reading keeps the capture equipment, view numbers and extended data, so that ``encode(decode(b)) == b``
for every record this module accepts (the reserved bits are the one thing it normalises to 0).

>>> from peacelink.matching.fingerprints.template import Minutia, Template
>>> t = Template(width=300, height=400, minutiae=(Minutia(x=10, y=20, angle=90.0, kind="bifurcation"),))
>>> data = encode(t)
>>> data[:8]
b'FMR\\x00 20\\x00'
>>> decode(data).minutiae[0]
Minutia(x=10, y=20, angle=90.0, kind='bifurcation', quality=0)
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, replace

from peacelink.matching.fingerprints.template import KINDS, Minutia, Template, TemplateError

FORMAT_IDENTIFIER = b"FMR\x00"
VERSION_2005 = b" 20\x00"
HEADER_LENGTH = 24
VIEW_HEADER_LENGTH = 4
MINUTIA_LENGTH = 6
ANGLE_UNIT = 360.0 / 256.0  # 7.4.1.3: one byte, 1.40625 degrees per unit
CENTIMETRES_PER_INCH = 2.54


class IsoFormatError(TemplateError):
    """The bytes are not a valid ISO/IEC 19794-2:2005 finger minutiae record."""


class TruncatedRecordError(IsoFormatError):
    """The record ends before the structure it announces."""


@dataclass(frozen=True, slots=True)
class IsoRecord:
    """A whole record: the shared header fields and one template per finger view."""

    views: tuple[Template, ...]
    capture_equipment_compliance: int = 0
    capture_equipment_id: int = 0


def ppi_to_pixels_per_cm(ppi: int) -> int:
    """Convert pixels per inch to the whole pixels per centimetre the record stores.

    >>> ppi_to_pixels_per_cm(500)
    197
    """
    return round(ppi / CENTIMETRES_PER_INCH)


def pixels_per_cm_to_ppi(pixels_per_cm: int) -> int:
    """Convert stored pixels per centimetre back to pixels per inch (round trips exactly).

    >>> pixels_per_cm_to_ppi(197)
    500
    """
    return round(pixels_per_cm * CENTIMETRES_PER_INCH)


class _Reader:
    """A bounds-checked cursor; every read past the end raises TruncatedRecordError."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, count: int, what: str) -> bytes:
        end = self.offset + count
        if end > len(self.data):
            raise TruncatedRecordError(
                f"record truncated: {what} needs bytes {self.offset}..{end}, the record has {len(self.data)}"
            )
        chunk = self.data[self.offset : end]
        self.offset = end
        return chunk

    def unpack(self, fmt: str, what: str) -> tuple[int, ...]:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt), what))


def _decode_minutia(chunk: bytes, index: int) -> Minutia:
    type_x, reserved_y, angle_units, quality = struct.unpack(">HHBB", chunk)
    type_bits = type_x >> 14
    if type_bits == 3:
        raise IsoFormatError(f"minutia {index}: type bits 11 are reserved (7.4.1.1)")
    if quality > 100:
        raise IsoFormatError(f"minutia {index}: quality {quality} outside 0..100 (7.4.1.4)")
    return Minutia(
        x=type_x & 0x3FFF,
        y=reserved_y & 0x3FFF,
        angle=angle_units * ANGLE_UNIT,
        kind=KINDS[type_bits],
        quality=quality,
    )


def _decode_view(reader: _Reader, header: dict[str, int], index: int) -> Template:
    position, view_impression, quality, count = reader.unpack(">BBBB", f"finger view {index} header")
    if position > 10:
        raise IsoFormatError(f"finger view {index}: finger position {position} outside 0..10")
    if quality > 100:
        raise IsoFormatError(f"finger view {index}: finger quality {quality} outside 0..100")
    minutiae = tuple(
        _decode_minutia(reader.take(MINUTIA_LENGTH, f"minutia {i} of view {index}"), i) for i in range(count)
    )
    (extended_length,) = reader.unpack(">H", f"extended data length of view {index}")
    extended = reader.take(extended_length, f"extended data of view {index}")
    _check_extended_data(extended, index)
    return Template(
        width=header["width"],
        height=header["height"],
        minutiae=minutiae,
        resolution_ppi=(header["ppi_x"], header["ppi_y"]),
        quality=quality,
        finger_position=position,
        impression_type=view_impression & 0x0F,
        extra={"view_number": view_impression >> 4, "extended_data": extended},
    )


def _check_extended_data(extended: bytes, index: int) -> None:
    """Walk the extended data areas (7.5): type code 2 bytes, length 2 bytes (header included), data."""
    offset = 0
    while offset < len(extended):
        if offset + 4 > len(extended):
            raise TruncatedRecordError(f"finger view {index}: extended data area header truncated")
        _type_code, area_length = struct.unpack(">HH", extended[offset : offset + 4])
        if area_length < 4 or offset + area_length > len(extended):
            raise IsoFormatError(f"finger view {index}: extended data area length {area_length} is invalid")
        offset += area_length


def decode_record(data: bytes) -> IsoRecord:
    """Parse a whole ISO/IEC 19794-2:2005 record; raise IsoFormatError if it is malformed."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise IsoFormatError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    reader = _Reader(data)
    if reader.take(4, "format identifier") != FORMAT_IDENTIFIER:
        raise IsoFormatError("not an ISO/IEC 19794-2 record: format identifier is not 'FMR\\0'")
    version = reader.take(4, "version")
    if version != VERSION_2005:
        raise IsoFormatError(f"unsupported version {version!r}; only ISO/IEC 19794-2:2005 (' 20') is read")
    (length,) = reader.unpack(">I", "record length")
    if length != len(data):
        raise IsoFormatError(f"record length field says {length} bytes but {len(data)} were given")
    equipment, width, height, res_x, res_y, views, _reserved = reader.unpack(">HHHHHBB", "record header")
    if res_x == 0 or res_y == 0:
        raise IsoFormatError("resolution 0 pixels/cm is not valid")
    if views == 0:
        raise IsoFormatError("record holds no finger view")
    header = {
        "width": width,
        "height": height,
        "ppi_x": pixels_per_cm_to_ppi(res_x),
        "ppi_y": pixels_per_cm_to_ppi(res_y),
    }
    templates = tuple(_decode_view(reader, header, index) for index in range(views))
    if reader.offset != len(data):
        raise IsoFormatError(f"{len(data) - reader.offset} unexpected bytes after the last finger view")
    return IsoRecord(
        views=templates,
        capture_equipment_compliance=equipment >> 12,
        capture_equipment_id=equipment & 0x0FFF,
    )


def decode(data: bytes) -> Template:
    """Parse a record and return its first finger view as a Template."""
    return decode_record(data).views[0]


def _encode_view(template: Template) -> bytes:
    view_number = int(str(template.extra.get("view_number", 0)))
    extended = template.extra.get("extended_data", b"")
    if not isinstance(extended, bytes):
        raise IsoFormatError("extended_data must be bytes")
    if not 0 <= view_number <= 15 or not 0 <= template.impression_type <= 15:
        raise IsoFormatError("view number and impression type must each fit in 4 bits")
    parts = [
        struct.pack(
            ">BBBB",
            template.finger_position,
            (view_number << 4) | template.impression_type,
            template.quality,
            len(template.minutiae),
        )
    ]
    for minutia in template.minutiae:
        angle_units = round(minutia.angle / ANGLE_UNIT) % 256
        type_bits = KINDS.index(minutia.kind)
        parts.append(
            struct.pack(">HHBB", (type_bits << 14) | minutia.x, minutia.y, angle_units, minutia.quality)
        )
    parts.append(struct.pack(">H", len(extended)))
    parts.append(extended)
    return b"".join(parts)


def encode_record(record: IsoRecord) -> bytes:
    """Serialise a whole record with one or more finger views."""
    if not 1 <= len(record.views) <= 255:
        raise IsoFormatError("a record holds 1 to 255 finger views")
    first = record.views[0]
    for view in record.views[1:]:
        if (view.width, view.height, view.resolution_ppi) != (
            first.width,
            first.height,
            first.resolution_ppi,
        ):
            raise IsoFormatError("all finger views in one record share image size and resolution")
    if not 0 <= record.capture_equipment_compliance <= 15 or not 0 <= record.capture_equipment_id <= 0xFFF:
        raise IsoFormatError("capture equipment: compliance is 4 bits, ID 12 bits")
    body = b"".join(_encode_view(view) for view in record.views)
    length = HEADER_LENGTH + len(body)
    header = (
        FORMAT_IDENTIFIER
        + VERSION_2005
        + struct.pack(
            ">IHHHHHBB",
            length,
            (record.capture_equipment_compliance << 12) | record.capture_equipment_id,
            first.width,
            first.height,
            ppi_to_pixels_per_cm(first.resolution_ppi[0]),
            ppi_to_pixels_per_cm(first.resolution_ppi[1]),
            len(record.views),
            0,
        )
    )
    return header + body


def encode(template: Template, *, capture_equipment_id: int = 0) -> bytes:
    """Serialise one template as a single-view ISO/IEC 19794-2:2005 record."""
    return encode_record(IsoRecord(views=(template,), capture_equipment_id=capture_equipment_id))


def with_minutiae(template: Template, minutiae: tuple[Minutia, ...]) -> Template:
    """Return a copy of the template with other minutiae (keeps geometry and view fields)."""
    return replace(template, minutiae=minutiae)
