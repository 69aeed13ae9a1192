"""Agency table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from peacelink.db.base import Base, UTCDateTime, utcnow


class Agency(Base):
    """A participant on the network: the central agency, an NCB, a mission or an international body."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(3))
    area: Mapped[list[str]] = mapped_column(JSON, default=list)
    mandate_end: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
