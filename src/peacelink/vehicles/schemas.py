"""Request and response shapes for stolen vehicles and vehicle checks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field

from peacelink.access.visibility import Visibility
from peacelink.request_body import RequestBody
from peacelink.typed_input import JSON_INTEGER, IsoDate, WholeNumber
from peacelink.vehicles.models import VehicleStatus

# A model year: a JSON integer (not 2019.0 or "2019"); vehicles.rows.model_year also refuses one after next
# year, on create, update and import alike.
ModelYear = Annotated[int, Field(ge=1886, le=2100), JSON_INTEGER]
YEAR_DESCRIPTION = "model year, a JSON integer from 1886 to next year"


class VehicleCreate(RequestBody):
    """A new report: a VIN, or a plate with its registration country, or both."""

    vin: str | None = Field(None, max_length=30)
    plate: str | None = Field(None, max_length=30)
    plate_country: str | None = Field(None, max_length=3, description="ISO 3166-1 alpha-3")
    make: str = Field("", max_length=100)
    model: str = Field("", max_length=100)
    year: ModelYear | None = Field(None, description=YEAR_DESCRIPTION)
    colour: str = Field("", max_length=50)
    engine_number: str = Field("", max_length=50)
    status: VehicleStatus = VehicleStatus.STOLEN
    reported_at: IsoDate | None = Field(None, description="date of the theft")
    place: str = Field("", max_length=200)
    action: str = Field("", max_length=500)
    visibility: Visibility = Visibility.ALL
    visibility_agencies: list[str] = Field(default_factory=list, max_length=200)
    review_due: IsoDate | None = None


class VehicleUpdate(RequestBody):
    """Changes to a report; ``version`` must be the version read (else 409)."""

    version: WholeNumber = Field(ge=1)
    plate: str | None = Field(None, max_length=30)
    plate_country: str | None = Field(None, max_length=3)
    make: str | None = Field(None, max_length=100)
    model: str | None = Field(None, max_length=100)
    year: ModelYear | None = Field(None, description=YEAR_DESCRIPTION)
    colour: str | None = Field(None, max_length=50)
    engine_number: str | None = Field(None, max_length=50)
    status: VehicleStatus | None = None
    reported_at: IsoDate | None = None
    place: str | None = Field(None, max_length=200)
    action: str | None = Field(None, max_length=500)
    visibility: Visibility | None = None
    visibility_agencies: list[str] | None = Field(None, max_length=200)
    review_due: IsoDate | None = None


class VehicleOut(BaseModel):
    """A report as its owner (or an agency allowed to see it) sees it."""

    id: str
    vin: str | None
    plate: str | None
    plate_country: str | None
    make: str
    model: str
    year: int | None
    colour: str
    engine_number: str
    status: str
    record_status: str
    reported_at: dt.date | None
    place: str
    action: str
    owner_agency: str
    visibility: str
    visibility_agencies: list[str]
    review_due: dt.date
    version: int


class VehicleCheck(RequestBody):
    """A vehicle check: ``vin``, or ``plate`` with its registration ``country``."""

    vin: str | None = Field(None, max_length=30)
    plate: str | None = Field(None, max_length=30)
    country: str | None = Field(None, max_length=3)
