"""A client that leaves while its request body is being read (a field site's link dropping mid-upload) is no
server error: one line at INFO, no "unexpected error" with a traceback, no exception for the server to log
again, and nothing written. The app is driven as a server drives it (ASGI), so that the client leaves at an
exact moment: after part of the body."""

from __future__ import annotations

import json
import logging
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from tests.conftest import World

from peacelink.access import Role
from peacelink.api.app import create_app
from peacelink.api.state import AppState
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.settings import Settings

Message = dict[str, Any]


@pytest.fixture
def app(state: AppState, settings: Settings) -> FastAPI:
    return create_app(settings, state=state)


def _post(app: FastAPI, token: str, path: str, body: bytes, part: int) -> list[Message]:
    """POST ``body`` of which the client sends ``part`` bytes before it leaves; what the app sent back."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[Message] = []
    messages = [
        {"type": "http.request", "body": body[:part], "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        await anyio.sleep_forever()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    async def main() -> None:
        async with app.router.lifespan_context(app):
            await app(scope, receive, send)

    anyio.run(main)
    return sent


def _events(state: AppState) -> int:
    with unit_of_work(state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


@pytest.mark.parametrize(
    ("role", "path", "body"),
    [
        (Role.FIELD_OFFICER, "/api/v1/checks/persons", {"names": ["Seydou Kanoutebe"], "nationality": "MLI"}),
        (Role.INVESTIGATOR, "/api/v1/persons", {"reference": "R-1", "names": [{"name": "Seydou Kanoutebe"}]}),
    ],
    ids=["check", "create"],
)
def test_a_client_gone_mid_body_is_one_info_line_and_changes_nothing(
    app: FastAPI,
    world: World,
    state: AppState,
    caplog: pytest.LogCaptureFixture,
    role: Role,
    path: str,
    body: dict[str, Any],
) -> None:
    account = world.user("MINUSCA", role)
    before = _events(state)
    raw = json.dumps(body).encode()
    with caplog.at_level(logging.INFO):
        sent = _post(app, account.token, path, raw, part=len(raw) // 2)  # raised ClientDisconnect before
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "unexpected error" not in caplog.text
    said = [r.getMessage() for r in caplog.records if r.name == "peacelink.api"]
    assert said == [f"client left before its request was read: POST {path} (no answer begun)"]
    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [400]
    assert _events(state) == before  # no check and no record: nothing was audited
