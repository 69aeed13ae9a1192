"""Persons over HTTP: create, check (answer shape, hits, explanation), import, search, photo, web pages."""

from __future__ import annotations

import io
import json
import re

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from tests.conftest import Account, World

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work

WANTED = {
    "reference": "UTO-2024-001",
    "names": [
        {"name": "Mohamed Al-Hashimi", "kind": "primary"},
        {"name": "محمد الهاشمي", "kind": "original_script"},
    ],
    "sex": "male",
    "dates_of_birth": ["1978-05-02"],
    "nationalities": ["UTO"],
    "crime_areas": ["terrorism"],
    "warnings": ["armed"],
    "action": "Do not approach; call NCB Utopia",
}


def _png() -> bytes:
    """A real (decodable) PNG: the photo PUT decodes what it stores."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _create(client: TestClient, account: Account, body: dict[str, object]) -> dict[str, object]:
    response = client.post("/api/v1/persons", headers=account.headers, json=body)
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()
    return data


def test_check_answer_shape_hit_and_import(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    person = _create(client, owner, WANTED)
    assert person["version"] == 1 and person["names"][1]["script"] == "Arab"  # type: ignore[index]
    lines = [
        json.dumps({"reference": f"C-{i}", "names": [name], "dates_of_birth": ["1990"]}, ensure_ascii=False)
        for i, name in enumerate(["Ahmed Hassan", "Hashim Mohammed Ali", "Ivan Petrov", "Мохамед Хашими"])
    ]
    imported = client.post(
        "/api/v1/persons/import",
        headers={**owner.headers, "Content-Type": "application/x-ndjson"},
        content="\n".join(lines).encode(),
    )
    assert imported.status_code == 200 and imported.json()["inserted"] == 4, imported.text
    again = client.post(
        "/api/v1/persons/import",
        headers={**owner.headers, "Content-Type": "application/x-ndjson"},
        content="\n".join(lines).encode(),
    )
    assert again.json()["inserted"] == 0 and again.json()["duplicates"] == 4

    response = client.post(
        "/api/v1/checks/persons",
        headers=officer.headers,
        json={"names": ["Hashimi, Muhammad"], "date_of_birth": "1978", "nationality": "UTO", "sex": "male"},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) >= {"check_id", "result", "candidates", "hits"} and answer["result"] == "hit"
    best = answer["candidates"][0]
    assert best["person"]["id"] == person["id"] and best["person"]["names"][0]["name"] == "Mohamed Al-Hashimi"
    assert best["score"] >= 0.9 and best["hit_id"] == answer["hits"][0]["hit_id"]
    assert best["explanation"]["name"]["parts"] and best["explanation"]["factors"]
    assert all(c["score"] >= 0.5 for c in answer["candidates"])
    assert [c["score"] for c in answer["candidates"]] == sorted(
        (c["score"] for c in answer["candidates"]), reverse=True
    )
    queue = client.get("/api/v1/hits", headers=owner.headers, params={"status": "new"}).json()
    assert [h["database"] for h in queue] == ["persons"]

    none = client.post(
        "/api/v1/checks/persons", headers=officer.headers, json={"names": ["Zebulon Quagmire"]}
    )
    assert none.status_code == 200 and none.json()["candidates"] == [] and none.json()["result"] == "no_hit"


def test_bad_input_is_422_naming_the_field_and_changes_nothing(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    bad = client.post(
        "/api/v1/persons", headers=owner.headers, json={**WANTED, "dates_of_birth": ["1978-02-30"]}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "dates_of_birth.0"
    bad = client.post("/api/v1/persons", headers=owner.headers, json={**WANTED, "names": []})
    assert bad.status_code == 422 and bad.json()["field"].startswith("names")
    check = client.post(
        "/api/v1/checks/persons", headers=officer.headers, json={"names": ["x"], "nationality": "QQ1"}
    )
    assert check.status_code == 422 and check.json()["field"] == "nationality"
    long_name = client.post(
        "/api/v1/checks/persons", headers=officer.headers, json={"names": ["Ali", "x" * 301]}
    )
    assert long_name.status_code == 422 and long_name.json()["field"] == "names.1"
    body = "\n".join(
        [
            json.dumps({"reference": "A", "names": ["Good Name"]}),
            json.dumps({"reference": "B", "names": ["Bad"], "sex": "?"}),
        ]
    )
    imported = client.post(
        "/api/v1/persons/import",
        headers={**owner.headers, "Content-Type": "application/x-ndjson"},
        content=body,
    )
    assert imported.status_code == 422 and imported.json()["field"] == "sex"
    assert client.get("/api/v1/persons", headers=owner.headers).json() == []
    csv_body = 'reference,names,dates_of_birth,nationalities\nR1,"Omar Khattab;Abu Hafs",1970;1971,UTO\n'
    done = client.post(
        "/api/v1/persons/import", headers={**owner.headers, "Content-Type": "text/csv"}, content=csv_body
    )
    assert done.status_code == 200 and done.json()["inserted"] == 1, done.text
    [stored] = client.get("/api/v1/persons", headers=owner.headers).json()
    assert [n["kind"] for n in stored["names"]] == ["primary", "alias"] and stored["dates_of_birth"] == [
        "1970",
        "1971",
    ]


def test_control_characters_are_refused_alike_on_both_engines(client: TestClient, world: World) -> None:
    # PostgreSQL cannot store NUL in text and SQLite can: without the check, the same body failed on one
    # engine and wrote an invisible byte on the other.
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.ANALYST)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    bad_name = {**WANTED, "names": [{"name": "Mohamed\x00Al-Hashimi"}]}
    created = client.post("/api/v1/persons", headers=owner.headers, json=bad_name)
    assert created.status_code == 422 and created.json()["field"] == "names.0.name", created.text
    assert "control characters (U+0000)" in created.json()["message"]
    escape = client.post("/api/v1/persons", headers=owner.headers, json={**WANTED, "action": "Stop\x1b[2J"})
    assert escape.status_code == 422 and escape.json()["field"] == "action"
    check = client.post(
        "/api/v1/checks/persons", headers=officer.headers, json={"names": ["Ali", "Hassan\x00"]}
    )
    assert check.status_code == 422 and check.json()["field"] == "names"
    assert "item 1" in check.json()["message"]
    lines = [
        json.dumps({"reference": "A", "names": ["Good Name"]}),
        json.dumps({"reference": "B", "names": ["Bad\x00Name"]}),
    ]
    imported = client.post(
        "/api/v1/persons/import",
        headers={**owner.headers, "Content-Type": "application/x-ndjson"},
        content="\n".join(lines),
    )
    assert imported.status_code == 422, imported.text
    csv_body = "reference,names\nR1,Omar Khattab\nR2,Abu\x00Hafs\n"
    imported = client.post(
        "/api/v1/persons/import", headers={**owner.headers, "Content-Type": "text/csv"}, content=csv_body
    )
    assert imported.status_code == 422, imported.text
    assert client.get("/api/v1/persons", headers=owner.headers).json() == []
    search = client.get("/api/v1/persons/search", headers=owner.headers, params={"name": "Ali\x00"})
    assert search.status_code == 422, search.text
    # Multi-line text and right-to-left marks are not control characters.
    fine = {**WANTED, "names": [{"name": "محمد\u200f الهاشمي"}], "description": "scar\nleft\tcheek"}
    assert client.post("/api/v1/persons", headers=owner.headers, json=fine).status_code == 201
    with unit_of_work(world.state.sessions) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "check.persons")
            )
            == 0
        )


def test_update_cancel_photo_and_search(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    other = world.user("NCB-CAF", Role.INVESTIGATOR)
    person = _create(client, owner, WANTED)
    url = f"/api/v1/persons/{person['id']}"
    changed = client.patch(url, headers=owner.headers, json={"version": 1, "warnings": ["armed", "violent"]})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = client.patch(url, headers=owner.headers, json={"version": 1, "warnings": []})
    assert stale.status_code == 409
    assert client.patch(url, headers=other.headers, json={"version": 2}).status_code == 403
    png = _png()
    photo_url = f"{url}/photo?version=2"  # the photo is part of the record: it takes and moves the version
    put = client.put(photo_url, headers={**owner.headers, "Content-Type": "image/png"}, content=png)
    assert put.status_code == 200 and put.json()["has_photo"] is True and put.json()["version"] == 3
    wrong = client.put(
        f"{url}/photo?version=3", headers={**owner.headers, "Content-Type": "image/jpeg"}, content=png
    )
    assert wrong.status_code == 422
    photo = client.get(f"{url}/photo", headers=other.headers)
    assert photo.status_code == 200 and photo.content == png and photo.headers["content-type"] == "image/png"
    found = client.get(
        "/api/v1/persons/search", headers=other.headers, params={"name": "محمد الهاشمي", "warning": "violent"}
    )
    assert found.status_code == 200 and [r["person"]["id"] for r in found.json()] == [person["id"]]
    assert (
        client.get("/api/v1/persons/search", headers=other.headers, params={"crime_area": "drugs"}).json()
        == []
    )
    cancelled = client.post(f"{url}/cancel", headers=owner.headers, json={"version": 3})
    assert cancelled.status_code == 200 and cancelled.json()["record_status"] == "cancelled"
    assert client.get(url, headers=other.headers).status_code == 404


def _sign_in(client: TestClient, account: Account) -> str:
    import pyotp

    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    client.post(
        "/login",
        data={"username": account.actor.username, "password": account.password, "csrf": csrf.group(1)},
        follow_redirects=False,
    )
    code_page = client.get("/login/code")
    csrf2 = re.search(r'name="csrf" value="([^"]+)"', code_page.text)
    assert csrf2 is not None
    client.post(
        "/login/code",
        data={"code": pyotp.TOTP(account.totp_secret).now(), "csrf": csrf2.group(1)},
        follow_redirects=False,
    )
    home = client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert token is not None and 'id="check-person"' in home.text
    return token.group(1)


def test_web_check_search_and_record_pages(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    person = _create(client, owner, WANTED)
    csrf = _sign_in(client, owner)
    page = client.post(
        "/checks/person", data={"csrf": csrf, "names": "محمد الهاشمي", "date_of_birth": "1978"}
    )
    assert page.status_code == 200 and 'data-result="hit"' in page.text and "Mohamed Al-Hashimi" in page.text
    assert f'href="/persons/{person["id"]}"' in page.text  # each candidate opens its full record
    bad = client.post("/checks/person", data={"csrf": csrf, "names": "Ali", "date_of_birth": "78"})
    assert bad.status_code == 422
    search = client.get("/persons/search", params={"name": "Mohammed Hashimi"})
    assert search.status_code == 200 and f"/persons/{person['id']}" in search.text
    record = client.get(f"/persons/{person['id']}")
    assert record.status_code == 200 and "UTO-2024-001" in record.text
    assert 'id="person-photo"' not in record.text
    assert client.get("/persons/nope").status_code == 404
    # The photo shows on the record page, served to the signed-in user (never cached), audited.
    png = _png()
    put = client.put(
        f"/api/v1/persons/{person['id']}/photo?version=1",
        headers={**owner.headers, "Content-Type": "image/png"},
        content=png,
    )
    assert put.status_code == 200
    record = client.get(f"/persons/{person['id']}")
    assert f'src="/persons/{person["id"]}/photo"' in record.text
    photo = client.get(f"/persons/{person['id']}/photo")
    assert photo.status_code == 200 and photo.content == png
    assert photo.headers["content-type"] == "image/png" and photo.headers["cache-control"] == "no-store"
    assert client.get("/persons/nope/photo").status_code == 404
    with unit_of_work(world.state.sessions) as session:
        reads = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "person.photo.read")
        )
    assert reads == 1


def test_openapi_states_the_persons_routes_errors_as_they_are_answered(
    client: TestClient, world: World
) -> None:
    # The OpenAPI document gave every persons route FastAPI's 422 {"detail": [...]}, which no route
    # answers, and no 401, 403, 404 or 409; the import listed only its 200, yet a rejected line is a 422.
    spec = client.get("/api/v1/openapi.json").json()
    error = spec["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"error", "message"} and "field" in error["properties"]
    expected = {
        ("post", "/api/v1/checks/persons"): {"401", "403", "422"},
        ("get", "/api/v1/persons"): {"401", "403", "422"},
        ("post", "/api/v1/persons"): {"401", "403", "409", "422"},
        ("post", "/api/v1/persons/import"): {"401", "403", "422"},
        ("get", "/api/v1/persons/search"): {"401", "403", "422"},
        ("get", "/api/v1/persons/{person_id}"): {"401", "403", "404", "422"},
        ("patch", "/api/v1/persons/{person_id}"): {"401", "403", "404", "409", "422"},
        ("post", "/api/v1/persons/{person_id}/cancel"): {"401", "403", "404", "409", "422"},
        ("put", "/api/v1/persons/{person_id}/photo"): {"401", "403", "404", "409", "422"},
        ("get", "/api/v1/persons/{person_id}/photo"): {"401", "403", "404", "422"},
    }
    for (method, path), statuses in expected.items():
        responses = spec["paths"][path][method]["responses"]
        errors = {status for status in responses if status[0] in "45"}
        assert errors == statuses | {"503"}, (method, path, errors)  # 503: the database busy or unreachable
        for status in statuses:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
    # What the document states is what a rejected import line answers.
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    body = "reference,names,dates_of_birth\nOA-1,Omar Abdi,1990-13\n"
    answer = client.post(
        "/api/v1/persons/import", content=body, headers={**owner.headers, "content-type": "text/csv"}
    )
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid" and answer.json()["details"]["rejected_count"] == 1
