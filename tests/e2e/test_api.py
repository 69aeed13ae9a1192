"""The HTTP API end to end: agencies, users, tokens, audit, errors."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from tests.conftest import World

from peacelink.access import Role


def test_agencies_list_and_create(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    listed = client.get("/api/v1/agencies", headers=officer.headers)
    assert listed.status_code == 200
    assert {a["code"] for a in listed.json()} == {"CENTRAL", "NCB-UTO", "NCB-CAF", "MINUSCA"}
    mission = next(a for a in listed.json() if a["code"] == "MINUSCA")
    assert mission["area"] == ["CAF"] and mission["kind"] == "mission"

    created = client.post(
        "/api/v1/agencies",
        headers=world.admin.headers,
        json={"code": "ncb-cod", "name": "NCB Kinshasa", "kind": "ncb", "country": "cod"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["code"] == "NCB-COD" and created.json()["country"] == "COD"

    again = client.post(
        "/api/v1/agencies",
        headers=world.admin.headers,
        json={"code": "NCB-COD", "name": "dup", "kind": "ncb", "country": "COD"},
    )
    assert again.status_code == 409 and again.json()["error"] == "conflict"


def test_validation_errors_name_the_field(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/agencies",
        headers=world.admin.headers,
        json={"code": "NCB-X", "name": "x", "kind": "ncb", "country": "ZZZ"},
    )
    assert response.status_code == 422
    assert response.json() == {"error": "invalid", "message": response.json()["message"], "field": "country"}
    mission = client.post(
        "/api/v1/agencies",
        headers=world.admin.headers,
        json={"code": "M2", "name": "m", "kind": "mission", "area": ["CAF"]},
    )
    assert mission.status_code == 422 and mission.json()["field"] == "mandate_end"
    bad_json = client.post(
        "/api/v1/agencies",
        headers={**world.admin.headers, "content-type": "application/json"},
        content=b"{not json",
    )
    assert bad_json.status_code == 422


def test_user_lifecycle_and_tokens(client: TestClient, world: World) -> None:
    uto_admin = world.user("NCB-UTO", Role.AGENCY_ADMIN)
    created = client.post(
        "/api/v1/users",
        headers=uto_admin.headers,
        json={"username": "Alice", "agency": "NCB-UTO", "roles": ["investigator"]},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["user"]["username"] == "alice" and body["token"].startswith("pl_")
    alice = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/me", headers=alice).json()["agency"] == "NCB-UTO"

    other = client.post(
        "/api/v1/users",
        headers=uto_admin.headers,
        json={"username": "bob", "agency": "NCB-CAF", "roles": ["investigator"]},
    )
    assert other.status_code == 403

    token = client.post("/api/v1/tokens", headers=alice, json={"name": "laptop", "days": 7})
    assert token.status_code == 201
    second = {"Authorization": f"Bearer {token.json()['token']}"}
    assert client.get("/api/v1/me", headers=second).status_code == 200
    listed = client.get("/api/v1/tokens", headers=alice).json()
    assert all("token" not in t for t in listed) and len(listed) == 2
    assert client.delete(f"/api/v1/tokens/{token.json()['id']}", headers=alice).status_code == 204
    assert client.get("/api/v1/me", headers=second).status_code == 401


def test_audit_list_export_verify(client: TestClient, world: World) -> None:
    events = client.get("/api/v1/audit/events", headers=world.admin.headers, params={"limit": 5})
    assert events.status_code == 200
    assert [e["seq"] for e in events.json()] == [1, 2, 3, 4, 5]
    export = client.get("/api/v1/audit/export", headers=world.admin.headers)
    assert export.status_code == 200
    lines = [json.loads(line) for line in export.text.splitlines()]
    assert lines[0]["seq"] == 1 and all("hash" in e for e in lines)
    assert any(e["action"] == "audit.export" for e in lines)
    verify = client.get("/api/v1/audit/verify", headers=world.admin.headers)
    assert verify.json()["ok"] is True


def test_audit_is_central_only(client: TestClient, world: World) -> None:
    analyst = world.user("NCB-UTO", Role.ANALYST, Role.AGENCY_ADMIN, Role.SUPERVISOR)
    assert client.get("/api/v1/audit/events", headers=analyst.headers).status_code == 403


def test_unknown_route_is_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_database_and_service_validation_errors_are_422_not_500(client: TestClient) -> None:
    # What no request body stopped still reaches the client as bad input: a value the database refuses
    # (NUL is refused by PostgreSQL's driver) and a shape a service builds from its arguments.
    from fastapi import FastAPI
    from sqlalchemy.exc import DataError

    from peacelink.persons.schemas import PersonCheck

    app = client.app
    assert isinstance(app, FastAPI)

    def refused() -> None:
        raise DataError("INSERT ...", {}, Exception("PostgreSQL text fields cannot contain NUL (0x00) bytes"))

    def too_long() -> None:
        raise DataError("INSERT ...", {}, Exception("value too long for type character varying(64)"))

    def built() -> None:
        PersonCheck(names=["x" * 301])  # raises pydantic's ValidationError inside the route

    for path, endpoint in (("/api/v1/_nul", refused), ("/api/v1/_long", too_long), ("/api/v1/_built", built)):
        app.add_api_route(path, endpoint)
    nul = client.get("/api/v1/_nul")
    assert nul.status_code == 422 and "control characters (U+0000)" in nul.json()["message"]
    long = client.get("/api/v1/_long")
    assert long.status_code == 422 and long.json()["message"] == "a value is out of range or too long"
    built_answer = client.get("/api/v1/_built")
    assert built_answer.status_code == 422 and built_answer.json()["field"] == "names.0"


def test_control_characters_in_the_path_or_query_are_422(client: TestClient, world: World) -> None:
    # List filters, search parameters and ids in the path get the request bodies' rule, for every route.
    headers = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    for path, field in (
        ("/api/v1/persons/search?name=Ali%00", "name"),
        ("/api/v1/documents?number=L8989%1b02", "number"),
        ("/api/v1/persons/abc%00def", "path"),
        ("/api/v1/persons?%07=1", "query"),
    ):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["field"] == field and "control characters" in answer.json()["message"]
        assert answer.headers["x-content-type-options"] == "nosniff"
    # A tab is text; an unknown record is still a 404.
    assert client.get("/api/v1/persons/abc%09def", headers=headers).status_code == 404
