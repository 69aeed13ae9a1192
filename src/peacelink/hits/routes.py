"""HTTP routes for hits: the owner's queue, outcomes, confirm and reject."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from peacelink.access import OPERATIONAL_ROLES, Actor, Role
from peacelink.api.dependencies import DbSession, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.hits import service
from peacelink.hits.models import HitStatus
from peacelink.hits.schemas import HitDecision, HitOut
from peacelink.typed_input import DIGITS

router = APIRouter(route_class=TransactionalRoute, prefix="/hits", tags=["hits"])

Operational = Annotated[Actor, Depends(require(*OPERATIONAL_ROLES))]
Supervisor = Annotated[Actor, Depends(require(Role.SUPERVISOR))]


@router.get(
    "",
    response_model=list[HitOut],
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def list_hits(
    session: DbSession,
    actor: Operational,
    view: service.HitView = service.HitView.QUEUE,
    status: HitStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000), DIGITS] = 100,
    offset: Annotated[int, Query(ge=0), DIGITS] = 0,
) -> list[HitOut]:
    """``view=queue``: hits on your agency's records; ``view=mine``: outcomes of your agency's checks."""
    hits = service.list_hits(session, actor=actor, view=view, status=status, limit=limit, offset=offset)
    return [service.to_out(session, h) for h in hits]


@router.get(
    "/{hit_id}",
    response_model=HitOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 404, 422),
)
def read_hit(session: DbSession, actor: Operational, hit_id: str) -> HitOut:
    """One hit your agency may see."""
    return service.to_out(session, service.read(session, actor=actor, hit_id=hit_id))


@router.post(
    "/{hit_id}/confirm",
    response_model=HitOut,
    openapi_extra=roles_extra(Role.SUPERVISOR),
    responses=error_responses(401, 403, 404, 409, 422),
)
def confirm_hit(session: DbSession, actor: Supervisor, hit_id: str, data: HitDecision) -> HitOut:
    """Confirm a hit on your agency's record (supervisor of the owner agency)."""
    hit = service.decide(session, actor=actor, hit_id=hit_id, confirm=True, note=data.note)
    return service.to_out(session, hit)


@router.post(
    "/{hit_id}/reject",
    response_model=HitOut,
    openapi_extra=roles_extra(Role.SUPERVISOR),
    responses=error_responses(401, 403, 404, 409, 422),
)
def reject_hit(session: DbSession, actor: Supervisor, hit_id: str, data: HitDecision) -> HitOut:
    """Reject a hit on your agency's record (supervisor of the owner agency)."""
    hit = service.decide(session, actor=actor, hit_id=hit_id, confirm=False, note=data.note)
    return service.to_out(session, hit)
