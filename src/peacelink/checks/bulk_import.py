"""Bulk import shared by every database: CSV or JSON Lines in, batches of core inserts out.

Rules (issue 3): the API's field names; idempotent (a natural-key unique index and
``INSERT ... ON CONFLICT DO NOTHING``, so a re-run inserts nothing new); all-or-nothing per batch (a
batch with an invalid line is not written at all unless ``skip_invalid``); a report of rejected lines
with their line number and reason, and of duplicate lines with the reason they were skipped
(``checks/import_duplicates``). Rows go in as one bulk insert per batch (``db/bulk.insert_new``: one
``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` on SQLite, ``COPY`` into a staging table and that
``INSERT ... SELECT`` on PostgreSQL), not as ORM objects, because 10 million documents must load in
minutes; the ids it returns tell which lines the unique index skipped.

Every line, CSV or JSON, is held to the API's rules for text (``request_body``: no control character, no
lone surrogate); a JSON line's values must also be of the JSON types the API takes (``import_fields``: no
number stored as text), and a JSON line is parsed strictly (``json_text``: a key given twice is refused).
Each line may set its record's review date and visibility as the API's create does (``import_envelope``,
``import_visibility``); by default a record is reviewed in 5 years and visible to all. A line naming other
records (a person's travel documents and vehicles) is checked as the create checks them, for a whole batch at
once (``ImportSpec.check_references``).
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Engine, Table
from sqlalchemy.orm import Session, sessionmaker

from peacelink.access import Actor
from peacelink.access.visibility import RecordStatus, Visibility
from peacelink.audit import service as audit
from peacelink.checks.import_duplicates import MAX_LISTED as MAX_DUPLICATES_LISTED
from peacelink.checks.import_duplicates import BatchDuplicates, Lines, NaturalKey, describe, split_repeats
from peacelink.checks.import_envelope import ENVELOPE_FIELDS, review_column
from peacelink.checks.import_fields import TEXT_LIST, Shape, type_problem
from peacelink.checks.import_reading import Row, read_rows
from peacelink.checks.import_report import ImportReport as ImportReport  # the report, re-exported
from peacelink.checks.import_visibility import LineVisibility
from peacelink.db.base import utcnow
from peacelink.db.bulk import insert_new, vacuum_analyze
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import Invalid, PeacelinkError
from peacelink.records.envelope import review_due_from
from peacelink.request_body import refusal, refused_character_in

DEFAULT_BATCH = 20_000
REVIEW_YEARS = 5


@dataclass(frozen=True)
class ImportSpec:
    """What a database tells the importer: its table, field names and row validator."""

    database: str
    table: Table
    fields: tuple[str, ...]
    required: tuple[str, ...]
    # Checks one row for the actor (raises Invalid naming the field) and returns its column values.
    validate: Callable[[Actor, dict[str, Any], dt.date], dict[str, Any]]
    # The columns of the table's unique index besides the owner: two lines with the same values are one
    # record, and the later one a duplicate (checks/import_duplicates).
    natural_key: NaturalKey
    # A database whose record is more than one table row (a person: names and blocking keys) inserts
    # its own batches; the others get insert_batch's single-table INSERT.
    insert: BatchInserter | None = None
    # Tables besides ``table`` that an import fills, whose planner statistics it refreshes at the end.
    also_loads: tuple[Table, ...] = ()
    # The JSON type of each field that is not text (import_fields: a list of strings, a whole number...).
    shapes: Mapping[str, Shape] = field(default_factory=dict)
    # A database whose lines name other records checks them as its create does, for a batch at once.
    check_references: ReferenceCheck | None = None

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every field a line may give: the database's and the envelope fields every import takes."""
        return (*self.fields, *ENVELOPE_FIELDS)

    @property
    def json_shapes(self) -> dict[str, Shape]:
        """The JSON type of each field that is not text, the visibility agencies included."""
        return {"visibility_agencies": TEXT_LIST, **self.shapes}


class BatchInserter(Protocol):
    """Inserts one batch's records in the session's transaction; returns the ids of those that went in.

    ``rows`` are the table rows (envelope and validated values, each natural key once); a record that is
    more than its row keeps the rest under keys starting with ``_``. A row whose natural key the owner
    already holds is skipped, not an error.
    """

    def __call__(self, session: Session, *, rows: list[dict[str, Any]]) -> list[str]: ...


class ReferenceCheck(Protocol):
    """Checks the records a batch's valid lines name (their validated ``values``, in line order) as the
    create checks them, in ``session``; returns why each refused line is refused, by its index in ``values``.

    It may replace a line's ``_`` values with their checked form (a person's links, each id once).
    """

    def __call__(
        self, session: Session, *, actor: Actor, values: Sequence[dict[str, Any]]
    ) -> dict[int, PeacelinkError]: ...


