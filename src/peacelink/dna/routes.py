"""HTTP routes for DNA: profiles, frequency tables, and the direct and kinship checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query

from peacelink.access import OPERATIONAL_ROLES, Actor
from peacelink.api.dependencies import DbSession, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.dna import checks, frequencies, service, stored_loci
from peacelink.dna.schemas import (
    DirectCheck,
    DNACheckOut,
    FrequencyImportOut,
    KinshipCheck,
    ProfileCreate,
    ProfileOut,
    StoredLociReportOut,
)
from peacelink.documents.schemas import RecordVersion
from peacelink.typed_input import DIGITS

router = APIRouter(route_class=TransactionalRoute, prefix="/dna", tags=["dna"])
checks_router = APIRouter(route_class=TransactionalRoute, prefix="/checks/dna", tags=["checks", "dna"])

Operational = Annotated[Actor, Depends(require(*OPERATIONAL_ROLES))]
Reporter = Annotated[Actor, Depends(require(*service.REPORTING_ROLES))]
Reader = Annotated[Actor, Depends(require(*frequencies.READ_ROLES))]
Importer = Annotated[Actor, Depends(require(*frequencies.IMPORT_ROLES))]


@router.get(
    "/profiles",
    response_model=list[ProfileOut],
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def list_profiles(
    session: DbSession,
    actor: Operational,
    limit: Annotated[int, Query(ge=1, le=1000), DIGITS] = 100,
    offset: Annotated[int, Query(ge=0), DIGITS] = 0,
) -> list[ProfileOut]:
    """Your agency's own profiles, newest first."""
    return [
        service.to_out(session, p) for p in service.list_own(session, actor=actor, limit=limit, offset=offset)
    ]


@router.get(
    "/stored-loci-report",
    response_model=StoredLociReportOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def stored_loci_report(
    session: DbSession,
    actor: Operational,
    limit: Annotated[int, Query(ge=1, le=1000), DIGITS] = 100,
) -> StoredLociReportOut:
    """Your agency's own profiles stored with a locus name that searches do not take as stored, and the
    frequency tables with rows no check reads (audited).

    Unknown locus names are refused since the known-locus rule, but a profile enrolled before it may hold
    one, kept as spelled: every search leaves such a locus out (``ignored_loci``; it no longer counts in
    ``locus_count``), and reads a known locus stored under another spelling as that locus
    (``respelled_loci``, HUMTH01 -> TH01). Nothing is rewritten: to store the right names, cancel the
    profile and enrol it again under another reference. Only the owner's profiles are read, whatever other
    agencies may see.

    ``frequency_tables`` lists every stored table (shared reference data) holding a row under such a name:
    a table is read as stored, so no check reads those rows (``ignored_loci``), and a locus held only under
    an old spelling (``old_spellings``, HUMTH01 -> TH01) is weighed with no frequencies
    (``unweighed_loci``). Migration 0034 renamed old spellings as the import names them, except in a table
    holding one locus under two names (HUMTH01 and TH01), and kept unknown names as stored. The central
    agency's system admin fixes a table by importing it again.
    """
    found = stored_loci.report(session, actor=actor, limit=limit)
    return StoredLociReportOut.model_validate(found, from_attributes=True)


@router.post(
    "/profiles",
    response_model=ProfileOut,
    status_code=201,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 409, 422),
)
def create_profile(session: DbSession, actor: Reporter, data: ProfileCreate) -> ProfileOut:
    """Enrol an anonymous STR profile: ``kind``, your ``reference``, ``loci`` {locus: [alleles]}.

    Locus names are normalised across kits (vWA/VWA, Penta D/PENTA_D...). A bad locus or allele is a 422
    naming the locus, and nothing is stored; so is a locus PeaceLink does not know (``unknown locus 'FOO'``:
    it takes the CODIS and ESS loci, Penta C/D/E, SE33, the D-number loci of chromosomes 1 to 22, AMEL,
    DYS391, DYS570, DYS576 and Y indel). Relatives of a missing person give ``relationship`` and
    ``family`` (your case id of the missing person).
    """
    return service.to_out(session, service.create(session, actor=actor, data=data))


