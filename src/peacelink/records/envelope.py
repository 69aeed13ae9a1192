"""Columns and rules of the record envelope: owner, audit trail, status, review date, version, visibility."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from peacelink.access.visibility import RecordStatus, Visibility
from peacelink.db.base import UTCDateTime, new_id, utcnow


class RecordEnvelope:
    """Mixin for owner-controlled records. Tables using it get optimistic concurrency on ``version``.

    A table sets ``DATABASE`` to the name its checks and hits use ("documents", "vehicles"...).
    """

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=RecordStatus.ACTIVE.value)
    review_due: Mapped[dt.date] = mapped_column(Date, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.ALL.value)
    # ",CODE1,CODE2," (see access.visibility.encode_agencies)
    visibility_agencies: Mapped[str] = mapped_column(String(1000), default="")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805 - SQLAlchemy declared_attr signature
        # SQLAlchemy adds "AND version = :old" to every UPDATE, so a concurrent writer cannot slip in
        # between the service's version check and its write.
        return {"version_id_col": cls.version}


def review_due_from(start: dt.date, years: int) -> dt.date:
    """The review date ``years`` after ``start`` (29 February falls back to 28)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)
