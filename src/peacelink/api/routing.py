"""The route class every PeaceLink router uses: the endpoint's transaction commits in the endpoint's thread.

FastAPI runs a sync endpoint in a worker thread and the exit of a ``yield`` dependency in another, so a
transaction opened by the endpoint and committed by the dependency would stay open across two thread hops
and an event-loop round trip. SQLite has one writer at a time (db.dialect.SQLiteWriterGate), so that idle
time is the whole server's lost throughput, and a writer that waits for a thread to commit while other
threads wait for the writer can starve the pool. Committing at the end of the endpoint's own thread keeps
each write transaction inside one thread, start to finish.

It also parses every JSON request body strictly (``json_text.parse_json``: UTF-8 only, a key given twice
refused, an error that says where the JSON breaks), before FastAPI would: FastAPI's own parse keeps the last
of a repeated key, names the byte offset of a syntax error as the field, and answers 400 ``http_error`` for
a body that is not UTF-8. The errors reach the app's handlers (``api/errors.py``): 422 ``invalid``, ``field``
``body`` or the repeated key's path.
"""

from __future__ import annotations

import email.message
import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import params
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from peacelink.json_text import parse_json

API_ROOT = "/api"


def is_api_path(path: str) -> bool:
    """Whether ``path`` is the JSON API's (``/api`` and below), whose errors are JSON; any other is a page's.

    >>> [is_api_path(path) for path in ("/api/v1/persons", "/api", "/persons/search", "/apix")]
    [True, True, False, False]
    """
    return path == API_ROOT or path.startswith(API_ROOT + "/")


def _sessions(arguments: dict[str, Any]) -> list[Session]:
    return [value for value in arguments.values() if isinstance(value, Session)]


def transactional(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a sync endpoint: commit its sessions when it returns, roll them back when it raises."""

    @functools.wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = endpoint(*args, **kwargs)
        except BaseException:
            for session in _sessions(kwargs):
                session.rollback()
            raise
        for session in _sessions(kwargs):
            session.commit()
        return result

    return wrapper


class StrictJsonRequest(Request):
    """A request whose JSON body is read with ``parse_json`` (FastAPI calls ``json()`` for a JSON body)."""

    async def json(self) -> Any:
        """The body's JSON value, parsed strictly once."""
        if not hasattr(self, "_strict_json"):
            self._strict_json = parse_json(await self.body())
        return self._strict_json


def is_json(content_type: str | None) -> bool:
    """Whether FastAPI reads a body of this content type as JSON (application/json or +json)."""
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


class TransactionalRoute(APIRoute):
    """An APIRoute whose sync endpoint commits its database session before it leaves its thread, and whose
    JSON body is parsed strictly."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = transactional(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, given a StrictJsonRequest whose body is parsed first when it is JSON."""
        handler = super().get_route_handler()
        if self.body_field is None or isinstance(self.body_field.field_info, params.Form):
            return handler

        async def strict(request: Request) -> Response:
            strict_request = StrictJsonRequest(request.scope, request.receive)
            if is_json(strict_request.headers.get("content-type")) and await strict_request.body():
                # Parsed here, not first inside FastAPI's handler, which turns any error of the parse into
                # a 400 "There was an error parsing the body".
                await strict_request.json()
            return await handler(strict_request)

        return strict
