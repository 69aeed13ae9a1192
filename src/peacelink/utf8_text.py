"""Where input stops being UTF-8 text: the line and column of its first byte that is not, for an error that
says where to look (an import file, a request body).

Every text PeaceLink takes is UTF-8 (RFC 8259 for JSON; the import format for CSV and JSON Lines). A file
saved as Windows-1251 or Latin-1, or as UTF-16 by a spreadsheet, is refused whole with that position, before
anything of it is read: guessing its encoding would store wrong letters without a word. Python's UTF-8
codec also refuses encoded surrogates (CESU-8), so text that passes holds whole characters only.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["NotUtf8", "first_not_utf8", "not_utf8_message"]

_CHUNK = 1 << 20
_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class NotUtf8:
    """The first byte of an input that is not UTF-8: its line and column (both from 1, the column in bytes),
    the byte, and whether the input starts with a UTF-16 byte order mark."""

    line: int
    column: int
    byte: int
    utf16: bool


def first_not_utf8(stream: BinaryIO, *, chunk: int = _CHUNK) -> NotUtf8 | None:
    """The first place ``stream`` (read from its current position to its end) is not UTF-8, or None.

    Reads in chunks (a 1 GB import is checked in about a second, in constant memory); a character split
    between two chunks is joined, not taken for an error.

    >>> import io
    >>> first_not_utf8(io.BytesIO("a\\nИван\\n".encode())) is None
    True
    >>> first_not_utf8(io.BytesIO("a,b\\nИван,x\\n".encode("cp1251")))
    NotUtf8(line=2, column=1, byte=200, utf16=False)
    """
    line, line_start, base, carry = 1, 0, 0, b""
    first = True
    while True:
        read = stream.read(chunk)
        if first:
            utf16 = read.startswith(_UTF16_MARKS)
            first = False
        data = carry + read
        try:
            _, consumed = codecs.utf_8_decode(data, "strict", not read)
        except UnicodeDecodeError as error:
            before = data[: error.start]
            if (newlines := before.count(b"\n")) > 0:
                line += newlines
                line_start = base + before.rindex(b"\n") + 1
            return NotUtf8(line, base + error.start - line_start + 1, data[error.start], utf16)
        done = data[:consumed]
        if (newlines := done.count(b"\n")) > 0:
            line += newlines
            line_start = base + done.rindex(b"\n") + 1
        base += consumed
        carry = data[consumed:]
        if not read:
            return None


def not_utf8_message(what: str, found: NotUtf8) -> str:
    """The error for ``what`` ("the body", "the file x.csv") that is not UTF-8 at ``found``."""
    if found.utf16:
        return (
            f"{what} is not UTF-8 text: it is UTF-16 (it starts with a UTF-16 byte order mark); "
            "save it as UTF-8"
        )
    return (
        f"{what} is not UTF-8 text: line {found.line}, column {found.column} holds byte 0x{found.byte:02X}, "
        "which UTF-8 text cannot hold there (saved as Windows-1251, Latin-1 or another encoding?); "
        "save it as UTF-8"
    )
