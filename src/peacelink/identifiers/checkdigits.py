"""Check digits used by travel documents (ICAO Doc 9303) and vehicle identification numbers (ISO 3779).

ICAO Doc 9303 Part 3 §4.9: each character gets a value (digits 0-9 their own value, A=10 ... Z=35, the
filler '<' = 0), values are multiplied by the repeating weights 7, 3, 1, and the check digit is the sum
modulo 10.

>>> icao_check_digit("L898902C3")
'6'
>>> icao_check_digit("740812")
'2'
>>> is_valid_icao("L898902C36")
True

ISO 3779 (and 49 CFR 565.15 for North America): letters are transliterated to numbers, multiplied by the
position weights 8,7,6,5,4,3,2,10,0,9,8,7,6,5,4,3,2, summed, and the remainder modulo 11 is the check digit
at position 9, a remainder of 10 being written 'X'.

>>> vin_check_digit("1M8GDM9AXKP042788")
'X'
"""

from __future__ import annotations

import string

from peacelink.identifiers.exceptions import InvalidFormat, InvalidLength

__all__ = [
    "ICAO_WEIGHTS",
    "VIN_WEIGHTS",
    "icao_char_value",
    "icao_check_digit",
    "is_valid_icao",
    "vin_char_value",
    "vin_check_digit",
]

ICAO_WEIGHTS = (7, 3, 1)
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)

# Doc 9303 Part 3 §4.9 table: A=10 ... Z=35; the filler counts as zero.
_ICAO_VALUES: dict[str, int] = {"<": 0}
_ICAO_VALUES.update({digit: int(digit) for digit in string.digits})
_ICAO_VALUES.update({letter: 10 + index for index, letter in enumerate(string.ascii_uppercase)})

# ISO 3779 Annex / 49 CFR 565.15 table 1: letters cycle 1..9 skipping I, O and Q (never used in VINs),
# and S starts again at 2.
_VIN_LETTERS = {
    "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8,
    "J": 1, "K": 2, "L": 3, "M": 4, "N": 5, "P": 7, "R": 9,
    "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9,
}  # fmt: skip


def icao_char_value(char: str) -> int:
    """Return the Doc 9303 §4.9 numeric value of one MRZ character."""
    try:
        return _ICAO_VALUES[char]
    except KeyError:
        raise InvalidFormat(f"{char!r} is not an MRZ character (A-Z, 0-9 or '<').") from None


def icao_check_digit(value: str) -> str:
    """Return the 7-3-1 check digit (as a one-character string) of an MRZ field."""
    total = sum(icao_char_value(char) * ICAO_WEIGHTS[index % 3] for index, char in enumerate(value))
    return str(total % 10)


def is_valid_icao(value: str) -> bool:
    """Return True when the last character is the correct 7-3-1 check digit of the rest."""
    try:
        return len(value) > 1 and icao_check_digit(value[:-1]) == value[-1]
    except InvalidFormat:
        return False


def vin_char_value(char: str) -> int:
    """Return the ISO 3779 transliteration value of one VIN character."""
    if char.isdigit() and char.isascii():
        return int(char)
    try:
        return _VIN_LETTERS[char]
    except KeyError:
        raise InvalidFormat(f"{char!r} is not allowed in a VIN (I, O and Q never are).") from None


def vin_check_digit(vin: str) -> str:
    """Return the ISO 3779 check digit ('0'-'9' or 'X') for a 17-character VIN."""
    if len(vin) != 17:
        raise InvalidLength(f"A VIN has 17 characters, not {len(vin)}.")
    remainder = sum(vin_char_value(char) * weight for char, weight in zip(vin, VIN_WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)