class Batcher:
    """Turns validated rows into full table rows with the record envelope filled in, and remembers the
    line each id was handed out for (to name the first line of a key repeated in a later batch)."""

    def __init__(self, actor: Actor, *, today: dt.date) -> None:
        self.actor = actor
        self.today = today
        self.now = utcnow()
        self.review_due = review_due_from(today, REVIEW_YEARS)
        # Per envelope() call: random suffix -> (first counter, first line, line offsets). 4 bytes a row,
        # not a dict of ids: a 10M-line import keeps 40 MB, and nothing once the duplicate list is full.
        self._lines: dict[str, tuple[int, int, array[int]]] | None = {}

    def envelope(self, lines: Sequence[int]) -> Iterator[dict[str, Any]]:
        """Envelope columns for one new row per line of ``lines`` (increasing), in their order.

        Ids are time-ordered (nanosecond counter, then 64 random bits): still unique across nodes, but
        they append to the primary-key index instead of landing at random places in it, which keeps
        a 10-million-row load fast.
        """
        count = len(lines)
        start = time.time_ns()
        suffix = secrets.token_hex(8)
        if self._lines is not None and count:
            self._lines[suffix] = (start, lines[0], array("I", (line - lines[0] for line in lines)))
        base = {
            "owner_agency_id": self.actor.agency_id,
            "created_by": self.actor.user_id,
            "updated_by": self.actor.user_id,
            "created_at": self.now,
            "updated_at": self.now,
            "status": RecordStatus.ACTIVE.value,
            "review_due": self.review_due,
            "version": 1,
            # The default; a line's own setting (import_visibility) is among its values, which come after.
            "visibility": Visibility.ALL.value,
            "visibility_agencies": "",
        }
        for index in range(count):
            yield {"id": f"{start + index:016x}{suffix}", **base}

    def line_of(self, record_id: str) -> int | None:
        """The line ``record_id`` was handed out for by this batcher, or None (not one of its ids)."""
        found = self._lines.get(record_id[16:]) if self._lines is not None else None
        if found is None:
            return None
        start, first_line, offsets = found
        index = int(record_id[:16], 16) - start
        return first_line + offsets[index] if 0 <= index < len(offsets) else None

    def forget_lines(self) -> None:
        """Stop remembering lines (the report lists no more duplicates)."""
        self._lines = None


def validate_batch(
    spec: ImportSpec,
    actor: Actor,
    rows: list[Row],
    report: ImportReport,
    *,
    today: dt.date,
    fmt: str,
    visibility: LineVisibility,
    open_session: Callable[[], AbstractContextManager[Session]] | None = None,
) -> Lines:
    """Validate a batch; rejected lines go to the report, in line order. Returns the good lines and their
    column values (the review date and visibility columns included). ``fmt`` says whether the rows hold JSON
    values ("jsonl"), whose types are checked, or CSV text. ``open_session`` gives the session in which the
    records the lines name are looked up (``ImportSpec.check_references``)."""
    good = Lines()
    refused: list[tuple[int, str | None, str]] = []
    shapes = spec.json_shapes
    for line, row, reason in rows:
        if row is None:
            refused.append((line, None, reason or "unreadable"))
            continue
        mistyped = type_problem(row, shapes) if fmt == "jsonl" else None
        if mistyped is not None:  # as the API's request shapes: a number is not text (import_fields.py)
            refused.append((line, *mistyped))
            continue
        found = refused_character_in(row)
        if found is not None:  # as the API's request bodies (request_body.py): no engine-dependent text
            where, kind, character = found
            refused.append((line, where.split(".", 1)[0], f"{where}: {refusal(kind, character)}"))
            continue
        try:
            # In the create's order: the record's own fields, then its review date and visibility.
            values = {**spec.validate(actor, row, today), **review_column(row, today=today)}
            values.update(visibility.columns(row))
        except PeacelinkError as exc:
            refused.append((line, exc.field, exc.message))
            continue
        good.values.append(values)
        good.numbers.append(line)
    if spec.check_references is not None and good.values:
        if open_session is None:
            raise ValueError(f"the {spec.database} import checks references: pass open_session")
        with open_session() as session:
            wrong = spec.check_references(session, actor=actor, values=good.values)
        refused += [(good.numbers[index], error.field, error.message) for index, error in wrong.items()]
        kept = [index for index in range(len(good.numbers)) if index not in wrong]
        good = Lines(numbers=[good.numbers[i] for i in kept], values=[good.values[i] for i in kept])
    for line, field_name, reason in sorted(refused, key=lambda rejected: rejected[0]):
        report.reject(line, field_name, reason)
    return good


@dataclass(frozen=True)
class BatchOutcome:
    """What one batch's insert did: the rows that went in and the batch's duplicate lines."""

    inserted: int
    duplicates: BatchDuplicates


