"""The application factory: everything is wired here, nothing at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from peacelink import __version__
from peacelink.agencies.routes import router as agencies_router
from peacelink.api import errors
from peacelink.api.client_gone import ClientGone
from peacelink.api.dependencies import public
from peacelink.api.plain_query import PlainQuery
from peacelink.api.state import AppState
from peacelink.audit.routes import router as audit_router
from peacelink.checks.pipeline import READER_INFO_KEY
from peacelink.checks.routes import router as checks_router
from peacelink.db.engine import build_engine, session_factory
from peacelink.dna.routes import checks_router as dna_checks_router
from peacelink.dna.routes import router as dna_router
from peacelink.documents.routes import router as documents_router
from peacelink.fingerprints.routes import checks_router as fingerprint_checks_router
from peacelink.fingerprints.routes import router as fingerprints_router
from peacelink.hits.routes import router as hits_router
from peacelink.messaging.routes import router as messaging_router
from peacelink.nodes.routes import router as nodes_router
from peacelink.persons.routes import checks_router as person_checks_router
from peacelink.persons.routes import router as persons_router
from peacelink.records.routes import router as records_router
from peacelink.settings import Settings
from peacelink.users.routes import router as users_router
from peacelink.vehicles.routes import router as vehicles_router

API_PREFIX = "/api/v1"

DESCRIPTION = """
PeaceLink's HTTP API. Every route except `/health` needs `Authorization: Bearer <token>`
(create one with `peacelink token create` or `POST /api/v1/tokens`). Each operation lists the roles it
accepts under `x-required-roles`. Errors are JSON `{"error": code, "message": text, "field"?: name}`:
401 no or bad token, 403 wrong role or agency, 404 what the path names is unknown, 409 conflict or stale
version, 422 invalid input (a body or query naming something unknown too), 503 database busy or unreachable
(retry after `Retry-After` seconds; every route but `/health` may answer it).
Every call that reads or changes data writes an audit event.
"""


@cache
def api_router() -> APIRouter:
    """All /api/v1 routes, built once a process: an app copies them when it includes them (``create_app``),
    and building a route (its dependencies and models) is most of what an app costs to make.

    Every one may answer 422 in ErrorOut's shape (a path or query that is not plain text is refused before
    any route runs, ``PlainQuery``; a bad parameter or body by the app's handler): stated here once, it also
    keeps FastAPI from documenting its own 422 body (``{"detail": [...]}``), which no route answers. Every
    route but ``/health`` reads the database (the token look-up at least), so it may answer 503 when the
    database is busy or unreachable: stated once on the routers below. Each route states its other errors
    (``error_responses``).
    """
    router = APIRouter(prefix=API_PREFIX, responses=errors.error_responses(422))
    database = APIRouter(responses=errors.error_responses(503))

    @router.get("/health", tags=["system"], dependencies=[Depends(public())])
    async def health() -> dict[str, Any]:
        """Liveness check; no sign-in needed."""
        return {"status": "ok", "version": __version__}

    @router.get("/docs", include_in_schema=False, dependencies=[Depends(public())])
    def docs() -> HTMLResponse:
        """Interactive API documentation (Swagger UI, served from the npm-installed swagger-ui-dist)."""
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title="PeaceLink API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )

    # Checks first: routes are matched in order, and checks are by far the most frequent requests.
    database.include_router(checks_router)
    database.include_router(person_checks_router)
    database.include_router(fingerprint_checks_router)
    database.include_router(dna_checks_router)
    database.include_router(agencies_router)
    database.include_router(users_router)
    database.include_router(audit_router)
    database.include_router(records_router)
    database.include_router(documents_router)
    database.include_router(vehicles_router)
    database.include_router(persons_router)
    database.include_router(dna_router)
    database.include_router(fingerprints_router)
    database.include_router(hits_router)
    database.include_router(messaging_router)
    database.include_router(nodes_router)
    router.include_router(database)
    return router


def create_app(settings: Settings, *, state: AppState | None = None) -> FastAPI:
    """Build the web app and API for ``settings``."""
    if state is None:
        engine = build_engine(settings.database_url, mmap_mb=settings.sqlite_mmap_mb)
        state = AppState(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            secret_key=settings.resolved_secret_key(),
        )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        lifespan=lifespan,
        title="PeaceLink",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.peacelink = state
    errors.install(app)
    from peacelink.web.app import install as install_web
    from peacelink.web.app import refused_address_page

    # Added before the web's SecurityHeaders, which then wraps it: its 422 gets those headers too. A page's
    # path refused is answered with an HTML page (refused_address_page), the API's with JSON.
    app.add_middleware(PlainQuery, pages=refused_address_page)
    app.include_router(api_router())
    install_web(app)
    from peacelink.nodes.runtime import install as install_node

    install_node(app, state)
    # Added last, so it wraps every route and middleware above (only the server-error layer is outside it):
    # a client gone mid-request is one line at INFO, not an unexpected error (client_gone.py).
    app.add_middleware(ClientGone)
    if state.engine.dialect.name == "sqlite":
        info = dict(state.sessions.kw.get("info") or {})
        info[READER_INFO_KEY] = state.read_sessions
        state.sessions.configure(info=info)
    return app
