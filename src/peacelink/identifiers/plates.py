"""Vehicle registration plates normalised for lookup.

Plates are written with spaces, dashes and dots that are not part of the registration, and plates in
Cyrillic and Greek countries use only letters that look like Latin ones (Russia, Ukraine, Belarus,
Bulgaria, Kazakhstan: А В Е К М Н О Р С Т У Х, Ukraine also І; Greece: Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ).
An officer may type either script, so both fold to the Latin letter the plate shows. Diacritics are
dropped (Serbian Š, Č, Ž ...) and non-ASCII decimal digits (Arabic-Indic) become 0-9.

>>> compact("а 123 вс-77")
'A123BC77'
>>> compact("ΙΚΝ-1234", country="GR")
'IKN1234'
>>> confusable_key("AB-0I5")
'A8015'
"""

from __future__ import annotations

import re
import unicodedata

import pycountry

from peacelink.identifiers import confusables
from peacelink.identifiers.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from peacelink.translatable import Translatable

__all__ = ["LOOKALIKES", "compact", "confusable_key", "is_valid", "validate"]

MAX_LENGTH = 12

# Look-alike letters: the Latin letter a reader sees on the plate, not a phonetic transliteration
# (Cyrillic Р is shown as P, Н as H, Х as X).
LOOKALIKES: dict[str, str] = {
    # Cyrillic (upper case; input is upper-cased first)
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin letters that do not decompose into a base letter and a diacritic
    "Đ": "D", "Ð": "D", "Ø": "O", "Ł": "L", "ß": "SS",
}  # fmt: skip

_SEPARATORS = re.compile(r"[\s\-.·_/]+")
_PLATE = re.compile(r"[A-Z0-9]+")


def _country(country: str | None) -> str | None:
    if country is None:
        return None
    code = country.strip().upper()
    found = pycountry.countries.get(alpha_2=code) if len(code) == 2 else pycountry.countries.get(alpha_3=code)
    if found is None:
        raise InvalidComponent(f"{country!r} is not an ISO 3166-1 country code", field="country")
    return str(found.alpha_3)


def _fold(char: str) -> str:
    if char in LOOKALIKES:
        return LOOKALIKES[char]
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    # Drop combining marks after canonical decomposition (Š -> S).
    return "".join(part for part in unicodedata.normalize("NFD", char) if not unicodedata.combining(part))


def compact(plate: str, country: str | None = None) -> str:
    """Return the plate without separators, upper-cased, look-alike letters folded to Latin."""
    # The country is validated so a typo is caught; today every country gets the same folding because
    # the look-alike rules are safe for all of them (see docs/identifiers.md, known limits).
    _country(country)
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", plate)).upper()
    return "".join(_fold(char) for char in text)


def confusable_key(plate: str) -> str:
    """Return the compacted plate with OCR-confusable letters folded to digits (O->0, I->1 ...)."""
    return confusables.confusable_key(compact(plate))


def validate(plate: str, country: str | None = None) -> str:
    """Return the compacted plate or raise InvalidLength / InvalidFormat."""
    value = compact(plate, country)
    if not 1 <= len(value) <= MAX_LENGTH:
        message = f"a plate has 1 to {MAX_LENGTH} characters, not {len(value)}"
        raise InvalidLength(
            Translatable(message, "plate.error.length", most=MAX_LENGTH, length=len(value)), field="plate"
        )
    if not _PLATE.fullmatch(value):
        bad = sorted({char for char in value if not ("A" <= char <= "Z" or "0" <= char <= "9")})
        message = f"a plate holds only letters and digits, not {''.join(bad)!r}"
        raise InvalidFormat(
            Translatable(message, "plate.error.characters", characters="".join(bad)), field="plate"
        )
    return value


def is_valid(plate: str, country: str | None = None) -> bool:
    """Return True when the plate compacts to 1-12 Latin letters and digits."""
    try:
        validate(plate, country)
    except (InvalidFormat, InvalidComponent):
        return False
    return True
