"""The API's create and update, and the import, read a date as YYYY-MM-DD text only and a year as a whole
number only (a JSON integer; in a CSV cell ASCII digits): a refused value is a 422 naming the field, and
nothing is written. Before, a Unix time ("1830297600") and a date and time with a zero time were stored as
dates, 2019.0 and "2019.0" as the year 2019, and the import took Arabic-Indic digits for a year that the
create refused.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi.testclient import TestClient
from tests.conftest import World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from tests.e2e.test_import_matches_create import _counts, _create, _import, _record
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.cli.main import app


def _unix(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _refused(response: Any, field: str, expected: str) -> None:
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["error"] == "invalid" and answer["field"] == field, answer
    assert expected in answer["message"], answer


def test_a_date_in_a_body_is_yyyy_mm_dd_text_only(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    today = dt.date.today()
    due, past = today + dt.timedelta(days=400), dt.date(2023, 11, 14)
    records = _record(1)
    cases: list[tuple[str, str, Any]] = []
    for value in (str(_unix(due)), _unix(due), f"{due.isoformat()}T00:00:00"):
        cases += [(database, "review_due", value) for database in records]
    for value in (str(_unix(past)), _unix(past), "2023-11-14T00:00:00"):
        cases += [
            ("documents", "reported_at", value),
            ("documents", "holder_birth_date", value),
            ("vehicles", "reported_at", value),
        ]
    before = _counts(world)
    for database, field, value in cases:
        created = client.post(
            f"/api/v1/{database}", headers=owner.headers, json={**records[database], field: value}
        )
        _refused(created, field, "YYYY-MM-DD")
    assert _counts(world) == before
    # An update reads them the same way, and changes nothing.
    for database, body in records.items():
        status, record = _create(client, owner, database, body)
        assert status == 201, record
        for field, value in (("review_due", str(_unix(due))), ("review_due", f"{due.isoformat()}T00:00:00")):
            patched = client.patch(
                f"/api/v1/{database}/{record['id']}",
                headers=owner.headers,
                json={"version": record["version"], field: value},
            )
            _refused(patched, field, "YYYY-MM-DD")
        assert client.get(f"/api/v1/{database}/{record['id']}", headers=owner.headers).json() == record


def test_a_missions_mandate_end_is_yyyy_mm_dd_text_only(client: TestClient, world: World) -> None:
    body = {"code": "MONUSCO", "name": "MONUSCO", "kind": "mission", "area": ["COD"]}
    for value in ("1830297600", 1830297600, "2027-12-31T00:00:00"):
        created = client.post(
            "/api/v1/agencies", headers=world.admin.headers, json={**body, "mandate_end": value}
        )
        _refused(created, "mandate_end", "YYYY-MM-DD")
        patched = client.patch(
            "/api/v1/agencies/MINUSCA", headers=world.admin.headers, json={"mandate_end": value}
        )
        _refused(patched, "mandate_end", "YYYY-MM-DD")
    agencies = client.get("/api/v1/agencies", headers=world.admin.headers).json()
    assert "MONUSCO" not in {a["code"] for a in agencies}
    assert next(a for a in agencies if a["code"] == "MINUSCA")["mandate_end"] == "2030-01-01"


def test_a_year_and_a_version_are_json_integers_only(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    vehicle = _record(2)["vehicles"]
    before = _counts(world)
    for value in (2019.0, "2019.0", "2019", True, "٢٠١٩"):
        created = client.post("/api/v1/vehicles", headers=owner.headers, json={**vehicle, "year": value})
        _refused(created, "year", "JSON integer")
    assert _counts(world) == before
    status, record = _create(client, owner, "vehicles", {**vehicle, "year": 2015})
    assert status == 201 and record["year"] == 2015, record
    path = f"/api/v1/vehicles/{record['id']}"
    for value in (2019.0, "2019.0", "2019"):
        patched = client.patch(
            path, headers=owner.headers, json={"version": record["version"], "year": value}
        )
        _refused(patched, "year", "JSON integer")
    for version in (1.0, "1", True):
        patched = client.patch(path, headers=owner.headers, json={"version": version, "year": 2016})
        _refused(patched, "version", "JSON integer")
    assert client.get(path, headers=owner.headers).json() == record


def test_an_update_holds_a_model_year_to_the_creates_rule(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    vehicle = {**_record(5)["vehicles"], "year": 2099}  # after next year: the create refuses it
    _refused(client.post("/api/v1/vehicles", headers=owner.headers, json=vehicle), "year", "model year")
    status, record = _create(client, owner, "vehicles", {**vehicle, "year": 2015})
    assert status == 201, record
    path = f"/api/v1/vehicles/{record['id']}"
    patched = client.patch(path, headers=owner.headers, json={"version": record["version"], "year": 2099})
    _refused(patched, "year", "model year")
    assert client.get(path, headers=owner.headers).json() == record


def test_the_cli_reads_a_year_and_a_mandate_end_as_the_api_does(
    world: World,
    url: str,  # noqa: F811
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    before = _counts(world)
    plate = ["vehicles", "add", "--plate", "AB6CD", "--plate-country", "UTO"]
    for year in ("٢٠١٩", "+2019", "2_019", " 2019"):
        refused = CliRunner().invoke(
            app, ["--database-url", url, "--user", owner, *plate, "--year", year, "--json"]
        )
        assert refused.exit_code == 2, (year, refused.output)
        assert "ASCII digits (0-9), such as 2019 (year)" in json.loads(refused.stdout)["message"], year
    assert _counts(world) == before
    added = run(url, owner, *plate, "--year", "2019")
    assert isinstance(added, dict) and added["year"] == 2019
    mission = ["agency", "add", "MONUSCO", "--name", "MONUSCO", "--kind", "mission", "--area", "COD"]
    for end in ("20271231", "2027-W52-5"):  # date.fromisoformat read both
        refused = CliRunner().invoke(
            app, ["--database-url", url, "--user", "admin", *mission, "--mandate-end", end]
        )
        assert refused.exit_code == 2 and "YYYY-MM-DD" in refused.output, (end, refused.output)
    added = run(url, "admin", *mission, "--mandate-end", "2027-12-31")
    assert isinstance(added, dict) and added["mandate_end"] == "2027-12-31"


def test_the_import_reads_a_year_as_the_create_does(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    before = _counts(world)
    plate = "plate,plate_country,year\n"
    for cell in ("٢٠١٩", "２０１９", "2019.0", "+2019", "2_019"):
        status, answer = _import(client, owner, "vehicles", f"{plate}AB1CD,UTO,{cell}\n", kind="csv")
        assert status == 422 and answer["field"] == "year", (cell, answer)
        assert "ASCII digits" in answer["details"]["rejected"][0]["reason"], answer
    for value in ("2019", "٢٠١٩", 2019.0, True):
        line = json.dumps({"plate": "AB1CD", "plate_country": "UTO", "year": value})
        status, answer = _import(client, owner, "vehicles", line)
        assert status == 422 and answer["field"] == "year", (value, answer)
        assert "JSON integer" in answer["details"]["rejected"][0]["reason"], answer
    assert _counts(world) == before
    status, answer = _import(client, owner, "vehicles", f"{plate}AB1CD,UTO,2019\n", kind="csv")
    assert status == 200 and answer["inserted"] == 1, answer


def test_the_import_reads_a_date_as_the_create_does(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    before = _counts(world)
    document = _record(3)["documents"]
    for value in ("1699920000", "2023-11-14T00:00:00", "٢٠٢٣-١١-١٤"):
        line = json.dumps({**document, "reported_at": value})
        status, answer = _import(client, owner, "documents", line)
        assert status == 422 and answer["field"] == "reported_at", (value, answer)
        assert "YYYY-MM-DD" in answer["details"]["rejected"][0]["reason"], answer
    assert _counts(world) == before


def test_a_birth_year_in_a_search_query_is_ascii_digits(client: TestClient, world: World) -> None:
    officer = world.user("NCB-UTO", Role.INVESTIGATOR)
    for value in ("1970.0", "١٩٧٠", "+1970", "1_970", "١٩٧٠ "):
        found = client.get("/api/v1/persons/search", headers=officer.headers, params={"born_from": value})
        _refused(found, "born_from", "ASCII digits")
    for value in ("1970", " 1970 "):  # spaces around a year: the search always took it (the web page too)
        found = client.get("/api/v1/persons/search", headers=officer.headers, params={"born_from": value})
        assert found.status_code == 200, found.text


def test_a_date_of_birth_refuses_a_unix_time(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    person = _record(4)["persons"]
    for value in ("1830297600", "1978-05-02T00:00:00", 1978):
        created = client.post(
            "/api/v1/persons", headers=owner.headers, json={**person, "dates_of_birth": [value]}
        )
        assert created.status_code == 422 and created.json()["field"] == "dates_of_birth.0", created.text
        checked = client.post(
            "/api/v1/checks/persons",
            headers=owner.headers,
            json={"names": ["Omar Sharif"], "date_of_birth": value},
        )
        assert checked.status_code == 422 and checked.json()["field"] == "date_of_birth", checked.text
