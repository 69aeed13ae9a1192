"""What an import did: the report every import returns (``checks/bulk_import``), to the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peacelink.checks.import_duplicates import MAX_LISTED as MAX_DUPLICATES_LISTED
from peacelink.checks.import_duplicates import BatchDuplicates

__all__ = ["MAX_REPORTED", "ImportReport"]

MAX_REPORTED = 1000


@dataclass
class ImportReport:
    """What an import did; ``rejected`` lists (line, field, reason), at most MAX_REPORTED of them.

    ``duplicates`` counts every duplicate line; ``duplicate_lines`` lists the first MAX_DUPLICATES_LISTED
    of them (line, reason, first_line, key: see ``checks/import_duplicates``), in line order.
    """

    lines: int = 0
    inserted: int = 0
    duplicates: int = 0
    duplicate_lines: list[dict[str, Any]] = field(default_factory=list)
    rejected_count: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    batches_committed: int = 0
    batches_rejected: int = 0

    def reject(self, line: int, field_name: str | None, reason: str) -> None:
        """Note one rejected line."""
        self.rejected_count += 1
        if len(self.rejected) < MAX_REPORTED:
            self.rejected.append({"line": line, "field": field_name, "reason": reason})

    @property
    def duplicate_lines_omitted(self) -> int:
        """Duplicate lines counted but not listed (beyond the first MAX_DUPLICATES_LISTED)."""
        return self.duplicates - len(self.duplicate_lines)

    @property
    def duplicate_room(self) -> int:
        """How many more duplicate lines the report lists."""
        return MAX_DUPLICATES_LISTED - len(self.duplicate_lines)

    def add_duplicates(self, found: BatchDuplicates) -> None:
        """Count one committed batch's duplicates and list those it listed."""
        self.duplicates += found.count
        self.duplicate_lines.extend(found.listed)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "lines": self.lines,
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "duplicate_lines": self.duplicate_lines,
            "duplicate_lines_omitted": self.duplicate_lines_omitted,
            "rejected_count": self.rejected_count,
            "rejected": self.rejected,
            "batches_committed": self.batches_committed,
            "batches_rejected": self.batches_rejected,
        }
