"""The API's error answers follow one set of rules: every error in the ErrorOut shape and stated in the
OpenAPI document (503 included), no 500 for a messaging error, one answer for an unknown agency, and a
refused audit export refused before its stream starts."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from tests.conftest import World

from peacelink.access import Role
from peacelink.api.app import create_app
from peacelink.api.state import AppState
from peacelink.db.engine import session_factory
from peacelink.db.unit_of_work import unit_of_work
from peacelink.settings import Settings
from peacelink.users import service as users
from peacelink.users.models import User

ERROR_OUT = {"$ref": "#/components/schemas/ErrorOut"}
V1 = "/api/v1"


def test_every_route_that_reads_the_database_states_its_503(client: TestClient) -> None:
    # The 503 "unavailable" (database busy or unreachable, api/errors.py) was stated by no route.
    spec = client.get(f"{V1}/openapi.json").json()
    for path, item in spec["paths"].items():
        if not path.startswith(V1 + "/"):
            continue
        for method, operation in item.items():
            responses = operation["responses"]
            if (method, path) == ("get", f"{V1}/health"):
                assert "503" not in responses  # answered without the database
                continue
            assert "503" in responses, (method, path)
            assert responses["503"]["content"]["application/json"]["schema"] == ERROR_OUT
            assert "Retry-After" in responses["503"].get("headers", {}), (method, path)


def test_a_busy_database_is_a_503_in_the_error_shape(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(*_: Any, **__: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(users, "resolve_token", busy)
    answer = client.get(f"{V1}/agencies", headers=world.admin.headers)
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"] == "unavailable" and answer.headers["Retry-After"] == "1"
    assert client.get(f"{V1}/health").status_code == 200


def _send(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    data = {"recipients": ["NCB-CAF"], "subject": "Checkpoint 7", "body": "Confirm the notice."}
    answer = client.post(f"{V1}/messages", json=data, headers=headers)
    assert answer.status_code == 201, answer.text
    sent: dict[str, Any] = answer.json()
    return sent


def with_another_secret(settings: Settings, state: AppState) -> FastAPI:
    """The app on the same database under another server secret (var/secret.key lost, PEACELINK_SECRET_KEY
    replaced): the agencies' private keys sealed under the first no longer open."""
    moved = AppState(
        settings=settings,
        engine=state.engine,
        sessions=session_factory(state.engine),
        secret_key=b"another-secret-key-not-the-first",
    )
    return create_app(settings, state=moved)


def test_a_messaging_key_this_node_cannot_open_is_a_409_not_a_500(
    client: TestClient, world: World, state: AppState, settings: Settings
) -> None:
    # The server secret changed (var/secret.key lost, PEACELINK_SECRET_KEY replaced): the agencies' private
    # keys sealed under the old one no longer open (KeyFileInvalid, a MessagingError), which had no handler.
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    reader = world.user("NCB-CAF", Role.SUPERVISOR)
    sent = _send(client, sender.headers)
    with TestClient(with_another_secret(settings, state), raise_server_exceptions=False) as other:
        message = f"{V1}/messages/{sent['id']}"
        reads = (f"{V1}/messages", f"{V1}/messages/outbox", message, f"{message}/thread")
        for url in reads:
            for account in (sender, reader):
                answer = other.get(url, headers=account.headers)
                assert answer.status_code == 409, (url, answer.text)
                body = answer.json()
                assert body["error"] == "conflict" and "does not decrypt" in body["message"], body
        answer = other.post(
            f"{V1}/messages",
            json={"recipients": ["NCB-CAF"], "subject": "again", "body": "again"},
            headers=sender.headers,
        )
        assert answer.status_code == 409 and answer.json()["error"] == "conflict", answer.text
    # Nothing was sent by the refused message.
    outbox = client.get(f"{V1}/messages/outbox", headers=sender.headers).json()
    assert [item["id"] for item in outbox] == [sent["id"]]


def test_an_unknown_agency_in_a_body_or_query_is_422_and_in_a_path_404(
    client: TestClient, world: World
) -> None:
    # POST /users answered 404 for an unknown agency in its body, POST /messages 422 for one in its body.
    admin = world.admin.headers
    created = client.post(
        f"{V1}/users",
        json={"username": "bob", "agency": "NCB-XXX", "roles": ["field_officer"]},
        headers=admin,
    )
    assert created.status_code == 422, created.text
    assert created.json()["error"] == "invalid" and created.json()["field"] == "agency"
    assert "unknown agency" in created.json()["message"]
    assert client.get(f"{V1}/users/bob", headers=admin).status_code == 404  # nothing was made
    listed = client.get(f"{V1}/users", params={"agency": "NCB-XXX"}, headers=admin)
    assert listed.status_code == 422 and listed.json()["field"] == "agency", listed.text
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    message = {"recipients": ["NCB-XXX"], "subject": "s", "body": "b"}
    sent = client.post(f"{V1}/messages", json=message, headers=sender.headers)
    assert sent.status_code == 422 and sent.json()["field"] == "recipients", sent.text
    assert "unknown agency" in sent.json()["message"]
    # An unknown user named in a body or query is the same: 422 on its field.
    tokens = client.get(f"{V1}/tokens", params={"username": "nobody"}, headers=admin)
    assert tokens.status_code == 422 and tokens.json()["field"] == "username", tokens.text
    token = client.post(f"{V1}/tokens", json={"name": "x", "username": "nobody"}, headers=admin)
    assert token.status_code == 422 and token.json()["field"] == "username", token.text
    # What the path names is the resource itself: 404.
    assert client.get(f"{V1}/agencies/NCB-XXX", headers=admin).status_code == 404
    assert client.get(f"{V1}/users/nobody", headers=admin).status_code == 404
    assert client.post(f"{V1}/messages/keys/NCB-XXX", headers=admin).status_code == 404


