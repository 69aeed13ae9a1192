"""HTTP routes for person records and the person check: parse -> service -> schema."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from peacelink.access import OPERATIONAL_ROLES, Actor
from peacelink.api.dependencies import DbSession, State, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.checks.http_import import import_openapi_extra, import_request
from peacelink.checks.schemas import ImportReportOut
from peacelink.documents.schemas import RecordVersion
from peacelink.persons import importer, service
from peacelink.persons.lookup import evaluate_person
from peacelink.persons.models import CrimeArea, OfficerWarning
from peacelink.persons.schemas import (
    PersonCheck,
    PersonCheckOut,
    PersonCreate,
    PersonOut,
    PersonSearchOut,
    PersonUpdate,
)
from peacelink.persons.search import MAX_BIRTH_YEAR, MAX_NAME_LENGTH, SEARCH_ROLES, SearchFilters, search
from peacelink.persons.values import MIN_BIRTH_YEAR
from peacelink.typed_input import ASCII_DIGITS, DIGITS

router = APIRouter(route_class=TransactionalRoute, prefix="/persons", tags=["persons"])
checks_router = APIRouter(route_class=TransactionalRoute, prefix="/checks", tags=["checks"])

Operational = Annotated[Actor, Depends(require(*OPERATIONAL_ROLES))]
Reporter = Annotated[Actor, Depends(require(*service.REPORTING_ROLES))]
Searcher = Annotated[Actor, Depends(require(*SEARCH_ROLES))]
# The search answers a plain list of rows; what a check of the name would warn about comes beside it.
WARNINGS_HEADER = "X-PeaceLink-Warnings"
WARNINGS_HEADER_DOC = {
    "description": "what a check of the name would warn about (a name too common to look up alone, "
    "initials only, a name of only a title or a particle), as a JSON list of strings; [] when nothing",
    "schema": {
        "type": "string",
        "example": '["the names hold initials only: nothing to look up; give at least one name in full"]',
    },
}
# A birth year in the search query: ASCII digits, as a year in a CSV cell ("1970.0", "١٩٧٠", "+1970" were
# read as 1970 or refused unevenly by the lax int). The bounds stay on the Query: the web's search page
# reads them there (web/person_pages._api_search_types) and validates with this very annotation.
BirthYear = Annotated[
    int | None, Query(ge=MIN_BIRTH_YEAR, le=MAX_BIRTH_YEAR, description="a year, ASCII digits"), ASCII_DIGITS
]
# A binary body has no room for the version a PATCH sends in JSON: the photo PUT takes it in the query,
# under the same name (a 409 names the field "version" either way).
PhotoVersion = Annotated[
    int, Query(ge=1, description="the record version you read (stale or cancelled: 409); required"), DIGITS
]


@checks_router.post(
    "/persons",
    response_model=PersonCheckOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
async def check_person_route(state: State, actor: Operational, data: PersonCheck) -> PersonCheckOut:
    """Check a person: ``{names: [...]}`` or ``{mrz}``, and optionally date_of_birth, nationality, sex,
    document.

    Names may be in any script and any order. The answer ranks candidates (score at or above 0.50) best
    first, each with an explanation; those at or above 0.90 become hits for the owner to confirm. A hit
    is a possible match: confirm with the owner agency before acting. The check is audited.
    """
    # On SQLite a check is a few milliseconds of CPU (p50 7 ms, p99 about 20 ms at 1M persons; ten long
    # names about 0.1 s): it runs on the event loop, since a trip through the thread pool cost more than
    # it gave (the GIL runs one of them at a time anyway): 235 against 198 checks/s with two workers,
    # docs/persons.md. On PostgreSQL it waits on the server, in the thread pool (``AppState.read``).
    pending = await state.read(lambda reader: evaluate_person(reader, actor=actor, data=data), short=True)
    return PersonCheckOut.model_validate((await state.writer.submit(pending.persist)).to_dict())


@router.get(
    "",
    response_model=list[PersonOut],
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 422),
)
def list_persons(
    session: DbSession,
    actor: Operational,
    limit: Annotated[int, Query(ge=1, le=1000), DIGITS] = 100,
    offset: Annotated[int, Query(ge=0), DIGITS] = 0,
) -> list[PersonOut]:
    """Your agency's own person records, newest first."""
    found = service.list_own(session, actor=actor, limit=limit, offset=offset)
    return service.to_out_many(session, found, actor=actor)


@router.post(
    "",
    response_model=PersonOut,
    status_code=201,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 409, 422),
)
def create_person(session: DbSession, actor: Reporter, data: PersonCreate) -> PersonOut:
    """Create a person record for your agency (``reference`` is your own file number, unique for you)."""
    return service.to_out(session, service.create(session, actor=actor, data=data), actor=actor)


@router.post(
    "/import",
    response_model=ImportReportOut,
    openapi_extra=import_openapi_extra(importer.SPEC, *service.REPORTING_ROLES),
    responses=error_responses(401, 403, 422),
)
async def import_persons(request: Request, session: DbSession, actor: Reporter) -> ImportReportOut:
    """Import CSV or JSON Lines (API field names); all lines or none; known references are skipped.

    A line that is refused makes the whole body a 422 ``invalid`` naming the first one, with the report of
    every refused line in ``details``: nothing is imported.

    A duplicate (its natural key repeated in the body, or already held by your agency) is counted in
    ``duplicates`` and listed in ``duplicate_lines`` with its line and reason (``duplicate_lines_omitted``
    counts those beyond the list's limit).
    """
    importer.may_import(actor)
    report = await import_request(request, session, actor=actor, spec=importer.SPEC)
    return ImportReportOut.model_validate(report.to_dict())


