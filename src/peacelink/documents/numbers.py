"""Document number normalisation and blank-document ranges.

Numbers are compared in one canonical form: upper case, without the spaces, dashes, dots, slashes and
``<`` fillers that people and MRZ readers add (ICAO Doc 9303 Part 3 §4.2.2 pads with ``<``).

A range of stolen blank documents is stored once: a number is inside it when it has the same
non-numeric prefix and digit width as the range's ends and its trailing digits lie between theirs.

>>> compact_number(" l 898-902<c3<<")
'L898902C3'
>>> split_number("AB0012300")
('AB', 7, 12300)
>>> split_number("L898902C") is None
True
"""

from __future__ import annotations

import re

from peacelink.identifiers.confusables import confusable_key
from peacelink.translatable import Translatable

__all__ = ["MAX_LENGTH", "compact_number", "number_key", "split_number", "validate_number", "validate_range"]

MAX_LENGTH = 40
_SEPARATORS = re.compile(r"[\s\-./<]+")
_VALID = re.compile(r"[A-Z0-9]{1,40}")
_TRAILING_DIGITS = re.compile(r"^(.*?)([0-9]+)$")
# 18 digits still fit a signed 64-bit integer (BigInteger on both databases).
MAX_RANGE_DIGITS = 18


class NumberError(ValueError):
    """A document number or range is not acceptable; ``field`` names the input field."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def compact_number(value: str) -> str:
    """Return the number upper-cased without separators or fillers."""
    return _SEPARATORS.sub("", value).upper()


def validate_number(value: str, *, field: str = "number") -> str:
    """Return the compacted number or raise NumberError naming ``field``."""
    number = compact_number(value)
    if not _VALID.fullmatch(number):
        message = f"a document number has 1 to {MAX_LENGTH} letters and digits"
        raise NumberError(Translatable(message, "checks.error.document_number", most=MAX_LENGTH), field=field)
    return number


def number_key(number: str) -> str:
    """The OCR-confusable key stored beside the number (O->0, I->1 ...)."""
    return confusable_key(number)


def split_number(number: str) -> tuple[str, int, int] | None:
    """Return (prefix, digit width, digits as int) of a number ending in digits, else None."""
    found = _TRAILING_DIGITS.match(number)
    if found is None or len(found.group(2)) > MAX_RANGE_DIGITS:
        return None
    return found.group(1), len(found.group(2)), int(found.group(2))


def validate_range(start: str, end: str) -> tuple[str, int, int, int]:
    """Return (prefix, width, first, last) of a blank range, or raise NumberError naming ``range_end``."""
    first = split_number(start)
    last = split_number(end)
    if first is None or last is None:
        raise NumberError("a range needs numbers ending in digits (at most 18)", field="range_end")
    if first[:2] != last[:2]:
        raise NumberError(
            "the range's first and last numbers need the same prefix and length", field="range_end"
        )
    if last[2] < first[2]:
        raise NumberError("the range ends before it starts", field="range_end")
    return first[0], first[1], first[2], last[2]
