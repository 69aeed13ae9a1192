"""HTTP routes for travel documents: parse -> service -> schema."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from peacelink.access import OPERATIONAL_ROLES, Actor
from peacelink.api.dependencies import DbSession, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.checks.http_import import import_openapi_extra, import_request
from peacelink.checks.schemas import ImportReportOut
from peacelink.documents import service
from peacelink.documents.importer import SPEC, may_import
from peacelink.documents.schemas import DocumentCreate, DocumentOut, DocumentUpdate, RecordVersion
from peacelink.typed_input import DIGITS

router = APIRouter(route_class=TransactionalRoute, prefix="/documents", tags=["documents"])

Operational = Annotated[Actor, Depends(require(*OPERATIONAL_ROLES))]
Reporter = Annotated[Actor, Depends(require(*service.REPORTING_ROLES))]


@router.get(
    "",
    response_model=list[DocumentOut],
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def list_documents(
    session: DbSession,
    actor: Operational,
    issuing_country: Annotated[str | None, Query(max_length=3)] = None,
    number: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=1000), DIGITS] = 100,
    offset: Annotated[int, Query(ge=0), DIGITS] = 0,
) -> list[DocumentOut]:
    """Your agency's own reports, newest first."""
    found = service.list_own(
        session, actor=actor, issuing_country=issuing_country, number=number, limit=limit, offset=offset
    )
    return [service.to_out(session, d) for d in found]


@router.post(
    "",
    response_model=DocumentOut,
    status_code=201,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 409, 422),
)
def create_document(session: DbSession, actor: Reporter, data: DocumentCreate) -> DocumentOut:
    """Report a stolen, lost, revoked or invalidated document, or a range of stolen blanks (issuing NCB)."""
    return service.to_out(session, service.create(session, actor=actor, data=data))


@router.post(
    "/import",
    response_model=ImportReportOut,
    openapi_extra=import_openapi_extra(SPEC, *service.REPORTING_ROLES),
    responses=error_responses(401, 403, 422),
)
async def import_documents(request: Request, session: DbSession, actor: Reporter) -> ImportReportOut:
    """Import CSV or JSON Lines (API field names); all lines or none; duplicates are skipped.

    A duplicate (its natural key repeated in the body, or already held by your agency) is counted in
    ``duplicates`` and listed in ``duplicate_lines`` with its line and reason (``duplicate_lines_omitted``
    counts those beyond the list's limit).
    """
    may_import(actor)
    report = await import_request(request, session, actor=actor, spec=SPEC)
    return ImportReportOut.model_validate(report.to_dict())


@router.get(
    "/{document_id}",
    response_model=DocumentOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 404, 422),
)
def read_document(session: DbSession, actor: Operational, document_id: str) -> DocumentOut:
    """One document your agency may see."""
    return service.to_out(session, service.read(session, actor=actor, document_id=document_id))


@router.patch(
    "/{document_id}",
    response_model=DocumentOut,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 404, 409, 422),
)
def update_document(
    session: DbSession, actor: Reporter, document_id: str, data: DocumentUpdate
) -> DocumentOut:
    """Change your report; send the version you read (409 if it changed meanwhile or is cancelled)."""
    return service.to_out(session, service.update(session, actor=actor, document_id=document_id, data=data))


@router.post(
    "/{document_id}/cancel",
    response_model=DocumentOut,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 404, 409, 422),
)
def cancel_document(
    session: DbSession, actor: Reporter, document_id: str, data: RecordVersion
) -> DocumentOut:
    """Withdraw your report at the version you read; it is no longer served (409 if already cancelled)."""
    return service.to_out(
        session, service.cancel(session, actor=actor, document_id=document_id, version=data.version)
    )
