"""What a date and a whole number are in any input (request bodies, import lines, query parameters, the
CLI): one rule, defined here once.

- A date is the text YYYY-MM-DD (ISO 8601's calendar date, ASCII digits): a JSON string, a CSV cell, a
  query parameter. Pydantic's lax mode read more as a date: a Unix time, as a number or as text
  ("1830297600" became 2028-01-01), and a date and time whose time is zero ("2027-01-01T00:00:00"); and
  ``date.fromisoformat`` reads "20270101" and the ISO week date "2027-W01-1" since Python 3.11. None of
  that is what an officer typing a review date or a date of theft meant, and the import refused it.
- A whole number (a model year, a record version, a finger position, a limit) is a JSON integer in a
  request body. Lax mode read 2019.0, "2019", "2019.0" and ``true`` (as 1: a version, the right thumb) as
  whole numbers. Where it comes as text (a CSV cell, a query parameter, a path segment, a page's form
  field, a CLI option) it is ASCII digits only: Python's ``int()`` and ``str.isdigit()`` also take
  Arabic-Indic (٢٠١٩) and full-width digits, signs, spaces and underscores ("2_019"), which the create
  refused, and pydantic's lax int "100.0".

Dates of birth are not dates here: a person's may be partial (YYYY, YYYY-MM), ``persons.values``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from peacelink.errors import Invalid

__all__ = [
    "ASCII_DIGITS",
    "DATE_RULE",
    "DIGITS",
    "JSON_INTEGER",
    "IsoDate",
    "WholeNumber",
    "date_from_text",
    "whole_number_from_text",
    "whole_number_text",
]

DATE_RULE = "a date YYYY-MM-DD"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ASCII_DIGITS = re.compile(r"[0-9]+")
# The error texts of the API (after "field: ") and of an import line (after the field's name).
_DATE_EXPECTED = f"must be {DATE_RULE}: a JSON string such as 2027-01-31 (not a number or a date and time)"
_WHOLE_EXPECTED = "must be a whole number: a JSON integer such as 2019 (not text, a decimal or true/false)"
DIGITS_EXPECTED = "must be a whole number in ASCII digits (0-9), such as 2019"


def date_from_text(text: str) -> dt.date | None:
    """The date a text YYYY-MM-DD names, or None (another form, or no calendar date).

    >>> date_from_text("2024-02-29"), date_from_text("2024-02-30"), date_from_text("1830297600")
    (datetime.date(2024, 2, 29), None, None)
    >>> date_from_text("2024-W01-1"), date_from_text("2024-01-01T00:00:00"), date_from_text("٢٠٢٤-٠١-٠١")
    (None, None, None)
    """
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None  # 2024-02-30: no such day


def whole_number_from_text(text: str) -> int | None:
    """The number that ASCII digits write, or None for any other text.

    >>> whole_number_from_text("2019"), whole_number_from_text("٢٠١٩"), whole_number_from_text("2019.0")
    (2019, None, None)
    >>> whole_number_from_text(" 2019"), whole_number_from_text("+2019"), whole_number_from_text("2_019")
    (None, None, None)
    """
    return int(text) if _ASCII_DIGITS.fullmatch(text) else None


def whole_number_text(value: Any, field: str) -> int | None:
    """A whole number as an import line or a CLI option gives it: a JSON integer or ASCII digits (None
    when blank), else Invalid naming ``field``."""
    if value is None or value == "":
        return None
    if type(value) is int:
        return value
    number = whole_number_from_text(value) if isinstance(value, str) else None
    if number is None:
        raise Invalid(f"{field} {DIGITS_EXPECTED}", field=field)
    return number


def _date_input(value: Any) -> dt.date:
    """A request body's date: the text YYYY-MM-DD, or a date built in Python (the CLI, the pages)."""
    if type(value) is dt.date:  # not a datetime, which is a date too
        return value
    found = date_from_text(value) if isinstance(value, str) else None
    if found is None:
        raise PydanticCustomError("date_format", _DATE_EXPECTED)
    return found


def _whole_number_input(value: Any) -> int:
    """A request body's whole number: a JSON integer (``bool`` is an int to Python, not to us)."""
    if type(value) is not int:
        raise PydanticCustomError("whole_number", _WHOLE_EXPECTED)
    return value


def _digits_input(value: Any, *, padded: bool = False) -> int | None:
    """A query parameter's, path segment's or form field's whole number: ASCII digits (an int when given
    from Python; None, not given). With ``padded``, spaces around the digits are dropped."""
    if value is None or type(value) is int:
        return value
    if isinstance(value, str) and padded:
        value = value.strip()
    number = whole_number_from_text(value) if isinstance(value, str) else None
    if number is None:
        raise PydanticCustomError("whole_number_text", DIGITS_EXPECTED)
    return number


# A date in a request body: the JSON string YYYY-MM-DD only.
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_date_input),
    WithJsonSchema({"type": "string", "format": "date", "description": "YYYY-MM-DD only"}),
]
# A whole number in a request body: a JSON integer only (its field's own bounds still apply). An optional
# one with bounds writes them before the check, ``Annotated[int, Field(ge=1), JSON_INTEGER] | None``: set
# on the field of ``WholeNumber | None``, pydantic's OpenAPI schema showed them as "ge", no JSON Schema word.
JSON_INTEGER = BeforeValidator(_whole_number_input)
WholeNumber = Annotated[int, JSON_INTEGER]
# A whole number as text (a query parameter, a path segment, a page's form field): ASCII digits and nothing
# else, so "100.0", "+5", " 5", "5_0", "٥" and "５" are refused (the lax int read them all as numbers).
# ``Annotated[int, Query(ge=1, le=1000), DIGITS] = 100`` keeps its bounds, and its OpenAPI schema (an integer
# with them), on the Query, Path or Form; a parameter not given (its default, or None) goes through.
DIGITS = BeforeValidator(_digits_input)
# The person search's years (API and web page): the same, spaces around the digits dropped, as the search
# has always taken a padded year (" 1970 ", as a search box sends it) as that year; they change no digit.
ASCII_DIGITS = BeforeValidator(partial(_digits_input, padded=True))
