"""Route dependencies: the state, a unit-of-work session, and the authenticated actor with its role check.

Every route declares exactly one of ``require(...)`` or ``public()``; a test walks all routes to prove it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from peacelink.access import Actor, Role, require_role
from peacelink.api.state import AppState
from peacelink.errors import Unauthenticated
from peacelink.users import service as users

_bearer = HTTPBearer(auto_error=False, description="API token from `peacelink token create`")


def get_state(request: Request) -> AppState:
    """The AppState create_app attached."""
    state: AppState = request.app.state.peacelink
    return state


State = Annotated[AppState, Depends(get_state)]


async def get_session(state: State) -> AsyncIterator[Session]:
    """One transaction per request: committed when the route returns, rolled back when it raises.

    The request first takes a turn at the database (AppState.request_gate) without holding a worker thread;
    the session's own work then runs in worker threads, one call after another.
    """
    async with state.request_gate:
        session = state.sessions()
        try:
            yield session
            await run_in_threadpool(session.commit)
        except BaseException:
            await run_in_threadpool(session.rollback)
            raise
        finally:
            await run_in_threadpool(session.close)


# scope="function": the transaction commits before the response is sent, so a failed commit is an error
# response, never a success the database did not keep.
DbSession = Annotated[Session, Depends(get_session, scope="function")]


def require(*roles: Role) -> Callable[..., Actor]:
    """A dependency that authenticates the bearer token and requires one of ``roles``."""

    def dependency(
        session: DbSession,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Actor:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise Unauthenticated("send 'Authorization: Bearer <token>'")
        actor = users.authenticate_token(session, token=credentials.credentials)
        require_role(actor, *roles)
        return actor

    dependency.required_roles = frozenset(roles)  # type: ignore[attr-defined]
    return dependency


def public() -> Callable[..., None]:
    """Marks a route that needs no sign-in (health, OpenAPI)."""

    def dependency() -> None:
        return None

    dependency.public = True  # type: ignore[attr-defined]
    return dependency


def roles_extra(*roles: Role) -> dict[str, Any]:
    """OpenAPI extension naming the roles a route accepts."""
    return {"x-required-roles": sorted(r.value for r in roles)}
