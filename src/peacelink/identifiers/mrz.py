"""ICAO Doc 9303 machine-readable zones (MRZ) of passports, identity cards and visas.

Formats: TD1 (3 x 30, Part 5), TD2 (2 x 36, Part 6), TD3 (2 x 44, Part 4), MRV-A (2 x 44) and MRV-B
(2 x 36, Part 7). Every check digit is verified (Part 3 §4.9); OCR confusables are fixed only where a check
digit proves the fix (see ``mrz_checks``). Known deviations of real documents are accepted with a warning.

ICAO's TD3 specimen (Doc 9303 Part 4, Appendix A):

>>> from datetime import date
>>> result = parse('''P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
... L898902C36UTO7408122F1204159ZE184226B<<<<<10''', today=date(2025, 1, 1))
>>> result.format, result.document_number, result.surname, result.given_names, result.valid
('TD3', 'L898902C3', 'ERIKSSON', 'ANNA MARIA', True)
>>> result.birth_date, result.expiry_date, result.sex, result.optional_data
('1974-08-12', '2012-04-15', 'F', 'ZE184226B')

The TD1 specimen (Part 5, Appendix A):

>>> td1 = parse(["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
...              "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"], today=date(2025, 1, 1))
>>> td1.format, td1.document_code, td1.document_number, td1.valid, sorted(td1.checks)
('TD1', 'I', 'D23145890', True, ['birth_date', 'composite', 'document_number', 'expiry_date'])

The MRV-A specimen (Part 7, Appendix A), whose holder was born in 1940:

>>> visa = parse(["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
...               "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"], today=date(2025, 1, 1))
>>> visa.format, visa.nationality, visa.birth_date, visa.expiry_date, visa.valid
('MRVA', 'XXX', '1940-09-07', '1996-12-10', True)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from peacelink.identifiers import countries
from peacelink.identifiers.exceptions import IdentifierError, InvalidChecksum, InvalidFormat
from peacelink.identifiers.mrz_checks import CheckedField, composite_ok, correct, field_name, field_ok
from peacelink.identifiers.mrz_generate import generate
from peacelink.identifiers.mrz_layouts import Layout, Span, detect
from peacelink.translatable import Translatable

__all__ = ["MRZResult", "compact", "format", "generate", "is_valid", "parse", "validate"]

_MRZ_CHARS = re.compile(r"[^A-Z0-9<]")

# Expiry dates carry two year digits. Travel documents are issued for at most about ten years (some
# cards and visas a little longer), so a date more than 20 years ahead is read as last century; that
# leaves 79 years back for old, long-expired documents still reported stolen or lost.
EXPIRY_YEARS_AHEAD = 20


@dataclass(frozen=True)
class MRZResult:
    """The decoded MRZ: fields, check results and warnings."""

    format: str
    document_code: str
    issuing_country: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: str | None
    sex: str
    expiry_date: str | None
    optional_data: str
    valid: bool
    checks: dict[str, bool]
    warnings: list[str]

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict with the same keys as the fields."""
        return asdict(self)


def compact(lines: str | Sequence[str]) -> list[str]:
    """Return the MRZ lines trimmed, upper-cased and without blank lines."""
    raw = lines.splitlines() if isinstance(lines, str) else list(lines)
    cleaned = [line.strip().upper() for line in raw]
    return [line for line in cleaned if line]


def format(lines: str | Sequence[str]) -> str:
    """Return the MRZ as printed: its compacted lines joined by newlines."""
    return "\n".join(compact(lines))


def _text(chars: Sequence[str], span: Span) -> str:
    return "".join(chars[span[0] : span[1]])


def _strip(value: str) -> str:
    # Fillers pad fields on the right and separate words inside them (Part 3 §4.4).
    return " ".join(value.replace("<", " ").split())


def _country(code: str, field: str, warnings: list[str]) -> str:
    value = code.rstrip("<")
    if value == "D":
        # Germany prints 'D<<' instead of 'DEU' (Doc 9303 Part 3 §5 note for Germany).
        message = f"{field}: German one-letter code 'D' read as 'DEU'"
        warnings.append(Translatable(message, "mrz.warning.germany", field=field_name(field)))
        return "DEU"
    if not countries.is_valid_alpha3(value):
        message = f"{field}: {code!r} is not an ISO 3166-1 alpha-3 or ICAO code"
        warnings.append(Translatable(message, "mrz.warning.country", field=field_name(field), code=code))
    return value


def _date(digits: str, field: str, today: date, warnings: list[str]) -> str | None:
    if not digits.isdigit():
        message = f"{field}: {digits!r} is not a YYMMDD date"
        warnings.append(
            Translatable(message, "mrz.warning.date_digits", field=field_name(field), digits=digits)
        )
        return None
    year, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    if field == "birth_date":
        # A birth date is never in the future (Part 3 §4.3 gives only two year digits).
        year += 2000 if (2000 + year, month, day) <= (today.year, today.month, today.day) else 1900
    else:
        year += 2000 if 2000 + year <= today.year + EXPIRY_YEARS_AHEAD else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        message = f"{field}: {digits!r} is not a calendar date"
        warnings.append(
            Translatable(message, "mrz.warning.date_calendar", field=field_name(field), digits=digits)
        )
        return None


