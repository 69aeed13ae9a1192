"""HTTP route for review reminders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from peacelink.access import Actor
from peacelink.api.dependencies import DbSession, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.records import review
from peacelink.typed_input import DIGITS

router = APIRouter(route_class=TransactionalRoute, prefix="/records", tags=["records"])

Reviewer = Annotated[Actor, Depends(require(*review.REVIEWER_ROLES))]


@router.get(
    "/due-for-review",
    openapi_extra=roles_extra(*review.REVIEWER_ROLES),
    responses=error_responses(401, 403, 422),
)
def due_for_review(
    session: DbSession,
    actor: Reviewer,
    within_days: Annotated[int, Query(ge=0, le=review.MAX_WINDOW_DAYS), DIGITS] = review.DEFAULT_WINDOW_DAYS,
    limit: Annotated[int, Query(ge=1, le=5000), DIGITS] = 500,
) -> list[dict[str, Any]]:
    """Your agency's records whose review date falls within ``within_days`` (expired ones included).

    Renew a record by updating its ``review_due`` (with its ``version``) in its own database's API; after the
    review date it is no longer served to other agencies.
    """
    return [
        d.to_dict() for d in review.due_for_review(session, actor=actor, within_days=within_days, limit=limit)
    ]
