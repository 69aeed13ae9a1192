"""Request and response shapes for person records and the person check."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from peacelink.access.visibility import Visibility
from peacelink.checks.mrz_input import MrzInput
from peacelink.persons.models import CrimeArea, NameKind, OfficerWarning, Sex
from peacelink.request_body import RequestBody
from peacelink.typed_input import IsoDate, WholeNumber


class NameIn(RequestBody):
    """One name: as written (any script), its kind, and optionally its ISO 15924 script (else detected)."""

    name: str = Field(
        min_length=1,
        max_length=300,
        description="as written, in any script; spellings separated by ';', and a name and an alias joined "
        "by a word (dit, alias, a.k.a., vulgo, urf, он же, الملقب...), are matched as names of their own",
    )
    kind: NameKind = NameKind.PRIMARY
    script: str | None = Field(None, min_length=4, max_length=4, description="ISO 15924, e.g. Latn, Arab")


class IdentifierIn(RequestBody):
    """An identity document number of the person."""

    type: str = Field("other", max_length=32, description="passport, national_id, ...")
    number: str = Field(
        min_length=2,
        max_length=60,
        description="2 to 40 letters and digits once spaces, dashes, dots, slashes and < are removed",
    )
    country: str | None = Field(None, max_length=3, description="ISO 3166-1 alpha-3")


class PersonCreate(RequestBody):
    """A new person record of your agency."""

    reference: str = Field(min_length=1, max_length=64, description="your own file number, unique for you")
    names: list[NameIn] = Field(min_length=1, max_length=30)
    sex: Sex = Sex.UNKNOWN
    dates_of_birth: list[str] = Field(
        default_factory=list, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    place_of_birth: str = Field("", max_length=200)
    nationalities: list[str] = Field(default_factory=list, max_length=10, description="ISO 3166-1 alpha-3")
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=10)
    description: str = Field("", max_length=2000, description="physical description")
    crime_areas: list[CrimeArea] = Field(default_factory=list, max_length=6)
    warnings: list[OfficerWarning] = Field(default_factory=list, max_length=6)
    action: str = Field("", max_length=500, description="what an officer does on a hit")
    travel_document_ids: list[str] = Field(default_factory=list, max_length=50)
    vehicle_ids: list[str] = Field(default_factory=list, max_length=50)
    visibility: Visibility = Visibility.ALL
    visibility_agencies: list[str] = Field(default_factory=list, max_length=200)
    review_due: IsoDate | None = Field(None, description="default and latest: 5 years from today")


class PersonUpdate(RequestBody):
    """Changes to a person record; ``version`` must be the version read (else 409). Lists are replaced."""

    version: WholeNumber = Field(ge=1)
    reference: str | None = Field(None, min_length=1, max_length=64)
    names: list[NameIn] | None = Field(None, min_length=1, max_length=30)
    sex: Sex | None = None
    dates_of_birth: list[str] | None = Field(None, max_length=10)
    place_of_birth: str | None = Field(None, max_length=200)
    nationalities: list[str] | None = Field(None, max_length=10)
    identifiers: list[IdentifierIn] | None = Field(None, max_length=10)
    description: str | None = Field(None, max_length=2000)
    crime_areas: list[CrimeArea] | None = Field(None, max_length=6)
    warnings: list[OfficerWarning] | None = Field(None, max_length=6)
    action: str | None = Field(None, max_length=500)
    travel_document_ids: list[str] | None = Field(None, max_length=50)
    vehicle_ids: list[str] | None = Field(None, max_length=50)
    visibility: Visibility | None = None
    visibility_agencies: list[str] | None = Field(None, max_length=200)
    review_due: IsoDate | None = None


class NameOut(BaseModel):
    """A stored name."""

    name: str
    kind: str
    script: str


class PersonOut(BaseModel):
    """A person record as its owner (or an agency allowed to see it) sees it."""

    id: str
    reference: str
    names: list[NameOut]
    sex: str
    dates_of_birth: list[str]
    place_of_birth: str
    nationalities: list[str]
    identifiers: list[dict[str, str]]
    description: str
    crime_areas: list[str]
    warnings: list[str]
    action: str
    has_photo: bool
    travel_document_ids: list[str]
    vehicle_ids: list[str]
    record_status: str
    owner_agency: str
    visibility: str
    visibility_agencies: list[str]
    review_due: dt.date
    version: int


class DocumentIn(RequestBody):
    """An identity document presented at the check."""

    # No min_length: the check says what is wrong (check_input._document): a number that is not 2 to 40
    # letters and digits, or a country given without its number (--document-country alone).
    number: str = Field(max_length=60)
    country: str | None = Field(None, max_length=3, description="issuing country, ISO 3166-1 alpha-3")


# The names a check compares at most (the cost of a check grows with them); an MRZ's holder counts as one.
MAX_CHECK_NAMES = 10


class PersonCheck(RequestBody):
    """A person check: one or more names (any script) and the facts the officer has, or a scanned MRZ."""

    names: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list,
        max_length=MAX_CHECK_NAMES,
        description="the name as read, and other spellings (each up to 300 characters; a name and an alias "
        "joined by a word such as dit, alias or он же are two names); at least one, "
        "unless an mrz is given; with an mrz at most 9, its holder's name being one more unless it is "
        "among them",
    )
    mrz: MrzInput = Field(
        None,
        description=(
            "the machine-readable zone of a passport or ID card (2 or 3 lines, one string or a list): its "
            "holder's name, date of birth, nationality, sex and the document itself are checked, each "
            "unless given in its own field. At most 4 lines of 100 characters, or one string of 300"
        ),
    )
    date_of_birth: str | None = Field(None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    nationality: str | None = Field(None, max_length=3, description="ISO 3166-1 alpha-3")
    sex: Sex | None = None
    document: DocumentIn | str | None = Field(
        None,
        description=(
            "identity document presented: a number, or {number, country}. A person holding it is shown "
            "whatever the name (score at least 0.60, a hit only when the name matches too); a document of "
            "another issuing country with the same number is not his"
        ),
    )


class PersonHitOut(BaseModel):
    """A candidate that passed the hit threshold: a lead to confirm with the owner, never an order."""

    hit_id: str
    database: str
    record_id: str
    record: dict[str, Any]
    owner_agency: str
    action: str
    match: Literal["scored"]
    confidence: str


class PersonCandidateOut(BaseModel):
    """A ranked candidate: the person, the score and why."""

    person: dict[str, Any]
    record_id: str
    owner_agency: str
    score: float
    explanation: dict[str, Any] = Field(description="matched name parts and the factors for and against")
    hit_id: str | None = Field(description="set when the candidate became a hit")


class PersonCheckOut(BaseModel):
    """The answer to a person check: candidates best first, hits for those above the hit threshold."""

    check_id: str
    database: str
    result: Literal["hit", "no_hit"]
    candidates: list[PersonCandidateOut]
    hits: list[PersonHitOut]
    warnings: list[str]


class PersonSearchOut(BaseModel):
    """One search result row."""

    person: PersonOut
    score: float | None = Field(None, description="name score when the search had a name")
