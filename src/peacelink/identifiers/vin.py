"""ISO 3779 vehicle identification numbers (VIN).

A VIN has 17 characters from A-Z and 0-9 without I, O and Q (ISO 3779 §5.1). Positions 1-3 are the world
manufacturer identifier (WMI, ISO 3780), position 9 a check digit and position 10 the model year code.

The check digit is mandatory only where the law says so: North America (49 CFR 565.15(c), WMIs starting
1-5) and China (GB 16735, WMIs starting L). Elsewhere ISO 3779 leaves position 9 to the manufacturer, so a
European VIN whose ninth character does not compute is still valid (vininfo issues #19 and #23; vininfo
also rejects ``WBA71DC010CH14720`` because position 10 is not a year code, which Europe does not require).

>>> from datetime import date
>>> decode("1M8GDM9AXKP042788", today=date(2025, 1, 1)).valid
True
>>> result = decode("WBA71DC010CH14720", today=date(2025, 1, 1))
>>> result.valid, result.check_digit_required, result.manufacturer, result.country, result.model_years
(True, False, 'BMW', 'Germany', [])
>>> bent = decode("WBA71DC0X0CH14720")
>>> bent.valid, bent.check_digit_ok
(True, False)
>>> compact(" wba-71dc 010ch14720 ")
'WBA71DC010CH14720'
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from vininfo.dicts import COUNTRIES, WMI  # type: ignore[import-untyped]

from peacelink.identifiers.checkdigits import vin_check_digit
from peacelink.identifiers.exceptions import IdentifierError, InvalidChecksum, InvalidFormat, InvalidLength
from peacelink.translatable import Translatable

__all__ = ["VINResult", "compact", "decode", "is_valid", "model_years", "validate"]

_SEPARATORS = re.compile(r"[\s\-.]+")
_VIN_CHARS = re.compile(r"[A-HJ-NPR-Z0-9]{17}")

# 49 CFR 565.15(b) table: the model-year code cycles every 30 years from 1980 (U, Z and 0 are unused).
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
FIRST_MODEL_YEAR = 1980


@dataclass(frozen=True)
class VINResult:
    """What a VIN says: validity, manufacturer, country and possible model years."""

    vin: str
    valid: bool
    errors: list[str] = field(default_factory=list)
    wmi: str = ""
    manufacturer: str | None = None
    country: str | None = None
    check_digit_required: bool = False
    check_digit_ok: bool = False
    model_years: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict with the same keys as the fields."""
        return asdict(self)


def compact(vin: str) -> str:
    """Return the VIN upper-cased without spaces, dashes or dots."""
    return _SEPARATORS.sub("", vin).upper()


def _check_digit_required(vin: str) -> bool:
    # 49 CFR 565.15(c) (North America, WMI 1-5) and GB 16735 (China, WMI L) make the check digit
    # mandatory; ISO 3779 itself does not.
    return vin[:1] in {"1", "2", "3", "4", "5", "L"}


def _manufacturer(wmi: str) -> str | None:
    # vininfo's table (maintained upstream) has 3-character WMIs and 2-character fallbacks.
    entry = WMI.get(wmi) or WMI.get(wmi[:2])
    if entry is None:
        return None
    return entry if isinstance(entry, str) else str(entry.manufacturer)


def model_years(vin: str, *, today: date | None = None) -> list[int]:
    """Return the model years (newest first) that position 10 can mean, within 1980..next year."""
    vin = compact(vin)
    latest = (today or date.today()).year + 1
    code = vin[9:10]
    if len(code) != 1 or code not in _YEAR_CODES:
        return []
    first = FIRST_MODEL_YEAR + _YEAR_CODES.index(code)
    candidates = list(range(first, latest + 1, 30))
    if vin[:1] in {"1", "2", "3", "4", "5"}:
        # 49 CFR 565.15(b)(2)(iii): for cars, MPVs and light trucks a numeric position 7 means 1980-2009,
        # a letter 2010-2039. Heavier vehicles need not follow it, so fall back to every candidate
        # when the refinement leaves none.
        modern = vin[6:7].isalpha()
        refined = [year for year in candidates if (year >= 2010) == modern]
        candidates = refined or candidates
    return sorted(candidates, reverse=True)


_CHARACTERS_ERROR = Translatable("a VIN holds only A-Z and 0-9, never I, O or Q", "vin.error.characters")


def _length_error(number: str) -> Translatable:
    return Translatable(f"a VIN has 17 characters, not {len(number)}", "vin.error.length", length=len(number))


def decode(vin: str, *, today: date | None = None) -> VINResult:
    """Decode a VIN without raising: problems are listed in ``errors`` and make it invalid."""
    number = compact(vin)
    errors: list[str] = []
    if len(number) != 17:
        errors.append(_length_error(number))
    elif not _VIN_CHARS.fullmatch(number):
        errors.append(_CHARACTERS_ERROR)
    if errors:
        return VINResult(vin=number, valid=False, errors=errors, wmi=number[:3])
    required = _check_digit_required(number)
    check_ok = vin_check_digit(number) == number[8]
    if required and not check_ok:
        read, computed = number[8], vin_check_digit(number)
        message = f"check digit {read!r} does not match {computed!r} (position 9)"
        errors.append(Translatable(message, "vin.error.check_digit", read=read, computed=computed))
    years = model_years(number, today=today)
    if required and number[0] != "L" and not years:
        message = f"position 10 {number[9]!r} is not a model-year code (49 CFR 565.15)"
        errors.append(Translatable(message, "vin.error.model_year", code=number[9]))
    return VINResult(
        vin=number,
        valid=not errors,
        errors=errors,
        wmi=number[:3],
        manufacturer=_manufacturer(number[:3]),
        country=COUNTRIES.get(number[:2]),
        check_digit_required=required,
        check_digit_ok=check_ok,
        model_years=years,
    )


def validate(vin: str) -> str:
    """Return the compacted VIN or raise InvalidLength, InvalidFormat or InvalidChecksum."""
    number = compact(vin)
    if len(number) != 17:
        raise InvalidLength(_length_error(number), field="vin")
    if not _VIN_CHARS.fullmatch(number):
        raise InvalidFormat(_CHARACTERS_ERROR, field="vin")
    result = decode(number)
    if not result.valid:
        raise InvalidChecksum("; ".join(result.errors), field="vin")
    return number


def is_valid(vin: str) -> bool:
    """Return True when the VIN is valid (check digit enforced only where mandatory)."""
    try:
        validate(vin)
    except IdentifierError:
        return False
    return True