def _names(raw: str, warnings: list[str]) -> tuple[str, str]:
    if not raw.endswith("<"):
        # Part 3 §4.6: names too long for the zone are truncated to fill it exactly.
        warnings.append(
            Translatable("name: the name zone is full, names may be truncated", "mrz.warning.name_full")
        )
    primary, _, secondary = raw.partition("<<")
    return _strip(primary), _strip(secondary)


def _document_number(chars: Sequence[str], layout: Layout) -> tuple[CheckedField, Span | None]:
    """Return the document-number field and, for long numbers, the span its continuation uses."""
    start, end = layout.document_number
    data = tuple(range(start, end))
    if layout.overflow and chars[layout.document_check] == "<" and chars[end - 1] != "<":
        # Part 5 §4.2.2 note j / Part 6 §4.2.2 note j: '<' in the check position means the number
        # continues in the optional data, followed by its check digit and a filler.
        over_start = layout.overflow[0]
        tail = _text(chars, layout.overflow)
        length = tail.find("<") if "<" in tail else len(tail)
        if length >= 2:
            extra = tuple(range(over_start, over_start + length - 1))
            check = over_start + length - 1
            field = CheckedField("document_number", data + extra, check, numeric=False)
            return field, (over_start, check + 1)
    return CheckedField("document_number", data, layout.document_check, numeric=False), None


def _checked_fields(chars: Sequence[str], layout: Layout) -> tuple[list[CheckedField], Span | None]:
    number, used = _document_number(chars, layout)
    fields = [
        number,
        CheckedField("birth_date", tuple(range(*layout.birth_date)), layout.birth_check, numeric=True),
        CheckedField("expiry_date", tuple(range(*layout.expiry_date)), layout.expiry_check, numeric=True),
    ]
    if layout.optional_check is not None:
        personal = CheckedField(
            "personal_number", tuple(range(*layout.optional[0])), layout.optional_check, numeric=False
        )
        fields.append(personal)
    return fields, used


def _normalised(lines: str | Sequence[str]) -> tuple[Layout, list[str]]:
    cleaned = compact(lines)
    layout = detect(cleaned)
    for number, line in enumerate(cleaned, start=1):
        bad = _MRZ_CHARS.search(line)
        if bad:
            position, character = bad.start() + 1, bad.group()
            message = (
                f"line {number} position {position}: {character!r} is not an MRZ character (A-Z, 0-9 or '<')"
            )
            raise InvalidFormat(
                Translatable(
                    message, "mrz.error.character", line=number, position=position, character=character
                ),
                field="mrz",
            )
    if not cleaned[0][0].isalpha():
        message = "the document code must start with a letter (P, I, A, C or V)"
        raise InvalidFormat(Translatable(message, "mrz.error.document_code"), field="mrz")
    return layout, list("".join(cleaned))


def parse(lines: str | Sequence[str], *, today: date | None = None) -> MRZResult:
    """Decode an MRZ given as one newline-separated string or a list of lines."""
    today = today or date.today()
    layout, chars = _normalised(lines)
    fields, continuation = _checked_fields(chars, layout)
    warnings = correct(
        chars,
        fields,
        composite=layout.composite,
        composite_spans=layout.composite_spans,
        line_length=layout.length,
    )
    checks = {field.name: field_ok(chars, field) for field in fields}
    for field in fields:
        if chars[field.check] == "<" and checks[field.name]:
            message = f"{field.name}: empty field has check digit '<' instead of '0'"
            warnings.append(
                Translatable(message, "mrz.warning.empty_check_digit", field=field_name(field.name))
            )
    if layout.composite is not None:
        checks["composite"] = composite_ok(chars, layout.composite, layout.composite_spans)

    sex = chars[layout.sex]
    if sex not in "MFX<":
        message = f"{sex!r} is not a sex code (M, F, X or '<')"
        raise InvalidFormat(Translatable(message, "mrz.error.sex", code=sex), field="sex")
    optional = []
    for start, end in layout.optional:
        if continuation and continuation[0] == start:
            start = continuation[1]  # the long document number used the head of this field
        optional.append(_strip(_text(chars, (start, end))))
    surname, given_names = _names(_text(chars, layout.name), warnings)
    return MRZResult(
        format=layout.format,
        document_code=_text(chars, layout.document_code).rstrip("<"),
        issuing_country=_country(_text(chars, layout.issuing_country), "issuing_country", warnings),
        document_number="".join(chars[index] for index in fields[0].data).replace("<", ""),
        surname=surname,
        given_names=given_names,
        nationality=_country(_text(chars, layout.nationality), "nationality", warnings),
        birth_date=_date(_text(chars, layout.birth_date), "birth_date", today, warnings),
        # Part 4 §4.2.2: X or the filler both mean "unspecified"; we report both as 'X'.
        sex="X" if sex == "<" else sex,
        expiry_date=_date(_text(chars, layout.expiry_date), "expiry_date", today, warnings),
        optional_data=" ".join(part for part in optional if part),
        valid=all(checks.values()),
        checks=checks,
        warnings=warnings,
    )


def validate(lines: str | Sequence[str], *, today: date | None = None) -> MRZResult:
    """Parse the MRZ and raise InvalidChecksum naming the first check digit that fails."""
    result = parse(lines, today=today)
    for name, ok in result.checks.items():
        if not ok:
            raise InvalidChecksum(f"the {name.replace('_', ' ')} check digit does not match", field=name)
    return result


def is_valid(lines: str | Sequence[str]) -> bool:
    """Return True when the MRZ parses and every check digit passes."""
    try:
        validate(lines)
    except IdentifierError:
        return False
    return True
