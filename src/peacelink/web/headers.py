"""Security headers on every response, as a plain ASGI middleware.

Starlette's ``@app.middleware("http")`` (BaseHTTPMiddleware) wraps each response in extra tasks and streams;
on a server answering hundreds of checks a second that overhead shows, so this edits the header list of
the ``http.response.start`` message instead.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages use only same-origin scripts and styles; no inline script is ever needed.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
# Swagger UI bootstraps with one inline script and inline styles; every other page runs none.
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
DOCS_PATH = "/api/v1/docs"


class SecurityHeaders:
    """Adds nosniff and no-referrer everywhere; CSP and no-store on HTML."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    csp = DOCS_CSP if path == DOCS_PATH else CSP
                    extra += [(b"content-security-policy", csp.encode()), (b"cache-control", b"no-store")]
                headers += [(n, v) for n, v in extra if n not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
