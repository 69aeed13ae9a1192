"""Web session cookies, CSRF tokens and the signed-in-user dependency for pages."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request, Response

from peacelink.access import Actor, Role
from peacelink.api.dependencies import State
from peacelink.users import signin
from peacelink.users.models import WebSession

SESSION_COOKIE = "pl_session"
PENDING_COOKIE = "pl_pending"
CSRF_COOKIE = "pl_csrf"


class WebRedirect(Exception):
    """Raised by page dependencies to send the browser elsewhere (sign-in)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class WebForbidden(Exception):
    """The signed-in user's role does not allow the page."""


class CsrfFailed(Exception):
    """A form came without the right CSRF token."""


def set_cookie(
    response: Response, name: str, value: str, *, secure: bool, max_age: int | None = None
) -> None:
    """Set a cookie the way every PeaceLink cookie is set: HttpOnly, SameSite=Strict, Secure by default."""
    response.set_cookie(
        name, value, httponly=True, secure=secure, samesite="strict", path="/", max_age=max_age
    )


def login_csrf(request: Request) -> str:
    """The pre-sign-in CSRF token (double-submit cookie); a new one if the browser has none."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)


def check_login_csrf(request: Request, submitted: str) -> None:
    """Compare the form's token with the cookie's, in constant time."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not _same_token(cookie, submitted):
        raise CsrfFailed()


def check_session_csrf(web_session: WebSession, submitted: str) -> None:
    """Compare the form's token with the session's, in constant time."""
    if not _same_token(web_session.csrf_token, submitted):
        raise CsrfFailed()


def _same_token(expected: str, submitted: str) -> bool:
    """Whether a submitted token is the expected one, compared in constant time.

    Compared as UTF-8 bytes: ``hmac.compare_digest`` raises TypeError on a str that is not ASCII, so a
    forged token such as "é" was a 500, not the form's "expired" page.
    """
    given = (submitted or "").encode("utf-8", "surrogatepass")
    return hmac.compare_digest(expected.encode("utf-8", "surrogatepass"), given)


def page_user(*roles: Role) -> Callable[..., Any]:
    """Dependency for pages: the signed-in actor holding one of ``roles``; else sign-in or a 403 page."""

    async def dependency(request: Request, state: State) -> tuple[Actor, WebSession]:
        cookie = request.cookies.get(SESSION_COOKIE)
        found = None
        if cookie:
            # A read-only look-up: page requests must not queue for SQLite's write lock just to sign in.
            found = await state.read(lambda reader: signin.current(reader, cookie=cookie))
        if found is None:
            raise WebRedirect("/login")
        actor, web_session = found
        if not actor.roles.intersection(roles):
            raise WebForbidden()
        return actor, web_session

    dependency.required_roles = frozenset(roles)  # type: ignore[attr-defined]
    return dependency


PageUser = Annotated[tuple[Actor, WebSession], Depends(page_user(*Role))]
