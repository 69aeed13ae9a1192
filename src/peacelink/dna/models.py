"""DNA tables: profiles, families of missing persons, population frequency tables, the index generation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from peacelink.db.base import Base, UTCDateTime, utcnow
from peacelink.matching.dna import ProfileKind

__all__ = [
    "DNAFamily",
    "DNAFamilyModel",
    "DNAFrequencyTable",
    "DNAIndexSnapshot",
    "DNAIndexState",
    "DNAProfile",
    "ProfileKind",
]
from peacelink.records.envelope import RecordEnvelope


class DNAProfile(RecordEnvelope, Base):
    """An anonymous STR profile: no name travels with it, only the owner's reference.

    ``person_id`` may link a known person's reference profile to a person record; it has no foreign key
    because the persons table arrives later (issue 5). A relative of a missing person belongs to a
    ``family`` (the owner's case grouping the relatives of one missing person).
    """

    __tablename__ = "dna_profiles"
    # kind: a matching.dna.ProfileKind value (reference, stain, unidentified_remains, relative)

    kind: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str] = mapped_column(String(100))
    person_id: Mapped[str | None] = mapped_column(String(32))
    relationship: Mapped[str | None] = mapped_column(String(16))
    family_id: Mapped[str | None] = mapped_column(ForeignKey("dna_families.id"))
    is_mixture: Mapped[bool] = mapped_column(Boolean, default=False)
    # Canonical locus -> sorted list of canonical allele labels (matching.dna.Profile.to_mapping()).
    loci: Mapped[dict[str, Any]] = mapped_column(JSON)
    locus_count: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(500), default="")
    # The index generation at which this row last changed: a process's in-memory index catches up by
    # reading only the rows newer than the generation it holds (dna/index.py).
    index_generation: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("uq_dna_profiles_reference", "owner_agency_id", "reference", unique=True),
        Index("ix_dna_profiles_generation", "index_generation"),
        Index("ix_dna_profiles_family", "family_id"),
    )


class DNAFamily(RecordEnvelope, Base):
    """The relatives of one missing person, as one owner's case: the unit a kinship search ranks."""

    __tablename__ = "dna_families"

    # The owner's case id for the missing person (no name: anonymous like the profiles).
    case_reference: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (Index("uq_dna_families_case", "owner_agency_id", "case_reference", unique=True),)


class DNAFrequencyTable(Base):
    """Allele frequencies of one population, shared reference data for every agency's statistics."""

    __tablename__ = "dna_frequency_tables"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    population: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    # locus -> {"observed": {allele: frequency}, "minimum": float, "n_alleles": int | null}
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    locus_count: Mapped[int] = mapped_column(Integer)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    # New at every import: family models built on an older table are rebuilt (dna/index.py).
    token: Mapped[str] = mapped_column(String(32))
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DNAIndexState(Base):
    """One row: the generation counter of the DNA data, bumped by every change that the indexes hold.

    ``epoch`` is new whenever the row is (re)created, so a process never mistakes a recreated counter
    (a restored or truncated database) for the one its cache was built from.
    """

    __tablename__ = "dna_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[str] = mapped_column(String(32))
    generation: Mapped[int] = mapped_column(Integer, default=0)


class DNAFamilyModel(Base):
    """A family's precomputed kinship model for one frequency table, so a cold process need not rebuild it.

    Written in the transaction that changes the family's relatives (``dna/family_models.py``). It is valid
    only while ``token`` is the table's current token (a replaced table makes it stale) and ``generation``
    is at least the newest ``index_generation`` of the family's relatives; otherwise it is rebuilt.
    """

    __tablename__ = "dna_family_models"

    family_id: Mapped[str] = mapped_column(ForeignKey("dna_families.id"), primary_key=True)
    frequency_table_id: Mapped[int] = mapped_column(ForeignKey("dna_frequency_tables.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    generation: Mapped[int] = mapped_column(Integer)
    # The mark ``family_models._READ_MARK`` (built from the loci as searches read them), then
    # matching.dna.FamilyModel.to_bytes() (a JSON header and raw float64 arrays). Migration 0034 deleted the
    # rows stored without the mark; a row without it is rebuilt, never read.
    model: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class DNAIndexSnapshot(Base):
    """One row: the direct search index saved at ``(epoch, generation)`` (``dna/snapshots.py``).

    A cold process loads it and then applies only the profile rows stamped after ``generation``.
    """

    __tablename__ = "dna_index_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[str] = mapped_column(String(32))
    generation: Mapped[int] = mapped_column(Integer)
    profile_count: Mapped[int] = mapped_column(Integer)
    # zlib-compressed matching.dna.DirectSearchIndex.to_bytes() (an .npz: numpy arrays and JSON, no pickle).
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
