"""Server-rendered pages: sign-in (password + TOTP), the checkpoint home, language choice."""

from __future__ import annotations

import inspect
import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from peacelink.access import OPERATIONAL_ROLES, Actor
from peacelink.api.dependencies import DbSession, State, public, state_of
from peacelink.api.errors import UNAVAILABLE_HEADERS, messaging_error
from peacelink.api.routing import is_api_path
from peacelink.messaging.errors import MessagingError
from peacelink.request_body import field_path
from peacelink.users import service as users
from peacelink.users import signin
from peacelink.users.models import User
from peacelink.web import (
    checks_pages,
    dna_pages,
    field_labels,
    fingerprint_pages,
    i18n,
    messaging_pages,
    navigation,
    person_pages,
)
from peacelink.web.form_errors import validation_text
from peacelink.web.form_input import InputRefused, PageRoute
from peacelink.web.headers import SecurityHeaders
from peacelink.web.security import (
    CSRF_COOKIE,
    PENDING_COOKIE,
    SESSION_COOKIE,
    CsrfFailed,
    PageUser,
    WebForbidden,
    WebRedirect,
    check_login_csrf,
    check_session_csrf,
    login_csrf,
    set_cookie,
)

HERE = Path(__file__).parent
# Front-end libraries come from the npm registry at install time (package.json); none is committed.
NODE_MODULES = HERE.parents[2] / "node_modules"
VENDOR = {
    "pico": NODE_MODULES / "@picocss" / "pico" / "css",
    "htmx": NODE_MODULES / "htmx.org" / "dist",
    "swagger-ui": NODE_MODULES / "swagger-ui-dist",
    # Noto Sans Ethiopic (SIL Open Font License): Ethiopic names on devices that have no Ethiopic font.
    "noto-ethiopic": NODE_MODULES / "@fontsource" / "noto-sans-ethiopic" / "files",
}


log = logging.getLogger("peacelink.web")
Public = Depends(public())
# HTTP errors answered with a page (outside /api/): an unknown path, a page opened with the wrong method.
PAGE_ERRORS = {404: "error.not_found", 405: "error.method_not_allowed"}


def templates() -> Jinja2Templates:
    """The Jinja2 environment (autoescaping on for .html)."""
    return Jinja2Templates(directory=str(HERE / "templates"))


def value_label(language: str, group: str, value: object) -> str:
    """A stored code (status, kind, role...) in ``language``: ``value.GROUP.VALUE``, else the code itself."""
    key = f"value.{group}.{value}"
    text = i18n.translate(language, key)
    return str(value) if text == key else text


