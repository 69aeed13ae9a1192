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
    record: dict[str, Any]
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
