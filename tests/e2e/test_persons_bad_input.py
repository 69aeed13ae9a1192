"""Bad input to the persons capability (API and CLI; both engines) is a clear refusal that changes nothing,
found by an audit of its input handling: a JSON number of more digits than Python reads (a 500 from every
JSON body and from a CSV cell of JSON), a CSV cell of JSON read leniently (nesting too deep: a 500; a key
given twice: the last kept without a word), an identifier's type cut to 32 characters or stored as a Python
list's repr, a date of birth in Arabic-Indic digits stored as typed (its fact key never met a check's), a
PATCHed reference with spaces taken by another record (a 409 naming nothing), a search's refusal naming the
check's field ``names`` instead of ``name``, the CLI search passing a 20-digit year or a 400-character name
on as a traceback, and the CLI import reading any ``--format`` but csv as JSON Lines without its type checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.persons.models import Person, PersonNameKey

LONG_NUMBER = "9" * 5000  # Python reads at most 4300 digits of a whole number (sys.get_int_max_str_digits)


def _persons(world: World) -> int:
    with unit_of_work(world.state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(Person)) or 0)


def _post(client: TestClient, headers: dict[str, str], path: str, body: str, kind: str) -> tuple[int, Any]:
    response = client.post(path, headers={**headers, "content-type": kind}, content=body.encode())
    return response.status_code, response.json()


def _import_csv(client: TestClient, headers: dict[str, str], body: str) -> tuple[int, Any]:
    return _post(client, headers, "/api/v1/persons/import", body, "text/csv")


def test_a_number_too_long_to_read_is_a_422_naming_where_not_a_500(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).headers
    check = '{"names": ["Omar Sharif"], "sex": ' + LONG_NUMBER + "}"
    status, answer = _post(client, officer, "/api/v1/checks/persons", check, "application/json")
    assert (status, answer.get("field")) == (422, "body") and "more than 4300 digits" in answer["message"], (
        answer
    )
    create = '{"reference": "P-1", "names": [{"name": "Omar Sharif"}], "sex": ' + LONG_NUMBER + "}"
    status, answer = _post(client, owner, "/api/v1/persons", create, "application/json")
    assert (status, answer.get("field")) == (422, "body"), answer
    line = '{"reference": "P-2", "names": ["Omar Sharif"], "sex": ' + LONG_NUMBER + "}"
    status, answer = _post(client, owner, "/api/v1/persons/import", line, "application/x-ndjson")
    assert status == 422 and "more than 4300 digits" in answer["details"]["rejected"][0]["reason"], answer
    # In a CSV cell holding JSON: a list field, and the visibility agencies every import takes.
    status, answer = _import_csv(client, owner, f'reference,names\nP-3,"[{LONG_NUMBER}]"\n')
    assert (status, answer.get("field")) == (422, "names") and "4300 digits" in answer["message"], answer
    cells = f'reference,names,visibility,visibility_agencies\nP-4,Omar Sharif,only,"[{LONG_NUMBER}]"\n'
    status, answer = _import_csv(client, owner, cells)
    assert (status, answer.get("field")) == (422, "visibility_agencies"), answer
    assert _persons(world) == 0


def test_a_csv_cell_of_json_is_read_as_strictly_as_a_json_line(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    deep = "[" * 60_000 + "]" * 60_000  # under the CSV reader's cell limit
    status, answer = _import_csv(client, owner, f'reference,names\nP-1,"{deep}"\n')
    assert (status, answer.get("field")) == (422, "names") and "nests too deeply" in answer["message"], answer
    cells = f'reference,names,visibility,visibility_agencies\nP-2,Omar Sharif,only,"{deep}"\n'
    status, answer = _import_csv(client, owner, cells)
    assert (status, answer.get("field")) == (422, "visibility_agencies"), answer
    # A key given twice in a name: refused (it kept the last name, dropping Ali Hassan without a word).
    twice = 'reference,names\nP-3,"[{""name"": ""Ali Hassan"", ""name"": ""Omar Sharif""}]"\n'
    status, answer = _import_csv(client, owner, twice)
    assert (status, answer.get("field")) == (422, "names") and "names.0.name: given twice" in answer[
        "message"
    ]
    assert _persons(world) == 0
    good = 'reference,names\nP-4,"[{""name"": ""Ali Hassan"", ""kind"": ""primary""}, ""Omar Sharif""]"\n'
    status, answer = _import_csv(client, owner, good)
    assert status == 200 and answer["inserted"] == 1, answer


def test_an_identifier_type_is_never_cut_nor_stored_as_a_python_repr(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    long_type = "residence_permit_of_the_republic_x"  # 34 characters: the API's create takes 32
    line = json.dumps({"reference": "P-1", "names": ["Omar Sharif"], "identifiers": [{"type": long_type}]})
    line = line.replace('"}]', '", "number": "AB12"}]')
    status, answer = _post(client, owner, "/api/v1/persons/import", line, "application/x-ndjson")
    rejected = answer["details"]["rejected"][0] if status == 422 else answer
    assert (status, rejected.get("field")) == (422, "identifiers.0.type"), answer
    assert "at most 32 characters" in rejected["reason"]
    listed = (
        'reference,names,identifiers\nP-2,Omar Sharif,"[{""number"": ""AB12"", ""type"": [""passport""]}]"\n'
    )
    status, answer = _import_csv(client, owner, listed)
    assert (status, answer.get("field")) == (422, "identifiers.0.type"), answer
    assert _persons(world) == 0
    blank = {
        "reference": "P-3",
        "names": [{"name": "Omar Sharif"}],
        "identifiers": [{"type": " ", "number": "A1"}],
    }
    created = client.post("/api/v1/persons", headers=owner, json=blank)
    assert created.status_code == 201 and created.json()["identifiers"] == [{"type": "other", "number": "A1"}]


def test_a_date_of_birth_in_other_digits_is_stored_and_keyed_in_ascii(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    body = {
        "reference": "P-1",
        "names": [{"name": "Omar Sharif"}],
        "dates_of_birth": ["١٩٧٨-٠٥-٠٢", "\uff11\uff19\uff18\uff10"],  # Arabic-Indic, full-width
        "nationalities": ["UTO"],
    }
    created = client.post("/api/v1/persons", headers=owner, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["dates_of_birth"] == ["1978-05-02", "1980"]
    with unit_of_work(world.state.sessions) as session:
        keys = set(
            session.scalars(
                select(PersonNameKey.key)
                .join(Person, Person.number == PersonNameKey.person_number)
                .where(Person.id == created.json()["id"])
            )
        )
    assert "f:1978-05-02|UTO" in keys  # the key a check typed in ASCII digits looks up
    line = json.dumps({"reference": "P-2", "names": ["Ali Hassan"], "dates_of_birth": ["١٩٩٠"]})
    status, answer = _post(client, owner, "/api/v1/persons/import", line, "application/x-ndjson")
    assert status == 200 and answer["inserted"] == 1, answer
    listed = client.get("/api/v1/persons", headers=owner).json()
    assert {p["reference"]: p["dates_of_birth"] for p in listed}["P-2"] == ["1990"]


def test_a_patched_reference_with_spaces_taken_by_another_is_the_named_conflict(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    first = client.post(
        "/api/v1/persons", headers=owner, json={"reference": "P-1", "names": [{"name": "Omar"}]}
    )
    second = client.post(
        "/api/v1/persons", headers=owner, json={"reference": "P-2", "names": [{"name": "Ali"}]}
    )
    assert first.status_code == second.status_code == 201
    response = client.patch(
        f"/api/v1/persons/{first.json()['id']}", headers=owner, json={"version": 1, "reference": " P-2 "}
    )
    assert response.status_code == 409, response.text
    assert response.json().get("field") == "reference" and second.json()["id"] in response.json()["message"]
    # The record's own reference with spaces is no change, and no conflict.
    same = client.patch(
        f"/api/v1/persons/{first.json()['id']}", headers=owner, json={"version": 1, "reference": " P-1 "}
    )
    assert same.status_code == 200 and same.json()["reference"] == "P-1" and same.json()["version"] == 1


def test_a_search_refusal_names_the_search_field(client: TestClient, world: World) -> None:
    investigator = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    for name in ("ab " * 20, "-"):
        response = client.get("/api/v1/persons/search", headers=investigator, params={"name": name})
        assert response.status_code == 422 and response.json()["field"] == "name", response.text


def test_the_cli_search_refuses_what_the_api_refuses(world: World, url: str) -> None:  # noqa: F811
    investigator = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    for args, field in (
        (["--born-from", "99999999999999999999"], "born_from"),  # an OverflowError in the database driver
        (["--born-to", "-5"], "born_to"),  # was taken, finding nobody
        (["--name", "a" * 400], "name"),  # a pydantic ValidationError
        (["--name", "-"], "name"),
    ):
        refused = run(url, investigator, "persons", "search", *args, code=2)
        assert isinstance(refused, dict) and refused["error"] == "invalid", refused
        assert str(refused["message"]).endswith(f"({field})"), refused


def test_the_cli_import_format_is_csv_or_jsonl(world: World, url: str, tmp_path: Path) -> None:  # noqa: F811
    investigator = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    lines = tmp_path / "people.txt"
    lines.write_text(json.dumps({"reference": 5, "names": ["Omar Sharif"]}) + "\n", encoding="utf-8")
    # Any other value was read as JSON Lines without the JSON type checks: the number stored as "5".
    refused = run(url, investigator, "persons", "import", str(lines), "--format", "json", code=2)
    assert isinstance(refused, dict) and "--format is csv or jsonl" in str(refused["message"]), refused
    assert _persons(world) == 0
    typed = run(url, investigator, "persons", "import", str(lines), "--format", "JSONL", code=1)
    assert isinstance(typed, dict) and typed["rejected"][0]["field"] == "reference", typed  # type: ignore[index]
    table = tmp_path / "people.dat"
    table.write_text("reference,names\nP-1,Omar Sharif\n", encoding="utf-8")
    report = run(url, investigator, "persons", "import", str(table), "--format", "CSV")
    assert isinstance(report, dict) and report["inserted"] == 1, report
