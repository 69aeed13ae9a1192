"""The vehicles database's part of the check pipeline: VIN or plate + country."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from peacelink.checks.pipeline import Candidate, Match, Query
from peacelink.documents.rows import country
from peacelink.errors import Invalid
from peacelink.identifiers import plates, vin
from peacelink.identifiers.exceptions import IdentifierError
from peacelink.translatable import Translatable
from peacelink.vehicles.models import StolenVehicle
from peacelink.vehicles.schemas import VehicleCheck

DATABASE = "vehicles"
# ISO 3779 forbids I, O and Q, so a VIN read with one of them can only mean 1 or 0: the fix is certain.
_VIN_FIXES = str.maketrans({"I": "1", "O": "0", "Q": "0"})


def summary(vehicle: Any) -> dict[str, Any]:
    """What a hit shows of a vehicle (a StolenVehicle or a row of its table)."""
    return {
        "vin": vehicle.vin,
        "plate": vehicle.plate,
        "plate_country": vehicle.plate_country,
        "make": vehicle.make,
        "model": vehicle.model,
        "year": vehicle.year,
        "colour": vehicle.colour,
        "status": vehicle.vehicle_status,
        "reported_at": vehicle.reported_at.isoformat() if vehicle.reported_at else None,
        "place": vehicle.place,
    }


def _joined(errors: list[str]) -> str:
    """A VIN's problems in one text: the one problem itself (keyed: a page translates it), or all of them."""
    return errors[0] if len(errors) == 1 else "; ".join(errors)


def normalise(data: VehicleCheck) -> Query:
    """Turn input into a Query; Invalid names the field."""
    warnings: list[str] = []
    if data.vin:
        raw = vin.compact(data.vin)
        fixed = raw.translate(_VIN_FIXES)
        if fixed != raw:
            message = f"VIN read as {raw}: I, O and Q are not used in VINs, searched {fixed}"
            warnings.append(Translatable(message, "checks.warning.vin_fixed", read=raw, searched=fixed))
        decoded = vin.decode(fixed)
        if len(fixed) != 17 or not fixed.isalnum():
            raise Invalid(_joined(decoded.errors) or "a VIN has 17 letters and digits", field="vin")
        if not decoded.valid:
            message = f"VIN does not validate ({'; '.join(decoded.errors)}): verify it on the vehicle"
            reason = _joined(decoded.errors)
            warnings.append(Translatable(message, "checks.warning.vin_invalid", reason=reason))
        return Query(values={"vin": fixed}, summary={"vin": fixed}, warnings=tuple(warnings))
    if not data.plate:
        raise Invalid(
            Translatable("give vin, or plate and country", "checks.error.vehicle_fields"), field="vin"
        )
    if not data.country:
        message = "a plate check needs the registration country"
        raise Invalid(Translatable(message, "checks.error.plate_country"), field="country")
    code = country(data.country.strip().upper(), "country")
    try:
        plate = plates.validate(data.plate)
    except IdentifierError as exc:
        raise Invalid(exc.message, field="plate") from exc
    values = {"plate": plate, "plate_key": plates.confusable_key(plate), "country": code}
    return Query(values=values, summary={"plate": plate, "country": code}, warnings=tuple(warnings))


@cache
def _statements() -> tuple[Select[Any], Select[Any]]:
    """The VIN and the plate look-ups, built once (building SQL expressions costs more than running them)."""
    table = StolenVehicle.__table__
    by_vin = select(table).where(table.c.vin == bindparam("vin"))
    by_plate = (
        select(table)
        .where(table.c.plate_country == bindparam("country"), table.c.plate_key == bindparam("key"))
        .limit(200)
    )
    return by_vin, by_plate


class VehicleLookup:
    """Exact VIN; or plate + country, exact and OCR-confusable (one index on the confusable key)."""

    database = DATABASE

    def look_up(self, session: Session, query: Query) -> Sequence[Candidate]:
        """Candidate vehicles for the query, exact first."""
        values = query.values
        by_vin, by_plate = _statements()
        connection = session.connection()
        # Core rows, not ORM objects: a check reads a handful of columns and never changes the record.
        found: list[tuple[str, Any]]
        if "vin" in values:
            found = [(Match.EXACT, v) for v in connection.execute(by_vin, {"vin": values["vin"]})]
        else:
            rows = connection.execute(by_plate, {"country": values["country"], "key": values["plate_key"]})
            found = [(Match.EXACT if v.plate == values["plate"] else Match.CONFUSABLE, v) for v in rows]
            found.sort(key=lambda pair: pair[0] != Match.EXACT)
        return [Candidate(record=v, match=m, summary=summary(v), action=v.action) for m, v in found]
