"""Query parameters and path segments get the rule of request bodies (``request_body.py``): no control
characters. A plain ASGI middleware, so that every route (API, web pages, node links) has it without a
check of its own: list filters, search parameters and record ids in the path would otherwise reach the
database, where PostgreSQL refuses a NUL and SQLite looks it up.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from peacelink.errors import Invalid
from peacelink.request_body import control_character

__all__ = ["PlainQuery"]


def _problem(scope: Scope) -> tuple[str, str] | None:
    """(field, character) of the first control character in the path or a query parameter."""
    character = control_character(scope.get("path", ""))
    if character is not None:
        return "path", character
    raw: bytes = scope.get("query_string", b"")
    if not raw:
        return None
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8"):
        character = control_character(name)
        if character is not None:
            return "query", character  # the name itself: not echoed
        character = control_character(value)
        if character is not None:
            return name, character
    return None


class PlainQuery:
    """Answers 422, naming the parameter, when the path or a query parameter holds a control character."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _problem(scope) if scope["type"] == "http" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        field, character = found
        error = Invalid(f"{field}: text may not contain control characters ({character})", field=field)
        body = json.dumps(error.to_dict()).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": error.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
