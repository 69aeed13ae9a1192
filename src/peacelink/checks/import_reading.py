"""Reading an import file: CSV (RFC 4180, read strictly) or JSON Lines (parsed strictly), one row per record
with its line number, or the reason it cannot be read (``checks/bulk_import`` validates and inserts)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from peacelink.errors import Invalid
from peacelink.json_text import parse_json

if TYPE_CHECKING:
    from peacelink.checks.bulk_import import ImportSpec

Row = tuple[int, dict[str, Any] | None, str | None]


def detect_format(name: str | None, first_chunk: str) -> str:
    """'jsonl' or 'csv' from a file name or content type, else from the first character."""
    lowered = (name or "").lower()
    if any(tag in lowered for tag in ("jsonl", "ndjson", "json-lines", "json")):
        return "jsonl"
    if "csv" in lowered:
        return "csv"
    return "jsonl" if first_chunk.lstrip().startswith("{") else "csv"


def read_rows(stream: Iterable[str], *, fmt: str, spec: ImportSpec) -> Iterator[Row]:
    """Yield (line number, row, None) or (line number, None, reason) for each record of the input."""
    if fmt == "csv":
        yield from _read_csv(stream, spec)
        return
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            # Strictly (json_text): a key given twice, NaN, or nesting too deep to read is a rejected line.
            row = parse_json(line, what="the line")
        except Invalid as exc:
            yield number, None, exc.message
            continue
        if not isinstance(row, dict):
            yield number, None, "not a JSON object"
            continue
        unknown = [k for k in row if k not in spec.accepted]
        if unknown:
            yield number, None, f"unknown fields {unknown}; expected {', '.join(spec.accepted)}"
            continue
        yield number, row, None


def _read_csv(stream: Iterable[str], spec: ImportSpec) -> Iterator[Row]:
    """The CSV rows of ``stream`` (RFC 4180), read strictly: nothing is read into the wrong field or dropped.

    A quote left open would otherwise take the rest of the file into one field, text after a closing
    quote would be glued to the field, and DictReader drops cells beyond the header and all but the last
    of a repeated column. A record is named by its first line; after a quoting error the reader stops
    (where the next record starts is unknown), so the batch holding it is rejected.
    """
    reader = csv.reader(iter(stream), strict=True)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise Invalid(
            f"CSV header (line 1): {_csv_problem(exc, 1, reader.line_num)}", field="header"
        ) from exc
    problem = _header_problem(header, spec)
    if problem is not None:
        raise Invalid(f"CSV header: {problem}", field="header")
    width = len(header)
    while True:
        start = reader.line_num + 1  # each next() reads exactly one record, blank lines included
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, None, _csv_problem(exc, start, reader.line_num)
            return
        if not cells:  # a blank line
            continue
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            yield (
                start,
                None,
                f"{len(cells)} cells where the header has {width} columns: the cells after column {width} "
                "would be lost (a value holding ',' must be quoted)",
            )
            continue
        # A short row leaves its missing trailing fields out, as a JSON line may: the validator reports
        # a missing required one by name.
        yield start, dict(zip(header, cells, strict=False)), None


def _header_problem(header: list[str], spec: ImportSpec) -> str | None:
    """What is wrong with a CSV header, or None."""
    first: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        if not name.strip():
            return f"column {column} has no name; expected {', '.join(spec.accepted)}"
        if name in first:
            return f"column {name!r} appears twice (columns {first[name]} and {column})"
        first[name] = column
    unknown = [h for h in header if h not in spec.accepted]
    missing = [f for f in spec.required if f not in header]
    if unknown or missing:
        problem = f"unknown columns {unknown}" if unknown else f"missing columns {missing}"
        return f"{problem}; expected {', '.join(spec.accepted)}"
    return None


def _csv_problem(error: csv.Error, start: int, end: int) -> str:
    """The reason for a CSV record the csv module could not read (from ``start`` to line ``end``)."""
    text = str(error)
    stop = "; nothing from this line on was read"
    if text.startswith("unexpected end of data"):
        return (
            f"a quoted field in the record starting on this line is never closed: no closing '\"' before "
            f"the end of the file (line {end}){stop}"
        )
    if text.startswith("field larger than field limit"):
        return (
            f"a field in the record starting on this line is longer than {csv.field_size_limit()} "
            f"characters (a quote never closed?){stop}"
        )
    where = f"at line {end}" if end != start else "on this line"
    return (
        f"malformed quoting {where} ({text}): a quoted value ends with '\"' followed by ',' or the end "
        f"of the line, and a '\"' inside it is written '\"\"'{stop}"
    )
