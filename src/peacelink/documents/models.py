"""The travel document table and its lookup indexes."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Date, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from peacelink.db.base import Base
from peacelink.records.envelope import RecordEnvelope


class DocumentType(StrEnum):
    """Kinds of travel documents (ICAO Doc 9303 document codes P, I/A/C, V map onto these)."""

    PASSPORT = "passport"
    IDENTITY_CARD = "identity_card"
    VISA = "visa"
    OTHER = "other"


class DocumentStatus(StrEnum):
    """Why the document is in the database."""

    STOLEN = "stolen"
    LOST = "lost"
    REVOKED = "revoked"
    INVALIDATED = "invalidated"
    STOLEN_BLANK = "stolen_blank"


class TravelDocument(RecordEnvelope, Base):
    """A reported travel document, or a range of stolen blank documents (``range_*`` columns set)."""

    __tablename__ = "travel_documents"
    DATABASE = "documents"

    issuing_country: Mapped[str] = mapped_column(String(3))
    document_type: Mapped[str] = mapped_column(String(16))
    # Compacted number (upper case, no spaces, dashes or '<' fillers); for a blank range, its first number.
    number: Mapped[str] = mapped_column(String(40))
    # confusables.confusable_key(number): one index answers the exact and the OCR-confusable lookup.
    number_key: Mapped[str] = mapped_column(String(40))
    document_status: Mapped[str] = mapped_column(String(16))
    reported_at: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    holder_name: Mapped[str] = mapped_column(String(200), default="")
    holder_birth_date: Mapped[dt.date | None] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(500), default="")
    # Blank ranges: number = prefix + zero-padded digits; a number is inside when its prefix and digit
    # width are equal and its digits lie between first and last (see documents/ranges.py).
    range_end: Mapped[str | None] = mapped_column(String(40))
    range_prefix: Mapped[str | None] = mapped_column(String(40))
    range_width: Mapped[int | None] = mapped_column(Integer)
    range_first: Mapped[int | None] = mapped_column(BigInteger)
    range_last: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        # The natural key: importing the same report twice creates nothing new (ON CONFLICT DO NOTHING).
        Index(
            "uq_travel_documents_natural",
            "issuing_country",
            "number",
            "document_type",
            "owner_agency_id",
            unique=True,
        ),
        Index("ix_travel_documents_lookup", "issuing_country", "number_key"),
        # Partial index: only range rows are in it, so it stays tiny and range lookups never scan.
        Index(
            "ix_travel_documents_range",
            "issuing_country",
            "range_prefix",
            "range_width",
            "range_first",
            sqlite_where=text("range_prefix IS NOT NULL"),
            postgresql_where=text("range_prefix IS NOT NULL"),
        ),
    )
