"""The message pages answer a refusal as the API does: a message that is not there (or not the reader's
agency's) is a 404 page, a refusal of the reader's role a 403 page, a message that cannot be opened a 409
page saying why; before, the read and download pages answered every refusal as a 404. The compose page
names a refused attachment's field as the API does (``attachments.N.content_type``), not ``content_type``.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World
from tests.e2e.test_web_audit_followups import named
from tests.e2e.test_web_pages_bad_input import _refusal_page
from tests.e2e.test_web_signin import _csrf, _sign_in

from peacelink.access import Role
from peacelink.errors import Forbidden
from peacelink.messaging import service as messaging
from peacelink.messaging.models import Message

V1 = "/api/v1"


def _send(client: TestClient, headers: dict[str, str], **extra: Any) -> dict[str, Any]:
    data = base64.b64encode(b"%PDF-1.7 scan").decode()
    body = {
        "recipients": ["NCB-CAF"],
        "subject": "Checkpoint 7",
        "body": "Confirm the notice.",
        "attachments": [{"name": "scan.pdf", "content_type": "application/pdf", "data": data}],
        **extra,
    }
    sent = client.post(f"{V1}/messages", json=body, headers=headers)
    assert sent.status_code == 201, sent.text
    result: dict[str, Any] = sent.json()
    return result


def _messages(world: World) -> int:
    with world.state.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Message)) or 0)


def test_a_message_not_there_or_not_the_readers_is_a_404_page(client: TestClient, world: World) -> None:
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    outsider = world.user("MINUSCA", Role.FIELD_OFFICER)
    sent = _send(client, sender.headers)
    _sign_in(client, outsider.actor.username, outsider.password, outsider.totp_secret)
    for path in ("/messages/nonexistent", f"/messages/{sent['id']}", f"/messages/{sent['id']}/attachments/0"):
        _refusal_page(client.get(path), 404)
    client.cookies.clear()
    _sign_in(client, sender.actor.username, sender.password, sender.totp_secret)
    assert client.get(f"/messages/{sent['id']}/attachments/0").content == b"%PDF-1.7 scan"
    text = _refusal_page(client.get(f"/messages/{sent['id']}/attachments/1"), 404)
    assert "no such attachment" in text, text


def _forbidden(*_: Any, **__: Any) -> Any:
    raise Forbidden("your role may not read messages")


@pytest.mark.parametrize("step", ["read", "attachment"])
def test_a_refused_role_on_a_message_page_is_a_403_page(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    sent = _send(client, sender.headers)
    _sign_in(client, sender.actor.username, sender.password, sender.totp_secret)
    monkeypatch.setattr(messaging, step, _forbidden)
    path = f"/messages/{sent['id']}" + ("/attachments/0" if step == "attachment" else "")
    text = _refusal_page(client.get(path), 403)
    assert "your role may not read messages" in text, text


def test_an_attachment_of_a_message_that_cannot_be_opened_is_a_409_page(
    client: TestClient, world: World
) -> None:
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    sender_admin = world.user("NCB-UTO", Role.AGENCY_ADMIN)
    reader = world.user("NCB-CAF", Role.INVESTIGATOR)
    sent = _send(client, sender.headers)
    # The sender's key revoked from before the message (a stolen key): the message no longer opens.
    at = (dt.datetime.fromisoformat(sent["created_at"]) - dt.timedelta(milliseconds=1)).isoformat()
    revoked = client.post(f"{V1}/messages/keys/NCB-UTO/revoke", json={"at": at}, headers=sender_admin.headers)
    assert revoked.status_code == 200, revoked.text
    api = client.get(f"{V1}/messages/{sent['id']}/attachments/0", headers=reader.headers)
    assert api.status_code == 409 and api.json()["error"] == "conflict", api.text
    _sign_in(client, reader.actor.username, reader.password, reader.totp_secret)
    page = client.get(f"/messages/{sent['id']}")
    assert page.status_code == 200 and "KeyRevoked" in page.text  # the page says why it does not open
    text = _refusal_page(client.get(f"/messages/{sent['id']}/attachments/0"), 409)
    assert "KeyRevoked" in text, text


def test_the_compose_page_names_a_refused_attachments_field(client: TestClient, world: World) -> None:
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    _sign_in(client, sender.actor.username, sender.password, sender.totp_secret)
    form = {"csrf": _csrf(client.get("/messages/new").text), "to": "NCB-CAF", "subject": "s", "body": "b"}
    good = ("files", ("scan.png", b"\x89PNG", "image/png"))
    cases = [
        ([("files", ("scan.png", b"\x89PNG", "not a type"))], "attachments.0.content_type"),
        ([good, ("files", ("scan.pdf", b"%PDF", "application/pdf;\x01"))], "attachments.1.content_type"),
        ([good, ("files", ("a\\b.png", b"\x89PNG", "image/png"))], "attachments.1.name"),
    ]
    for files, field in cases:
        text = _refusal_page(client.post("/messages/new", data=form, files=files))
        assert named("/messages/new", field) in text, (field, text)
    assert _messages(world) == 0  # nothing sent
