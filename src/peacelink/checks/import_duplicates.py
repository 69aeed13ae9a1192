"""Which lines of an import were duplicates, and why: repeated in the same file, or already held by the owner.

A line is a duplicate when the owner already holds its natural key (``NaturalKey``: the columns of the
table's unique index besides the owner). Two causes, told apart for the operator who must find them:

- "repeated in this file (first on line N)": line N of this import holds the key and went in;
- "already present": the owner held the record before this import (or another importer got there first);
  "already present and cancelled" when that record is cancelled (an import does not bring it back).

Within a batch only the first line of a key goes to the database, whatever the engine's row order; the later
ones are repeats of it, found in Python. A line the unique index skipped in the insert itself (``ON CONFLICT
DO NOTHING``: its id is not among those ``RETURNING`` gave back) collides with a record of an earlier batch or
an older one: the record holding its key is looked up, and its id says which (the ``Batcher`` remembers the
line of each id it handed out). Every duplicate is counted; only the first ``MAX_LISTED`` are listed, and
only those are looked up, so a re-import of a million known lines costs at most ``MAX_LISTED`` index
look-ups and lists no more.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from peacelink.access.visibility import RecordStatus

MAX_LISTED = 1000
ALREADY_PRESENT = "already present"
# A cancelled record keeps its key (the unique index covers it) and stays cancelled: the line cannot bring it
# back, which "already present" alone would not tell.
ALREADY_CANCELLED = "already present and cancelled: an import does not re-create a cancelled record"


class NaturalKey:
    """The columns of a table's unique index besides the owner: two lines with equal values are one record.

    ``pick`` chooses the columns per row where partial unique indexes split the table (vehicles: the VIN,
    or without one the plate; a None value is matched with IS NULL, as the index's condition asks).
    """

    def __init__(
        self, *columns: str, pick: Callable[[dict[str, Any]], tuple[str, ...]] | None = None
    ) -> None:
        self.columns = columns
        self.pick = pick
        # Computed for every imported line: a C-level item getter, not a Python function, when it can be.
        self._values = operator.itemgetter(*columns)

    def of(self, values: dict[str, Any]) -> Hashable:
        """The key of validated ``values`` as one hashable value."""
        if self.pick is None:
            key: Hashable = self._values(values)
            return key
        columns = self.pick(values)
        return columns, tuple(values[c] for c in columns)

    def columns_of(self, values: dict[str, Any]) -> dict[str, Any]:
        """The key of validated ``values`` as {column: value}."""
        columns = self.columns if self.pick is None else self.pick(values)
        return {column: values[column] for column in columns}


class LineOfRecord(Protocol):
    """The line of this import a record id was handed out for (``Batcher.line_of``), or None."""

    def __call__(self, record_id: str) -> int | None: ...


def repeated(first_line: int) -> str:
    """The reason of a line whose key an earlier line of the same file holds."""
    return f"repeated in this file (first on line {first_line})"


@dataclass
class Lines:
    """Validated lines of a batch: line numbers and column values, index for index."""

    numbers: list[int] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)


def split_repeats(key: NaturalKey, lines: Lines) -> tuple[Lines, list[tuple[int, int]]]:
    """The first line of each natural key in ``lines``, and the others as (line, first line)."""
    first_line: dict[Hashable, int] = {}
    for number, values in zip(lines.numbers, lines.values, strict=True):
        first_line.setdefault(key.of(values), number)
    if len(first_line) == len(lines.numbers):  # the usual case: no key twice in the batch
        return lines, []
    firsts = Lines()
    repeats: list[tuple[int, int]] = []
    for number, values in zip(lines.numbers, lines.values, strict=True):
        first = first_line[key.of(values)]
        if first == number:
            firsts.numbers.append(number)
            firsts.values.append(values)
        else:
            repeats.append((number, first))
    return firsts, repeats


@dataclass
class BatchDuplicates:
    """The duplicates of one batch: all counted, the first ``room`` of them (by line) listed."""

    count: int = 0
    listed: list[dict[str, Any]] = field(default_factory=list)


def describe(
    session: Session,
    *,
    table: Table,
    owner_agency_id: int,
    key: NaturalKey,
    line_of: LineOfRecord,
    sent: Lines,
    skipped: set[int],
    repeats: list[tuple[int, int]],
    room: int,
) -> BatchDuplicates:
    """Count a batch's duplicates and list the first ``room`` of them with their reason.

    ``sent`` are the lines that went to the database, ``skipped`` those of them the unique index left
    out, ``repeats`` the (line, first line) pairs kept back as repeats of a sent line.
    """
    result = BatchDuplicates(count=len(skipped) + len(repeats))
    if not result.count or room <= 0:
        return result
    values_of = dict(zip(sent.numbers, sent.values, strict=True))
    # The reason and first line of each skipped sent line, looked up once even if repeated.
    decided: dict[int, tuple[str, int | None]] = {}

    def skipped_reason(line: int) -> tuple[str, int | None]:
        if line not in decided:
            matches = [
                table.c[name].is_(None) if value is None else table.c[name] == value
                for name, value in key.columns_of(values_of[line]).items()
            ]
            holder = session.execute(
                select(table.c.id, table.c.status).where(table.c.owner_agency_id == owner_agency_id, *matches)
            ).first()
            first = line_of(holder.id) if holder is not None else None
            if first is not None:
                decided[line] = (repeated(first), first)
            elif holder is not None and holder.status == RecordStatus.CANCELLED:
                decided[line] = (ALREADY_CANCELLED, None)
            else:
                decided[line] = (ALREADY_PRESENT, None)
        return decided[line]

    candidates: list[tuple[int, int | None]] = [(line, None) for line in skipped]
    candidates += repeats
    candidates.sort(key=lambda candidate: candidate[0])
    for line, first in candidates[:room]:
        if first is None:  # sent, and skipped by the unique index
            reason, first_line = skipped_reason(line)
        elif first in skipped:  # a repeat of a line that did not go in either: that line's reason holds
            reason, first_line = skipped_reason(first)
        else:
            reason, first_line = repeated(first), first
        columns = key.columns_of(values_of[line if first is None else first])
        result.listed.append(
            {
                "line": line,
                "reason": reason,
                "first_line": first_line,
                "key": {name: str(value) for name, value in columns.items() if value is not None},
            }
        )
    return result
