"""HTTP routes for fingerprints: enrol, read, list, cancel, check, and the examiner's comparison image."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from peacelink.access import OPERATIONAL_ROLES, Actor
from peacelink.api.dependencies import DbSession, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.fingerprints import service
from peacelink.fingerprints.schemas import (
    FingerprintCheck,
    FingerprintCheckOut,
    FingerprintCreate,
    FingerprintOut,
    RecordVersion,
)
from peacelink.typed_input import DIGITS

router = APIRouter(route_class=TransactionalRoute, prefix="/fingerprints", tags=["fingerprints"])
checks_router = APIRouter(route_class=TransactionalRoute, prefix="/checks", tags=["checks"])

Operational = Annotated[Actor, Depends(require(*OPERATIONAL_ROLES))]
Enroller = Annotated[Actor, Depends(require(*service.ENROLLING_ROLES))]
Examiner = Annotated[Actor, Depends(require(*service.EXAMINER_ROLES))]


@router.get(
    "",
    response_model=list[FingerprintOut],
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def list_fingerprints(
    session: DbSession,
    actor: Operational,
    reference: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000), DIGITS] = 100,
    offset: Annotated[int, Query(ge=0), DIGITS] = 0,
) -> list[FingerprintOut]:
    """Your agency's own prints and marks, newest first."""
    found = service.list_own(session, actor=actor, reference=reference, limit=limit, offset=offset)
    return [service.to_out(session, f) for f in found]


@router.post(
    "",
    response_model=FingerprintOut,
    status_code=201,
    openapi_extra=roles_extra(*service.ENROLLING_ROLES),
    responses=error_responses(401, 403, 409, 422),
)
def enrol_fingerprint(session: DbSession, actor: Enroller, data: FingerprintCreate) -> FingerprintOut:
    """Enrol a print (``kind=tenprint``, with ``person_id``) or a crime-scene mark (``kind=latent``).

    Send ``image`` (base64 of a 500 ppi TIFF, PNG, BMP or JPEG: minutiae are extracted with NIST MINDTCT)
    or ``template`` (base64 of an ISO/IEC 19794-2:2005 record). A bad file is a 422 naming the field.
    """
    return service.to_out(session, service.enrol(session, actor=actor, data=data))


@router.get(
    "/hits/{hit_id}/comparison.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **error_responses(401, 403, 404, 422)},
    openapi_extra=roles_extra(*service.EXAMINER_ROLES),
)
def hit_comparison(session: DbSession, actor: Examiner, hit_id: str) -> Response:
    """The examiner's view of a fingerprint hit on your agency's record: both prints, paired minutiae."""
    png = service.comparison_png(session, actor=actor, hit_id=hit_id)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get(
    "/{fingerprint_id}",
    response_model=FingerprintOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 404, 422),
)
def read_fingerprint(session: DbSession, actor: Operational, fingerprint_id: str) -> FingerprintOut:
    """One print your agency may see (metadata only, never the template)."""
    return service.to_out(session, service.read(session, actor=actor, fingerprint_id=fingerprint_id))


@router.post(
    "/{fingerprint_id}/cancel",
    response_model=FingerprintOut,
    openapi_extra=roles_extra(*service.ENROLLING_ROLES),
    responses=error_responses(401, 403, 404, 409, 422),
)
def cancel_fingerprint(
    session: DbSession, actor: Enroller, fingerprint_id: str, data: RecordVersion
) -> FingerprintOut:
    """Withdraw your print at the version you read; it is no longer searched (409 if already cancelled)."""
    record = service.cancel(session, actor=actor, fingerprint_id=fingerprint_id, version=data.version)
    return service.to_out(session, record)


@checks_router.post(
    "/fingerprints",
    response_model=FingerprintCheckOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def check_fingerprint(session: DbSession, actor: Operational, data: FingerprintCheck) -> FingerprintCheckOut:
    """Search a print (``image`` or ``template``, base64) against the fingerprint database.

    ``candidates`` are ranked by calibrated score (``-log10`` false-match rate); those above the threshold
    for a 0.1 % false-match rate per search at the current gallery size are hits. Every fingerprint hit
    needs the owner's examiner to confirm it before anyone acts.
    """
    return FingerprintCheckOut.model_validate(service.check(session, actor=actor, data=data).to_dict())
