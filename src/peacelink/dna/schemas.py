"""Request and response shapes for DNA profiles, frequency tables and DNA checks."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from peacelink.access.visibility import Visibility
from peacelink.dna.models import ProfileKind
from peacelink.request_body import RequestBody
from peacelink.typed_input import IsoDate, WholeNumber

Loci = dict[str, list[str]]
LOCI_EXAMPLE = {"D3S1358": ["15", "16"], "vWA": ["17", "18"], "TH01": ["9.3"]}


class ProfileCreate(RequestBody):
    """A profile to enrol: anonymous, identified only by the owner's ``reference``."""

    kind: ProfileKind
    reference: str = Field(min_length=1, max_length=100, description="the owner's own reference, no name")
    loci: Loci = Field(
        max_length=60, description="locus name -> list of allele strings", examples=[LOCI_EXAMPLE]
    )
    person_id: str | None = Field(None, max_length=32, description="a known person's record id (reference)")
    relationship: str | None = Field(
        None, max_length=16, description="relatives only: parent, child, full_sibling, half_sibling, ..."
    )
    family: str | None = Field(
        None, max_length=100, description="relatives only: the owner's case id of the missing person"
    )
    action: str = Field("", max_length=500, description="what to do on a hit")
    visibility: Visibility = Visibility.ALL
    visibility_agencies: list[str] = Field(default_factory=list, max_length=200)
    review_due: IsoDate | None = None


class ProfileOut(BaseModel):
    """A profile as its owner, or an agency allowed to see it, sees it."""

    id: str
    kind: str
    reference: str
    person_id: str | None
    relationship: str | None
    family: str | None
    is_mixture: bool
    loci: Loci = Field(description="the loci as stored")
    locus_count: int = Field(
        description="the autosomal loci a search compares (sex markers and ignored_loci left out)"
    )
    ignored_loci: list[str] = Field(
        description="stored locus names no search compares: a name PeaceLink does not know, kept as spelled "
        "by an enrolment before the known-locus rule (see GET /api/v1/dna/stored-loci-report); empty for "
        "every profile enrolled since"
    )
    action: str
    owner_agency: str
    record_status: str
    visibility: str
    visibility_agencies: list[str]
    review_due: dt.date
    version: int


class StoredLociProfileOut(BaseModel):
    """One of your profiles stored with a locus name that searches do not take as stored."""

    id: str
    reference: str
    kind: str
    record_status: str
    ignored_loci: list[str] = Field(
        description="stored names no search compares: unknown loci (FOO, DYS19...), or a second spelling "
        "of a locus also stored under its canonical name"
    )
    respelled_loci: dict[str, str] = Field(
        description="stored name -> the known locus searches read it as (HUMTH01 -> TH01)"
    )
    comparable_loci: int = Field(description="the autosomal loci searches compare (a check's min_loci is 8)")


class StoredLociTableOut(BaseModel):
    """A stored frequency table with rows under locus names no check reads."""

    population: str
    is_default: bool
    ignored_loci: list[str] = Field(
        description="the table's row names no check reads: unknown loci (FOO, DYS19...) and known loci "
        "under an old spelling (HUMTH01); a table is read as stored (migration 0034 renamed old spellings "
        "except in a table holding one locus under two names)"
    )
    old_spellings: dict[str, str] = Field(
        description="of ignored_loci, an old spelling -> the known locus it names (HUMTH01 -> TH01)"
    )
    unweighed_loci: list[str] = Field(
        description="known loci the table holds only under an old spelling: checks weigh them with no "
        "frequencies (factor 1, method no_frequencies) until the table is imported again"
    )


class StoredLociReportOut(BaseModel):
    """Your profiles stored (before the known-locus rule) with locus names searches do not take as stored,
    and the frequency tables with rows under locus names no check reads."""

    checked: int = Field(description="your profiles read (active and cancelled)")
    affected: int = Field(description="how many of them are affected (all counted, whatever profiles lists)")
    profiles: list[StoredLociProfileOut] = Field(
        description="the first `limit` affected profiles by reference"
    )
    frequency_tables_checked: int = Field(description="the stored frequency tables read (every population)")
    frequency_tables: list[StoredLociTableOut] = Field(
        description="every affected frequency table, by population (`limit` counts profiles only)"
    )


class DirectCheck(RequestBody):
    """A direct search: the query profile's loci at a CODIS stringency."""

    loci: Loci = Field(max_length=60, examples=[LOCI_EXAMPLE])
    stringency: Literal["high", "moderate", "low"] = "moderate"
    min_loci: WholeNumber = Field(8, ge=1, le=60, description="minimum number of loci compared")
    allow_mismatch: bool = Field(False, description="tolerate one mismatching locus (never a hit)")
    population: str | None = Field(None, max_length=64, description="frequency table; default if unset")
    kind: Literal["stain", "reference", "unidentified_remains"] = Field(
        "stain", description="what the query sample is (only stains may be mixtures)"
    )
    limit: WholeNumber = Field(20, ge=1, le=100)


class KinshipCheck(RequestBody):
    """A kinship search: an unidentified single-source profile against families of missing persons."""

    loci: Loci = Field(max_length=60, examples=[LOCI_EXAMPLE])
    population: str | None = Field(None, max_length=64)
    hit_lr: float = Field(10_000.0, ge=1.0, description="a family with at least this LR is a hit")
    limit: WholeNumber = Field(20, ge=1, le=100)


class DNACheckOut(BaseModel):
    """The answer to a DNA check: ranked candidates (best first) and the hits among them."""

    check_id: str
    database: str
    result: Literal["hit", "no_hit"]
    candidates: list[dict[str, Any]] = Field(
        default_factory=list,
        description="reference, kind, comparison per locus, rmp, lr (direct) or family, lr, loci (kinship)",
    )
    hits: list[dict[str, Any]]
    warnings: list[str]
    searched: bool = Field(
        description="false when no profile was searched: a direct check typing fewer autosomal loci than "
        "min_loci, which nothing can match (result no_hit, no candidates, and a warning saying so); read it "
        "as 'not searched', never as 'nobody is known'. True for every other direct check and for every "
        "kinship check"
    )


class FrequencyImportOut(BaseModel):
    """A stored frequency table."""

    population: str
    source: str
    locus_count: int
    loci: list[str]
    is_default: bool
    minimum_frequency_rule: str
    imported_at: dt.datetime