def test_a_refused_audit_export_is_a_clean_403(client: TestClient, world: World, state: AppState) -> None:
    # The export checked its caller inside its stream: a system_admin outside the central agency got a 200
    # whose body broke off, instead of the 403 the other audit routes answer.
    outsider = world.user("NCB-UTO", Role.AGENCY_ADMIN)
    with unit_of_work(state.sessions) as session:
        session.execute(
            update(User).where(User.username == outsider.actor.username).values(roles=["system_admin"])
        )
    assert client.get(f"{V1}/audit/events", headers=outsider.headers).status_code == 403
    answer = client.get(f"{V1}/audit/export", headers=outsider.headers)
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"] == "forbidden"
    events = client.get(f"{V1}/audit/events", params={"action": "audit.export"}, headers=world.admin.headers)
    assert events.json() == []


def test_revoking_the_key_that_signs_the_directory_is_a_409_not_a_500(
    client: TestClient, world: World
) -> None:
    # A key change republishes the directory signed with the central agency's current key: revoking that
    # key left nothing to sign with, and the signing's KeyRevoked (a MessagingError) answered 500.
    admin = world.admin.headers
    central = world.admin.actor.agency_code
    keys_url = f"{V1}/messages/keys"
    assert client.post(f"{keys_url}/NCB-UTO", headers=admin).status_code == 201
    keys = client.get(keys_url, params={"agency": central}, headers=admin).json()
    assert [key["status"] for key in keys] == ["active"]
    answer = client.post(f"{keys_url}/{central}/revoke", json={}, headers=admin)
    assert answer.status_code == 409, answer.text
    body = answer.json()
    assert body["error"] == "conflict" and "generate its successor first" in body["message"], body
    # Nothing was changed, and the way the message gives works: rotate, then revoke the old key.
    assert client.get(keys_url, params={"agency": central}, headers=admin).json() == keys
    assert client.post(f"{keys_url}/{central}", headers=admin).status_code == 201
    old = {"key_id": keys[0]["sign_key_id"]}
    revoked = client.post(f"{keys_url}/{central}/revoke", json=old, headers=admin)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked", revoked.text