@router.get(
    "/profiles/{profile_id}",
    response_model=ProfileOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 404, 422),
)
def read_profile(session: DbSession, actor: Operational, profile_id: str) -> ProfileOut:
    """One profile your agency may see (audited)."""
    return service.to_out(session, service.read(session, actor=actor, profile_id=profile_id))


@router.post(
    "/profiles/{profile_id}/cancel",
    response_model=ProfileOut,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 404, 409, 422),
)
def cancel_profile(session: DbSession, actor: Reporter, profile_id: str, data: RecordVersion) -> ProfileOut:
    """Withdraw your profile at the version you read: it is no longer searched (409 if already cancelled)."""
    return service.to_out(
        session, service.cancel(session, actor=actor, profile_id=profile_id, version=data.version)
    )


@router.get(
    "/frequencies",
    response_model=list[FrequencyImportOut],
    openapi_extra=roles_extra(*frequencies.READ_ROLES),
    responses=error_responses(401, 403, 422),
)
def list_frequencies(session: DbSession, actor: Reader) -> list[FrequencyImportOut]:
    """The population frequency tables a check may name (the default first)."""
    return [frequencies.to_out(t) for t in frequencies.list_tables(session, actor=actor)]


@router.post(
    "/frequencies",
    response_model=FrequencyImportOut,
    status_code=201,
    openapi_extra={
        **roles_extra(*frequencies.IMPORT_ROLES),
        "requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}},
    },
    responses=error_responses(401, 403, 409, 422),
)
def import_frequencies(
    session: DbSession,
    actor: Importer,
    body: Annotated[str, Body(media_type="text/csv", max_length=frequencies.MAX_BYTES)],
    population: Annotated[str, Query(min_length=1, max_length=64)],
    source: Annotated[str, Query(max_length=200)] = "",
    column: Annotated[str | None, Query(max_length=64, description="population column value to take")] = None,
    replace: bool = False,
    default: bool = False,
) -> FrequencyImportOut:
    """Import a population's allele frequencies (central system admin): CSV, long or wide layout.

    Long: ``locus,allele,frequency[,n]`` (or ``count`` with ``n_alleles``); wide: ``Allele`` then one column
    per locus, optional last row ``N``. The minimum allele frequency 5/2N is applied.
    """
    row = frequencies.import_table(
        session,
        actor=actor,
        population=population,
        text=body,
        source=source,
        column=column,
        replace=replace,
        make_default=default,
    )
    return frequencies.to_out(row)


@checks_router.post(
    "",
    response_model=DNACheckOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def check_dna(session: DbSession, actor: Operational, data: DirectCheck) -> DNACheckOut:
    """Direct search at a CODIS stringency (high, moderate, low) with ``min_loci`` and ``allow_mismatch``.

    Returns ranked ``candidates`` with ``reference``, the per-locus ``comparison``, ``rmp`` and ``lr`` from
    the chosen ``population``. A match with no mismatching locus is a hit for the owner to confirm;
    both agencies are notified. Audited in the same transaction. An unknown locus is a 422 naming it. A query
    typing fewer autosomal loci than ``min_loci`` is not searched: ``searched: false``, ``no_hit``, no
    candidates, and a warning that nothing can match (``searched`` is true otherwise).
    """
    return DNACheckOut.model_validate(checks.check_direct(session, actor=actor, data=data).to_dict())


@checks_router.post(
    "/kinship",
    response_model=DNACheckOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def check_kinship(session: DbSession, actor: Operational, data: KinshipCheck) -> DNACheckOut:
    """Rank families of missing persons by the LR that this unidentified profile is their missing person.

    An unknown locus (or a bad allele, or a mixture) is a 422 naming it.
    """
    return DNACheckOut.model_validate(checks.check_kinship(session, actor=actor, data=data).to_dict())
