"""HTTP routes for checks: POST a document or a vehicle, get hit or no_hit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from peacelink.access import OPERATIONAL_ROLES, Actor
from peacelink.api.dependencies import State, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.checks import service
from peacelink.checks.schemas import CheckOut
from peacelink.documents.schemas import DocumentCheck
from peacelink.vehicles.schemas import VehicleCheck

router = APIRouter(route_class=TransactionalRoute, prefix="/checks", tags=["checks"])

Operational = Annotated[Actor, Depends(require(*OPERATIONAL_ROLES))]


@router.post(
    "/documents",
    response_model=CheckOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
async def check_document(state: State, actor: Operational, data: DocumentCheck) -> CheckOut:
    """Check a travel document: ``{issuing_country, number, document_type?}`` or ``{mrz}``.

    A hit is a possible match: confirm with the owner agency before acting. The check and its hits are
    audited in the same transaction, and the answer is sent only after that transaction has committed.
    """
    pending = await state.read(lambda reader: service.evaluate_document(reader, actor=actor, data=data))
    return CheckOut.model_validate((await state.writer.submit(pending.persist)).to_dict())


@router.post(
    "/vehicles",
    response_model=CheckOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
async def check_vehicle(state: State, actor: Operational, data: VehicleCheck) -> CheckOut:
    """Check a vehicle: ``{vin}`` or ``{plate, country}``; audited like a document check."""
    pending = await state.read(lambda reader: service.evaluate_vehicle(reader, actor=actor, data=data))
    return CheckOut.model_validate((await state.writer.submit(pending.persist)).to_dict())
