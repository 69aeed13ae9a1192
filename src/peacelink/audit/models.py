"""The append-only, hash-chained audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from peacelink.db.base import Base, UTCDateTime


class AuditEvent(Base):
    """One audited action. ``hash`` covers every other column and the previous event's hash."""

    __tablename__ = "audit_events"

    # 64-bit: the real systems log billions of searches a year.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64))
    agency_code: Mapped[str] = mapped_column(String(16), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    query: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row holding the chain's tip.

    Writers lock this row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions serialise
    writers already) so that concurrent transactions append to one chain, never fork it. It also lets
    ``verify`` notice a deleted tail.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
