"""A client that leaves before its request was read is no server error.

Starlette raises ``ClientDisconnect`` when the client goes away while a route is still reading the request
body (a field site's link dropping mid-upload, a phone put away). Uncaught, it reached the server-error layer,
which logged it as an "unexpected error" with its traceback, answered a 500 nobody received, and raised it
again for the server to log a second time: on a mission node with a flaky link, noise that buries the real
errors. Nothing was written: the route had not got its input.

This plain ASGI middleware takes it where it is raised: one line in the log at INFO (method, path, and
whether an answer had begun), and, when no answer has begun, a 400 for the server to send to nobody (a
server told nothing would log an error of its own). The route's transaction was never committed, so nothing
changes. Any other error goes on to the server-error layer as before.
"""

from __future__ import annotations

import contextlib
import json
import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ClientGone"]

log = logging.getLogger("peacelink.api")

_BODY = json.dumps({"error": "client_disconnected", "message": "the client left before its request was read"})


class ClientGone:
    """Answer a ``ClientDisconnect`` quietly (see the module's text)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except ClientDisconnect:
            log.info(
                "client left before its request was read: %s %s (%s)",
                scope.get("method", ""),
                scope.get("path", ""),
                "answer begun" if started else "no answer begun",
            )
            if started:
                return
            body = _BODY.encode()
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            # An ASGI 2.4 server may fail the send to a client that is gone: there is nobody to tell.
            with contextlib.suppress(OSError):
                await send({"type": "http.response.start", "status": 400, "headers": headers})
                await send({"type": "http.response.body", "body": body})
