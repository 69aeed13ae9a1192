"""The vehicles database's part of the check pipeline: VIN or plate + country."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.checks.pipeline import Candidate, Match, Query
from peacelink.documents.rows import country
from peacelink.errors import Invalid
from peacelink.identifiers import plates, vin
from peacelink.identifiers.exceptions import IdentifierError
from peacelink.vehicles.models import StolenVehicle
from peacelink.vehicles.schemas import VehicleCheck

DATABASE = "vehicles"
# ISO 3779 forbids I, O and Q, so a VIN read with one of them can only mean 1 or 0: the fix is certain.
_VIN_FIXES = str.maketrans({"I": "1", "O": "0", "Q": "0"})


def summary(vehicle: StolenVehicle) -> dict[str, Any]:
    """What a hit shows of a vehicle."""
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


def normalise(data: VehicleCheck) -> Query:
    """Turn input into a Query; Invalid names the field."""
    warnings: list[str] = []
    if data.vin:
        raw = vin.compact(data.vin)
        fixed = raw.translate(_VIN_FIXES)
        if fixed != raw:
            warnings.append(f"VIN read as {raw}: I, O and Q are not used in VINs, searched {fixed}")
        decoded = vin.decode(fixed)
        if len(fixed) != 17 or not fixed.isalnum():
            raise Invalid("; ".join(decoded.errors) or "a VIN has 17 letters and digits", field="vin")
        if not decoded.valid:
            warnings.append(f"VIN does not validate ({'; '.join(decoded.errors)}): verify it on the vehicle")
        return Query(values={"vin": fixed}, summary={"vin": fixed}, warnings=tuple(warnings))
    if not data.plate:
        raise Invalid("give vin, or plate and country", field="vin")
    if not data.country:
        raise Invalid("a plate check needs the registration country", field="country")
    code = country(data.country.strip().upper(), "country")
    try:
        plate = plates.validate(data.plate)
    except IdentifierError as exc:
        raise Invalid(exc.message, field="plate") from exc
    values = {"plate": plate, "plate_key": plates.confusable_key(plate), "country": code}
    return Query(values=values, summary={"plate": plate, "country": code}, warnings=tuple(warnings))


class VehicleLookup:
    """Exact VIN; or plate + country, exact and OCR-confusable (one index on the confusable key)."""

    database = DATABASE

    def look_up(self, session: Session, query: Query) -> Sequence[Candidate]:
        """Candidate vehicles for the query, exact first."""
        values = query.values
        table = StolenVehicle
        if "vin" in values:
            found = [
                (Match.EXACT, v) for v in session.scalars(select(table).where(table.vin == values["vin"]))
            ]
        else:
            stmt = (
                select(table)
                .where(table.plate_country == values["country"], table.plate_key == values["plate_key"])
                .limit(200)
            )
            found = [
                (Match.EXACT if v.plate == values["plate"] else Match.CONFUSABLE, v)
                for v in session.scalars(stmt)
            ]
            found.sort(key=lambda pair: pair[0] != Match.EXACT)
        return [Candidate(record=v, match=m, summary=summary(v), action=v.action) for m, v in found]
