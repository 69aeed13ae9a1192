"""The persons database: person records, their names, blocking keys, key counts, links and photos."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from peacelink.db.base import Base
from peacelink.records.envelope import RecordEnvelope


class NameKind(StrEnum):
    """What a name of a person is (the issue's four kinds)."""

    PRIMARY = "primary"
    ALIAS = "alias"
    BIRTH_NAME = "birth_name"
    ORIGINAL_SCRIPT = "original_script"


class Sex(StrEnum):
    """Sex as recorded; ``unknown`` counts neither for nor against in a check."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class CrimeArea(StrEnum):
    """Crime areas of the issue (INTERPOL's notice categories, simplified)."""

    FUGITIVES = "fugitives"
    DRUGS = "drugs"
    TERRORISM = "terrorism"
    TRAFFICKING_IN_HUMAN_BEINGS = "trafficking_in_human_beings"
    CORRUPTION = "corruption"
    OTHER = "other"


class OfficerWarning(StrEnum):
    """Officer-safety warnings shown with every candidate."""

    ARMED = "armed"
    VIOLENT = "violent"
    ESCAPE_RISK = "escape_risk"
    SUICIDE_RISK = "suicide_risk"
    INFECTIOUS = "infectious"
    OTHER = "other"


# Key under which person_key_counts keeps the number of keyed (active) persons: the N of the IDF weights.
PERSONS_COUNT_KEY = "#persons"


class Person(RecordEnvelope, Base):
    """A wanted or known person; names are rows of ``person_names``, found through ``person_name_keys``.

    List-valued facts (dates of birth, nationalities, crime areas, warnings) are stored encoded as
    ``,A,B,`` (like visibility agencies) so that one LIKE filter works on SQLite and PostgreSQL alike.
    """

    __tablename__ = "persons"
    DATABASE = "persons"

    # The owner's own reference for the record (file number): the natural key of imports, unique per owner.
    reference: Mapped[str] = mapped_column(String(64))
    # The person's number in the blocking-key table (``person_name_keys.person_number``): a check's shortlist
    # sums and groups key rows by it, and an integer groups a third faster than the 32-character id
    # (migration 0035). Given at creation (``persons.keys.allocate_numbers``), never changed, never reused
    # while the row exists. NOT NULL on PostgreSQL; SQLite cannot add the constraint to a column of a table
    # others refer to without rebuilding it, and a key row of a person without one is refused anyway.
    number: Mapped[int] = mapped_column(Integer, unique=True)
    sex: Mapped[str] = mapped_column(String(8), default=Sex.UNKNOWN.value)
    dates_of_birth: Mapped[str] = mapped_column(String(200), default="")
    # Earliest and latest birth year over the dates: the search page's DOB range filter.
    birth_year_min: Mapped[int | None] = mapped_column(Integer)
    birth_year_max: Mapped[int | None] = mapped_column(Integer)
    place_of_birth: Mapped[str] = mapped_column(String(200), default="")
    nationalities: Mapped[str] = mapped_column(String(200), default="")
    # JSON list of {"type", "number", "country"} (numbers compacted), as text: read only with the record.
    identifiers: Mapped[str] = mapped_column(String(2000), default="[]")
    description: Mapped[str] = mapped_column(String(2000), default="")
    crime_areas: Mapped[str] = mapped_column(String(200), default="")
    warnings: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (
        # The natural key: re-importing a file of the owner creates nothing new.
        Index("uq_persons_reference", "owner_agency_id", "reference", unique=True),
        Index("ix_persons_birth_year", "birth_year_min"),
        Index("ix_persons_birth_year_max", "birth_year_max"),
        # The search without a name lists newest first: walking this index stops at the page's last row.
        Index("ix_persons_created_at", "created_at", "id"),
        # On SQLite, every column a check reads of a shortlisted person (persons.lookup.load_facts), by the
        # number its shortlist gives: one B-tree search per person instead of two (migrations 0032, 0035).
        Index(
            "ix_persons_check_facts",
            "number",
            "id",
            "status",
            "dates_of_birth",
            "nationalities",
            "sex",
            "identifiers",
            "owner_agency_id",
            "visibility",
            "visibility_agencies",
            "review_due",
        ).ddl_if(dialect="sqlite"),
    )


class PersonName(Base):
    """One name of a person as given (any script), with its normalised parts for scoring.

    ``parts`` holds the normaliser's output joined by spaces, so a check rebuilds the prepared name from
    cached parts without transliterating again (ICU is the slow step).
    """

    __tablename__ = "person_names"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    # ISO 15924 code (Latn, Arab, Cyrl, Ethi...): given, or detected from the letters.
    script: Mapped[str] = mapped_column(String(4))
    parts: Mapped[str] = mapped_column(String(400))
    # What a check needs to rebuild the name with its readings without running the reading rules again
    # (``persons.keys.stored_form``: "" for a name that is its parts alone; migration 0033). NULL: not made
    # (a row written by something else than this code), and the check prepares the name as before. Kept in
    # step with the reading rules like the key rows (``persons.keys.resync_persons``).
    prepared: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)

    # On SQLite the person_id index is this covering one, which a check's names read needs alone
    # (persons.lookup.load_names; migrations 0032, 0033); PostgreSQL keeps ix_person_names_person_id.
    __table_args__ = (
        Index(
            "ix_person_names_check_read",
            "person_id",
            "position",
            "name",
            "kind",
            "script",
            "parts",
            "prepared",
        ).ddl_if(dialect="sqlite"),
    )


class PersonNameKey(Base):
    """A blocking key of a person (``matching.names.blocking``; ``d:<number>`` for identity documents).

    The primary key (key, person_number) is the look-up index itself: on SQLite the table is WITHOUT ROWID,
    so a check's ``WHERE key IN (...) GROUP BY person_number`` reads only that index. The person is named
    by ``persons.number``, not its id (migration 0035).
    """

    __tablename__ = "person_name_keys"

    key: Mapped[str] = mapped_column(String(48), primary_key=True)
    person_number: Mapped[int] = mapped_column(
        ForeignKey("persons.number", ondelete="CASCADE"), primary_key=True, index=True
    )

    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it as is


class PersonKeyCount(Base):
    """Rows per blocking key (IDF weights, stop keys) and, under ``#persons``, the keyed person count."""

    __tablename__ = "person_key_counts"

    key: Mapped[str] = mapped_column(String(48), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it as is


class PersonDocumentLink(Base):
    """A travel document linked to a person (the person's own, or one they used)."""

    __tablename__ = "person_document_links"

    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("travel_documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PersonVehicleLink(Base):
    """A stolen vehicle linked to a person."""

    __tablename__ = "person_vehicle_links"

    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    vehicle_id: Mapped[str] = mapped_column(
        ForeignKey("stolen_vehicles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PersonPhoto(Base):
    """The optional photo of a person: the bytes themselves (JPEG or PNG, at most MAX_PHOTO_BYTES)."""

    __tablename__ = "person_photos"

    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (typed, for Core inserts and selects)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
