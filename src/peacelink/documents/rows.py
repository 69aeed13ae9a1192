"""Validation of one document row (API, import): fast plain functions, errors name the field."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from peacelink.documents.models import DocumentStatus, DocumentType
from peacelink.documents.numbers import NumberError, number_key, validate_number, validate_range
from peacelink.errors import Invalid
from peacelink.identifiers.countries import validate_alpha3
from peacelink.identifiers.exceptions import IdentifierError
from peacelink.records.changes import iso_date
from peacelink.translatable import Translatable

# The fields of a document row (API names), each text. An import line may also give "visibility" and
# "visibility_agencies", which every import takes (checks/import_visibility.py).
IMPORT_FIELDS = (
    "issuing_country",
    "document_type",
    "number",
    "status",
    "reported_at",
    "place",
    "holder_name",
    "holder_birth_date",
    "action",
)
# Optional extra import column for blank ranges (the field list plus this one).
RANGE_FIELD = "range_end"
_TYPES = frozenset(t.value for t in DocumentType)
_STATUSES = frozenset(s.value for s in DocumentStatus)
_LIMITS = {"place": 200, "holder_name": 200, "action": 500}


@lru_cache(maxsize=512)
def country(code: str, field: str = "issuing_country") -> str:
    """Validate an ISO 3166-1 alpha-3 or ICAO code (cached: imports repeat the same few codes). Germany's
    one-letter MRZ code (D, D<<) is stored as DEU, so that a record, a check and a search agree on it."""
    try:
        value = validate_alpha3(code)
    except IdentifierError as exc:
        message = f"{code!r} is not an ISO 3166-1 alpha-3 country code or an ICAO code (D, XXA, UNO, ...)"
        raise Invalid(Translatable(message, "checks.error.country_code", code=code), field=field) from exc
    return "DEU" if value == "D" else value


def date_or_none(value: Any, field: str) -> dt.date | None:
    """Parse YYYY-MM-DD, and only that, as the API's create does (empty means none)."""
    return iso_date(value, field)


def text(value: Any, field: str) -> str:
    """A bounded free-text field."""
    out = "" if value is None else str(value).strip()
    if len(out) > _LIMITS[field]:
        raise Invalid(f"{field} has at most {_LIMITS[field]} characters", field=field)
    return out


def document_values(row: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The checked column values of one report (no envelope columns), or Invalid naming the field."""
    issuing = country(str(row.get("issuing_country") or "").strip().upper())
    kind = str(row.get("document_type") or "").strip().lower()
    if kind not in _TYPES:
        raise Invalid(f"document_type must be one of {', '.join(sorted(_TYPES))}", field="document_type")
    status = str(row.get("status") or "").strip().lower()
    if status not in _STATUSES:
        raise Invalid(f"status must be one of {', '.join(sorted(_STATUSES))}", field="status")
    try:
        number = validate_number(str(row.get("number") or ""))
        end_raw = row.get(RANGE_FIELD)
        range_end = validate_number(str(end_raw), field=RANGE_FIELD) if end_raw else None
        ranged = validate_range(number, range_end) if range_end else None
    except NumberError as exc:
        raise Invalid(exc.message, field=exc.field) from exc
    if ranged is not None and status != DocumentStatus.STOLEN_BLANK:
        raise Invalid("only stolen_blank reports may be ranges", field=RANGE_FIELD)
    reported = date_or_none(row.get("reported_at"), "reported_at")
    if reported is not None and reported > today:
        raise Invalid("reported_at is in the future", field="reported_at")
    values: dict[str, Any] = {
        "issuing_country": issuing,
        "document_type": kind,
        "number": number,
        "number_key": number_key(number),
        "document_status": status,
        "reported_at": reported,
        "place": text(row.get("place"), "place"),
        "holder_name": text(row.get("holder_name"), "holder_name"),
        "holder_birth_date": date_or_none(row.get("holder_birth_date"), "holder_birth_date"),
        "action": text(row.get("action"), "action"),
        "range_end": range_end,
        "range_prefix": ranged[0] if ranged else None,
        "range_width": ranged[1] if ranged else None,
        "range_first": ranged[2] if ranged else None,
        "range_last": ranged[3] if ranged else None,
    }
    return values
