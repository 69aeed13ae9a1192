"""Person pages: the person check on the checkpoint, the investigators' search, a person record page.

Roles are enforced by the services (check: operational roles; search: investigators, analysts,
supervisors; record: visibility), so every page takes any signed-in user and shows a 403 page otherwise.
Bad input is refused as the API refuses it, with a message in the user's language: no name or filter
value is ever cut short or dropped, and nothing is checked or searched (nor audited) when one is refused.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from peacelink.access import Actor, require_role
from peacelink.api.dependencies import DbSession
from peacelink.documents import service as documents
from peacelink.errors import Forbidden, NotFound, PeacelinkError
from peacelink.persons import checkpoint, routes, service
from peacelink.persons.models import CrimeArea, OfficerWarning
from peacelink.persons.schemas import PersonCheck
from peacelink.persons.search import SEARCH_ROLES, SearchFilters, search
from peacelink.vehicles import service as vehicles
from peacelink.web import i18n
from peacelink.web.checks_pages import _error, _language, _render
from peacelink.web.field_labels import PERSON_SEARCH_FIELDS
from peacelink.web.security import PageUser, check_session_csrf

# The lines of a textarea: a browser ends them with CR LF. str.splitlines also splits at U+2028, U+0085 and
# the separators \x1c-\x1e, which would check one name pasted with such a character as two names.
_FORM_LINE_END = re.compile(r"\r\n|\r|\n")


def form_names(text: str) -> list[str]:
    r"""The names typed in the check form, one per line (blank lines dropped).

    >>> form_names("Ali Hassan\r\n\r\nMohamed Ali\n"), form_names("Ali\u2028Hassan")
    (['Ali Hassan', 'Mohamed Ali'], ['Ali\u2028Hassan'])
    """
    return [line.strip() for line in _FORM_LINE_END.split(text) if line.strip()]


# The search form's fields and their labels (the catalogue keys the form shows).
SEARCH_FIELDS = PERSON_SEARCH_FIELDS


class FormError(Exception):
    """A refused form value: the message in the user's language and the form field it names."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _text(language: str, key: str, **values: object) -> str:
    """The catalogue text for ``key`` in ``language`` with ``values`` filled in."""
    return i18n.translate(language, key).format(**values)


def _names_error(language: str, exc: ValidationError, names: list[str]) -> FormError | None:
    """The person check's rules on its names (``PersonCheck``), said in the user's language."""
    for error in exc.errors():
        loc, ctx = error["loc"], error.get("ctx") or {}
        if loc == ("names",) and error["type"] == "too_long":
            count, limit = ctx["actual_length"], ctx["max_length"]
            return FormError(
                _text(language, "persons.check.error.too_many_names", limit=limit, count=count), "names"
            )
        if len(loc) == 2 and loc[0] == "names" and error["type"] == "string_too_long":
            position = int(loc[1])
            length = len(names[position])
            message = _text(
                language,
                "persons.check.error.name_too_long",
                position=position + 1,
                limit=ctx["max_length"],
                length=length,
            )
            return FormError(message, "names")
    return None


@cache
def _api_search_types() -> dict[str, tuple[TypeAdapter[Any], dict[str, Any]]]:
    """Each search filter's type as the API route declares it (bounds, lengths, enums), with its bounds.

    The page validates with the very annotations of ``GET /api/v1/persons/search`` so the two refuse
    the same values (an unknown crime area, ``Terrorism`` for ``terrorism``, a year 19789, ``IRQX``).
    """
    hints = get_type_hints(routes.search_persons, include_extras=True)
    found: dict[str, tuple[TypeAdapter[Any], dict[str, Any]]] = {}
    for field in SEARCH_FIELDS:
        bounds: dict[str, Any] = {}
        extras = get_args(hints[field])[1:] if get_origin(hints[field]) is Annotated else ()
        for query in extras:  # FastAPI's Query(...): a pydantic FieldInfo holding the constraints
            for item in getattr(query, "metadata", []):
                for name in ("ge", "le", "max_length"):
                    if getattr(item, name, None) is not None:
                        bounds[name] = getattr(item, name)
        found[field] = (TypeAdapter(hints[field]), bounds)
    return found


