"""Person pages: the person check on the checkpoint, the investigators' search, a person record page.

Roles are enforced by the services (check: operational roles; search: investigators, analysts,
supervisors; record: visibility), so every page takes any signed-in user and shows a 403 page otherwise.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from peacelink.access import require_role
from peacelink.api.dependencies import DbSession
from peacelink.errors import Forbidden, NotFound, PeacelinkError
from peacelink.persons import service
from peacelink.persons.lookup import check_person
from peacelink.persons.models import CrimeArea, OfficerWarning
from peacelink.persons.schemas import PersonCheck
from peacelink.persons.search import SEARCH_ROLES, SearchFilters, search
from peacelink.web.checks_pages import _error, _render
from peacelink.web.security import PageUser, check_session_csrf


def _year(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) == 4 else None


def register(app: FastAPI) -> None:
    """Add the person pages to ``app``."""

    @app.post("/checks/person", response_class=HTMLResponse, include_in_schema=False)
    def check_person_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        names: Annotated[str, Form(max_length=2000)] = "",
        date_of_birth: Annotated[str, Form(max_length=10)] = "",
        nationality: Annotated[str, Form(max_length=3)] = "",
        sex: Annotated[str, Form(max_length=8)] = "",
        document: Annotated[str, Form(max_length=60)] = "",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        try:
            data = PersonCheck(
                names=[line.strip() for line in names.splitlines() if line.strip()][:10],
                date_of_birth=date_of_birth.strip() or None,
                nationality=nationality.strip() or None,
                sex=sex or None,
                document=document.strip() or None,
            )
            answer = check_person(session, actor=actor, data=data).to_dict()
        except (PeacelinkError, ValidationError) as exc:
            message, field = _error(exc)
            status = 403 if isinstance(exc, Forbidden) else 422
            context: dict[str, Any] = {"answer": None, "error": message, "field": field}
            return _render(request, session, page, "person_check_result.html", context, status_code=status)
        return _render(
            request,
            session,
            page,
            "person_check_result.html",
            {"answer": answer, "error": None, "field": None},
        )

    @app.get("/persons/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        name: str = "",
        born_from: str = "",
        born_to: str = "",
        nationality: str = "",
        crime_area: str = "",
        warning: str = "",
        owner: str = "",
    ) -> HTMLResponse:
        actor, _ = page
        form = {
            "name": name[:300],
            "born_from": born_from[:4],
            "born_to": born_to[:4],
            "nationality": nationality[:3],
            "crime_area": crime_area if crime_area in CrimeArea.__members__.values() else "",
            "warning": warning if warning in OfficerWarning.__members__.values() else "",
            "owner": owner[:32],
        }
        context: dict[str, Any] = {
            "form": form,
            "crime_areas": [c.value for c in CrimeArea],
            "warnings": [w.value for w in OfficerWarning],
            "rows": None,
            "error": None,
        }
        asked = any(form.values())
        try:
            if asked:
                filters = SearchFilters(
                    name=form["name"],
                    born_from=_year(form["born_from"]),
                    born_to=_year(form["born_to"]),
                    nationality=form["nationality"],
                    crime_area=form["crime_area"],
                    warning=form["warning"],
                    owner=form["owner"],
                )
                found = search(session, actor=actor, filters=filters)
                names = service.names_of(session, [p.id for p, _ in found])
                context["rows"] = [
                    {"person": service.to_out(session, p, names[p.id]).model_dump(mode="json"), "score": s}
                    for p, s in found
                ]
            else:
                require_role(actor, *SEARCH_ROLES)
        except PeacelinkError as exc:
            context["error"] = exc.message
            status = 403 if isinstance(exc, Forbidden) else 422
            return _render(request, session, page, "persons_search.html", context, status_code=status)
        return _render(request, session, page, "persons_search.html", context)

    @app.get("/persons/{person_id}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(request: Request, session: DbSession, page: PageUser, person_id: str) -> HTMLResponse:
        actor, _ = page
        try:
            person = service.to_out(session, service.read(session, actor=actor, person_id=person_id))
        except (NotFound, Forbidden) as exc:
            status = 404 if isinstance(exc, NotFound) else 403
            missing: dict[str, Any] = {"person": None, "error": exc.message}
            return _render(request, session, page, "person.html", missing, status_code=status)
        found: dict[str, Any] = {"person": person.model_dump(mode="json"), "error": None}
        return _render(request, session, page, "person.html", found)

    @app.get("/persons/{person_id}/photo", include_in_schema=False)
    def person_photo(session: DbSession, page: PageUser, person_id: str) -> Response:
        """The record page's photo: the signed-in user's agency must see the record; audited, never cached."""
        actor, _ = page
        try:
            photo = service.get_photo(session, actor=actor, person_id=person_id)
        except (NotFound, Forbidden) as exc:
            return Response(exc.message, status_code=404 if isinstance(exc, NotFound) else 403)
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        return Response(photo.data, media_type=photo.content_type, headers=headers)
