"""Maps the PeacelinkError tree, validation errors and database conflicts to JSON error responses.

These handlers answer JSON whatever the path; ``web/app.py`` wraps the ones a page can meet (an HTTP error,
a refused parameter, a secure-channel error, a busy database) so that a page's path gets an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from peacelink.errors import Conflict, Invalid, PeacelinkError, Unauthenticated
from peacelink.messaging.errors import InvalidMessage, MessagingError
from peacelink.request_body import field_path

log = logging.getLogger("peacelink.api")


class ErrorOut(BaseModel):
    """Every error answer: its code, a message, and the field at fault when one is."""

    error: str = Field(
        description="invalid, unauthenticated, forbidden, not_found, conflict, unavailable, ..."
    )
    message: str
    field: str | None = Field(None, description="the path of the field at fault (names.0.name), if one is")
    details: Any = Field(
        None,
        description="a 422 of several fields: each field and message; a refused import: its report",
    )


# What each error status means, for the OpenAPI document (README, "The HTTP API").
ERROR_MEANINGS = {
    401: "no token, or a bad one (the node link: no valid peer signature)",
    403: "a role this operation does not accept, or a change to another agency's record or users",
    404: "what the path names does not exist, or is a record your agency may not see",
    409: "a duplicate, a stale version, a cancelled record, or another clash with the current state",
    422: "invalid input, or a body or query naming something that does not exist; field names the field",
    503: "the database is busy or unreachable; retry after Retry-After seconds",
}
# The headers of a 503: how long to wait before retrying (the web's 503 page sends them too).
UNAVAILABLE_HEADERS = {"Retry-After": "1"}
# Headers an error status is answered with, for the OpenAPI document.
ERROR_HEADERS = {
    503: {"Retry-After": {"description": "seconds to wait before retrying", "schema": {"type": "integer"}}}
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of a route's error statuses, each with the shape it is answered in
    (FastAPI would document its own 422 body, ``{"detail": [...]}``, which no route answers)."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        responses[status] = {"model": ErrorOut, "description": ERROR_MEANINGS[status]}
        if status in ERROR_HEADERS:
            responses[status]["headers"] = ERROR_HEADERS[status]
    return responses


def _field(loc: Any) -> str:
    """'names.0.name' style field path (``request_body.field_path``)."""
    return field_path(loc)


def error_response(error: PeacelinkError) -> JSONResponse:
    """The JSON response for an error."""
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthenticated) else None
    return JSONResponse(error.to_dict(), status_code=error.status, headers=headers)


def messaging_error(error: MessagingError) -> PeacelinkError:
    """The API error of a secure-channel error that reached a route (the services map the ones they
    expect): arguments that cannot make a message are bad input (422); any other (a stored key this node
    cannot open, a directory, key or message state that refuses the operation) clashes with the current
    state (409). The caller gets the core's text (agencies, key and message IDs, times); the log only the
    error's class."""
    message = f"secure channel: {error} ({type(error).__name__})"
    if isinstance(error, InvalidMessage):
        return Invalid(message)
    return Conflict(message)


def _invalid(errors: Sequence[Any]) -> JSONResponse:
    """The 422 of pydantic validation errors: the first one's field and message, and up to 20 in details."""
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    field = _field(first.get("loc", ()))
    details = [{"field": _field(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in errors[:20]]
    message = f"{field}: {first.get('msg', 'invalid')}" if field else str(first.get("msg", "invalid"))
    return JSONResponse(
        {"error": "invalid", "message": message, "field": field, "details": details}, status_code=422
    )


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""

    @app.exception_handler(PeacelinkError)
    async def _peacelink(_: Request, exc: PeacelinkError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(MessagingError)
    async def _messaging(_: Request, exc: MessagingError) -> JSONResponse:
        # Without this handler the family fell through to the 500 below.
        error = messaging_error(exc)
        log.warning("secure-channel error mapped to %s: %s", error.status, type(exc).__name__)
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid(exc.errors())

    @app.exception_handler(ValidationError)
    async def _service_validation(_: Request, exc: ValidationError) -> JSONResponse:
        # A service that builds a request shape from its own arguments (the search's name as a person
        # check) may find it invalid: bad input, named like a request body's error, not a server fault.
        return _invalid(exc.errors())

    @app.exception_handler(StaleDataError)
    async def _stale(_: Request, exc: StaleDataError) -> JSONResponse:
        return error_response(Conflict("the record was changed by someone else; reload it and retry"))

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity error mapped to 409: %s", type(exc.orig).__name__)
        return error_response(Conflict("the change conflicts with existing data"))

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        # A value the database cannot hold (out of range, too long) is bad input, not a server fault.
        log.info("data error mapped to 422: %s", type(exc.orig).__name__)
        message = "a value is out of range or too long"
        if "NUL" in str(exc.orig):  # a text that no request body let through (request_body.py)
            message = "text may not contain control characters (U+0000)"
        return JSONResponse({"error": "invalid", "message": message}, status_code=422)

    @app.exception_handler(OperationalError)
    async def _operational(_: Request, exc: OperationalError) -> JSONResponse:
        # The database is busy or unreachable: a retryable condition, not a bug to hide behind a 500.
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        return JSONResponse(
            {"error": "unavailable", "message": "the database is busy or unreachable; retry shortly"},
            status_code=503,
            headers=UNAVAILABLE_HEADERS,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated", 403: "forbidden"}
        return JSONResponse(
            {"error": codes.get(exc.status_code, "http_error"), "message": str(exc.detail)},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Never leak internals (or secrets in exception text) to the client; the log keeps the trace.
        log.exception("unexpected error")
        return JSONResponse({"error": "internal", "message": "internal error"}, status_code=500)
