"""Fingerprint tables: enrolled prints, their images, check probes, and the gallery's change counter."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from peacelink.db.base import Base, UTCDateTime, utcnow
from peacelink.records.envelope import RecordEnvelope


class PrintKind(StrEnum):
    """A reference print of a known person (tenprint card, live scan) or an unidentified crime-scene mark."""

    TENPRINT = "tenprint"
    LATENT = "latent"


class Fingerprint(RecordEnvelope, Base):
    """One finger view: the ISO/IEC 19794-2 template, its matcher encoding and the owner's envelope."""

    __tablename__ = "fingerprints"

    # The owner's own reference (case file, tenprint card number); shown to the searcher on a hit.
    reference: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default=PrintKind.TENPRINT.value)
    # 1-10 per ANSI/NIST-ITL table 8 (1 right thumb ... 10 left little); 0 = unknown (latent marks only).
    finger_position: Mapped[int] = mapped_column(Integer)
    # No foreign key on purpose: the persons table arrives in a later migration.
    person_id: Mapped[str | None] = mapped_column(String(32))
    quality: Mapped[int] = mapped_column(Integer, default=0)
    minutiae_count: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(16), default="template")
    action: Mapped[str] = mapped_column(String(500), default="")
    # ISO/IEC 19794-2:2005 record: the exchange format, and what the examiner page draws.
    template: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    # gallery.pack() of the MCC cylinders: loading 100,000 of them is a read, not 46 s of encoding.
    encoded: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    encoding_version: Mapped[int] = mapped_column(Integer, default=1)
    # The gallery generation of this row's last change (enrol or cancel): processes sync from it.
    gallery_seq: Mapped[int] = mapped_column(BigInteger, index=True)

    __table_args__ = (
        Index(
            "uq_fingerprints_natural", "owner_agency_id", "reference", "finger_position", "kind", unique=True
        ),
        Index("ix_fingerprints_person", "person_id"),
    )


class FingerprintImage(Base):
    """The enrolment image, kept for the examiner (separate so gallery loads never read it)."""

    __tablename__ = "fingerprint_images"

    fingerprint_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("fingerprints.id", ondelete="CASCADE"), primary_key=True
    )
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class FingerprintProbe(Base):
    """What a fingerprint check searched with, so the owner's examiner can compare it with the record."""

    __tablename__ = "fingerprint_probes"

    check_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    template: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str | None] = mapped_column(String(32))
    image: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FingerprintGalleryState(Base):
    """One row: the gallery generation, bumped by every enrol or cancel (see gallery.py).

    ``epoch`` changes when the row is recreated (a restored or truncated database), so a process never
    mistakes a new database's generation 5 for its cached generation 5.
    """

    __tablename__ = "fingerprint_gallery_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[str] = mapped_column(String(32))
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