@router.get(
    "/search",
    response_model=list[PersonSearchOut],
    openapi_extra=roles_extra(*SEARCH_ROLES),
    responses={200: {"headers": {WARNINGS_HEADER: WARNINGS_HEADER_DOC}}, **error_responses(401, 403, 422)},
)
def search_persons(
    response: Response,
    session: DbSession,
    actor: Searcher,
    name: Annotated[str, Query(max_length=MAX_NAME_LENGTH)] = "",
    born_from: BirthYear = None,
    born_to: BirthYear = None,
    nationality: Annotated[str, Query(max_length=3)] = "",
    crime_area: CrimeArea | None = None,
    warning: OfficerWarning | None = None,
    owner: Annotated[str, Query(max_length=32)] = "",
    limit: Annotated[int, Query(ge=1, le=100), DIGITS] = 50,
) -> list[PersonSearchOut]:
    """Search the active person records your agency may see: by name (ranked) and/or filters.

    With a name, candidates are ranked by score among the persons holding the nationality, crime area and
    warning asked for; birth years and the owner are tested on the scored candidates. Without a name, the
    newest records matching every filter come first, found through the rarest filter's index (never by
    reading every record). The search is audited.

    What a check of the name would warn about (a name too common to look up alone, initials only, a name
    of only a title or a particle: the web search page shows it too) comes in the ``X-PeaceLink-Warnings``
    header, a JSON list of strings (``[]`` when there is nothing to say): the answer stays a plain list.
    """
    filters = SearchFilters(
        name=name,
        born_from=born_from,
        born_to=born_to,
        nationality=nationality,
        crime_area=crime_area.value if crime_area else "",
        warning=warning.value if warning else "",
        owner=owner,
        limit=limit,
    )
    notes: list[str] = []
    found = search(session, actor=actor, filters=filters, notes=notes)
    # JSON with non-ASCII escaped (a note may quote a name in any script): a header value is Latin-1.
    response.headers[WARNINGS_HEADER] = json.dumps(notes, ensure_ascii=True)
    persons = service.to_out_many(session, [p for p, _ in found], actor=actor)
    return [PersonSearchOut(person=out, score=s) for out, (_, s) in zip(persons, found, strict=True)]


@router.get(
    "/{person_id}",
    response_model=PersonOut,
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
    responses=error_responses(401, 403, 404, 422),
)
def read_person(session: DbSession, actor: Operational, person_id: str) -> PersonOut:
    """One person record your agency may see."""
    return service.to_out(session, service.read(session, actor=actor, person_id=person_id), actor=actor)


@router.patch(
    "/{person_id}",
    response_model=PersonOut,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 404, 409, 422),
)
def update_person(session: DbSession, actor: Reporter, person_id: str, data: PersonUpdate) -> PersonOut:
    """Change your record; send the version you read (409 if it changed meanwhile or is cancelled)."""
    person = service.update(session, actor=actor, person_id=person_id, data=data)
    return service.to_out(session, person, actor=actor)


@router.post(
    "/{person_id}/cancel",
    response_model=PersonOut,
    openapi_extra=roles_extra(*service.REPORTING_ROLES),
    responses=error_responses(401, 403, 404, 409, 422),
)
def cancel_person(session: DbSession, actor: Reporter, person_id: str, data: RecordVersion) -> PersonOut:
    """Withdraw your record at the version you read; it is no longer served (409 if already cancelled)."""
    person = service.cancel(session, actor=actor, person_id=person_id, version=data.version)
    return service.to_out(session, person, actor=actor)


@router.put(
    "/{person_id}/photo",
    response_model=PersonOut,
    openapi_extra={
        **roles_extra(*service.REPORTING_ROLES),
        "requestBody": {
            "content": {
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            }
        },
    },
    responses=error_responses(401, 403, 404, 409, 422),
)
async def put_photo(
    request: Request, session: DbSession, actor: Reporter, person_id: str, version: PhotoVersion
) -> PersonOut:
    """Store the person's photo; replaces the previous one. ``PUT .../photo?version=N``, body the image.

    The body is a whole JPEG or PNG image (at most 512 KiB and 4096 x 4096 pixels in all) sent with its
    ``Content-Type`` (``image/jpeg`` or ``image/png``); it is decoded in full, so a truncated or broken
    file is refused (422). Metadata (EXIF with a GPS position, XMP, IPTC, comments) is removed before it is
    stored: such a photo is re-encoded upright without it; one without any is stored as sent. The photo is
    part of the record: ``version`` is the version you read, as for
    ``PATCH``; a stale version or a cancelled record is refused (409), and a stored photo moves the
    record's version.
    """
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    person = await run_in_threadpool(
        service.set_photo,
        session,
        actor=actor,
        person_id=person_id,
        data=body,
        content_type=content_type,
        version=version,
    )
    return await run_in_threadpool(service.to_out, session, person, actor=actor)


@router.get(
    "/{person_id}/photo",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}, **error_responses(401, 403, 404, 422)},
    openapi_extra=roles_extra(*OPERATIONAL_ROLES),
)
def get_photo(session: DbSession, actor: Operational, person_id: str) -> Response:
    """The person's photo, if your agency may see the record."""
    photo = service.get_photo(session, actor=actor, person_id=person_id)
    return Response(photo.data, media_type=photo.content_type, headers={"Cache-Control": "no-store"})
