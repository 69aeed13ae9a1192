"""Stolen vehicle use cases: report, read, update, cancel, list. Only the owner agency changes a report."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import Role, require_role
from peacelink.access.actor import Actor
from peacelink.access.visibility import decode_agencies
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.errors import Conflict, Invalid
from peacelink.records import changes
from peacelink.records.changes import future_review, visibility_columns
from peacelink.vehicles.models import StolenVehicle, VehicleStatus
from peacelink.vehicles.rows import model_year, plate_values, vehicle_values
from peacelink.vehicles.schemas import VehicleCreate, VehicleOut, VehicleUpdate

REPORTING_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR)


def _duplicate(session: Session, actor: Actor, values: dict[str, object]) -> str | None:
    """The id of the owner's existing report of the same vehicle (the natural key), if any."""
    table = StolenVehicle
    if values["vin"] is not None:
        stmt = select(table.id).where(table.vin == values["vin"], table.owner_agency_id == actor.agency_id)
    else:
        stmt = select(table.id).where(
            table.vin.is_(None),
            table.plate == values["plate"],
            table.plate_country == values["plate_country"],
            table.owner_agency_id == actor.agency_id,
        )
    return session.scalar(stmt)


def create(
    session: Session, *, actor: Actor, data: VehicleCreate, today: dt.date | None = None
) -> StolenVehicle:
    """Report a stolen vehicle for the actor's agency."""
    require_role(actor, *REPORTING_ROLES)
    day = today or dt.date.today()
    values = vehicle_values(data.model_dump(), today=day)
    existing = _duplicate(session, actor, values)
    if existing is not None:
        raise Conflict(f"this vehicle is already reported (id {existing})", field="vin")
    vehicle = StolenVehicle(
        **values,
        owner_agency_id=actor.agency_id,
        created_by=actor.user_id,
        updated_by=actor.user_id,
        review_due=future_review(data.review_due, today=day),
        **visibility_columns(session, data.visibility, data.visibility_agencies),
    )
    session.add(vehicle)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="vehicle.create",
        object_type="vehicle",
        object_id=vehicle.id,
        query={"vin": vehicle.vin, "plate": vehicle.plate, "plate_country": vehicle.plate_country},
    )
    return vehicle


def get_owned(session: Session, *, actor: Actor, vehicle_id: str) -> StolenVehicle:
    """A vehicle the actor's agency owns; NotFound if it may not see it, Forbidden if it only sees it."""
    vehicle = changes.owned(session, StolenVehicle, actor=actor, record_id=vehicle_id, noun="vehicle")
    require_role(actor, *REPORTING_ROLES)
    return vehicle


def update(
    session: Session, *, actor: Actor, vehicle_id: str, data: VehicleUpdate, today: dt.date | None = None
) -> StolenVehicle:
    """Change a report (owner only); a stale version or a cancelled record is a Conflict."""
    day = today or dt.date.today()
    vehicle = get_owned(session, actor=actor, vehicle_id=vehicle_id)
    changes.check_changeable(vehicle, data.version, noun="vehicle")
    changed = data.model_dump(exclude_unset=True, exclude={"version"})
    # Every value is checked before any is set (changes.envelope_values: an autoflush would move the
    # version twice), then only those that differ are: a patch that changes nothing leaves the version.
    values = changes.envelope_values(session, vehicle, changed, today=day)
    if "plate" in changed or "plate_country" in changed:
        plate = plate_values(
            changed.pop("plate", vehicle.plate), changed.pop("plate_country", vehicle.plate_country)
        )
        if plate["plate"] is None and vehicle.vin is None:
            raise Invalid("a vehicle without VIN keeps its plate", field="plate")
        values.update(plate)
    if "year" in changed:  # the create's rule: no model year after next year
        changed["year"] = model_year(changed["year"], today=day)
    status = changed.pop("status", None)
    if status is not None:
        values["vehicle_status"] = VehicleStatus(status).value
    text_fields = {"make", "model", "colour", "engine_number", "place", "action"}
    for key, value in changed.items():
        values[key] = "" if value is None and key in text_fields else value
    patch = data.model_dump(mode="json", exclude_unset=True)
    if not changes.apply(vehicle, values):
        changes.unchanged(session, vehicle, actor=actor, noun="vehicle", patch=patch)
        return vehicle
    changes.touch(vehicle, actor=actor)
    audit.record(
        session,
        actor=actor,
        action="vehicle.update",
        object_type="vehicle",
        object_id=vehicle.id,
        query=patch,
    )
    session.flush()
    return vehicle


def cancel(session: Session, *, actor: Actor, vehicle_id: str, version: int) -> StolenVehicle:
    """Withdraw a report (owner only): it stops being served at once. A second cancel is a Conflict."""
    vehicle = get_owned(session, actor=actor, vehicle_id=vehicle_id)
    changes.cancel(session, vehicle, actor=actor, version=version, noun="vehicle")
    return vehicle


def read(session: Session, *, actor: Actor, vehicle_id: str) -> StolenVehicle:
    """One vehicle the actor's agency may see, audited."""
    return changes.read(session, StolenVehicle, actor=actor, record_id=vehicle_id, noun="vehicle")


def list_own(session: Session, *, actor: Actor, limit: int = 100, offset: int = 0) -> list[StolenVehicle]:
    """The actor's agency's own reports, newest first."""
    stmt = (
        select(StolenVehicle)
        .where(StolenVehicle.owner_agency_id == actor.agency_id)
        .order_by(StolenVehicle.created_at.desc(), StolenVehicle.id)
        .limit(limit)
        .offset(offset)
    )
    vehicles = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="vehicle.list",
        object_type="vehicle",
        query={"limit": limit, "offset": offset},
        result_ids=[v.id for v in vehicles],
    )
    return vehicles


def to_out(session: Session, vehicle: StolenVehicle) -> VehicleOut:
    """The API shape of a vehicle."""
    owner = session.get(Agency, vehicle.owner_agency_id)
    return VehicleOut(
        id=vehicle.id,
        vin=vehicle.vin,
        plate=vehicle.plate,
        plate_country=vehicle.plate_country,
        make=vehicle.make,
        model=vehicle.model,
        year=vehicle.year,
        colour=vehicle.colour,
        engine_number=vehicle.engine_number,
        status=vehicle.vehicle_status,
        record_status=vehicle.status,
        reported_at=vehicle.reported_at,
        place=vehicle.place,
        action=vehicle.action,
        owner_agency=owner.code if owner else "?",
        visibility=vehicle.visibility,
        visibility_agencies=decode_agencies(vehicle.visibility_agencies),
        review_due=vehicle.review_due,
        version=vehicle.version,
    )
