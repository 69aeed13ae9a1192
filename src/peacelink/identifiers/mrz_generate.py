"""Build a valid MRZ from its fields (ICAO Doc 9303), computing every check digit.

Used to make test data and specimens; it applies the same layouts as the parser.

>>> from datetime import date
>>> generate("TD3", document_code="P", issuing_country="UTO", document_number="L898902C3",
...          surname="Eriksson", given_names="Anna Maria", nationality="UTO",
...          birth_date=date(1974, 8, 12), sex="F", expiry_date="2012-04-15", optional_data="ZE184226B")
['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10']
"""

from __future__ import annotations

import re
from datetime import date

from peacelink.identifiers.checkdigits import icao_check_digit
from peacelink.identifiers.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from peacelink.identifiers.mrz_layouts import LAYOUTS, Span

__all__ = ["generate"]

_FIELD_TEXT = re.compile(r"[A-Z0-9<]*")


def _field(value: str, name: str) -> str:
    # Part 3 §4.6: apostrophes are dropped, hyphens and spaces become fillers.
    text = value.upper().replace("'", "").replace("-", "<").replace(" ", "<")
    if not _FIELD_TEXT.fullmatch(text):
        raise InvalidFormat(f"{value!r} has characters an MRZ cannot hold (transliterate first)", field=name)
    return text


def _put(chars: list[str], span: Span, value: str, name: str, *, truncate: bool = False) -> None:
    start, end = span
    if len(value) > end - start:
        if not truncate:
            raise InvalidLength(f"{value!r} is longer than the {end - start} characters allowed", field=name)
        value = value[: end - start]
    chars[start : start + len(value)] = list(value)


def _yymmdd(value: date | str | None, name: str) -> str:
    if value is None:
        return "<<<<<<"
    try:
        parsed = value if isinstance(value, date) else date.fromisoformat(value)
    except ValueError:
        raise InvalidComponent(f"{value!r} is not an ISO date (YYYY-MM-DD)", field=name) from None
    return parsed.strftime("%y%m%d")


def generate(
    format: str,
    *,
    document_code: str,
    issuing_country: str,
    document_number: str,
    surname: str,
    given_names: str,
    nationality: str,
    birth_date: date | str | None,
    sex: str,
    expiry_date: date | str | None,
    optional_data: str = "",
    optional_data_2: str = "",
) -> list[str]:
    """Return the MRZ lines for the given fields; names longer than the zone are truncated."""
    try:
        layout = LAYOUTS[format.upper()]
    except KeyError:
        raise InvalidComponent(f"unknown MRZ format {format!r}", field="format") from None
    chars = ["<"] * layout.total
    _put(chars, layout.document_code, _field(document_code, "document_code"), "document_code")
    _put(chars, layout.issuing_country, _field(issuing_country, "issuing_country"), "issuing_country")
    _put(chars, layout.nationality, _field(nationality, "nationality"), "nationality")
    name = _field(surname, "surname") + "<<" + _field(given_names, "given_names")
    _put(chars, layout.name, name, "name", truncate=True)
    _put(chars, layout.birth_date, _yymmdd(birth_date, "birth_date"), "birth_date")
    chars[layout.birth_check] = icao_check_digit(_yymmdd(birth_date, "birth_date"))
    _put(chars, layout.expiry_date, _yymmdd(expiry_date, "expiry_date"), "expiry_date")
    chars[layout.expiry_check] = icao_check_digit(_yymmdd(expiry_date, "expiry_date"))
    chars[layout.sex] = _field(sex, "sex")[:1] or "<"

    number = _field(document_number, "document_number")
    optional = _field(optional_data, "optional_data")
    start, end = layout.document_number
    if len(number) > end - start and layout.overflow:
        # Part 5/6 §4.2.2 note j: 9 characters, '<' for the check digit, the rest then its check digit
        # at the head of the optional data.
        chars[start:end] = list(number[: end - start])
        chars[layout.document_check] = "<"
        optional = number[end - start :] + icao_check_digit(number) + "<" + optional
    else:
        _put(chars, layout.document_number, number, "document_number")
        chars[layout.document_check] = icao_check_digit(number.ljust(end - start, "<"))
    _put(chars, layout.optional[0], optional, "optional_data")
    if len(layout.optional) > 1:
        _put(chars, layout.optional[1], _field(optional_data_2, "optional_data_2"), "optional_data_2")
    if layout.optional_check is not None:
        chars[layout.optional_check] = icao_check_digit("".join(chars[slice(*layout.optional[0])]))
    if layout.composite is not None:
        data = "".join("".join(chars[start:end]) for start, end in layout.composite_spans)
        chars[layout.composite] = icao_check_digit(data)
    text = "".join(chars)
    return [text[index : index + layout.length] for index in range(0, layout.total, layout.length)]
