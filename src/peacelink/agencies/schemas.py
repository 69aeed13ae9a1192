"""Request and response shapes for agencies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from peacelink.access.roles import AgencyKind
from peacelink.request_body import RequestBody
from peacelink.typed_input import IsoDate

AgencyCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{1,15}$")
]
CountryCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{1,3}$")
]


class AgencyCreate(RequestBody):
    """A new agency. NCBs need a country; missions need an area and a mandate end."""

    code: AgencyCode = Field(description="short unique code, e.g. NCB-UTO or MINUSCA")
    name: str = Field(min_length=1, max_length=200)
    kind: AgencyKind
    country: CountryCode | None = Field(None, description="ISO 3166-1 alpha-3 (required for ncb)")
    area: list[CountryCode] = Field(default_factory=list, max_length=60, description="mission mandate area")
    mandate_end: IsoDate | None = Field(None, description="mission mandate end date")


class AgencyUpdate(RequestBody):
    """Changes to an agency (central system_admin only)."""

    name: str | None = Field(None, min_length=1, max_length=200)
    area: list[CountryCode] | None = Field(None, max_length=60)
    mandate_end: IsoDate | None = None
    active: bool | None = None


class AgencyOut(BaseModel):
    """An agency as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: AgencyKind
    country: str | None
    area: list[str]
    mandate_end: dt.date | None
    active: bool
