"""Checkpoint pages: document and vehicle checks (MRZ, VIN, plate) and the hit queue.

Typed values have no bound of their own on these routes: the request shapes the API uses refuse an
over-long one, and the page says so with the form as typed. A ``Form(max_length=...)`` would answer the
bare error page instead (a JSON 422 before), and an HTML ``maxlength`` has the browser cut a pasted value
silently (a 61-character document number checked as its first 60), so the forms carry neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from peacelink.access import Actor, Role
from peacelink.api.dependencies import DbSession
from peacelink.checks import service as checks
from peacelink.documents.schemas import DocumentCheck
from peacelink.errors import PeacelinkError
from peacelink.hits import service as hits
from peacelink.hits.schemas import HitDecision
from peacelink.hits.service import HitView
from peacelink.users.models import User, WebSession
from peacelink.vehicles.schemas import VehicleCheck
from peacelink.web import i18n
from peacelink.web.form_errors import form_error
from peacelink.web.security import PageUser, check_session_csrf

# The decisions the hit queue's buttons send.
DECISIONS = ("confirm", "reject")
# A refused decision's error code -> its page text (hits.error.CODE): said in the user's language, never
# the bare code.
DECISION_REFUSALS = frozenset({"forbidden", "conflict", "not_found"})


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
    """A message and field for the page from a service or validation error (``form_errors.form_error``:
    keyed, so the page says it in the user's language)."""
    return form_error(exc)


def register(router: APIRouter) -> None:
    """Add the check and hit pages to ``router``."""

    _register_checks(router)
    _register_hits(router)


def _register_checks(router: APIRouter) -> None:
    @router.post("/checks/document", response_class=HTMLResponse, include_in_schema=False)
    def check_document_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        mrz: Annotated[str, Form()] = "",
        issuing_country: Annotated[str, Form()] = "",
        number: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        form = {"mrz": mrz, "issuing_country": issuing_country, "number": number}
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
                {"answer": None, "error": message, "field": field, "form": form},
                status_code=422,
            )
        return _render(request, session, page, "check_result.html", {"answer": answer, "error": None})

    @router.post("/checks/vehicle", response_class=HTMLResponse, include_in_schema=False)
    def check_vehicle_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        vin: Annotated[str, Form()] = "",
        plate: Annotated[str, Form()] = "",
        country: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        form = {"vin": vin, "plate": plate, "country": country}
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
                {"answer": None, "error": message, "field": field, "form": form},
                status_code=422,
            )
        return _render(request, session, page, "check_result.html", {"answer": answer, "error": None})


@dataclass(frozen=True)
class Refusal:
    """Why a decision on a hit was not recorded: ``error`` is a ``hits.error.*`` code or a service text,
    ``field`` the field it names; ``note_refused``: the note's box is the refused value."""

    error: object
    note_refused: bool
    field: str | None = None
    status_code: int = 422


def decide_hit(session: Session, actor: Actor, hit_id: str, *, decision: str, note: str) -> Refusal | None:
    """Decide hit ``hit_id`` as a page's buttons ask (the hit queue, the fingerprint examiner page); None
    when decided, else why not, to say on the page with the note kept."""
    # Only the two buttons' values decide: anything else (a missing or forged value) decides nothing,
    # never a reject by default.
    if decision not in DECISIONS:
        return Refusal("decision", note_refused=False)
    if not note.strip():
        return Refusal("note", note_refused=True)
    try:
        HitDecision(note=note)  # the API's rule on the note: one too long is refused, never cut
        hits.decide(session, actor=actor, hit_id=hit_id, confirm=decision == "confirm", note=note)
    except ValidationError as exc:
        message, field = _error(exc)
        return Refusal(message, note_refused=True, field=field)
    except PeacelinkError as exc:
        # A role that may not decide, a hit another supervisor decided meanwhile, one gone: said in the
        # user's language with the note kept, and the service's status.
        error = exc.code if exc.code in DECISION_REFUSALS else exc.message
        return Refusal(error, note_refused=False, status_code=exc.status)
    return None


def _queue_page(
    request: Request,
    session: Session,
    page: tuple[Actor, WebSession],
    view: HitView,
    error: object = None,
    *,
    error_field: str | None = None,
    notes: dict[str, str] | None = None,
    invalid_note: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The hit list in ``view``; ``error`` is a ``hits.error.*`` code or a service text (``error_field``:
    the field it names); ``notes`` fills a hit's note box with the note typed for it, and the box of hit
    ``invalid_note`` is marked as the refused value."""
    actor, _ = page
    # Only a supervisor decides (hits.decide): the others are told who does, not offered buttons that
    # would only be refused.
    can_decide = Role.SUPERVISOR in actor.roles
    try:
        rows = [hits.to_out(session, h) for h in hits.list_hits(session, actor=actor, view=view)]
    except PeacelinkError as exc:
        refused: dict[str, Any] = {
            "rows": [],
            "view": view.value,
            "error": exc.message,
            "error_field": None,
            "notes": {},
            "invalid_note": None,
            "can_decide": can_decide,
        }
        return _render(request, session, page, "hits.html", refused, status_code=403)
    context: dict[str, Any] = {
        "rows": rows,
        "view": view.value,
        "error": error,
        "error_field": error_field,
        "notes": notes or {},
        "invalid_note": invalid_note,
        "can_decide": can_decide,
    }
    return _render(request, session, page, "hits.html", context, status_code=status_code)


def _register_hits(router: APIRouter) -> None:
    @router.get("/hits", response_class=HTMLResponse, include_in_schema=False)
    def hits_page(
        request: Request, session: DbSession, page: PageUser, view: HitView = HitView.QUEUE
    ) -> HTMLResponse:
        # No error from the address: a refused decision is answered with the page itself (decide_page),
        # and text from a link is never shown as the system's own.
        return _queue_page(request, session, page, view)

    @router.post("/hits/{hit_id}/decide", include_in_schema=False)
    def decide_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        hit_id: str,
        csrf: Annotated[str, Form(max_length=100)] = "",
        decision: Annotated[str, Form()] = "",
        note: Annotated[str, Form()] = "",
    ) -> Response:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        refusal = decide_hit(session, actor, hit_id, decision=decision, note=note)
        if refusal is not None:
            # The queue again with the note as typed in the hit's box, nothing decided.
            return _queue_page(
                request,
                session,
                page,
                HitView.QUEUE,
                refusal.error,
                error_field=refusal.field,
                notes={hit_id: note},
                invalid_note=hit_id if refusal.note_refused else None,
                status_code=refusal.status_code,
            )
        return RedirectResponse("/hits", status_code=303)
