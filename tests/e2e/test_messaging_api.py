"""The messages API: send, inbox opened for the reader, outbox receipts, threads, attachments, keys."""

from __future__ import annotations

import base64
from typing import Any

from fastapi.testclient import TestClient
from nacl.signing import VerifyKey
from sqlalchemy import inspect, select, text
from tests.conftest import World

from peacelink.access import Role
from peacelink.messaging.canonical import b64decode, parse_json_strict
from peacelink.messaging.directory import KeyDirectory
from peacelink.messaging.models import Message
from peacelink.messaging.payload import MAX_ATTACHMENT_BYTES

SUBJECT = "Stolen passport UTO P1234567 seen at Bangui checkpoint"
BODY = "Subject detained at checkpoint 7; confirm whether the notice is still valid. Marker zq-7731-body"


def _send(client: TestClient, headers: dict[str, str], **extra: Any) -> dict[str, Any]:
    data = {"recipients": ["NCB-CAF"], "subject": SUBJECT, "body": BODY, **extra}
    response = client.post("/api/v1/messages", json=data, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_send_inbox_read_receipts(client: TestClient, world: World) -> None:
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    reader = world.user("NCB-CAF", Role.SUPERVISOR)
    other = world.user("MINUSCA", Role.FIELD_OFFICER)
    attachment = base64.b64encode(b"%PDF-1.7 fake scan").decode()
    sent = _send(
        client,
        sender.headers,
        classification="RESTRICTED",
        handling="Do not forward outside the NCB",
        links=[{"kind": "hit", "id": "abc123"}],
        attachments=[{"name": "scan.pdf", "content_type": "application/pdf", "data": attachment}],
    )
    assert sent["subject"] == SUBJECT and sent["folder"] == "outbox"
    assert [r["agency"] for r in sent["recipients"]] == ["NCB-CAF"]

    inbox = client.get("/api/v1/messages", headers=reader.headers).json()
    assert len(inbox) == 1
    message = inbox[0]
    assert message["body"] == BODY and message["subject"] == SUBJECT
    assert message["sender_agency"] == "NCB-UTO" and message["sender_user"] == sender.actor.username
    assert message["classification"] == "RESTRICTED" and message["handling"].startswith("Do not")
    assert message["links"] == [{"kind": "hit", "id": "abc123"}]
    assert message["attachments"][0]["name"] == "scan.pdf" and message["read_at"] is None
    download = client.get(f"/api/v1/messages/{message['id']}/attachments/0", headers=reader.headers)
    assert download.content == b"%PDF-1.7 fake scan"

    # Other agencies see nothing and cannot fetch it.
    assert client.get("/api/v1/messages", headers=other.headers).json() == []
    assert client.get(f"/api/v1/messages/{message['id']}", headers=other.headers).status_code == 404

    # Delivery receipt at once; read receipt after the reader opens it.
    outbox = client.get("/api/v1/messages/outbox", headers=sender.headers).json()
    receipt = outbox[0]["recipients"][0]
    assert receipt["delivered_at"] is not None and receipt["read_at"] is None
    opened = client.get(f"/api/v1/messages/{message['id']}", headers=reader.headers).json()
    assert opened["read_at"] is not None
    outbox = client.get("/api/v1/messages/outbox", headers=sender.headers).json()
    assert outbox[0]["recipients"][0]["read_at"] is not None
    assert client.get("/api/v1/messages?unread=true", headers=reader.headers).json() == []


def test_reply_thread(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    first = _send(client, uto.headers)
    reply = client.post(
        "/api/v1/messages",
        json={
            "recipients": ["NCB-UTO"],
            "subject": "Re: passport",
            "body": "Confirmed.",
            "reply_to": first["msg_id"],
        },
        headers=caf.headers,
    ).json()
    thread = client.get(f"/api/v1/messages/{reply['id']}/thread", headers=uto.headers).json()
    assert [m["msg_id"] for m in thread] == [first["msg_id"], reply["msg_id"]]
    assert thread[1]["reply_to"] == first["msg_id"]


def test_group_recipients_mission_area(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    sent = _send(client, uto.headers, recipients=["mission:MINUSCA"])
    assert sorted(r["agency"] for r in sent["recipients"]) == ["MINUSCA", "NCB-CAF"]
    bad = client.post(
        "/api/v1/messages",
        json={"recipients": ["NCB-NOWHERE"], "subject": "x", "body": "y"},
        headers=uto.headers,
    )
    assert bad.status_code == 422 and bad.json()["field"] == "recipients"


def test_attachment_over_25_mib_is_refused(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    data = base64.b64encode(bytes(MAX_ATTACHMENT_BYTES + 1)).decode()
    response = client.post(
        "/api/v1/messages",
        json={
            "recipients": ["NCB-CAF"],
            "subject": "big",
            "body": "big",
            "attachments": [{"name": "big.bin", "data": data}],
        },
        headers=uto.headers,
    )
    assert response.status_code == 422, response.text
    assert client.get("/api/v1/messages/outbox", headers=uto.headers).json() == []


def test_database_holds_no_plaintext(client: TestClient, world: World, state: Any) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    attachment = b"ATTACHMENT-MARKER-4471 fingerprint file"
    _send(
        client,
        uto.headers,
        handling="HANDLING-MARKER-9921",
        attachments=[{"name": "prints.eft", "data": base64.b64encode(attachment).decode()}],
    )
    client.get("/api/v1/messages", headers=caf.headers)  # opening must not write plaintext anywhere either
    needles = [SUBJECT, BODY, "zq-7731-body", "HANDLING-MARKER-9921", "prints.eft", "ATTACHMENT-MARKER-4471"]
    found = []
    with state.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        assert "messages" in tables
        for table in tables:
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    raw = value if isinstance(value, bytes | memoryview) else str(value).encode()
                    raw = bytes(raw)
                    for needle in needles:
                        if needle.encode() in raw:
                            found.append((table, needle))
    assert found == []
    with state.sessions() as session:
        assert session.scalar(select(Message)).size > 0


def test_directory_is_signed_by_central(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    _send(client, uto.headers)  # first use generates the agencies' keys on this node and publishes them
    document = client.get("/api/v1/messages/directory", headers=uto.headers).content
    keys = client.get("/api/v1/messages/keys?agency=CENTRAL", headers=uto.headers).json()
    central_sign = next(k for k in keys if k["status"] == "active")
    entries = parse_json_strict(document)["directory"]["entries"]
    central_entry = next(e for e in entries if e["sign_key_id"] == central_sign["sign_key_id"])
    directory = KeyDirectory.verify(document, central_key=VerifyKey(b64decode(central_entry["sign_key"])))
    assert {"CENTRAL", "NCB-UTO", "NCB-CAF"} <= set(directory.agencies())


def test_key_rotation_and_revocation(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    caf_admin = world.user("NCB-CAF", Role.AGENCY_ADMIN)
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    _send(client, uto.headers)
    # Another agency's admin may not touch NCB-CAF's keys; its own admin may.
    uto_admin = world.user("NCB-UTO", Role.AGENCY_ADMIN)
    assert client.post("/api/v1/messages/keys/NCB-CAF", headers=uto_admin.headers).status_code == 403
    rotated = client.post("/api/v1/messages/keys/NCB-CAF", headers=caf_admin.headers)
    assert rotated.status_code == 201 and rotated.json()["status"] == "active"
    _send(client, uto.headers, subject="after rotation")
    inbox = client.get("/api/v1/messages", headers=caf.headers).json()
    assert len(inbox) == 2 and all(m["body"] == BODY for m in inbox)  # old generation still opens old mail
    revoked = client.post("/api/v1/messages/keys/NCB-CAF/revoke", json={}, headers=caf_admin.headers)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    refused = client.post(
        "/api/v1/messages", json={"recipients": ["NCB-CAF"], "subject": "x", "body": "y"}, headers=uto.headers
    )
    assert refused.status_code == 422
    assert (
        client.post(
            "/api/v1/messages",
            json={"recipients": ["NCB-UTO"], "subject": "x", "body": "y"},
            headers=caf.headers,
        ).status_code
        == 409
    )


def test_web_compose_inbox_read(client: TestClient, world: World) -> None:
    from tests.e2e.test_web_signin import _csrf, _sign_in

    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    caf = world.user("NCB-CAF", Role.SUPERVISOR, language="fr")
    _sign_in(client, uto.actor.username, uto.password, uto.totp_secret)
    form = client.get("/messages/new")
    assert form.status_code == 200 and 'id="compose"' in form.text
    bad = client.post(
        "/messages/new",
        data={"csrf": _csrf(form.text), "to": "NOWHERE", "subject": "s", "body": "b"},
    )
    assert bad.status_code == 422 and "NOWHERE" in bad.text
    sent = client.post(
        "/messages/new",
        data={"csrf": _csrf(form.text), "to": "NCB-CAF", "subject": SUBJECT, "body": BODY},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert SUBJECT in client.get("/messages/outbox").text
    with_file = client.post(
        "/messages/new",
        data={"csrf": _csrf(form.text), "to": "NCB-CAF", "subject": "With a scan", "body": "see file"},
        files=[("files", ("scan.png", b"\x89PNG fake image", "image/png"))],
        follow_redirects=False,
    )
    assert with_file.status_code == 303
    read_page = client.get(with_file.headers["location"])
    assert "scan.png" in read_page.text
    download = client.get(with_file.headers["location"] + "/attachments/0")
    assert download.content == b"\x89PNG fake image"
    assert download.headers["content-type"] == "application/octet-stream"
    client.cookies.clear()
    _sign_in(client, caf.actor.username, caf.password, caf.totp_secret)
    inbox = client.get("/messages")
    assert "Boîte de réception" in inbox.text and SUBJECT in inbox.text
    message_id = client.get("/api/v1/messages", headers=caf.headers).json()[-1]["id"]
    page = client.get(f"/messages/{message_id}")
    assert page.status_code == 200 and BODY in page.text and 'id="reply"' in page.text
    assert client.get("/messages/nonexistent").status_code == 404


def test_expires_in_days_is_a_json_integer_only(client: TestClient, world: World, state: Any) -> None:
    # Lax mode read 2.0, "30" and true (as 1 day) as a number of days, as the other bodies no longer do.
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    data = {"recipients": ["NCB-CAF"], "subject": SUBJECT, "body": BODY}
    for value in (2.0, "30", "30.0", True, "٣٠"):
        refused = client.post(
            "/api/v1/messages", json={**data, "expires_in_days": value}, headers=sender.headers
        )
        assert refused.status_code == 422, (value, refused.text)
        answer = refused.json()
        assert answer["error"] == "invalid" and answer["field"] == "expires_in_days", answer
        assert "JSON integer" in answer["message"], answer
    with state.sessions() as session:
        assert session.scalars(select(Message)).all() == []  # nothing sent
    sent = _send(client, sender.headers, expires_in_days=2)
    assert sent["expires_at"] > sent["created_at"]
