"""The stolen vehicle table and its lookup indexes."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from peacelink.db.base import Base
from peacelink.records.envelope import RecordEnvelope


class VehicleStatus(StrEnum):
    """Why the vehicle is in the database."""

    STOLEN = "stolen"
    ROBBED = "robbed"
    EMBEZZLED = "embezzled"


class StolenVehicle(RecordEnvelope, Base):
    """A reported vehicle, found by VIN or by registration plate and country."""

    __tablename__ = "stolen_vehicles"
    DATABASE = "vehicles"

    vin: Mapped[str | None] = mapped_column(String(17))
    # Plates are stored compacted (plates.compact) with their confusable key for the fuzzy lookup.
    plate: Mapped[str | None] = mapped_column(String(16))
    plate_key: Mapped[str | None] = mapped_column(String(16))
    plate_country: Mapped[str | None] = mapped_column(String(3))
    make: Mapped[str] = mapped_column(String(100), default="")
    model: Mapped[str] = mapped_column(String(100), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    colour: Mapped[str] = mapped_column(String(50), default="")
    engine_number: Mapped[str] = mapped_column(String(50), default="")
    vehicle_status: Mapped[str] = mapped_column(String(16))
    reported_at: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (
        # Natural keys for idempotent imports: the VIN per owner, or (without VIN) the plate per owner.
        Index(
            "uq_stolen_vehicles_vin",
            "vin",
            "owner_agency_id",
            unique=True,
            sqlite_where=text("vin IS NOT NULL"),
            postgresql_where=text("vin IS NOT NULL"),
        ),
        Index(
            "uq_stolen_vehicles_plate",
            "plate_country",
            "plate",
            "owner_agency_id",
            unique=True,
            sqlite_where=text("vin IS NULL"),
            postgresql_where=text("vin IS NULL"),
        ),
        Index("ix_stolen_vehicles_plate_key", "plate_country", "plate_key"),
    )