def _filter_value(language: str, field: str, raw: str) -> Any:
    """One filter as typed, checked as the API checks it; raises a FormError naming the filter if refused."""
    adapter, bounds = _api_search_types()[field]
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        kind = exc.errors()[0]["type"]
    values: dict[str, Any] = {}
    if field in ("born_from", "born_to"):  # not a whole number, or outside the API's bounds
        key, values = "persons.search.error.year", {"low": bounds.get("ge"), "high": bounds.get("le")}
    elif kind == "enum":
        key = "persons.search.error.choice"
    elif kind == "string_too_long":
        key, values = "persons.search.error.too_long", {"limit": bounds.get("max_length"), "length": len(raw)}
    else:  # no other rule is declared on these filters today
        key = "persons.search.error.invalid"
    label = i18n.translate(language, SEARCH_FIELDS[field])
    raise FormError(_text(language, key, field=label, value=raw, **values), field)


def _search_filters(language: str, form: dict[str, str]) -> SearchFilters:
    """The filters of the search form, every value checked as the API checks it (nothing cut or dropped)."""
    checked: dict[str, Any] = {}
    for field, raw in form.items():
        if not raw.strip():  # an empty box (the form sends every field) is no filter
            checked[field] = None
            continue
        checked[field] = _filter_value(language, field, raw)
    low, high = checked["born_from"], checked["born_to"]
    if low is not None and high is not None and low > high:
        # Not a rule of the API (which answers an empty list): on the page an empty range is a typing slip.
        message = _text(
            language,
            "persons.search.error.year_order",
            field=i18n.translate(language, SEARCH_FIELDS["born_from"]),
            other=i18n.translate(language, SEARCH_FIELDS["born_to"]),
            low=low,
            high=high,
        )
        raise FormError(message, "born_from")
    return SearchFilters(
        name=checked["name"] or "",
        born_from=low,
        born_to=high,
        nationality=checked["nationality"] or "",
        crime_area=checked["crime_area"].value if checked["crime_area"] else "",
        warning=checked["warning"].value if checked["warning"] else "",
        owner=checked["owner"] or "",
    )


def _search_rows(
    session: Session, actor: Actor, filters: SearchFilters, notes: list[str]
) -> list[dict[str, Any]]:
    """The search's result rows for the page; what the look-up found worth saying is added to ``notes``."""
    found = search(session, actor=actor, filters=filters, notes=notes)
    persons = service.to_out_many(session, [p for p, _ in found], actor=actor)
    scores = [s for _, s in found]
    return [
        {"person": out.model_dump(mode="json"), "score": score}
        for out, score in zip(persons, scores, strict=True)
    ]


def _linked_records(
    session: Session, actor: Actor, document_ids: list[str], vehicle_ids: list[str]
) -> list[dict[str, Any]]:
    """The linked travel documents and vehicles as a reader knows them (country, type and number; VIN or
    plate), not their internal ids.

    The ids are those ``service.to_out`` lists for this reader (the records it may see); each is read
    through its service, which checks visibility again and audits the read, as any record shown is.
    """
    linked: list[dict[str, Any]] = []
    for document_id in document_ids:
        try:
            document = documents.read(session, actor=actor, document_id=document_id)
        except NotFound:  # withdrawn or hidden since the links were read: nothing to show
            continue
        linked.append(
            {
                "kind": "document",
                "issuing_country": document.issuing_country,
                "document_type": document.document_type,
                "number": document.number,
            }
        )
    for vehicle_id in vehicle_ids:
        try:
            vehicle = vehicles.read(session, actor=actor, vehicle_id=vehicle_id)
        except NotFound:
            continue
        linked.append(
            {
                "kind": "vehicle",
                "vin": vehicle.vin,
                "plate": vehicle.plate,
                "plate_country": vehicle.plate_country,
            }
        )
    return linked


