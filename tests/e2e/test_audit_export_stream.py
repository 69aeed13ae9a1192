"""The audit export's database session is closed however its stream ends: read to the end, or a client gone
before the first line was sent or in the middle. The route opens the session itself (it writes the export's
event and reads the first line before it answers, ``audit/routes.py``); the stream closed it only when the
stream ran, so a client that left before the stream started left the session, its connection and its read
transaction checked out until the garbage collector came (PostgreSQL: a connection idle in transaction;
SQLite: a read that holds back the WAL checkpoint).

The app is driven as a server drives it (ASGI), so that the client's leaving can be placed exactly: an ASGI
2.3 server says ``http.disconnect`` (Starlette cancels the stream), a 2.4 one fails the ``send``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import close_all_sessions
from starlette.requests import ClientDisconnect
from tests.conftest import World

from peacelink.api.app import create_app
from peacelink.api.state import AppState
from peacelink.settings import Settings

Message = dict[str, Any]


def _scope(token: str, spec_version: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": spec_version},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/v1/audit/export",
        "raw_path": b"/api/v1/audit/export",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


Client = tuple[Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]]


def _run(app: FastAPI, scope: dict[str, Any], client: Callable[[], Client]) -> None:
    """Serve one request to ``client`` (its receive and send, made in the event loop), lifespan around."""

    async def main() -> None:
        receive, send = client()
        async with app.router.lifespan_context(app):
            # The 2.4 server's failed send reaches it as Starlette's ClientDisconnect, or as the OSError of
            # the error answer that followed.
            with contextlib.suppress(OSError, ClientDisconnect):
                await app(scope, receive, send)

    anyio.run(main)


def _checked_out(engine: Engine) -> int:
    return int(engine.pool.checkedout())  # type: ignore[attr-defined]


@pytest.fixture
def app(state: AppState, settings: Settings) -> FastAPI:
    return create_app(settings, state=state)


def _gone_at(kind: str, sent: list[Message], *, fail: bool) -> Callable[[], Client]:
    """A client that leaves when the server first sends ``kind``: an http.disconnect while that send waits
    (``fail`` False, an ASGI 2.3 server), or a failed send (``fail`` True, 2.4); what was sent goes to
    ``sent``."""

    def client() -> Client:
        gone = anyio.Event()

        async def receive() -> Message:
            await gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            if gone.is_set():
                raise OSError("the client is gone")
            if message["type"] == kind and message.get("status", 200) == 200:
                gone.set()
                if fail:
                    raise OSError("the client is gone")
                await anyio.sleep_forever()  # cancelled by Starlette on the disconnect
            sent.append(message)

        return receive, send

    return client


@pytest.mark.parametrize("spec_version", ["2.3", "2.4"])
@pytest.mark.parametrize("kind", ["http.response.start", "http.response.body"])
def test_the_export_session_is_closed_when_the_client_leaves(
    app: FastAPI, world: World, state: AppState, spec_version: str, kind: str
) -> None:
    before = _checked_out(state.engine)
    sent: list[Message] = []
    _run(app, _scope(world.admin.token, spec_version), _gone_at(kind, sent, fail=spec_version == "2.4"))
    assert all(m["status"] == 200 for m in sent if m["type"] == "http.response.start"), sent  # no refusal
    try:
        assert _checked_out(state.engine) == before  # the connection is back in the pool, at once
    finally:
        # A session left open holds its read transaction, and PostgreSQL's TRUNCATE before the next test
        # would wait for it: a failure here, not a hang there.
        close_all_sessions()


def test_the_export_session_is_closed_when_the_stream_ends(
    app: FastAPI, world: World, state: AppState
) -> None:
    before = _checked_out(state.engine)
    sent: list[Message] = []

    def client() -> Client:
        async def receive() -> Message:
            await anyio.sleep_forever()
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)

        return receive, send

    _run(app, _scope(world.admin.token, "2.4"), client)
    assert sent[0]["status"] == 200 and sent[-1] == {
        "type": "http.response.body",
        "body": b"",
        "more_body": False,
    }
    assert b'"audit.export"' in b"".join(m.get("body", b"") for m in sent)
    assert _checked_out(state.engine) == before
