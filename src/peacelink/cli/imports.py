"""The import command of documents, vehicles and persons: its options, progress bar and report.

Exit codes: 0 imported (duplicates skipped), 1 lines were rejected (the report lists them), 2 the command
or its file is refused before anything is read into the database: no such file, a directory, a bad CSV
header, not allowed, or a file that is not UTF-8 text (it is checked whole first, so a bad byte on line
9,000,000 does not leave the batches before it imported).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from peacelink.access import Actor
from peacelink.checks.bulk_import import ImportReport, ImportSpec, import_stream
from peacelink.checks.import_duplicates import MAX_LISTED
from peacelink.checks.import_reading import detect_format
from peacelink.cli.context import CliContext, emit
from peacelink.errors import Invalid
from peacelink.utf8_text import first_not_utf8, not_utf8_message

# The import command's parameters, the same in every database (keep the parameter names: file, fmt,
# batch_size, skip_invalid; the option names derive from them).
ImportFile = Annotated[
    Path,
    typer.Argument(
        help="CSV or JSON Lines in UTF-8 with the field names of the API's create (JSON values of the types "
        "it takes: the import's OpenAPI description lists them), and optionally per line review_due "
        "(YYYY-MM-DD; default and latest: 5 years from today), visibility (all, only, all_except) and "
        "visibility_agencies (agency codes; in CSV separated by ';'). A file that is not UTF-8 is refused "
        "whole, naming its line (exit 2)"
    ),
]
FORMATS = ("csv", "jsonl")
ImportFormat = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="csv or jsonl (default: from the file name, else jsonl if the file starts with '{', else csv)",
    ),
]
BatchSize = Annotated[int, typer.Option(min=1, max=200_000)]
SkipInvalid = Annotated[bool, typer.Option(help="import a batch's good lines even if some are bad")]


def run_import(
    cli: CliContext,
    *,
    spec: ImportSpec,
    path: Path,
    fmt: str | None,
    batch_size: int,
    skip_invalid: bool,
    as_json: bool,
    may_import: Callable[[Actor], None],
) -> None:
    """Stream ``path`` into the database batch by batch and print the report."""
    if fmt is not None:
        # Only these two: the reader took any other value for JSON Lines, without the JSON type checks
        # that only "jsonl" turns on (--format json stored a number as text; --format CSV read a CSV
        # file's lines as JSON).
        if fmt.strip().lower() not in FORMATS:
            raise Invalid(f"--format is {' or '.join(FORMATS)}, not {fmt!r}", field="format")
        fmt = fmt.strip().lower()
    if path.is_dir():  # was "no such file", which sent the user looking for a missing path
        raise Invalid(f"{path} is a directory, not a file: name the file to import", field="file")
    if not path.is_file():
        raise Invalid(f"no such file: {path}", field="file")
    with cli.transaction() as session:
        actor = cli.actor(session)
    may_import(actor)
    size = path.stat().st_size
    with path.open("rb") as raw:
        found = first_not_utf8(raw)
        if found is not None:
            message = not_utf8_message(f"the file {path.name}", found)
            raise Invalid(f"{message}; nothing imported", field="file")
        raw.seek(0)
        head = raw.read(200).decode("utf-8-sig", errors="replace")
        raw.seek(0)
        chosen = fmt or detect_format(path.name, head)
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=as_json or not console.is_terminal,
        ) as bar:
            task = bar.add_task(f"importing {path.name}", total=size)
            report = import_stream(
                cli.sessions,
                actor=actor,
                spec=spec,
                stream=text,
                fmt=chosen,
                source=path.name,
                batch_size=batch_size,
                skip_invalid=skip_invalid,
                progress=lambda _lines: bar.update(task, completed=raw.tell()),
            )
            bar.update(task, completed=size)
    emit(report.to_dict(), as_json=as_json, text="\n".join(report_lines(report)))
    if report.rejected_count:
        raise typer.Exit(1)


def report_lines(report: ImportReport) -> list[str]:
    """The human report: the counts, each rejected line, then each listed duplicate line and its key."""
    lines = [
        f"{report.lines} lines: {report.inserted} inserted, {report.duplicates} duplicates skipped, "
        f"{report.rejected_count} rejected ({report.batches_committed} batches committed, "
        f"{report.batches_rejected} batches rejected)"
    ]
    lines += [f"  line {r['line']}: {r['field'] or '-'}: {r['reason']}" for r in report.rejected]
    if report.rejected_count > len(report.rejected):
        lines.append(f"  ... {report.rejected_count - len(report.rejected)} more rejected lines not listed")
    if report.duplicates:
        lines.append("duplicate lines (skipped):")
    for d in report.duplicate_lines:
        key = ", ".join(f"{name}={value}" for name, value in d["key"].items())
        lines.append(f"  line {d['line']}: {key}: {d['reason']}")
    if report.duplicate_lines_omitted:
        lines.append(
            f"  ... {report.duplicate_lines_omitted} more duplicate lines not listed "
            f"(the report lists the first {MAX_LISTED})"
        )
    return lines
