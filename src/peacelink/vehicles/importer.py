"""Bulk import of stolen vehicles (CSV or JSON Lines with the API's field names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table

from peacelink.access import Actor, require_role
from peacelink.checks.bulk_import import ImportSpec
from peacelink.checks.import_duplicates import NaturalKey
from peacelink.checks.import_fields import WHOLE_NUMBER
from peacelink.vehicles.models import StolenVehicle
from peacelink.vehicles.rows import IMPORT_FIELDS, vehicle_values
from peacelink.vehicles.service import REPORTING_ROLES


def _validate(actor: Actor, row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    return vehicle_values(row, today=today)


def _key_columns(values: dict[str, Any]) -> tuple[str, ...]:
    # Two partial unique indexes: (VIN, owner) for a vehicle with a VIN, (plate country, plate, owner) for
    # one without (its VIN None, matched with IS NULL, so only a VIN-less record is looked up).
    return ("vin",) if values["vin"] is not None else ("vin", "plate_country", "plate")


def may_import(actor: Actor) -> None:
    """Importing vehicles is for reporting staff of any agency."""
    require_role(actor, *REPORTING_ROLES)


table = StolenVehicle.__table__
assert isinstance(table, Table)

SPEC = ImportSpec(
    database="vehicles",
    table=table,
    fields=IMPORT_FIELDS,
    required=(),
    validate=_validate,
    natural_key=NaturalKey("vin", "plate_country", "plate", pick=_key_columns),
    # VehicleCreate's year is a whole number; every other field takes a string.
    shapes={"year": WHOLE_NUMBER},
)
