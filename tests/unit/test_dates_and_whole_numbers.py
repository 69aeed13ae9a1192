"""Every request body reads a date as a JSON string YYYY-MM-DD and a whole number (a year, a version, a
finger position, a limit) as a JSON integer: pydantic's lax mode read a Unix time ("1830297600" or
1830297600) and a date and time with a zero time as a date, and 2019.0, "2019" or true as a whole number.
The import's text reading (a CSV cell) takes the same date and ASCII digits only for a whole number.
"""

from __future__ import annotations

import datetime as dt
import importlib
import types
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError

from peacelink.errors import Invalid
from peacelink.records.changes import iso_date
from peacelink.request_body import RequestBody
from peacelink.vehicles.rows import vehicle_values

MODULES = (
    "agencies",
    "checks",
    "dna",
    "documents",
    "fingerprints",
    "hits",
    "messaging",  # no date; one whole number, expires_in_days (2.0, "30" and true were 2, 30 and 1 day)
    "persons",
    "users",
    "vehicles",
)
LAX_DATES: list[Any] = [
    "1830297600",  # a Unix time as text: 2028-01-01
    1830297600,
    1830297600.0,
    "2027-01-01T00:00:00",  # a date and time whose time is zero
    "2027-01-01T00:00:00Z",
    "20270101",
    "2027-W01-1",
    "٢٠٢٧-٠١-٠١",  # Arabic-Indic digits
    " 2027-01-01",
    True,
]
LAX_WHOLE_NUMBERS: list[Any] = [5.0, "5", "5.0", " 5", True, "٥", 1e1]


def _kinds(annotation: Any) -> set[type]:
    """The plain types a field's annotation holds (through Optional, unions and Annotated)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _kinds(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return set().union(*(_kinds(arg) for arg in get_args(annotation)))
    return {annotation} if isinstance(annotation, type) else set()


def _bodies() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for name in MODULES:
        module = importlib.import_module(f"peacelink.{name}.schemas")
        for value in vars(module).values():
            ours = isinstance(value, type) and value.__module__ == module.__name__
            if ours and issubclass(value, RequestBody):
                found.append(value)
    return found


def _fields(kind: type) -> list[tuple[type[BaseModel], str]]:
    return [
        (model, name)
        for model in _bodies()
        for name, field in model.model_fields.items()
        if kind in _kinds(field.annotation)
    ]


def _errors_at(model: type[BaseModel], field: str, value: Any) -> list[dict[str, Any]]:
    try:
        model.model_validate({field: value})
    except ValidationError as exc:
        return [dict(e) for e in exc.errors() if e["loc"][:1] == (field,)]
    return []


DATE_FIELDS = _fields(dt.date)
WHOLE_NUMBER_FIELDS = _fields(int)


def test_the_walk_finds_the_request_bodies_dates_and_whole_numbers() -> None:
    dates = {f"{m.__name__}.{f}" for m, f in DATE_FIELDS}
    assert {
        "DocumentCreate.reported_at",
        "DocumentUpdate.holder_birth_date",
        "AgencyCreate.mandate_end",
    } <= dates
    assert {"ProfileCreate.review_due", "FingerprintCreate.review_due", "PersonUpdate.review_due"} <= dates
    numbers = {f"{m.__name__}.{f}" for m, f in WHOLE_NUMBER_FIELDS}
    assert {"VehicleCreate.year", "VehicleUpdate.year", "PersonUpdate.version", "TokenCreate.days"} <= numbers
    assert {"FingerprintCreate.finger_position", "DirectCheck.min_loci", "KinshipCheck.limit"} <= numbers
    assert "MessageCreate.expires_in_days" in numbers


@pytest.mark.parametrize(("model", "field"), DATE_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_a_date_is_a_string_yyyy_mm_dd_only(model: type[BaseModel], field: str) -> None:
    assert _errors_at(model, field, "2027-01-31") == []
    assert _errors_at(model, field, dt.date(2027, 1, 31)) == []  # built in Python (the CLI, the pages)
    for value in LAX_DATES:
        errors = _errors_at(model, field, value)
        assert errors, (model.__name__, field, value)
        assert "YYYY-MM-DD" in errors[0]["msg"], errors
    assert _errors_at(model, field, "2027-02-30"), "not a calendar date"


@pytest.mark.parametrize(("model", "field"), WHOLE_NUMBER_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_a_whole_number_is_a_json_integer_only(model: type[BaseModel], field: str) -> None:
    for value in LAX_WHOLE_NUMBERS:
        errors = _errors_at(model, field, value)
        assert errors, (model.__name__, field, value)
        assert "JSON integer" in errors[0]["msg"], errors


def test_the_openapi_schema_of_a_date_says_yyyy_mm_dd() -> None:
    from peacelink.documents.schemas import DocumentCreate

    schema = DocumentCreate.model_json_schema()["properties"]["holder_birth_date"]
    assert "YYYY-MM-DD" in str(schema), schema


@pytest.mark.parametrize("value", ["1830297600", "2027-01-01T00:00:00", "٢٠٢٧-٠١-٠١", "2027-1-1"])
def test_an_import_cell_takes_the_same_dates(value: str) -> None:
    with pytest.raises(Invalid) as refused:
        iso_date(value, "reported_at")
    assert refused.value.field == "reported_at" and "YYYY-MM-DD" in refused.value.message


@pytest.mark.parametrize("year", ["٢٠١٩", "2019.0", " 2019", "+2019", "2_019", "２０１９", 2019.0, True])
def test_an_import_year_is_ascii_digits_or_a_json_integer(year: Any) -> None:
    with pytest.raises(Invalid) as refused:
        vehicle_values({"plate": "AB12CD", "plate_country": "CAF", "year": year}, today=dt.date(2026, 11, 24))
    assert refused.value.field == "year"
    assert (
        vehicle_values(
            {"plate": "AB12CD", "plate_country": "CAF", "year": "2019"}, today=dt.date(2026, 11, 24)
        )["year"]
        == 2019
    )
