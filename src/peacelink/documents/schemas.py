"""Request and response shapes for travel documents and document checks."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from peacelink.access.visibility import Visibility
from peacelink.checks.mrz_input import MrzInput
from peacelink.documents.models import DocumentStatus, DocumentType
from peacelink.request_body import RequestBody
from peacelink.typed_input import IsoDate, WholeNumber


class DocumentCreate(RequestBody):
    """A new report. A blank range gives ``range_end`` (status stolen_blank, ``number`` is the first)."""

    issuing_country: str = Field(min_length=1, max_length=3, description="ISO 3166-1 alpha-3")
    document_type: DocumentType
    number: str = Field(min_length=1, max_length=60)
    range_end: str | None = Field(None, max_length=60, description="last number of a blank range")
    status: DocumentStatus
    reported_at: IsoDate | None = Field(None, description="date of the loss or theft")
    place: str = Field("", max_length=200)
    holder_name: str = Field("", max_length=200)
    holder_birth_date: IsoDate | None = None
    action: str = Field("", max_length=500, description="what an officer should do on a hit")
    visibility: Visibility = Visibility.ALL
    visibility_agencies: list[str] = Field(default_factory=list, max_length=200)
    review_due: IsoDate | None = Field(None, description="default and latest: 5 years from today")


class DocumentUpdate(RequestBody):
    """Changes to a report; ``version`` must be the version read (else 409)."""

    version: WholeNumber = Field(ge=1)
    status: DocumentStatus | None = None
    reported_at: IsoDate | None = None
    place: str | None = Field(None, max_length=200)
    holder_name: str | None = Field(None, max_length=200)
    holder_birth_date: IsoDate | None = None
    action: str | None = Field(None, max_length=500)
    visibility: Visibility | None = None
    visibility_agencies: list[str] | None = Field(None, max_length=200)
    review_due: IsoDate | None = None


class RecordVersion(RequestBody):
    """The version a cancel applies to."""

    version: WholeNumber = Field(ge=1)


class DocumentOut(BaseModel):
    """A report as its owner (or an agency allowed to see it) sees it."""

    id: str
    issuing_country: str
    document_type: str
    number: str
    range_end: str | None
    status: str
    record_status: str
    reported_at: dt.date | None
    place: str
    holder_name: str
    holder_birth_date: dt.date | None
    action: str
    owner_agency: str
    visibility: str
    visibility_agencies: list[str]
    review_due: dt.date
    version: int


class DocumentCheck(RequestBody):
    """A document check: ``issuing_country`` + ``number`` (+ ``document_type``), or the ``mrz`` lines."""

    issuing_country: str | None = Field(None, max_length=3)
    number: str | None = Field(None, max_length=60)
    document_type: DocumentType | None = None
    mrz: MrzInput = Field(
        None,
        description="2 or 3 MRZ lines (one string or a list): at most 4 lines of 100 characters, or one "
        "string of 300",
    )
