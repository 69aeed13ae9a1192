"""Fingerprint pages: enrol and check forms (file upload), the fingerprint hit queue and the examiner page.

Every page is open to any signed-in user at the route level (the route-authorisation test walks pages with
one signed-in role set); the service decides, as for the API: enrolling needs an investigator or
supervisor, the examiner page a supervisor or investigator of the agency that owns the record.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from peacelink.access import OPERATIONAL_ROLES, Actor, Role
from peacelink.api.dependencies import DbSession
from peacelink.errors import Forbidden, Invalid, NotFound, PeacelinkError
from peacelink.fingerprints import service
from peacelink.fingerprints.lookup import from_bytes
from peacelink.fingerprints.models import PrintKind
from peacelink.fingerprints.schemas import FingerprintCreate
from peacelink.hits import service as hits
from peacelink.hits.service import HitView
from peacelink.typed_input import DIGITS
from peacelink.users.models import WebSession
from peacelink.web.checks_pages import Refusal, decide_hit
from peacelink.web.security import PageUser, check_session_csrf

MAX_UPLOAD = 4 * 1024 * 1024


def _render(
    request: Request,
    session: Session,
    page: tuple[Actor, WebSession],
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    from peacelink.web.checks_pages import _render as render_page

    # The enrol form and the examiner page are offered only to the roles the service lets use them: a refused
    # action is not offered.
    roles = page[0].roles
    full = {
        "may_enrol": bool(roles & set(service.ENROLLING_ROLES)),
        "may_examine": bool(roles & set(service.EXAMINER_ROLES)),
        "may_check": bool(roles & OPERATIONAL_ROLES),
        **context,
    }
    return render_page(request, session, page, name, full, status_code)


def _status(exc: PeacelinkError) -> int:
    return exc.status if isinstance(exc, Forbidden | NotFound | Invalid) else 422


async def _upload(file: UploadFile | None) -> bytes:
    """The uploaded file's bytes, refusing empty and oversized files."""
    if file is None:
        raise Invalid("choose a file", field="file")
    data = await file.read(MAX_UPLOAD + 1)
    if not data:
        raise Invalid("the file is empty", field="file")
    if len(data) > MAX_UPLOAD:
        raise Invalid(f"the file is larger than {MAX_UPLOAD} bytes", field="file")
    return data