def render(
    request: Request, name: str, language: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page in ``language`` with the catalogue helpers ``t``, ``tv``, ``tm`` (a service text:
    ``i18n.localise``) and ``tf`` (the field an error names: ``field_labels``), the direction ``dir`` and
    ``sep``, what joins a list's items."""
    env: Jinja2Templates = request.app.state.templates
    full = {
        "t": lambda key: i18n.translate(language, key),
        "tv": lambda group, value: value_label(language, group, value),
        "tm": lambda text: i18n.localise(language, text),
        "name_lang": lambda script: navigation.name_lang(script, language),
        # The field an error names, as the form sent to this path labels its box (field_labels).
        "tf": lambda field: field_labels.field_note(language, request.url.path, field),
        "lang": language,
        "dir": i18n.direction(language),
        "sep": i18n.list_separator(language),
        "here": navigation.here(request),
    }
    full.update(context)
    actor = full.get("actor")
    if isinstance(actor, Actor):
        full["menu"] = navigation.menu(actor)
    return env.TemplateResponse(request, name, full, status_code=status_code)


def install(app: FastAPI) -> None:
    """Mount the static files and register the page routes and their error handlers."""
    app.state.templates = templates()
    app.mount("/static/app", StaticFiles(directory=str(HERE / "static")), name="static")
    for name, folder in VENDOR.items():
        app.mount(f"/static/vendor/{name}", StaticFiles(directory=str(folder), check_dir=False), name=name)

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(WebRedirect)
    async def _redirect(_: Request, exc: WebRedirect) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(WebForbidden)
    async def _forbidden(request: Request, _: WebForbidden) -> Response:
        lang = i18n.pick(request.headers.get("accept-language"))
        return render(request, "error.html", lang, {"message_key": "error.forbidden"}, status_code=403)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _: CsrfFailed) -> Response:
        return _csrf_page(request)

    @app.exception_handler(InputRefused)
    async def _input_refused(request: Request, exc: InputRefused) -> Response:
        return await _error_page(request, "error.input", exc.status, detail=exc.reason, field=exc.field)

    # The API's JSON answers (api/errors.py), kept for the API's own paths; a page gets a page.
    api_http_error = app.exception_handlers[StarletteHTTPException]
    api_validation_error = app.exception_handlers[RequestValidationError]
    api_messaging_error = app.exception_handlers[MessagingError]
    api_unavailable = app.exception_handlers[OperationalError]

    @app.exception_handler(MessagingError)
    async def _messaging_error(request: Request, exc: MessagingError) -> Response:
        if is_api_path(request.url.path):
            answer = api_messaging_error(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        # The API's status and message (409, or 422 for a message the core refuses); the log only the class.
        error = messaging_error(exc)
        log.warning("secure-channel error on a page mapped to %s: %s", error.status, type(exc).__name__)
        key = "error.input" if error.status == 422 else "error.conflict"
        return await _error_page(request, key, error.status, detail=error.message)

    @app.exception_handler(OperationalError)
    async def _unavailable(request: Request, exc: OperationalError) -> Response:
        if is_api_path(request.url.path):
            answer = api_unavailable(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        log.warning("database unavailable on a page: %s", type(exc.orig).__name__)
        return _unavailable_page(request)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code not in PAGE_ERRORS or is_api_path(request.url.path):
            answer = api_http_error(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        # A page the browser asked for: a page in the user's language, not JSON.
        return await _error_page(request, PAGE_ERRORS[exc.status_code], exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        if is_api_path(request.url.path):
            answer = api_validation_error(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        errors = exc.errors()
        if any(field_path(error["loc"]) == "csrf" for error in errors):
            # A token of another shape (over 100 characters) is as wrong as a wrong one: the same page, and
            # nothing said of what a token looks like.
            return _csrf_page(request)
        # A value a page's own parameter refuses (a bound, a number, a choice): named, in the user's language.
        first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
        field = field_path(first["loc"]) or None
        return await _error_page(request, "error.input", 422, detail=validation_text(first), field=field)

    pages = APIRouter(route_class=PageRoute)
    register_pages(pages)
    checks_pages.register(pages)
    person_pages.register(pages)
    fingerprint_pages.register(pages)
    dna_pages.register(pages)
    messaging_pages.register(pages)
    app.include_router(pages)


async def refused_address_page(scope: Scope, receive: Receive, send: Send, field: str, reason: str) -> None:
    """The answer on a page's path to a path or query parameter ``PlainQuery`` refuses (a control
    character, bytes that are not UTF-8): the error page naming it, in the user's language, not JSON."""
    request = Request(scope, receive)
    # The language choice returns home: the refused address would only be refused again.
    page = await _error_page(request, "error.input", 422, detail=reason, field=field, here="/")
    await page(scope, receive, send)


def _unavailable_page(request: Request) -> HTMLResponse:
    """The 503 page of a busy or unreachable database, with the API's ``Retry-After``. In the browser's
    language and without the menu: finding the signed-in user would ask the same database again."""
    lang = i18n.pick(request.headers.get("accept-language"))
    page = render(request, "error.html", lang, {"message_key": "error.unavailable"}, status_code=503)
    page.headers.update(UNAVAILABLE_HEADERS)
    return page


def _csrf_page(request: Request) -> HTMLResponse:
    """The "form expired" page of a form sent without its right CSRF token."""
    lang = i18n.pick(request.headers.get("accept-language"))
    return render(request, "error.html", lang, {"message_key": "error.csrf"}, status_code=403)


async def _error_page(
    request: Request, message_key: str, status_code: int, **details: object
) -> HTMLResponse:
    """An error page in the signed-in user's language with the menu, else in the browser's language;
    ``details`` go to the template (``detail``: what was refused, ``field``: where)."""
    cookie = request.cookies.get(SESSION_COOKIE)

    def signed_in(reader: Session) -> tuple[Actor, str, str] | None:
        found = signin.current(reader, cookie=cookie or "")
        return (found[0], found[1].csrf_token, found[1].user.language) if found else None

    try:
        who = await state_of(request).read(signed_in) if cookie else None
    except OperationalError:  # the database busy: the page still says what was wrong, without the menu
        who = None
    context: dict[str, Any] = {"message_key": message_key, **details}
    if who is None:
        lang = i18n.pick(request.headers.get("accept-language"))
        return render(request, "error.html", lang, context, status_code=status_code)
    actor, csrf, lang = who
    context.update({"actor": actor, "csrf": csrf, "languages": i18n.LANGUAGES})
    return render(request, "error.html", lang, context, status_code=status_code)


def _login_page(
    request: Request, error_key: str | None = None, status_code: int = 200, username: str = ""
) -> HTMLResponse:
    """The sign-in form; after a failed step, ``username`` fills its box again (the password never)."""
    token = login_csrf(request)
    lang = i18n.pick(request.headers.get("accept-language"))
    context = {"csrf": token, "error_key": error_key, "username": username}
    response = render(request, "login.html", lang, context, status_code)
    secure = state_of(request).settings.cookie_secure
    set_cookie(response, CSRF_COOKIE, token, secure=secure)
    return response


def _language_of(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.language if user else "en"


def register_pages(router: APIRouter) -> None:
    """The page routes."""

    @router.get("/login", response_class=HTMLResponse, dependencies=[Public], include_in_schema=False)
    def login_form(request: Request) -> HTMLResponse:
        return _login_page(request)

    @router.post("/login", response_class=HTMLResponse, dependencies=[Public], include_in_schema=False)
    def login_submit(
        request: Request,
        session: DbSession,
        state: State,
        username: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=200)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        check_login_csrf(request, csrf)
        result = signin.start(session, username=username, password=password, limits=state.limits)
        if result.outcome is signin.Outcome.LOCKED:
            return _login_page(request, "signin.locked", 423, username)
        if result.outcome is not signin.Outcome.OK or result.cookie is None:
            return _login_page(request, "signin.failed", 401, username)
        response = RedirectResponse("/login/code", status_code=303)
        set_cookie(response, PENDING_COOKIE, result.cookie, secure=state.settings.cookie_secure, max_age=300)
        return response

    @router.get("/login/code", response_class=HTMLResponse, dependencies=[Public], include_in_schema=False)
    def code_form(request: Request, session: DbSession) -> Response:
        pending = signin.pending(session, cookie=request.cookies.get(PENDING_COOKIE, ""))
        if pending is None:
            return RedirectResponse("/login", status_code=303)
        lang = pending.user.language
        return render(request, "code.html", lang, {"csrf": pending.csrf_token, "error_key": None})

    @router.post("/login/code", response_class=HTMLResponse, dependencies=[Public], include_in_schema=False)
    def code_submit(
        request: Request,
        session: DbSession,
        state: State,
        code: Annotated[str, Form(max_length=12)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        cookie = request.cookies.get(PENDING_COOKIE, "")
        pending = signin.pending(session, cookie=cookie)
        if pending is None:
            return _login_page(request, "code.expired", 401)
        check_session_csrf(pending, csrf)
        lang = pending.user.language
        result = signin.second_factor(
            session, cookie=cookie, code=code, secret_key=state.secret_key, limits=state.limits
        )
        if result.outcome is signin.Outcome.LOCKED:  # back to the first step, the username kept
            return _login_page(request, "signin.locked", 423, pending.user.username)
        if result.outcome is not signin.Outcome.OK or result.cookie is None:
            ctx = {"csrf": pending.csrf_token, "error_key": "code.failed"}
            return render(request, "code.html", lang, ctx, status_code=401)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(PENDING_COOKIE, path="/")
        max_age = state.settings.session_minutes * 60
        set_cookie(
            response, SESSION_COOKIE, result.cookie, secure=state.settings.cookie_secure, max_age=max_age
        )
        return response

    @router.post("/logout", dependencies=[Public], include_in_schema=False)
    def logout(
        request: Request, session: DbSession, csrf: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        cookie = request.cookies.get(SESSION_COOKIE, "")
        found = signin.current(session, cookie=cookie) if cookie else None
        if found is not None:
            check_session_csrf(found[1], csrf)
            signin.end(session, cookie=cookie)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def checkpoint(request: Request, session: DbSession, page: PageUser) -> HTMLResponse:
        actor, web_session = page
        lang = _language_of(session, actor.user_id)
        ctx = {
            "actor": actor,
            "csrf": web_session.csrf_token,
            "languages": i18n.LANGUAGES,
            # Every check needs an operational role (checks.pipeline): a refused action is not offered.
            "may_check": bool(actor.roles & OPERATIONAL_ROLES),
        }
        return render(request, "checkpoint.html", lang, ctx)

    @router.post("/language", include_in_schema=False)
    def set_language(
        session: DbSession,
        page: PageUser,
        language: Annotated[str, Form(max_length=2)] = "en",
        csrf: Annotated[str, Form(max_length=100)] = "",
        back: Annotated[str, Form(alias="next")] = "/",
    ) -> Response:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        if language in i18n.LANGUAGES:
            users.set_language(session, actor=actor, language=language)
        # Back to the page the user was on (nav.html sends it): a path on this site only.
        return RedirectResponse(navigation.same_site_path(back), status_code=303)
