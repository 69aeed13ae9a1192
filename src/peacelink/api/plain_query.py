"""Query parameters and path segments get the rule of request bodies (``request_body.py``): no control
characters and no lone surrogates. A plain ASGI middleware, so that every route (API, web pages, node links)
has it without a check of its own: list filters, search parameters and record ids in the path would
otherwise reach the database, where PostgreSQL refuses a NUL and SQLite looks it up.

Their percent-encoded bytes must be UTF-8, as a body must be (``utf8_text``): decoded leniently, as the
server and Starlette decode them, a byte that is not became U+FFFD and the filter silently looked for
another text. They are decoded here with ``surrogateescape``, which turns each such byte into a lone
surrogate (UTF-8 text itself never yields one: its codec refuses encoded surrogates), so a surrogate found
names the parameter that is not UTF-8.

The API answers the JSON 422 of its other errors; a page's path (any outside ``/api``) is answered by the
``pages`` given, an HTML page in the user's language (``web/app.py``), never JSON a browser would show raw.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

from peacelink.api.routing import is_api_path
from peacelink.errors import Invalid
from peacelink.request_body import refusal, refused_character
from peacelink.translatable import Translatable

__all__ = ["PageAnswer", "PlainQuery"]

_NOT_UTF8 = Translatable("percent-encoded bytes that are not UTF-8 text", "input.not_utf8_escaped")
# Answers a page's refused path or parameter: (scope, receive, send, field, reason).
PageAnswer = Callable[[Scope, Receive, Send, str, str], Awaitable[None]]


def _reason(text: str) -> str | None:
    """Why a decoded path or parameter is refused, or None."""
    found = refused_character(text)
    if found is None:
        return None
    kind, character = found
    return _NOT_UTF8 if kind == "surrogate" else refusal(kind, character)


def _problem(scope: Scope) -> tuple[str, str] | None:
    """(field, reason) of the first path or query parameter that is not plain text."""
    raw_path: bytes | None = scope.get("raw_path")
    path = scope.get("path", "")
    if raw_path is not None:
        path = unquote_to_bytes(raw_path.split(b"?", 1)[0]).decode("utf-8", "surrogateescape")
    reason = _reason(path)
    if reason is not None:
        return "path", reason
    raw: bytes = scope.get("query_string", b"")
    if not raw:
        return None
    pairs = parse_qsl(
        raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="surrogateescape"
    )
    for name, value in pairs:
        reason = _reason(name)
        if reason is not None:
            return "query", reason  # the name itself: not echoed
        reason = _reason(value)
        if reason is not None:
            return name, reason
    return None


class PlainQuery:
    """Answers 422, naming the parameter, when the path or a query parameter holds a control character or
    is not UTF-8: JSON on the API's paths, ``pages`` (if given) on the others."""

    def __init__(self, app: ASGIApp, pages: PageAnswer | None = None) -> None:
        self.app = app
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _problem(scope) if scope["type"] == "http" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        field, reason = found
        if self.pages is not None and not is_api_path(scope.get("path", "")):
            await self.pages(scope, receive, send, field, reason)
            return
        error = Invalid(f"{field}: {reason}", field=field)
        body = json.dumps(error.to_dict()).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": error.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