def register(router: APIRouter) -> None:
    """Add the person pages to ``router``."""

    @router.post("/checks/person", response_class=HTMLResponse, include_in_schema=False)
    def check_person_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        # No bound of the form's own (it answered a bare JSON 422): the app's body-size limit bounds what is
        # sent, and PersonCheck's limits (ten names of 300 characters, 10 characters of a date, 3 of a
        # country, 60 of a document number...) refuse a value on the page with the form as typed.
        names: Annotated[str, Form()] = "",
        date_of_birth: Annotated[str, Form()] = "",
        nationality: Annotated[str, Form()] = "",
        sex: Annotated[str, Form()] = "",
        document: Annotated[str, Form()] = "",
        document_country: Annotated[str, Form()] = "",
        mrz: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        # A refused check shows the form again as typed (checks_forms.html).
        typed = {
            "names": names,
            "mrz": mrz,
            "date_of_birth": date_of_birth,
            "nationality": nationality,
            "sex": sex,
            "document": document,
            "document_country": document_country,
        }
        # Every name given is checked or the check is refused: never the first ten of eleven.
        lines = form_names(names)
        try:
            try:
                data = PersonCheck(
                    names=lines,
                    mrz=[line for line in mrz.splitlines() if line.strip()] or None,
                    date_of_birth=date_of_birth.strip() or None,
                    nationality=nationality.strip() or None,
                    sex=sex or None,
                    document=(
                        {"number": document.strip(), "country": document_country.strip()}
                        if document_country.strip()
                        else document.strip() or None
                    ),
                )
            except ValidationError as exc:
                refused = _names_error(_language(session, actor), exc, lines)
                if refused is not None:
                    raise refused from exc
                raise
            # The document presented (scanned or typed) is checked against the stolen and lost documents
            # on the same page (its own check and audit event): a stolen passport is never "carry on" here.
            answers = checkpoint.check(session, actor=actor, data=data)
        except (PeacelinkError, ValidationError, FormError) as exc:
            message, field = (exc.message, exc.field) if isinstance(exc, FormError) else _error(exc)
            status = 403 if isinstance(exc, Forbidden) else 422
            context: dict[str, Any] = {
                "answer": None,
                "error": message,
                "field": field,
                "form": {"person": typed},
            }
            return _render(request, session, page, "person_check_result.html", context, status_code=status)
        return _render(
            request,
            session,
            page,
            "person_check_result.html",
            {"answer": answers.person, "document_answer": answers.document, "error": None, "field": None},
        )

    @router.get("/persons/search", response_class=HTMLResponse, include_in_schema=False)
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
        # Shown back as typed: a refused value is never replaced by a cut or a dropped one.
        form = {
            "name": name,
            "born_from": born_from,
            "born_to": born_to,
            "nationality": nationality,
            "crime_area": crime_area,
            "warning": warning,
            "owner": owner,
        }
        context: dict[str, Any] = {
            "form": form,
            "crime_areas": [c.value for c in CrimeArea],
            "warnings": [w.value for w in OfficerWarning],
            "rows": None,
            "notes": [],
            "error": None,
            "error_field": None,
        }
        try:
            require_role(actor, *SEARCH_ROLES)
            if any(value.strip() for value in form.values()):
                filters = _search_filters(_language(session, actor), form)
                context["rows"] = _search_rows(session, actor, filters, context["notes"])
        except (PeacelinkError, ValidationError, FormError) as exc:
            message, field = (exc.message, exc.field) if isinstance(exc, FormError) else _error(exc)
            context["error"], context["error_field"] = message, field
            context["error_named"] = isinstance(exc, FormError)  # its message names the box already
            status = 403 if isinstance(exc, Forbidden) else 422
            return _render(request, session, page, "persons_search.html", context, status_code=status)
        return _render(request, session, page, "persons_search.html", context)

    @router.get("/persons/{person_id}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(request: Request, session: DbSession, page: PageUser, person_id: str) -> HTMLResponse:
        actor, _ = page
        try:
            person = service.to_out(
                session, service.read(session, actor=actor, person_id=person_id), actor=actor
            )
        except (NotFound, Forbidden) as exc:
            status = 404 if isinstance(exc, NotFound) else 403
            missing: dict[str, Any] = {"person": None, "error": exc.message}
            return _render(request, session, page, "person.html", missing, status_code=status)
        found: dict[str, Any] = {
            "person": person.model_dump(mode="json"),
            "linked": _linked_records(session, actor, person.travel_document_ids, person.vehicle_ids),
            "error": None,
        }
        return _render(request, session, page, "person.html", found)

    @router.get("/persons/{person_id}/photo", include_in_schema=False)
    def person_photo(request: Request, session: DbSession, page: PageUser, person_id: str) -> Response:
        """The record page's photo: the signed-in user's agency must see the record; audited, never cached.
        A missing or refused photo is the error page in the user's language (the address opened alone)."""
        actor, _ = page
        try:
            photo = service.get_photo(session, actor=actor, person_id=person_id)
        except (NotFound, Forbidden) as exc:
            status = 404 if isinstance(exc, NotFound) else 403
            key = "error.not_found" if status == 404 else "error.forbidden"
            context = {"message_key": key, "detail": exc.message}
            return _render(request, session, page, "error.html", context, status_code=status)
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        return Response(photo.data, media_type=photo.content_type, headers=headers)
