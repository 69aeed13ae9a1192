"""Owner-set visibility: the one place that decides which agency may see which record.

Every read path (API, web, CLI, exports, sync, link analysis) goes through ``can_see`` for objects already
loaded or ``visible_clause`` for queries, so a record hidden from an agency yields no hit and no trace.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, or_

from peacelink.access.actor import Actor


class Visibility(StrEnum):
    """Who besides the owner may see a record."""

    ALL = "all"
    ONLY = "only"
    ALL_EXCEPT = "all_except"


class RecordStatus(StrEnum):
    """Lifecycle of a record; only active records are served to other agencies."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


def encode_agencies(codes: list[str] | tuple[str, ...] | set[str]) -> str:
    """Store a list of agency codes as ``,A,B,`` so one LIKE test works on SQLite and PostgreSQL."""
    cleaned = sorted({c.strip().upper() for c in codes if c.strip()})
    return "," + ",".join(cleaned) + "," if cleaned else ""


def decode_agencies(stored: str | None) -> list[str]:
    """Inverse of encode_agencies."""
    return [c for c in (stored or "").split(",") if c]


class VisibleRecord(Protocol):
    """What the visibility rules need from a record."""

    owner_agency_id: int
    visibility: str
    visibility_agencies: str
    status: str
    review_due: dt.date


def agency_allowed(mode: str, agencies: str, agency_code: str) -> bool:
    """Whether a non-owner agency passes the owner's visibility setting."""
    listed = f",{agency_code}," in (agencies or "")
    if mode == Visibility.ALL:
        return True
    if mode == Visibility.ONLY:
        return listed
    return not listed


def can_see(actor: Actor, record: VisibleRecord, *, today: dt.date | None = None) -> bool:
    """True when ``actor``'s agency may see ``record``.

    The owner always sees its records, expired and cancelled ones included, so it can renew them. Other
    agencies see only active records before their review date and only if the owner's visibility allows.
    """
    if record.owner_agency_id == actor.agency_id:
        return True
    if record.status != RecordStatus.ACTIVE:
        return False
    if record.review_due < (today or dt.date.today()):
        return False
    return agency_allowed(record.visibility, record.visibility_agencies, actor.agency_code)


def excluded_by_owner(actor: Actor, record: VisibleRecord) -> bool:
    """True when the record is served but the owner's visibility excludes this agency.

    Such a match must be reported to the owner only: the searching agency learns nothing.
    """
    return record.owner_agency_id != actor.agency_id and not agency_allowed(
        record.visibility, record.visibility_agencies, actor.agency_code
    )


def visible_clause(model: Any, actor: Actor, *, today: dt.date | None = None) -> ColumnElement[bool]:
    """SQL filter equivalent to ``can_see`` for a table using the record envelope."""
    code_pattern = f"%,{actor.agency_code},%"
    others = and_(
        model.status == RecordStatus.ACTIVE.value,
        model.review_due >= (today or dt.date.today()),
        or_(
            model.visibility == Visibility.ALL.value,
            and_(model.visibility == Visibility.ONLY.value, model.visibility_agencies.like(code_pattern)),
            and_(
                model.visibility == Visibility.ALL_EXCEPT.value,
                ~model.visibility_agencies.like(code_pattern),
            ),
        ),
    )
    return or_(model.owner_agency_id == actor.agency_id, others)
