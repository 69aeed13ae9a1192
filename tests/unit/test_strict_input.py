"""Input that is not what it claims is refused with a reason that says where, never coerced: JSON parsed
strictly (json_text), UTF-8 checked with its line and column (utf8_text), lone surrogates refused as control
characters are (request_body), the JSON types of import lines (checks/import_fields), the MRZ bounded
(checks/mrz_input)."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import nullcontext

import pytest
from pydantic import ValidationError

from peacelink.checks.bulk_import import ImportReport, ImportSpec, validate_batch
from peacelink.checks.import_duplicates import NaturalKey
from peacelink.checks.import_fields import TEXT_LIST, WHOLE_NUMBER, type_problem
from peacelink.checks.import_reading import read_rows
from peacelink.checks.import_visibility import LineVisibility, agency_codes
from peacelink.dna.schemas import DirectCheck
from peacelink.documents.schemas import DocumentCheck
from peacelink.errors import Invalid
from peacelink.json_text import parse_json
from peacelink.persons.importer import SHAPES
from peacelink.persons.schemas import PersonCheck
from peacelink.request_body import refused_character, refused_character_in
from peacelink.utf8_text import NotUtf8, first_not_utf8

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def _refused(data: bytes | str) -> Invalid:
    with pytest.raises(Invalid) as caught:
        parse_json(data)
    return caught.value


def test_a_key_given_twice_is_refused_naming_its_path() -> None:
    top = _refused(b'{"names": ["A B"], "names": ["C D"]}')
    assert top.field == "names" and "given twice" in top.message
    nested = _refused('{"document": {"number": "A1", "country": "UTO", "number": "B2"}}')
    assert nested.field == "document.number"
    in_list = _refused('{"names": [{"name": "A"}, {"name": "B", "kind": "alias", "name": "C"}]}')
    assert in_list.field == "names.1.name"
    assert parse_json(b'{"names": [{"name": "A"}], "name": "B"}') == {"names": [{"name": "A"}], "name": "B"}


def test_broken_json_says_where_it_breaks_not_a_byte_offset() -> None:
    truncated = _refused(b'{"reference": "P-2", "names": [{"name": "A B"}]')
    assert truncated.field == "body"
    assert truncated.message == "the body is not valid JSON: Expecting ',' delimiter at column 48"
    two_lines = _refused(b'{"reference": "P-2",\n "names": [}')
    assert "at line 2, column 12" in two_lines.message
    assert "NaN" in _refused(b'{"score": NaN}').message  # no JSON value (RFC 8259)
    assert "nests too deeply" in _refused(b"[" * 100_000).message  # not a RecursionError (a 500)


def test_a_body_that_is_not_utf8_names_the_line_and_column() -> None:
    latin = _refused('{"names": [\n"José"]}'.encode("latin-1"))
    assert latin.field == "body" and "line 2, column 5" in latin.message and "0xE9" in latin.message
    utf16 = _refused('{"names": ["A B"]}'.encode("utf-16"))
    assert "UTF-16" in utf16.message
    assert parse_json('\ufeff{"a": "é"}'.encode()) == {"a": "é"}  # a byte order mark may lead (RFC 8259 §8.1)


def test_the_first_byte_that_is_not_utf8_across_chunk_boundaries() -> None:
    text = ("Иван Петров\n" * 50 + "x\n").encode()
    assert first_not_utf8(io.BytesIO(text), chunk=7) is None  # two-byte letters split between chunks
    bad = text + "Иван\n".encode("cp1251")
    assert first_not_utf8(io.BytesIO(bad), chunk=7) == NotUtf8(52, 1, 0xC8, utf16=False)
    assert first_not_utf8(io.BytesIO(b"ab\xe2\x82"), chunk=3) == NotUtf8(1, 3, 0xE2, utf16=False)  # cut short
    # An encoded surrogate (CESU-8) is not UTF-8 either.
    assert first_not_utf8(io.BytesIO(b"a\xed\xa0\x80b")) == NotUtf8(1, 2, 0xED, utf16=False)


def test_lone_surrogates_are_refused_as_control_characters_are() -> None:
    assert refused_character("Omar \ud800 Sharif") == ("surrogate", "U+D800")
    assert refused_character("\U0001f600 and \u200f") is None  # a whole character, a right-to-left mark
    assert refused_character_in({"reference": "J-9", "identifiers": [{"number": "X\udfff"}]}) == (
        "identifiers.0.number",
        "surrogate",
        "U+DFFF",
    )
    with pytest.raises(ValidationError) as caught:
        PersonCheck(names=["Omar \ud800 Sharif"])
    assert caught.value.errors()[0]["loc"][0] == "names"
    with pytest.raises(ValidationError) as caught:  # pydantic lets a surrogate through in a dictionary key
        DirectCheck(loci={"D3S1358\ud800": ["15", "16"]})
    [error] = caught.value.errors()
    assert error["loc"] == ("loci",) and error["type"] == "surrogate"
    assert "text may not contain lone surrogates (U+D800" in error["msg"]


SPEC = ImportSpec(
    database="t",
    table=None,  # type: ignore[arg-type]
    fields=("reference", "names", "description", "nationalities", "year"),
    required=("reference",),
    validate=lambda actor, row, today: {"reference": row["reference"]},
    natural_key=NaturalKey("reference"),
    shapes={"names": SHAPES["names"], "nationalities": TEXT_LIST, "year": WHOLE_NUMBER},
)


def _rejected(lines: list[str], fmt: str = "jsonl") -> list[tuple[int, str | None, str]]:
    report = ImportReport()
    # No line names an agency, so the rule looks none up: it gets no session.
    visibility = LineVisibility(lambda: nullcontext(None))  # type: ignore[arg-type,return-value]
    rows = list(read_rows(io.StringIO("\n".join(lines), newline=""), fmt=fmt, spec=SPEC))
    # Every line's review date is checked against today (checks/import_envelope), so the batch gets one.
    today = dt.date.today()
    validate_batch(SPEC, None, rows, report, today=today, fmt=fmt, visibility=visibility)  # type: ignore[arg-type]
    return [(r["line"], r["field"], r["reason"]) for r in report.rejected]


def test_json_lines_take_the_apis_types_nothing_becomes_text() -> None:
    assert _rejected(
        [
            '{"reference": 123}',
            '{"reference": "R2", "description": 1e999}',
            '{"reference": "R3", "nationalities": [1]}',
            '{"reference": "R4", "names": ["Ali", {"name": "Omar", "kind": true}]}',
            '{"reference": "R5", "description": {"text": "x"}}',
            '{"reference": "R6", "nationalities": "UTO;CAF"}',  # a list field takes a JSON list
            '{"reference": "R7", "year": 2015.5}',
            '{"reference": "R8", "names": ["Ali", {"name": "Omar"}], "year": 2015, "description": null}',
            '{"reference": "R9", "year": 2015, "names": [null]}',
            '{"reference": "R10", "year": "2015"}',  # a JSON integer, as the create takes it
        ]
    ) == [
        (1, "reference", "reference must be a JSON string, not a number"),
        (2, "description", "description must be a JSON string, not a number"),
        (3, "nationalities.0", "nationalities.0 must be a JSON string, not a number"),
        (4, "names.1.kind", "names.1.kind must be a JSON string, not true"),
        (5, "description", "description must be a JSON string, not an object"),
        (6, "nationalities", "nationalities must be a JSON list of strings, not a string"),
        (7, "year", "year must be a whole number: a JSON integer such as 2019, not a decimal number"),
        (
            9,
            "names.0",
            "names.0 must be a JSON string or an object {name, kind, script} of strings, not null",
        ),
        (10, "year", "year must be a whole number: a JSON integer such as 2019, not a string"),
    ]
    # CSV is text by nature: a list in a cell is the field's to read.
    assert _rejected(["reference,nationalities,year", "R1,UTO;CAF,2015"], fmt="csv") == []
    assert type_problem({"visibility_agencies": ["NCB-CAF", 7]}, SPEC.json_shapes) == (
        "visibility_agencies.1",
        "visibility_agencies.1 must be a JSON string, not a number",
    )


def test_import_lines_refuse_lone_surrogates_and_repeated_keys_naming_the_field() -> None:
    assert _rejected(
        [
            '{"reference": "J-9", "names": ["Omar \\ud800 Sharif"]}',
            '{"reference": "J-10", "description": "\\udfff"}',
            '{"reference": "J-11", "names": ["A"], "names": ["B"]}',
            '{"reference": "J-12", "description": "\\ud83d\\ude00 fine"}',
        ]
    ) == [
        (1, "names", "names.0: text may not contain lone surrogates (U+D800)"),
        (2, "description", "description: text may not contain lone surrogates (U+DFFF)"),
        (3, None, "names: given twice in one JSON object; give each key once"),
    ]


def test_visibility_agencies_in_a_csv_cell() -> None:
    assert agency_codes("NCB-CAF;MINUSCA") == ["NCB-CAF", "MINUSCA"]
    assert agency_codes("NCB-CAF, MINUSCA") == ["NCB-CAF", "MINUSCA"]
    assert agency_codes('["NCB-CAF", "MINUSCA"]') == ["NCB-CAF", "MINUSCA"]
    assert agency_codes("") == [] and agency_codes(["NCB-CAF"]) == ["NCB-CAF"]
    with pytest.raises(Invalid):
        agency_codes('["NCB-CAF", 1]')


@pytest.mark.parametrize(
    ("mrz", "words"),
    [
        (["a"] * 200_000, "give at most 4 lines; got 200000"),
        ("P<UTO" * 4_000_000, "one string of at most 300 characters"),
        ([TD3[0], TD3[1] + "<" * 120], "line 2 has 164 characters, at most 100"),
    ],
)
def test_the_mrz_is_bounded_with_a_clear_message(mrz: str | list[str], words: str) -> None:
    for shape in (PersonCheck, DocumentCheck):
        with pytest.raises(ValidationError) as caught:
            shape(mrz=mrz)
        [error] = caught.value.errors()
        assert error["loc"] == ("mrz",) and words in error["msg"] and "TD3" in error["msg"]
        assert len(error["msg"]) < 300


def test_an_mrz_with_room_for_what_a_reader_adds_passes() -> None:
    spaced = [" ".join(TD3[0]), TD3[1], ""]  # an OCR's spaces between characters, a blank line
    assert PersonCheck(mrz=spaced).mrz == spaced and DocumentCheck(mrz="\r\n".join(TD3)).mrz
    assert DocumentCheck(mrz=None).mrz is None