def insert_batch(
    session: Session,
    *,
    actor: Actor,
    spec: ImportSpec,
    validated: Lines,
    batcher: Batcher,
    batch_number: int,
    source: str,
    room: int = MAX_DUPLICATES_LISTED,
) -> BatchOutcome:
    """Insert one batch in the session's transaction, with its audit event; return how many rows went in
    and the batch's duplicates (all counted, the first ``room`` listed with their reason)."""
    if not validated.numbers:
        return BatchOutcome(0, BatchDuplicates())
    # The first line of a key goes in; the database's unique index decides only between it and the records
    # already stored, so which line of a repeated key wins does not depend on the engine's row order.
    sent, repeats = split_repeats(spec.natural_key, validated)
    rows = [
        {**envelope, **values}
        for envelope, values in zip(batcher.envelope(sent.numbers), sent.values, strict=True)
    ]
    if spec.insert is not None:
        inserted = spec.insert(session, rows=rows)
    else:
        inserted = insert_new(session.connection(), spec.table, rows, returning="id")
    skipped: set[int] = set()
    if len(inserted) < len(rows):
        went_in = set(inserted)
        skipped = {line for line, row in zip(sent.numbers, rows, strict=True) if row["id"] not in went_in}
    duplicates = describe(
        session,
        table=spec.table,
        owner_agency_id=actor.agency_id,
        key=spec.natural_key,
        line_of=batcher.line_of,
        sent=sent,
        skipped=skipped,
        repeats=repeats,
        room=room,
    )
    audit.record(
        session,
        actor=actor,
        action=f"{spec.database}.import",
        object_type=spec.database,
        query={
            "source": source,
            "batch": batch_number,
            "rows": len(validated.numbers),
            "inserted": len(inserted),
            "duplicates": duplicates.count,
        },
    )
    return BatchOutcome(len(inserted), duplicates)


def import_stream(
    sessions: sessionmaker[Session],
    *,
    actor: Actor,
    spec: ImportSpec,
    stream: Iterable[str],
    fmt: str,
    source: str,
    batch_size: int = DEFAULT_BATCH,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Import a whole file batch by batch, one transaction per batch (the CLI path).

    On PostgreSQL the loaded tables are vacuumed and analysed at the end, when anything was inserted
    (``db/bulk.vacuum_analyze``).
    """
    day = today or dt.date.today()
    report = ImportReport()
    batcher = Batcher(actor, today=day)
    pending: list[Row] = []
    # The agencies a line names are looked up in a session of their own, outside the batches' transactions.
    visibility = LineVisibility(sessions)

    def flush(batch_number: int) -> None:
        rejected_before = report.rejected_count
        validated = validate_batch(
            spec, actor, pending, report, today=day, fmt=fmt, visibility=visibility, open_session=sessions
        )
        report.lines += len(pending)
        if report.rejected_count > rejected_before and not skip_invalid:
            report.batches_rejected += 1
        else:
            with unit_of_work(sessions) as session:
                outcome = insert_batch(
                    session,
                    actor=actor,
                    spec=spec,
                    validated=validated,
                    batcher=batcher,
                    batch_number=batch_number,
                    source=source,
                    room=report.duplicate_room,
                )
            report.inserted += outcome.inserted
            report.add_duplicates(outcome.duplicates)
            if not report.duplicate_room:
                batcher.forget_lines()  # no later duplicate is listed, so no first line is needed
            report.batches_committed += 1
        if progress is not None:
            progress(len(pending))
        pending.clear()

    batch_number = 0
    for row in read_rows(stream, fmt=fmt, spec=spec):
        pending.append(row)
        if len(pending) >= batch_size:
            batch_number += 1
            flush(batch_number)
    if pending:
        batch_number += 1
        flush(batch_number)
    engine = sessions.kw.get("bind")
    if report.inserted and isinstance(engine, Engine):
        vacuum_analyze(engine, (spec.table, *spec.also_loads))
    return report


def import_text(
    session: Session,
    *,
    actor: Actor,
    spec: ImportSpec,
    text: str,
    fmt: str,
    source: str,
    today: dt.date | None = None,
) -> ImportReport:
    """Import a request body in the caller's transaction: one batch, nothing written if a line is bad."""
    day = today or dt.date.today()
    report = ImportReport()
    # Lines split only at \n, \r and \r\n and keep their endings, as the CLI reads a file: splitlines()
    # also split at U+2028, U+0085, form feed... and dropped the line breaks inside quoted CSV values.
    rows = list(read_rows(io.StringIO(text, newline=""), fmt=fmt, spec=spec))

    def in_this_session() -> AbstractContextManager[Session]:
        return nullcontext(session)

    visibility = LineVisibility(in_this_session)
    validated = validate_batch(
        spec, actor, rows, report, today=day, fmt=fmt, visibility=visibility, open_session=in_this_session
    )
    report.lines = len(rows)
    if report.rejected_count:
        first = report.rejected[0]
        raise Invalid(
            f"{report.rejected_count} line(s) rejected, nothing imported; first: line {first['line']}: "
            f"{first['reason']}",
            field=first["field"] or "body",
            details=report.to_dict(),
        )
    outcome = insert_batch(
        session,
        actor=actor,
        spec=spec,
        validated=validated,
        batcher=Batcher(actor, today=day),
        batch_number=1,
        source=source,
    )
    report.inserted = outcome.inserted
    report.add_duplicates(outcome.duplicates)
    report.batches_committed = 1
    return report