def register(router: APIRouter) -> None:
    """Add the fingerprint pages to ``router``."""

    @router.get("/fingerprints", response_class=HTMLResponse, include_in_schema=False)
    def fingerprints_page(request: Request, session: DbSession, page: PageUser) -> HTMLResponse:
        context: dict[str, Any] = {"error": None, "enrolled": None, "form": {}}
        return _render(request, session, page, "fingerprints.html", context)

    @router.post("/fingerprints/enrol", response_class=HTMLResponse, include_in_schema=False)
    async def enrol_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        file: Annotated[UploadFile | None, File()] = None,
        source: Annotated[str, Form(max_length=10)] = "image",
        reference: Annotated[str, Form()] = "",
        finger_position: Annotated[int, Form(ge=0, le=10), DIGITS] = 0,
        kind: Annotated[str, Form(max_length=10)] = "tenprint",
        person_id: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        import base64

        actor, web_session = page
        check_session_csrf(web_session, csrf)
        # Shown again as typed when refused (the file must be chosen again: a browser never refills one).
        form = {
            "source": source,
            "reference": reference,
            "finger_position": finger_position,
            "kind": kind,
            "person_id": person_id,
            "file": file.filename if file else None,
        }
        try:
            encoded = base64.b64encode(await _upload(file)).decode()
            data = FingerprintCreate(
                image=encoded if source != "template" else None,
                template=encoded if source == "template" else None,
                reference=reference,
                finger_position=finger_position,
                kind=PrintKind(kind) if kind in {k.value for k in PrintKind} else PrintKind.TENPRINT,
                person_id=person_id or None,
            )
            out = service.to_out(session, service.enrol(session, actor=actor, data=data))
        except (PeacelinkError, ValidationError) as exc:
            message, field, code = _error(exc)
            ctx = {"error": message, "field": field, "failed": "enrol", "enrolled": None, "form": form}
            return _render(request, session, page, "fingerprints.html", ctx, status_code=code)
        done: dict[str, Any] = {"error": None, "enrolled": out, "form": {}}
        return _render(request, session, page, "fingerprints.html", done)

    @router.post("/checks/fingerprint", response_class=HTMLResponse, include_in_schema=False)
    async def check_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        file: Annotated[UploadFile | None, File()] = None,
        source: Annotated[str, Form(max_length=10)] = "image",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        try:
            raw = await _upload(file)
            probe = from_bytes(template=raw) if source == "template" else from_bytes(image=raw)
            answer = service.check_print(session, actor=actor, probe=probe).to_dict()
        except PeacelinkError as exc:
            # The forms again with what can be kept: the kind of file, and the name of the file to choose
            # again (a browser never refills a file box).
            message, field, code = _error(exc)
            form = {"check_source": source, "check_file": file.filename if file else None}
            ctx = {"error": message, "field": field, "enrolled": None, "form": form}
            return _render(request, session, page, "fingerprints.html", ctx, status_code=code)
        return _render(request, session, page, "fingerprint_result.html", {"answer": answer, "error": None})

    @router.get("/fingerprints/hits", response_class=HTMLResponse, include_in_schema=False)
    def fingerprint_hits_page(request: Request, session: DbSession, page: PageUser) -> HTMLResponse:
        actor, _ = page
        rows = [
            hits.to_out(session, h)
            for h in hits.list_hits(session, actor=actor, view=HitView.QUEUE, limit=500)
            if h.database == "fingerprints"
        ]
        return _render(request, session, page, "fingerprint_hits.html", {"rows": rows})

    @router.get("/fingerprints/hits/{hit_id}", response_class=HTMLResponse, include_in_schema=False)
    def examiner_page(request: Request, session: DbSession, page: PageUser, hit_id: str) -> HTMLResponse:
        return _examiner(request, session, page, hit_id)

    @router.post("/fingerprints/hits/{hit_id}/decide", include_in_schema=False)
    def examiner_decide(
        request: Request,
        session: DbSession,
        page: PageUser,
        hit_id: str,
        csrf: Annotated[str, Form(max_length=100)] = "",
        decision: Annotated[str, Form()] = "",
        note: Annotated[str, Form()] = "",
    ) -> Response:
        """The examiner page's decision: decided, the page shows it; refused, the page again with why, the
        refusal's status and the note as typed (as the hit queue does: checks_pages.decide_hit)."""
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        try:
            _examinable(actor, hit_id, session)  # only a hit this page shows is decided from it
        except PeacelinkError:
            return _examiner(request, session, page, hit_id)
        refusal = decide_hit(session, actor, hit_id, decision=decision, note=note)
        if refusal is not None:
            return _examiner(request, session, page, hit_id, refusal=refusal, note=note)
        return RedirectResponse(f"/fingerprints/hits/{hit_id}", status_code=303)

    @router.get("/fingerprints/hits/{hit_id}/comparison.png", include_in_schema=False)
    def comparison_image(session: DbSession, page: PageUser, hit_id: str) -> Response:
        actor, _ = page
        try:
            png = service.comparison_png(session, actor=actor, hit_id=hit_id)
        except PeacelinkError as exc:
            return Response(exc.message, status_code=_status(exc), media_type="text/plain")
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


def _examiner(
    request: Request,
    session: Session,
    page: tuple[Actor, WebSession],
    hit_id: str,
    *,
    refusal: Refusal | None = None,
    note: str = "",
) -> HTMLResponse:
    """The examiner page of hit ``hit_id``; after a refused decision (``refusal``) with why, its status
    and the note typed."""
    actor, _ = page
    try:
        _examinable(actor, hit_id, session)
        hit = hits.to_out(session, hits.read(session, actor=actor, hit_id=hit_id))
    except PeacelinkError as exc:
        ctx = {"hit": None, "error": exc.message}
        return _render(request, session, page, "fingerprint_examiner.html", ctx, status_code=_status(exc))
    # Examiners include investigators, but only a supervisor decides (hits.decide): no buttons that would
    # only be refused.
    shown: dict[str, Any] = {
        "hit": hit,
        "error": refusal.error if refusal else None,
        "error_field": refusal.field if refusal else None,
        "note": note,
        "note_refused": bool(refusal and refusal.note_refused),
        "can_decide": Role.SUPERVISOR in actor.roles,
    }
    status_code = refusal.status_code if refusal else 200
    return _render(request, session, page, "fingerprint_examiner.html", shown, status_code=status_code)


def _examinable(actor: Actor, hit_id: str, session: Session) -> None:
    """The same rule as the comparison image: an examiner of the owner agency, a fingerprint hit."""
    from peacelink.access import require_role

    require_role(actor, *service.EXAMINER_ROLES)
    hit = hits.get(session, actor=actor, hit_id=hit_id)
    if hit.database != "fingerprints" or hit.owner_agency_id != actor.agency_id:
        raise NotFound(f"no fingerprint hit {hit_id} in your agency's queue")


def _error(exc: Exception) -> tuple[str, str | None, int]:
    """Message, field and status for a form error (said as on the check pages)."""
    from peacelink.web.checks_pages import _error as page_error

    message, field = page_error(exc)
    return message, field, _status(exc) if isinstance(exc, PeacelinkError) else 422
