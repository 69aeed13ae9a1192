"""A web page that meets a secure-channel error or a busy database answers an HTML error page in the site's
layout with the API's status (409, 503 with Retry-After), never the API's JSON; the API keeps its JSON.

Found by an audit of the error answers: the handlers of ``api/errors.py`` answered every path, pages too.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from tests.conftest import World
from tests.e2e.test_api_error_consistency import with_another_secret
from tests.e2e.test_web_pages_bad_input import _refusal_page
from tests.e2e.test_web_signin import _csrf, _sign_in

from peacelink.access import Role
from peacelink.api.state import AppState
from peacelink.db.unit_of_work import unit_of_work
from peacelink.messaging import service as messaging
from peacelink.messaging.models import Message
from peacelink.settings import Settings
from peacelink.users import signin


def _messages(state: AppState) -> int:
    with unit_of_work(state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(Message)) or 0)


def _in_layout(response: Any, status: int) -> str:
    """The page's text, asserted to be an error page of the site (its layout, not JSON)."""
    text = _refusal_page(response, status)
    assert '<main class="container"' in response.text and 'id="error-message"' in response.text
    return text


def test_a_secure_channel_error_on_a_page_is_a_409_page(
    client: TestClient, world: World, state: AppState, settings: Settings
) -> None:
    # The server secret changed under the stored keys (KeyFileInvalid): the API's 409 is JSON; the pages
    # answered that JSON too.
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    sent = client.post(
        "/api/v1/messages",
        json={"recipients": ["NCB-CAF"], "subject": "Checkpoint 7", "body": "Confirm."},
        headers=sender.headers,
    )
    assert sent.status_code == 201, sent.text
    _sign_in(client, sender.actor.username, sender.password, sender.totp_secret)
    with TestClient(with_another_secret(settings, state), raise_server_exceptions=False) as other:
        other.cookies.update(client.cookies)
        for path in ("/messages", "/messages/outbox", f"/messages/{sent.json()['id']}"):
            text = _in_layout(other.get(path), 409)
            assert "does not decrypt" in text, (path, text)
        form = other.get("/messages/new")
        assert form.status_code == 200, form.text
        answer = other.post(
            "/messages/new",
            data={"csrf": _csrf(form.text), "to": "NCB-CAF", "subject": "again", "body": "again"},
        )
        text = _refusal_page(answer, 409)
        assert "does not decrypt" in text and 'id="compose"' in answer.text, text  # the form, as typed
        assert 'value="again"' in answer.text
        api = other.get("/api/v1/messages", headers=sender.headers)
        assert api.status_code == 409 and api.json()["error"] == "conflict", api.text
    assert _messages(state) == 1  # nothing more was sent


def _busy(*_: Any, **__: Any) -> Any:
    raise OperationalError("SELECT 1", {}, Exception("database is locked"))


def test_a_busy_database_on_a_page_is_a_503_page_with_retry_after(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = world.user("NCB-UTO", Role.INVESTIGATOR)
    _sign_in(client, officer.actor.username, officer.password, officer.totp_secret)
    monkeypatch.setattr(messaging, "inbox", _busy)
    answer = client.get("/messages")
    text = _in_layout(answer, 503)
    assert answer.headers["Retry-After"] == "1" and "try again" in text, text
    # The session look-up itself (every signed-in page) meets the busy database: the same page.
    monkeypatch.setattr(signin, "current", _busy)
    answer = client.get("/")
    text = _in_layout(answer, 503)
    assert answer.headers["Retry-After"] == "1" and "try again" in text, text
    monkeypatch.undo()
    assert client.get("/").status_code == 200
    # The API keeps its JSON answer.
    monkeypatch.setattr(messaging, "inbox", _busy)
    api = client.get("/api/v1/messages", headers=officer.headers)
    assert api.status_code == 503 and api.json()["error"] == "unavailable", api.text
