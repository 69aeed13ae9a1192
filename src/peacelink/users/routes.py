"""HTTP routes for users, API tokens and the caller's own profile."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from peacelink.access import ALL_ROLES, Actor, Role
from peacelink.agencies.schemas import AgencyCode
from peacelink.api.dependencies import DbSession, State, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.typed_input import DIGITS
from peacelink.users import service
from peacelink.users.models import ApiToken
from peacelink.users.schemas import (
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserCreated,
    Username,
    UserOut,
    UserUpdate,
)

router = APIRouter(route_class=TransactionalRoute, tags=["users"])

AnyUser = Annotated[Actor, Depends(require(*ALL_ROLES))]
Admin = Annotated[Actor, Depends(require(Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN))]
ADMIN_ROLES = (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.id,
        username=token.user.username,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
    )


@router.get(
    "/me",
    response_model=UserOut,
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 422),
)
def me(session: DbSession, actor: AnyUser) -> UserOut:
    """The signed-in user."""
    return service.to_out(service.read(session, actor=actor, username=actor.username))


@router.get(
    "/users",
    response_model=list[UserOut],
    openapi_extra=roles_extra(*ADMIN_ROLES),
    responses=error_responses(401, 403, 422),
)
def list_users(session: DbSession, actor: Admin, agency: AgencyCode | None = None) -> list[UserOut]:
    """Users the caller manages (all for system admins, own agency for agency admins)."""
    return [service.to_out(u) for u in service.list_users(session, actor=actor, agency=agency)]


@router.post(
    "/users",
    response_model=UserCreated,
    status_code=201,
    openapi_extra=roles_extra(*ADMIN_ROLES),
    responses=error_responses(401, 403, 409, 422),
)
def create_user(session: DbSession, state: State, actor: Admin, data: UserCreate) -> UserCreated:
    """Create a user; the answer holds its first API token (and TOTP enrolment URI), shown once."""
    created = service.create(
        session, actor=actor, data=data, secret_key=state.secret_key, token_days=state.settings.token_days
    )
    return UserCreated(user=service.to_out(created.user), token=created.token, totp_uri=created.totp_uri)


@router.get(
    "/users/{username}",
    response_model=UserOut,
    openapi_extra=roles_extra(*ADMIN_ROLES),
    responses=error_responses(401, 403, 404, 422),
)
def read_user(session: DbSession, actor: Admin, username: Username) -> UserOut:
    """One user the caller manages."""
    return service.to_out(service.read(session, actor=actor, username=username))


@router.patch(
    "/users/{username}",
    response_model=UserOut,
    openapi_extra=roles_extra(*ADMIN_ROLES),
    responses=error_responses(401, 403, 404, 409, 422),
)
def update_user(session: DbSession, actor: Admin, username: Username, data: UserUpdate) -> UserOut:
    """Change a user's roles, name, language or active flag."""
    return service.to_out(service.update(session, actor=actor, username=username, data=data))


@router.get(
    "/tokens",
    response_model=list[TokenOut],
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 403, 422),
)
def list_tokens(session: DbSession, actor: AnyUser, username: Username | None = None) -> list[TokenOut]:
    """The caller's tokens (admins: a managed user's), without their values."""
    return [_token_out(t) for t in service.list_tokens(session, actor=actor, username=username)]


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=201,
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 403, 409, 422),
)
def create_token(session: DbSession, state: State, actor: AnyUser, data: TokenCreate) -> TokenCreated:
    """Issue a token; its value is in this answer only."""
    token, value = service.create_token(
        session, actor=actor, data=data, default_days=state.settings.token_days
    )
    return TokenCreated(**_token_out(token).model_dump(), token=value)


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 404, 422),
)
def revoke_token(
    session: DbSession, actor: AnyUser, token_id: Annotated[int, Path(ge=1, le=2**31 - 1), DIGITS]
) -> Response:
    """Revoke a token at once."""
    service.revoke_token(session, actor=actor, token_id=token_id)
    return Response(status_code=204)
