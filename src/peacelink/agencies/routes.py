"""HTTP routes for agencies: parse -> service -> schema."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from peacelink.access import ALL_ROLES, Actor, AgencyKind, Role
from peacelink.agencies import service
from peacelink.agencies.schemas import AgencyCode, AgencyCreate, AgencyOut, AgencyUpdate
from peacelink.api.dependencies import DbSession, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute

router = APIRouter(route_class=TransactionalRoute, prefix="/agencies", tags=["agencies"])

AnyUser = Annotated[Actor, Depends(require(*ALL_ROLES))]
SystemAdmin = Annotated[Actor, Depends(require(Role.SYSTEM_ADMIN))]


@router.get(
    "",
    response_model=list[AgencyOut],
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 422),
)
def list_agencies(session: DbSession, actor: AnyUser, kind: AgencyKind | None = None) -> list[AgencyOut]:
    """The agencies on the network (any signed-in user)."""
    return [AgencyOut.model_validate(a) for a in service.list_all(session, actor=actor, kind=kind)]


@router.post(
    "",
    response_model=AgencyOut,
    status_code=201,
    openapi_extra=roles_extra(Role.SYSTEM_ADMIN),
    responses=error_responses(401, 403, 409, 422),
)
def create_agency(session: DbSession, actor: SystemAdmin, data: AgencyCreate) -> AgencyOut:
    """Register an agency (central system_admin)."""
    return AgencyOut.model_validate(service.create(session, actor=actor, data=data))


@router.get(
    "/{code}",
    response_model=AgencyOut,
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 404, 422),
)
def read_agency(session: DbSession, actor: AnyUser, code: AgencyCode) -> AgencyOut:
    """One agency by code."""
    return AgencyOut.model_validate(service.read(session, actor=actor, code=code))


@router.patch(
    "/{code}",
    response_model=AgencyOut,
    openapi_extra=roles_extra(Role.SYSTEM_ADMIN),
    responses=error_responses(401, 403, 404, 422),
)
def update_agency(session: DbSession, actor: SystemAdmin, code: AgencyCode, data: AgencyUpdate) -> AgencyOut:
    """Change an agency's name, mandate area, mandate end or active flag (central system_admin)."""
    return AgencyOut.model_validate(service.update(session, actor=actor, code=code, data=data))
