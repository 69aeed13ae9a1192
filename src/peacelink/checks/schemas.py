"""Response shapes shared by every database: the check answer and the import report."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from peacelink.checks.import_duplicates import MAX_LISTED as MAX_DUPLICATES_LISTED


class HitAnswerOut(BaseModel):
    """One hit in a check answer: a lead to confirm with the owner, never an order."""

    hit_id: str
    database: str
    record_id: str
    record: dict[str, Any] = Field(description="summary of the owner's record")
    owner_agency: str
    action: str = Field(description="what the owner asks an officer to do")
    match: Literal["exact", "range", "confusable"]
    confidence: Literal["high", "low"] = Field(description="low: OCR look-alike, check the document by eye")


class CheckOut(BaseModel):
    """The answer to a check."""

    check_id: str
    database: str
    result: Literal["hit", "no_hit"]
    hits: list[HitAnswerOut]
    warnings: list[str]


class RejectedLine(BaseModel):
    """A line an import did not take, and why."""

    line: int
    field: str | None
    reason: str


class DuplicateLine(BaseModel):
    """A line an import skipped because the owner already holds its natural key, and why."""

    line: int = Field(description="line number in the file (a CSV record over several lines: its first line)")
    reason: str = Field(
        description="'repeated in this file (first on line N)': line N of this import holds the key and went "
        "in; 'already present': the owner held the record before this import"
    )
    first_line: int | None = Field(
        description="the line N of a repeat (the line whose record went in); null when already present"
    )
    key: dict[str, str] = Field(
        description="the natural key the line repeats: persons {reference}; documents {issuing_country, "
        "number, document_type}; vehicles {vin} or {plate_country, plate}"
    )


class ImportReportOut(BaseModel):
    """What an import did."""

    lines: int
    inserted: int
    duplicates: int = Field(
        description="every line skipped because its natural key was taken: repeated in the file or already "
        "present (the complete count, whatever duplicate_lines lists)"
    )
    duplicate_lines: list[DuplicateLine] = Field(
        description=f"the first {MAX_DUPLICATES_LISTED:,} duplicate lines in line order, each with its "
        "reason; the rest are only counted (duplicate_lines_omitted)"
    )
    duplicate_lines_omitted: int = Field(
        description=f"duplicate lines counted in duplicates but not listed, beyond the first "
        f"{MAX_DUPLICATES_LISTED:,}: duplicates = len(duplicate_lines) + duplicate_lines_omitted"
    )
    rejected_count: int
    rejected: list[RejectedLine]
    batches_committed: int
    batches_rejected: int
