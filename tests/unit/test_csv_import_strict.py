"""The import reader reads CSV strictly: a broken quote, surplus cells or a doubtful header are refused
with the line and field named, never read into another field or dropped (checks/import_reading.read_rows).
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from peacelink.checks.bulk_import import ImportSpec
from peacelink.checks.import_duplicates import NaturalKey
from peacelink.checks.import_reading import Row, read_rows
from peacelink.errors import Invalid

SPEC = ImportSpec(
    database="t",
    table=None,  # type: ignore[arg-type]
    fields=("reference", "names", "dates_of_birth"),
    required=("reference", "names"),
    validate=lambda actor, row, today: row,
    natural_key=NaturalKey("reference"),
)


def _read(text: str) -> list[Row]:
    # As the CLI reads a file and the API a body: lines keep their endings (newline="").
    return list(read_rows(io.StringIO(text, newline=""), fmt="csv", spec=SPEC))


def _good(rows: list[Row]) -> list[tuple[int, dict[str, Any] | None]]:
    assert all(reason is None for _, _, reason in rows), rows
    return [(line, row) for line, row, _ in rows]


def test_an_unterminated_quote_names_its_line_and_swallows_nothing() -> None:
    rows = _read(
        'reference,names,dates_of_birth\nQ-0,Fine Row,1977\nQ-1,"Bad quote,1978\nQ-2,Second Row,1979\n'
        "Q-3,Third Row,1980\n"
    )
    assert rows[0] == (2, {"reference": "Q-0", "names": "Fine Row", "dates_of_birth": "1977"}, None)
    [(line, row, reason)] = rows[1:]
    assert (line, row) == (3, None) and reason is not None
    assert "quoted field" in reason and "never closed" in reason and "line 5" in reason


def test_a_quote_closed_too_late_is_refused_not_read_across_lines() -> None:
    # The runaway quote of line 2 is closed by the opening quote of line 4; what follows it is no ','.
    rows = _read('reference,names\nQ-1,"Bad quote\nQ-2,Second Row\nQ-3,"Third Row"\nQ-4,Fourth\n')
    [(line, row, reason)] = rows
    assert (line, row) == (2, None) and reason is not None
    assert "malformed quoting" in reason and "line 4" in reason
    # Text after a closing quote was silently glued on before ('"Omar" Khattab' became 'Omar Khattab').
    [(line, row, reason)] = _read('reference,names\nR1,"Omar" Khattab\n')
    assert (line, row) == (2, None) and reason is not None and "malformed quoting" in reason


def test_a_runaway_field_longer_than_the_csv_limit_is_an_error_not_a_crash() -> None:
    body = 'reference,names\nR1,"Runaway\n' + "R2,Someone Else\n" * 10_000
    [(line, row, reason)] = _read(body)
    assert (line, row) == (2, None) and reason is not None and "longer than" in reason


def test_surplus_cells_are_refused_naming_the_line() -> None:
    rows = _read("reference,names\nX-0,Good Row\nX-1,Extra Field,surplus,more\nX-2,Next Row\n")
    assert [(line, row is None) for line, row, _ in rows] == [(2, False), (3, True), (4, False)]
    reason = rows[1][2]
    assert reason is not None and "4 cells" in reason and "2 columns" in reason
    # Empty trailing cells (a spreadsheet's trailing commas) carry nothing, so nothing is lost.
    assert _good(_read("reference,names\nX-1,Name,,\n")) == [(2, {"reference": "X-1", "names": "Name"})]


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("reference,reference,names", ["reference", "columns 1 and 2"]),
        ("reference,names,names", ["names", "columns 2 and 3"]),
        ("reference,,names", ["column 2", "no name"]),
        ("reference,names,", ["column 3", "no name"]),
    ],
)
def test_a_repeated_or_unnamed_header_column_refuses_the_file(header: str, words: list[str]) -> None:
    with pytest.raises(Invalid) as caught:
        _read(f"{header}\nX-1,First,Second\n")
    assert caught.value.field == "header"
    assert all(word in caught.value.message for word in words), caught.value.message


def test_a_broken_header_line_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        _read('reference,"names\nX-1,Name\n')
    assert caught.value.field == "header" and "line 1" in caught.value.message


def test_short_rows_leave_their_missing_fields_absent() -> None:
    rows = _good(_read("reference,names,dates_of_birth\nS-1,Short Row\nS-2\n"))
    assert rows == [(2, {"reference": "S-1", "names": "Short Row"}), (3, {"reference": "S-2"})]


def test_legitimate_quoting_still_loads() -> None:
    text = (
        "reference,names,dates_of_birth\r\n"
        'M-1,"Omar Khattab;Abu Hafs","1970;1971"\r\n'
        '"M-2","He said ""stop""",1980\r\n'
        "\r\n"
        'M-3,"First line\r\nsecond line",1981\r\n'
        'M-4,"a, b",\r\n'
        "M-5,Name 5'11\" tall,1982\r\n"
        'M-6,"",1983'
    )
    assert _good(_read(text)) == [
        (2, {"reference": "M-1", "names": "Omar Khattab;Abu Hafs", "dates_of_birth": "1970;1971"}),
        (3, {"reference": "M-2", "names": 'He said "stop"', "dates_of_birth": "1980"}),
        (5, {"reference": "M-3", "names": "First line\r\nsecond line", "dates_of_birth": "1981"}),
        (7, {"reference": "M-4", "names": "a, b", "dates_of_birth": ""}),
        (8, {"reference": "M-5", "names": "Name 5'11\" tall", "dates_of_birth": "1982"}),
        (9, {"reference": "M-6", "names": "", "dates_of_birth": "1983"}),
    ]


def test_a_record_over_several_lines_is_named_by_its_first_line() -> None:
    rows = _good(_read('reference,names\nL-1,"one\ntwo\nthree"\nL-2,After\n'))
    assert [line for line, _ in rows] == [2, 5]


def test_json_lines_refuse_a_repeated_key() -> None:
    rows = list(
        read_rows(
            ['{"reference": "A", "reference": "B", "names": ["X"]}', '{"reference": "C", "names": ["Y"]}'],
            fmt="jsonl",
            spec=SPEC,
        )
    )
    assert [(line, row is None) for line, row, _ in rows] == [(1, True), (2, False)]
    assert rows[0][2] is not None and "reference" in rows[0][2] and "twice" in rows[0][2]
