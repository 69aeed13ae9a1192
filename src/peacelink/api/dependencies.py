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


def state_of(request: Request) -> AppState:
    """The AppState create_app attached."""
    state: AppState = request.app.state.peacelink
    return state


async def get_state(request: Request) -> AppState:
    """The AppState as a dependency (async: FastAPI would run a sync one through the thread pool)."""
    return state_of(request)


State = Annotated[AppState, Depends(get_state)]


async def get_session(state: State) -> AsyncIterator[Session]:
    """One session per request. Sync endpoints commit it in their own thread (api.routing); whatever is
    still open when the route is done (async endpoints) is committed here, or rolled back on error.

    Async on purpose: making a session and closing a committed one do no I/O, so they need no trip
    through the worker-thread pool; only a leftover commit or rollback goes there.
    """
    session = state.sessions()
    try:
        yield session
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


# scope="function": anything left to commit commits before the response is sent, so a failed commit is an
# error response, never a success the database did not keep.
DbSession = Annotated[Session, Depends(get_session, scope="function")]


def require(*roles: Role) -> Callable[..., Any]:
    """A dependency that authenticates the bearer token and requires one of ``roles``.

    Async so that it costs no trip through the thread pool: the token look-up is one indexed read
    (``AppState.read``), and the rare last-use refresh goes to the group-commit writer.
    """

    async def dependency(
        state: State,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Actor:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise Unauthenticated("send 'Authorization: Bearer <token>'")
        token = credentials.credentials
        actor, stale_token_id = await state.read(lambda reader: users.resolve_token(reader, token=token))
        if stale_token_id is not None:
            await state.writer.submit(lambda session: users.touch_token(session, token_id=stale_token_id))
        require_role(actor, *roles)
        return actor

    dependency.required_roles = frozenset(roles)  # type: ignore[attr-defined]
    return dependency


def public() -> Callable[..., Any]:
    """Marks a route that needs no sign-in (health, OpenAPI)."""

    async def dependency() -> None:
        return None

    dependency.public = True  # type: ignore[attr-defined]
    return dependency


def roles_extra(*roles: Role) -> dict[str, Any]:
    """OpenAPI extension naming the roles a route accepts."""
    return {"x-required-roles": sorted(r.value for r in roles)}
