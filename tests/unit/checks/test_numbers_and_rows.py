"""Pure parts of the pipeline: number normalisation, blank ranges, row validation, format detection."""

from __future__ import annotations

import datetime as dt

import pytest

from peacelink.checks.bulk_import import ImportSpec
from peacelink.checks.import_duplicates import NaturalKey
from peacelink.checks.import_reading import detect_format, read_rows
from peacelink.documents.numbers import NumberError, compact_number, split_number, validate_range
from peacelink.documents.rows import document_values
from peacelink.errors import Invalid
from peacelink.vehicles.rows import vehicle_values

TODAY = dt.date(2026, 1, 1)


def test_compact_and_split() -> None:
    assert compact_number(" ab-12 34<<") == "AB1234"
    assert split_number("AB0012300") == ("AB", 7, 12300)
    assert split_number("ABC") is None
    assert split_number("A" + "1" * 19) is None


def test_ranges() -> None:
    assert validate_range("AB1000", "AB1500") == ("AB", 4, 1000, 1500)
    for start, end in [("AB1000", "AC1500"), ("AB1000", "AB15000"), ("AB1500", "AB1000"), ("ABX", "ABY")]:
        with pytest.raises(NumberError) as caught:
            validate_range(start, end)
        assert caught.value.field == "range_end"


def test_document_values_names_the_bad_field() -> None:
    good = {"issuing_country": "uto", "document_type": "Passport", "number": "l898902c3", "status": "stolen"}
    values = document_values(good, today=TODAY)
    assert values["issuing_country"] == "UTO" and values["number"] == "L898902C3"
    assert values["number_key"] == "L898902C3" and values["range_prefix"] is None
    blank = document_values(
        {**good, "status": "stolen_blank", "number": "B100", "range_end": "B199"}, today=TODAY
    )
    assert (blank["range_prefix"], blank["range_first"], blank["range_last"]) == ("B", 100, 199)
    cases = [
        ({"issuing_country": "ZZZ"}, "issuing_country"),
        ({"document_type": "book"}, "document_type"),
        ({"status": "found"}, "status"),
        ({"number": "??"}, "number"),
        ({"range_end": "L898902C9"}, "range_end"),
        ({"reported_at": "2030-01-01"}, "reported_at"),
        ({"holder_birth_date": "1980-13-01"}, "holder_birth_date"),
        ({"place": "x" * 201}, "place"),
    ]
    for change, field in cases:
        with pytest.raises(Invalid) as caught:
            document_values({**good, **change}, today=TODAY)
        assert caught.value.field == field, change


def test_vehicle_values() -> None:
    values = vehicle_values({"plate": "ab 12-cd", "plate_country": "caf", "year": "2015"}, today=TODAY)
    assert values["plate"] == "AB12CD" and values["plate_country"] == "CAF" and values["year"] == 2015
    assert values["vin"] is None and values["vehicle_status"] == "stolen"
    # A European VIN whose check digit does not compute is still valid (ISO 3779 makes it optional).
    assert vehicle_values({"vin": "WBA71DC010CH14720"}, today=TODAY)["vin"] == "WBA71DC010CH14720"
    cases = [
        ({}, "vin"),
        ({"vin": "1M8GDM9AXKP042789"}, "vin"),
        ({"plate": "AB1"}, "plate_country"),
        ({"plate_country": "CAF"}, "plate"),
        ({"vin": "WBA71DC010CH14720", "year": "1700"}, "year"),
        ({"vin": "WBA71DC010CH14720", "status": "found"}, "status"),
    ]
    for row, field in cases:
        with pytest.raises(Invalid) as caught:
            vehicle_values(row, today=TODAY)
        assert caught.value.field == field, row


def test_format_detection_and_reading() -> None:
    assert detect_format("x.csv", "") == "csv" and detect_format("application/x-ndjson", "") == "jsonl"
    assert detect_format(None, '  {"a": 1}') == "jsonl" and detect_format(None, "a,b") == "csv"
    spec = ImportSpec(
        database="t",
        table=None,
        fields=("a", "b"),
        required=("a",),  # type: ignore[arg-type]
        validate=lambda actor, row, today: row,
        natural_key=NaturalKey("a"),
    )
    rows = list(read_rows(['{"a": 1}', "", "[1]", "{bad", '{"c": 2}'], fmt="jsonl", spec=spec))
    assert [(n, r is not None) for n, r, _ in rows] == [(1, True), (3, False), (4, False), (5, False)]
    assert list(read_rows(["a,b", "1,2"], fmt="csv", spec=spec)) == [(2, {"a": "1", "b": "2"}, None)]
    with pytest.raises(Invalid):
        list(read_rows(["b,c", "1,2"], fmt="csv", spec=spec))