def test_a_moment_without_its_zone_or_beyond_the_utc_calendar_is_a_422_not_a_500(
    client: TestClient, world: World
) -> None:
    # The audit list's since/until without a zone, or one that is no UTC moment (year 1 at +14:00), failed
    # in the database layer with a 500; so did a key revocation's "at" beyond the UTC calendar.
    admin = world.admin.headers
    for name in ("since", "until"):
        for value in ("2020-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
            answer = client.get(f"{V1}/audit/events", params={name: value}, headers=admin)
            assert answer.status_code == 422, (name, value, answer.text)
            assert answer.json()["error"] == "invalid" and answer.json()["field"] == name, answer.text
        answer = client.get(f"{V1}/audit/events", params={name: "2020-01-01T00:00:00+02:00"}, headers=admin)
        assert answer.status_code == 200, answer.text
    keys_url = f"{V1}/messages/keys/NCB-UTO"
    assert client.post(keys_url, headers=admin).status_code == 201
    for value in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2020-01-01T00:00:00"):
        answer = client.post(f"{keys_url}/revoke", json={"at": value}, headers=admin)
        assert answer.status_code == 422, (value, answer.text)
        assert answer.json()["field"] == "at", answer.text
    keys = client.get(f"{V1}/messages/keys", params={"agency": "NCB-UTO"}, headers=admin).json()
    assert [key["status"] for key in keys] == ["active"]


def test_a_sender_whose_keys_live_on_another_node_is_a_409_saying_where_to_send_from(
    client: TestClient, world: World, state: AppState
) -> None:
    # A multi-node network where NCB-UTO's inbox and keys live on the node "field2": its user sending here
    # got an undocumented 404 ("has no messaging key on this node") or, once the directory had brought its
    # public key, a bare KeyFileInvalid 409.
    from tests.conftest import SECRET

    from peacelink.messaging.delivery import Channel
    from peacelink.messaging.models import AgencyKey, Message
    from peacelink.nodes.config import build, node_public_key

    app: Any = client.app
    peer = {"name": "field2", "url": "http://f", "key": node_public_key(b"f"), "agencies": ["NCB-UTO"]}
    app.state.peacelink_channel = Channel(
        secret_key=SECRET, node=build(name="central", secret_key=SECRET, peers=[peer])
    )
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    message = {"recipients": ["NCB-CAF"], "subject": "Checkpoint 7", "body": "Confirm the notice."}

    def refused() -> None:
        answer = client.post(f"{V1}/messages", json=message, headers=sender.headers)
        assert answer.status_code == 409, answer.text
        body = answer.json()
        assert body["error"] == "conflict", body
        assert "node 'field2'" in body["message"] and "send" in body["message"], body

    refused()  # no key of NCB-UTO here at all
    with unit_of_work(state.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0
        assert session.scalar(select(func.count()).select_from(AgencyKey)) == 0  # no key made either
    # The directory brought NCB-UTO's public key here (its private half stays on its own node).
    app.state.peacelink_channel = Channel(secret_key=SECRET, node=build(name="central", secret_key=SECRET))
    _send(client, sender.headers)
    with unit_of_work(state.sessions) as session:
        session.execute(
            update(AgencyKey).where(AgencyKey.agency_code == "NCB-UTO").values(private_sealed=None)
        )
    app.state.peacelink_channel = Channel(
        secret_key=SECRET, node=build(name="central", secret_key=SECRET, peers=[peer])
    )
    refused()
    # Hosted here by the configuration, but only its public key is here (its private key not yet moved).
    app.state.peacelink_channel = Channel(secret_key=SECRET, node=build(name="central", secret_key=SECRET))
    answer = client.post(f"{V1}/messages", json=message, headers=sender.headers)
    assert answer.status_code == 409, answer.text
    assert "private messaging key is not on this node" in answer.json()["message"], answer.text
    spec = client.get(f"{V1}/openapi.json").json()
    send = spec["paths"][f"{V1}/messages"]["post"]
    assert "another node" in send["description"] and "409" in send["description"], send["description"]


def test_a_bad_attachment_name_or_content_type_names_its_field(client: TestClient, world: World) -> None:
    # The crypto core refused them (InvalidMessage) as a 422 without a field.
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    good = {"name": "scan.pdf", "content_type": "application/pdf", "data": "AAAA"}
    cases = (
        ({"name": "../etc/passwd"}, "attachments.1.name", "name"),
        ({"name": "a\\b.txt"}, "attachments.1.name", "name"),
        ({"content_type": "not a type"}, "attachments.1.content_type", "content type"),
        ({"content_type": "text/"}, "attachments.1.content_type", "content type"),
    )
    for change, field, named in cases:
        message = {
            "recipients": ["NCB-CAF"],
            "subject": "s",
            "body": "b",
            "attachments": [good, {**good, **change}],
        }
        answer = client.post(f"{V1}/messages", json=message, headers=sender.headers)
        assert answer.status_code == 422, (change, answer.text)
        body = answer.json()
        assert body["error"] == "invalid" and body["field"] == field, (change, body)
        assert named in body["message"], body
    assert client.get(f"{V1}/messages/outbox", headers=sender.headers).json() == []


def test_a_malformed_recipient_says_what_a_recipient_may_be(client: TestClient, world: World) -> None:
    # "mission:" and ":" were refused as "unknown agency 'MISSION:'" and "unknown agency ':'"; ":NCB-CAF"
    # (a group with no kind) was taken for the agency NCB-CAF.
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    for recipient in ("mission:", "area: ", ":", ":NCB-CAF", " ", "team:X"):
        message = {"recipients": ["NCB-CAF", recipient], "subject": "s", "body": "b"}
        answer = client.post(f"{V1}/messages", json=message, headers=sender.headers)
        assert answer.status_code == 422, (recipient, answer.text)
        body = answer.json()
        assert body["error"] == "invalid" and body["field"] == "recipients.1", (recipient, body)
        assert "unknown agency" not in body["message"], body
        assert "mission:CODE" in body["message"] and "area:COUNTRY" in body["message"], body
    assert client.get(f"{V1}/messages/outbox", headers=sender.headers).json() == []


def _busy(*_: Any, **__: Any) -> Any:
    raise OperationalError("INSERT INTO audit_events", {}, Exception("database is locked"))


@pytest.mark.parametrize("step", ["record", "events_after"])
def test_a_busy_database_before_the_audit_export_starts_is_a_clean_503(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    # The export wrote its audit event and made its first read inside its stream: a busy database there
    # came after the 200 had been sent, as a body that broke off.
    from peacelink.audit import service as audit

    admin = world.admin.headers
    before = client.get(f"{V1}/audit/export", headers=admin)
    assert before.status_code == 200 and before.text.count("\n") >= 1
    monkeypatch.setattr(audit, step, _busy)
    answer = client.get(f"{V1}/audit/export", headers=admin)
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/json", answer.headers
    assert answer.json()["error"] == "unavailable" and answer.headers["Retry-After"] == "1", answer.text
    monkeypatch.undo()
    after = client.get(f"{V1}/audit/export", headers=admin)
    assert after.status_code == 200
    # The stream still gives every line, the export's own event last.
    assert after.text.startswith(before.text) and '"audit.export"' in after.text.splitlines()[-1]
