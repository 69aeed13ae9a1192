"""Request and response shapes for hits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from peacelink.request_body import RequestBody


class HitDecision(RequestBody):
    """A supervisor's decision note (required: the searcher reads it)."""

    note: str = Field(min_length=1, max_length=2000)


class HitOut(BaseModel):
    """A hit as the owner (queue) or the searching agency (outcome) sees it."""

    id: str
    check_id: str
    database: str
    record_id: str
    record: dict[str, Any] = Field(description="summary of the owner's record, as the check matched it")
    query: dict[str, Any] = Field(
        description="what the searching officer asked, as the check read it: for a person the names, "
        "date of birth, nationality, sex and document as given; for a document its country and number and "
        "whether they came from the MRZ; for a vehicle the VIN or plate; for a print its source, finger, "
        "minutiae count and digest (never the template); for DNA the loci and settings. Empty for hits "
        "made before it was kept"
    )
    score: float | None = Field(
        description="the match score of a scored database (persons and fingerprints: the similarity score; "
        "DNA: the log10 likelihood ratio, or the matched loci without a frequency table); null for exact "
        "and range matches"
    )
    action: str
    owner_agency: str
    searching_agency: str
    searching_user: str
    match: str
    confidence: str
    excluded_agency: bool = Field(
        description="the searcher's agency is excluded by the record's visibility; "
        "only the owner sees this hit and the searcher was told nothing"
    )
    status: str
    note: str
    decided_by: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime
