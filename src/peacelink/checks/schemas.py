"""Response shapes shared by every database: the check answer and the import report."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


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


class ImportReportOut(BaseModel):
    """What an import did."""

    lines: int
    inserted: int
    duplicates: int
    rejected_count: int
    rejected: list[RejectedLine]
    batches_committed: int
    batches_rejected: int
