"""Checkpoint pages: document and vehicle checks (MRZ, VIN, plate) and the hit queue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from peacelink.access import Actor
from peacelink.api.dependencies import DbSession
from peacelink.checks import service as checks
from peacelink.documents.schemas import DocumentCheck
from peacelink.errors import PeacelinkError
from peacelink.hits import service as hits
from peacelink.hits.service import HitView
from peacelink.request_body import field_path
from peacelink.users.models import User, WebSession
from peacelink.vehicles.schemas import VehicleCheck
from peacelink.web import i18n
from peacelink.web.security import PageUser, check_session_csrf


def _language(session: Session, actor: Actor) -> str:
    user = session.get(User, actor.user_id)
    return user.language if user else "en"


def _render(
    request: Request,
    session: Session,
    page: tuple[Actor, WebSession],
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    from peacelink.web.app import render

    actor, web_session = page
    full = {"actor": actor, "csrf": web_session.csrf_token, "languages": i18n.LANGUAGES, **context}
    return render(request, name, _language(session, actor), full, status_code=status_code)


def _error(exc: Exception) -> tuple[str, str | None]:
    """A message and field for the page from a service or validation error."""
    if isinstance(exc, PeacelinkError):
        return exc.message, exc.field
    assert isinstance(exc, ValidationError)
    first = exc.errors()[0]
    return str(first["msg"]), field_path(first["loc"])


def register(app: FastAPI) -> None:
    """Add the check and hit pages to ``app``."""

    _register_checks(app)
    _register_hits(app)


def _register_checks(app: FastAPI) -> None:
    @app.post("/checks/document", response_class=HTMLResponse, include_in_schema=False)
    def check_document_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        mrz: Annotated[str, Form(max_length=200)] = "",
        issuing_country: Annotated[str, Form(max_length=3)] = "",
        number: Annotated[str, Form(max_length=60)] = "",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        try:
            if mrz.strip():
                data = DocumentCheck(mrz=[line for line in mrz.splitlines() if line.strip()])
            else:
                data = DocumentCheck(issuing_country=issuing_country or None, number=number or None)
            answer = checks.check_document(session, actor=actor, data=data).to_dict()
        except (PeacelinkError, ValidationError) as exc:
            message, field = _error(exc)
            return _render(
                request,
                session,
                page,
                "check_result.html",
                {"answer": None, "error": message, "field": field},
                status_code=422,
            )
        return _render(request, session, page, "check_result.html", {"answer": answer, "error": None})

    @app.post("/checks/vehicle", response_class=HTMLResponse, include_in_schema=False)
    def check_vehicle_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        vin: Annotated[str, Form(max_length=30)] = "",
        plate: Annotated[str, Form(max_length=30)] = "",
        country: Annotated[str, Form(max_length=3)] = "",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        try:
            data = VehicleCheck(vin=vin or None, plate=plate or None, country=country or None)
            answer = checks.check_vehicle(session, actor=actor, data=data).to_dict()
        except (PeacelinkError, ValidationError) as exc:
            message, field = _error(exc)
            return _render(
                request,
                session,
                page,
                "check_result.html",
                {"answer": None, "error": message, "field": field},
                status_code=422,
            )
        return _render(request, session, page, "check_result.html", {"answer": answer, "error": None})


def _register_hits(app: FastAPI) -> None:
    @app.get("/hits", response_class=HTMLResponse, include_in_schema=False)
    def hits_page(
        request: Request, session: DbSession, page: PageUser, view: HitView = HitView.QUEUE, error: str = ""
    ) -> HTMLResponse:
        actor, _ = page
        try:
            rows = [hits.to_out(session, h) for h in hits.list_hits(session, actor=actor, view=view)]
        except PeacelinkError as exc:
            return _render(
                request,
                session,
                page,
                "hits.html",
                {"rows": [], "view": view.value, "error": exc.message},
                status_code=403,
            )
        return _render(
            request,
            session,
            page,
            "hits.html",
            {"rows": rows, "view": view.value, "error": error[:200] or None},
        )

    @app.post("/hits/{hit_id}/decide", include_in_schema=False)
    def decide_page(
        session: DbSession,
        page: PageUser,
        hit_id: str,
        csrf: Annotated[str, Form(max_length=100)] = "",
        decision: Annotated[str, Form(max_length=10)] = "",
        note: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        try:
            if not note.strip():
                return RedirectResponse("/hits?error=note", status_code=303)
            hits.decide(session, actor=actor, hit_id=hit_id, confirm=decision == "confirm", note=note)
        except PeacelinkError as exc:
            return RedirectResponse(f"/hits?error={exc.code}", status_code=303)
        return RedirectResponse("/hits", status_code=303)
