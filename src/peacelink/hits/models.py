"""The hit table: one row per record a check matched."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from peacelink.db.base import Base, UTCDateTime, new_id, utcnow


class HitStatus(StrEnum):
    """The owner's decision on a hit."""

    NEW = "new"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Hit(Base):
    """A possible match between a check and an owner's record, waiting for the owner's decision."""

    __tablename__ = "hits"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    check_id: Mapped[str] = mapped_column(String(32), index=True)
    database: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(32))
    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    searching_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    searching_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # "exact", "range" (inside a blank range) or "confusable" (OCR look-alike: lower confidence).
    match: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[str] = mapped_column(String(8))
    # The searcher's agency is excluded by the record's visibility: only the owner sees this hit.
    excluded_agency: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the searching officer asked (the check's audit summary: names, date of birth, nationality and
    # document as typed; a document's country and number or MRZ; a print's digest, never its template).
    # The owner is told what was checked against its record: it decides the hit on it. Rows written before
    # migration 0014 hold {}.
    query: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    action: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default=HitStatus.NEW.value)
    note: Mapped[str] = mapped_column(String(2000), default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_hits_owner_queue", "owner_agency_id", "status", "created_at"),
        Index("ix_hits_searcher", "searching_agency_id", "created_at"),
    )
