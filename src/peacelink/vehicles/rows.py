"""Validation of one vehicle row (API, import): plain functions, errors name the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peacelink.documents.rows import country, date_or_none
from peacelink.errors import Invalid
from peacelink.identifiers import plates, vin
from peacelink.identifiers.exceptions import IdentifierError
from peacelink.typed_input import whole_number_text
from peacelink.vehicles.models import VehicleStatus

# The fields of a vehicle row (API names), each text but the year: a JSON integer, or ASCII digits in a CSV
# cell (typed_input.whole_number_text).
# An import line may also give "visibility" and "visibility_agencies" (checks/import_visibility.py).
IMPORT_FIELDS = (
    "vin",
    "plate",
    "plate_country",
    "make",
    "model",
    "year",
    "colour",
    "engine_number",
    "status",
    "reported_at",
    "place",
    "action",
)
_STATUSES = frozenset(s.value for s in VehicleStatus)
_LIMITS = {"make": 100, "model": 100, "colour": 50, "engine_number": 50, "place": 200, "action": 500}


def _text(value: Any, field: str) -> str:
    out = "" if value is None else str(value).strip()
    if len(out) > _LIMITS[field]:
        raise Invalid(f"{field} has at most {_LIMITS[field]} characters", field=field)
    return out


def plate_values(plate: Any, plate_country: Any) -> dict[str, Any]:
    """Compacted plate, its confusable key and country (both or neither)."""
    if not plate:
        if plate_country:
            raise Invalid("plate_country without a plate", field="plate")
        return {"plate": None, "plate_key": None, "plate_country": None}
    if not plate_country:
        raise Invalid("a plate needs its registration country", field="plate_country")
    code = country(str(plate_country).strip().upper(), "plate_country")
    try:
        compacted = plates.validate(str(plate))
    except IdentifierError as exc:
        raise Invalid(exc.message, field="plate") from exc
    return {"plate": compacted, "plate_key": plates.confusable_key(compacted), "plate_country": code}


def model_year(year: int | None, *, today: dt.date) -> int | None:
    """A model year from 1886 (the first car) to next year (a model year runs ahead of the calendar), or
    Invalid; the create, the update and the import all call this."""
    if year is not None and not 1886 <= year <= today.year + 1:
        raise Invalid(f"year is not a plausible model year (1886 to {today.year + 1})", field="year")
    return year


def vehicle_values(row: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The checked column values of one vehicle report, or Invalid naming the field."""
    raw_vin = row.get("vin")
    number = None
    if raw_vin:
        try:
            number = vin.validate(str(raw_vin))
        except IdentifierError as exc:
            raise Invalid(exc.message, field="vin") from exc
    values = {"vin": number, **plate_values(row.get("plate"), row.get("plate_country"))}
    if number is None and values["plate"] is None:
        raise Invalid("a vehicle needs a VIN or a plate", field="vin")
    status = str(row.get("status") or VehicleStatus.STOLEN.value).strip().lower()
    if status not in _STATUSES:
        raise Invalid(f"status must be one of {', '.join(sorted(_STATUSES))}", field="status")
    year = model_year(whole_number_text(row.get("year"), "year"), today=today)
    reported = date_or_none(row.get("reported_at"), "reported_at")
    if reported is not None and reported > today:
        raise Invalid("reported_at is in the future", field="reported_at")
    values.update(
        {
            "make": _text(row.get("make"), "make"),
            "model": _text(row.get("model"), "model"),
            "year": year,
            "colour": _text(row.get("colour"), "colour"),
            "engine_number": _text(row.get("engine_number"), "engine_number"),
            "vehicle_status": status,
            "reported_at": reported,
            "place": _text(row.get("place"), "place"),
            "action": _text(row.get("action"), "action"),
        }
    )
    return values
