"""HTTP routes for stolen vehicles: parse -> service -> schema."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from peacelink.access import OPERATIONAL_ROLES, Actor
from peacelink.api.dependencies import DbSession, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.checks.http_import import import_openapi_extra, import_request
from peacelink.checks.schemas import ImportReportOut
from peacelink.documents.schemas import RecordVersion
from peacelink.typed_input import DIGITS
from peacelink.vehicles import service
from peacelink.vehicles.importer import SPEC, may_import
from peacelink.vehicles.schemas import VehicleCreate, VehicleOut, VehicleUpdate

router = APIRouter(route_class=TransactionalRoute, prefix="/vehicles", tags=["vehicles"])

Operational = Annotated[Actor, Depends(require(*OPERATIONAL_ROLES))]
Reporter = Annotated[Actor, Depends(require(*service.REPORTING_ROLES))]


@router.get(
    "",
    response_model=list[VehicleOut],
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def list_vehicles(
    session: DbSession,
    actor: Operational,
    limit: Annotated[int, Query(ge=1, le=1000), DIGITS] = 100,
    offset: Annotated[int, Query(ge=0), DIGITS] = 0,
) -> list[VehicleOut]:
    """Your agency's own reports, newest first."""
    found = service.list_own(session, actor=actor, limit=limit, offset=offset)
    return [service.to_out(session, d) for d in found]


@router.post(
    "",
    response_model=VehicleOut,
    status_code=201,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 409, 422),
)
def create_vehicle(session: DbSession, actor: Reporter, data: VehicleCreate) -> VehicleOut:
    """Report a stolen vehicle (VIN, or plate and country)."""
    return service.to_out(session, service.create(session, actor=actor, data=data))


@router.post(
    "/import",
    response_model=ImportReportOut,
    openapi_extra=import_openapi_extra(SPEC, *service.REPORTING_ROLES),
    responses=error_responses(401, 403, 422),
)
async def import_vehicles(request: Request, session: DbSession, actor: Reporter) -> ImportReportOut:
    """Import CSV or JSON Lines (API field names); all lines or none; duplicates are skipped.

    A duplicate (its natural key repeated in the body, or already held by your agency) is counted in
    ``duplicates`` and listed in ``duplicate_lines`` with its line and reason (``duplicate_lines_omitted``
    counts those beyond the list's limit).
    """
    may_import(actor)
    report = await import_request(request, session, actor=actor, spec=SPEC)
    return ImportReportOut.model_validate(report.to_dict())


@router.get(
    "/{vehicle_id}",
    response_model=VehicleOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 404, 422),
)
def read_vehicle(session: DbSession, actor: Operational, vehicle_id: str) -> VehicleOut:
    """One vehicle your agency may see."""
    return service.to_out(session, service.read(session, actor=actor, vehicle_id=vehicle_id))


@router.patch(
    "/{vehicle_id}",
    response_model=VehicleOut,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 404, 409, 422),
)
def update_vehicle(session: DbSession, actor: Reporter, vehicle_id: str, data: VehicleUpdate) -> VehicleOut:
    """Change your report; send the version you read (409 if it changed meanwhile or is cancelled)."""
    return service.to_out(session, service.update(session, actor=actor, vehicle_id=vehicle_id, data=data))


@router.post(
    "/{vehicle_id}/cancel",
    response_model=VehicleOut,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 404, 409, 422),
)
def cancel_vehicle(session: DbSession, actor: Reporter, vehicle_id: str, data: RecordVersion) -> VehicleOut:
    """Withdraw your report at the version you read; it is no longer served (409 if already cancelled)."""
    return service.to_out(
        session, service.cancel(session, actor=actor, vehicle_id=vehicle_id, version=data.version)
    )
