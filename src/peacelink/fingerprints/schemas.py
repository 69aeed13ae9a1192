"""Request and response shapes for fingerprints and fingerprint checks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from peacelink.access.visibility import Visibility
from peacelink.fingerprints.models import PrintKind
from peacelink.request_body import RequestBody
from peacelink.typed_input import JSON_INTEGER, IsoDate, WholeNumber

# base64 of at most 4 MiB of image: a 500 ppi flat print as uncompressed TIFF is about 0.5 MiB.
MAX_BASE64 = 4 * 1024 * 1024 * 4 // 3 + 4


class FingerprintCreate(RequestBody):
    """Enrol one finger view from ``image`` (base64 TIFF/PNG/BMP/JPEG at 500 ppi) or ``template``."""

    image: str | None = Field(None, max_length=MAX_BASE64, description="base64 of a 500 ppi image file")
    template: str | None = Field(
        None, max_length=MAX_BASE64, description="base64 of an ISO/IEC 19794-2:2005 record"
    )
    finger_position: WholeNumber = Field(
        ge=0, le=10, description="1-10 (ANSI/NIST-ITL: 1 right thumb .. 10 left little); 0 unknown (latent)"
    )
    reference: str = Field(min_length=1, max_length=100, description="the owner's own reference")
    kind: PrintKind = PrintKind.TENPRINT
    person_id: str | None = Field(None, max_length=32, description="the person the print belongs to")
    action: str = Field("", max_length=500, description="what an officer should do on a confirmed hit")
    visibility: Visibility = Visibility.ALL
    visibility_agencies: list[str] = Field(default_factory=list, max_length=200)
    review_due: IsoDate | None = Field(
        None, description="default and latest: 5 years from today for tenprints, 15 for crime-scene marks"
    )


class RecordVersion(RequestBody):
    """The version a cancel applies to."""

    version: WholeNumber = Field(ge=1)


class FingerprintOut(BaseModel):
    """An enrolled print as its owner (or an agency allowed to see it) sees it; never the template."""

    id: str
    reference: str
    kind: str
    finger_position: int
    person_id: str | None
    quality: int
    minutiae_count: int
    source: str
    has_image: bool
    action: str
    record_status: str
    owner_agency: str
    visibility: str
    visibility_agencies: list[str]
    review_due: dt.date
    version: int


class FingerprintCheck(RequestBody):
    """A fingerprint check: ``image`` or ``template`` (base64), optionally the finger position."""

    image: str | None = Field(None, max_length=MAX_BASE64, description="base64 of a 500 ppi image file")
    template: str | None = Field(
        None, max_length=MAX_BASE64, description="base64 of an ISO/IEC 19794-2:2005 record"
    )
    finger_position: Annotated[int, Field(ge=0, le=10), JSON_INTEGER] | None = Field(
        None, description="recorded with the check only"
    )


class FingerprintCandidateOut(BaseModel):
    """One ranked candidate; ``hit_id`` is set when its score passed the hit threshold."""

    reference: str
    kind: str
    finger_position: int
    person_id: str | None
    record_id: str
    owner_agency: str
    score: float | None = Field(
        description="calibrated: -log10(estimated false-match rate of one comparison)"
    )
    explanation: dict[str, Any] | None
    hit_id: str | None


class FingerprintHitOut(BaseModel):
    """A hit: a possible match that the owner's examiner must confirm before anyone acts on it."""

    hit_id: str
    database: str
    record_id: str
    record: dict[str, Any]
    owner_agency: str
    action: str
    match: Literal["scored"]
    confidence: str


class FingerprintCheckOut(BaseModel):
    """The answer to a fingerprint check: ranked candidates and the hits among them."""

    check_id: str
    database: str
    result: Literal["hit", "no_hit"]
    candidates: list[FingerprintCandidateOut] = Field(default_factory=list)
    hits: list[FingerprintHitOut]
    warnings: list[str]
