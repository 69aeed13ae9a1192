"""Every JSON request body is parsed strictly, for every API route: a key given twice, broken JSON or a body
that is not UTF-8 is a 422 ``invalid`` naming the key or ``body`` and saying where (never the last value
kept, a byte offset as the field, or a 400 ``http_error``); query parameters must be UTF-8 text too; the
``mrz`` of the person and the document check is bounded. Nothing is changed or checked by a refused request.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import params
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World
from tests.e2e.test_persons_api import WANTED, _sign_in

from peacelink.access import Role
from peacelink.api.app import create_app
from peacelink.api.routing import TransactionalRoute
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.persons.models import Person
from peacelink.settings import Settings


def _post(
    client: TestClient, headers: dict[str, str], path: str, body: bytes
) -> tuple[int, dict[str, object]]:
    response = client.post(path, headers={**headers, "content-type": "application/json"}, content=body)
    data: dict[str, object] = response.json()
    return response.status_code, data


def _persons(world: World) -> int:
    with unit_of_work(world.state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(Person)) or 0)


def _checks_audited(world: World) -> int:
    with unit_of_work(world.state.sessions) as session:
        where = AuditEvent.action.like("check.%")
        return int(session.scalar(select(func.count()).select_from(AuditEvent).where(where)) or 0)


def test_a_key_given_twice_is_refused_naming_it(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).headers
    body = b'{"reference": "P-1", "names": [{"name": "Ali Hassan"}], "names": [{"name": "Omar Sharif"}]}'
    status, answer = _post(client, owner, "/api/v1/persons", body)
    assert (status, answer["error"], answer["field"]) == (422, "invalid", "names"), answer
    assert "given twice" in str(answer["message"]) and _persons(world) == 0
    nested = b'{"names": ["Ali Hassan"], "document": {"number": "L898902C3", "number": "X1"}}'
    status, answer = _post(client, officer, "/api/v1/checks/persons", nested)
    assert (status, answer["field"]) == (422, "document.number"), answer
    status, answer = _post(client, officer, "/api/v1/checks/documents", b'{"mrz": "a", "mrz": "b"}')
    assert (status, answer["field"]) == (422, "mrz") and _checks_audited(world) == 0
    # The same body once is fine.
    status, answer = _post(client, owner, "/api/v1/persons", json.dumps(WANTED).encode())
    assert status == 201 and _persons(world) == 1, answer


def test_broken_json_names_the_body_and_where_it_breaks(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    status, answer = _post(
        client, owner, "/api/v1/persons", b'{"reference": "P-2", "names": [{"name": "A B"}]'
    )
    assert (status, answer["error"], answer["field"]) == (422, "invalid", "body"), answer
    assert answer["message"] == "the body is not valid JSON: Expecting ',' delimiter at column 48"
    status, answer = _post(client, owner, "/api/v1/persons", b'{"reference": "P-2",\n"names": [}\n')
    assert answer["field"] == "body" and "at line 2, column 11" in str(answer["message"]), answer
    status, answer = _post(client, owner, "/api/v1/persons", b"[" * 50_000)
    assert (status, answer["field"]) == (422, "body") and "nests too deeply" in str(answer["message"])
    assert _persons(world) == 0


def test_a_body_that_is_not_utf8_is_the_documented_422(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    body = '{"reference": "P-3", "names": [{"name": "José Díaz"}]}'
    status, answer = _post(client, owner, "/api/v1/persons", body.encode("latin-1"))
    assert (status, answer["error"], answer["field"]) == (422, "invalid", "body"), answer
    assert "not UTF-8 text: line 1, column 45 holds byte 0xE9" in str(answer["message"])
    status, answer = _post(client, owner, "/api/v1/persons", body.encode("utf-16"))
    assert (status, answer["field"]) == (422, "body") and "UTF-16" in str(answer["message"])
    assert _persons(world) == 0
    # The import bodies say the same, with the line.
    response = client.post(
        "/api/v1/persons/import",
        headers={**owner, "content-type": "text/csv"},
        content="reference,names\nK-1,Иван Петров\n".encode("cp1251"),
    )
    assert response.status_code == 422 and "line 2, column 5 holds byte 0xC8" in response.json()["message"]


def test_a_query_parameter_that_is_not_utf8_is_refused_naming_it(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    # %FF decoded leniently became U+FFFD, and the list silently filtered on another text.
    response = client.get("/api/v1/persons/search?name=Jos%E9", headers=owner)
    assert response.status_code == 422 and response.json()["field"] == "name", response.text
    assert "not UTF-8" in response.json()["message"]
    response = client.get("/api/v1/persons/search?name=Jos%C3%A9", headers=owner)
    assert response.status_code == 200, response.text
    assert client.get("/api/v1/persons/%FF", headers=owner).json()["field"] == "path"


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every APIRoute, those of included routers too (FastAPI keeps them under the included router)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (included := getattr(route, "original_router", None)) is not None:
            yield from _routes(included.routes)


def test_every_route_taking_a_json_body_parses_it_strictly(state: object, settings: Settings) -> None:
    app = create_app(settings, state=state)  # type: ignore[arg-type]
    routes = list(_routes(app.routes))
    json_bodies = [
        r for r in routes if r.body_field is not None and not isinstance(r.body_field.field_info, params.Form)
    ]
    assert len(json_bodies) > 20 and any(r.path == "/persons" for r in json_bodies)
    assert [r.path for r in json_bodies if not isinstance(r, TransactionalRoute)] == []


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/api/v1/checks/persons", {"mrz": ["a"] * 200_000}, "give at most 4 lines; got 200000"),
        ("/api/v1/checks/documents", {"mrz": ["a"] * 200_000}, "give at most 4 lines; got 200000"),
        ("/api/v1/checks/persons", {"mrz": "P<UTO" * 4_000_000}, "at most 300 characters"),
        ("/api/v1/checks/documents", {"mrz": ["P<UTO", "L" * 101]}, "line 2 has 101 characters"),
    ],
)
def test_the_mrz_is_bounded(client: TestClient, world: World, path: str, body: object, words: str) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).headers
    response = client.post(path, headers=officer, json=body)
    answer = response.json()
    assert (response.status_code, answer["field"]) == (422, "mrz"), response.text[:500]
    assert words in answer["message"] and len(response.content) < 2_000
    assert _checks_audited(world) == 0


def test_the_person_check_page_bounds_the_mrz_too(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    csrf = _sign_in(client, officer)
    page = client.post("/checks/person", data={"csrf": csrf, "mrz": "\n".join(["P<UTO"] * 6)})
    assert page.status_code == 422 and "give at most 4 lines; got 6" in html.unescape(page.text)
    assert _checks_audited(world) == 0


def test_direction_overrides_are_refused_and_direction_marks_pass(client: TestClient, world: World) -> None:
    """U+202E shows "imihsaH la demmahoM" as "Mohammed al Hashimi": checked silently, it matched nothing.
    A direction override or isolate is refused wherever text comes in; the marks right-to-left text needs
    (U+200F) pass, and the wanted person is found through them."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).headers
    status, answer = _post(client, owner, "/api/v1/persons", json.dumps(WANTED).encode())
    assert status == 201, answer
    spoofed = json.dumps({"names": ["\u202eimihsaH la demmahoM"]}).encode()
    status, answer = _post(client, officer, "/api/v1/checks/persons", spoofed)
    assert (status, answer["field"]) == (422, "names"), answer
    assert "direction overrides or isolates (U+202E" in str(answer["message"]) and _checks_audited(world) == 0
    isolated = json.dumps({"reference": "P-9", "names": [{"name": "Ali \u2067Hassan\u2069"}]}).encode()
    status, answer = _post(client, owner, "/api/v1/persons", isolated)
    assert (status, answer["field"]) == (422, "names.0.name"), answer
    line = json.dumps({"reference": "P-10", "names": ["Omar \u202dSharif"]}) + "\n"
    imported = client.post(
        "/api/v1/persons/import",
        headers={**owner, "content-type": "application/x-ndjson"},
        content=line.encode(),
    )
    assert imported.status_code == 422 and "U+202D" in imported.text and _persons(world) == 1
    marked = json.dumps({"names": ["\u200fمحمد الهاشمي\u200f"]}).encode()
    status, answer = _post(client, officer, "/api/v1/checks/persons", marked)
    assert status == 200 and answer["result"] == "hit", answer
