"""An import line takes what the API's create of the same record takes, checked the same way (API and CLI;
persons, documents, vehicles; both engines): the review date, a person's links to travel documents and
vehicles, dates as the create reads them, the create's list limits. The OpenAPI description of an import
body says what each kind's list fields take. A line the create would refuse is a rejected line naming its
line and field, and nothing of the import (API) or of its batch (CLI) is written.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Account, World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.cli.main import app
from peacelink.db.unit_of_work import unit_of_work
from peacelink.documents.models import TravelDocument
from peacelink.persons.models import Person, PersonDocumentLink, PersonVehicleLink
from peacelink.vehicles.models import StolenVehicle

MODELS: dict[str, type] = {
    "persons": Person,
    "documents": TravelDocument,
    "vehicles": StolenVehicle,
    "document links": PersonDocumentLink,
    "vehicle links": PersonVehicleLink,
}
VIN = "WBA71DC010CH14720"
OTHER_VIN = "1M8GDM9AXKP042788"


def _counts(world: World) -> dict[str, int]:
    with unit_of_work(world.state.sessions) as session:
        return {
            name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in MODELS.items()
        }


def _import(
    client: TestClient, account: Account, database: str, body: str, kind: str = "x-ndjson"
) -> tuple[int, dict[str, Any]]:
    content_type = "text/csv" if kind == "csv" else "application/x-ndjson"
    response = client.post(
        f"/api/v1/{database}/import",
        headers={**account.headers, "content-type": content_type},
        content=body.encode(),
    )
    assert response.status_code in (200, 422), response.text
    data: dict[str, Any] = response.json()
    return response.status_code, data


def _create(client: TestClient, account: Account, database: str, body: dict[str, Any]) -> tuple[int, Any]:
    response = client.post(f"/api/v1/{database}", headers=account.headers, json=body)
    assert response.status_code in (201, 422), response.text
    return response.status_code, response.json()


def _record(n: int) -> dict[str, dict[str, Any]]:
    """One new record of each kind (the n-th: its natural key differs from the others')."""
    return {
        "persons": {"reference": f"R-{n}", "names": [{"name": "Omar Sharif"}]},
        "documents": {
            "issuing_country": "UTO",
            "document_type": "passport",
            "number": f"A{n}",
            "status": "stolen",
        },
        "vehicles": {"plate": f"AB{n}CD", "plate_country": "UTO"},
    }


def test_the_import_body_description_says_what_each_kinds_fields_take(client: TestClient) -> None:
    from peacelink.documents.importer import SPEC as DOCUMENTS
    from peacelink.persons.importer import SPEC as PERSONS
    from peacelink.vehicles.importer import SPEC as VEHICLES

    paths = client.get("/api/v1/openapi.json").json()["paths"]
    described = {
        database: paths[f"/api/v1/{database}/import"]["post"]["requestBody"]["description"]
        for database in ("persons", "documents", "vehicles")
    }
    # Persons' names and identifiers take objects too: "a list field a JSON list of strings" was untrue.
    for text in described.values():
        assert "a list field a JSON list of strings" not in text, text
    assert "`names`" in described["persons"] and "{name, kind, script}" in described["persons"]
    assert "`identifiers`" in described["persons"] and "{type, number, country}" in described["persons"]
    # Each kind's description names every field its lines take, the create's envelope fields included.
    for database, spec in (("persons", PERSONS), ("documents", DOCUMENTS), ("vehicles", VEHICLES)):
        missing = [name for name in spec.accepted if f"`{name}`" not in described[database]]
        assert missing == [], (database, missing)
        assert "`review_due`" in described[database]
    assert "`travel_document_ids`" in described["persons"] and "`vehicle_ids`" in described["persons"]
    assert "`travel_document_ids`" not in described["documents"]


def test_the_import_commands_help_names_the_envelope_fields() -> None:
    for database in ("persons", "documents", "vehicles"):
        shown = CliRunner().invoke(app, [database, "import", "--help"], env={"COLUMNS": "200"})
        assert shown.exit_code == 0, shown.output
        text = " ".join(shown.output.replace("│", " ").split())
        assert "review_due" in text and "a JSON list of strings" not in text, text


def test_an_import_line_takes_review_due_as_the_create_does(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    today = dt.date.today()
    due = today + dt.timedelta(days=400)
    for database, body in _record(1).items():
        status, answer = _import(client, owner, database, json.dumps({**body, "review_due": due.isoformat()}))
        assert status == 200 and answer["inserted"] == 1, (database, answer)
        [stored] = client.get(f"/api/v1/{database}", headers=owner.headers).json()
        assert stored["review_due"] == due.isoformat(), (database, stored)
    # In a CSV cell too; an empty cell is the default, as a field left out (5 years from today).
    csv_body = f"reference,names,review_due\nR-2,Ali Hassan,{due.isoformat()}\nR-3,Karim Osman,\n"
    status, answer = _import(client, owner, "persons", csv_body, kind="csv")
    assert status == 200 and answer["inserted"] == 2, answer
    dues = {
        p["reference"]: p["review_due"] for p in client.get("/api/v1/persons", headers=owner.headers).json()
    }
    assert dues["R-2"] == due.isoformat() and dues["R-3"] == today.replace(year=today.year + 5).isoformat()


def test_an_import_line_with_a_review_date_the_create_refuses_is_rejected(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    today = dt.date.today()
    before = _counts(world)
    # (value, whether the import's reason is the create's message word for word: the create's rule)
    refused: list[tuple[Any, bool]] = [
        (today.isoformat(), True),  # not in the future
        ((today - dt.timedelta(days=1)).isoformat(), True),
        ((today + dt.timedelta(days=5 * 366 + 2)).isoformat(), True),  # past the 5 years
        ((today + dt.timedelta(days=30)).strftime("%Y%m%d"), False),  # not YYYY-MM-DD: the create refuses it
        (f"{today.year + 1}-W01-1", False),  # an ISO week date: date.fromisoformat reads it as a day
        ("soon", False),
        (20300101, False),  # a number: the create takes a JSON string
    ]
    for database, body in _record(5).items():
        for value, same_words in refused:
            line = {**body, "review_due": value}
            status, answer = _import(client, owner, database, json.dumps(line))
            assert status == 422 and answer["field"] == "review_due", (database, value, answer)
            [rejected] = answer["details"]["rejected"]
            assert rejected["line"] == 1 and rejected["field"] == "review_due", rejected
            created_status, created = _create(client, owner, database, line)
            assert created_status == 422 and created["field"] == "review_due", (database, value, created)
            if same_words:
                assert rejected["reason"] == created["message"], (rejected, created)
    assert _counts(world) == before


def test_a_person_import_line_links_documents_and_vehicles_as_the_create_does(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    status, document = _create(client, owner, "documents", _record(1)["documents"])
    assert status == 201, document
    status, vehicle = _create(client, caf, "vehicles", {"vin": VIN})  # CAF's, visible to all
    assert status == 201, vehicle
    hidden_body = {"vin": OTHER_VIN, "visibility": "only", "visibility_agencies": ["MINUSCA"]}
    status, hidden = _create(client, caf, "vehicles", hidden_body)  # UTO may not see it
    assert status == 201, hidden
    lines = [
        {
            "reference": "L-1",
            "names": ["Omar Sharif"],
            "travel_document_ids": [document["id"]],
            "vehicle_ids": [vehicle["id"], vehicle["id"]],  # a repeated id is one link, as in the create
        },
        {"reference": "L-2", "names": ["Ali Hassan"], "travel_document_ids": [], "vehicle_ids": None},
    ]
    status, answer = _import(client, owner, "persons", "\n".join(json.dumps(line) for line in lines))
    assert status == 200 and answer["inserted"] == 2, answer
    stored = {p["reference"]: p for p in client.get("/api/v1/persons", headers=owner.headers).json()}
    assert stored["L-1"]["travel_document_ids"] == [document["id"]]
    assert stored["L-1"]["vehicle_ids"] == [vehicle["id"]]
    assert (stored["L-2"]["travel_document_ids"], stored["L-2"]["vehicle_ids"]) == ([], [])
    # A CSV cell: ids separated by ';', as the other list fields.
    csv_body = f'reference,names,vehicle_ids,travel_document_ids\nL-3,Karim Osman,"{vehicle["id"]}",\n'
    status, answer = _import(client, owner, "persons", csv_body, kind="csv")
    assert status == 200 and answer["inserted"] == 1, answer
    [l3] = [p for p in client.get("/api/v1/persons", headers=owner.headers).json() if p["reference"] == "L-3"]
    assert (l3["vehicle_ids"], l3["travel_document_ids"]) == ([vehicle["id"]], [])


def test_a_person_import_line_with_a_link_the_create_refuses_is_rejected(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    status, vehicle = _create(client, owner, "vehicles", {"vin": VIN})
    assert status == 201, vehicle
    hidden_body = {"vin": OTHER_VIN, "visibility": "only", "visibility_agencies": ["MINUSCA"]}
    status, hidden = _create(client, caf, "vehicles", hidden_body)
    assert status == 201, hidden
    before = _counts(world)
    good = {"reference": "K-1", "names": [{"name": "Omar Sharif"}]}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"vehicle_ids": ["no-such-id"]}, "vehicle_ids.0", "no such record no-such-id"),
        # Another agency's record hidden from the importer: the same answer, no trace that it exists.
        ({"vehicle_ids": [vehicle["id"], hidden["id"]]}, "vehicle_ids.1", f"no such record {hidden['id']}"),
        ({"travel_document_ids": [vehicle["id"]]}, "travel_document_ids.0", "no such record"),  # a vehicle
        # Named by its place in the list as given (the create counted it after dropping repeats and blanks).
        (
            {"vehicle_ids": [vehicle["id"], " ", vehicle["id"], "nope"]},
            "vehicle_ids.3",
            "no such record nope",
        ),
        ({"travel_document_ids": [f"D{i}" for i in range(51)]}, "travel_document_ids", "at most 50"),
    ]
    for fields, field, words in cases:
        line = {**good, **fields}
        # The good line before it is not imported either: the body is one batch.
        body = json.dumps({"reference": "K-0", "names": ["Ali Hassan"]}) + "\n" + json.dumps(line)
        status, answer = _import(client, owner, "persons", body)
        assert status == 422 and answer["field"] == field, (fields, answer)
        assert answer["details"]["rejected"] == [
            {"line": 2, "field": field, "reason": answer["details"]["rejected"][0]["reason"]}
        ], answer
        assert words in answer["message"] and "line 2" in answer["message"], answer
        created_status, created = _create(client, owner, "persons", line)
        assert created_status == 422 and created["field"].split(".")[0] == field.split(".")[0], created
        if field != "travel_document_ids":  # the limit: the create's words are pydantic's
            assert created["field"] == field and created["message"] in answer["message"], (created, answer)
    # Ids of the wrong JSON type reject the line naming the item.
    status, answer = _import(client, owner, "persons", json.dumps({**good, "vehicle_ids": [7]}))
    assert status == 422 and answer["field"] == "vehicle_ids.0", answer
    status, answer = _import(client, owner, "persons", json.dumps({**good, "vehicle_ids": vehicle["id"]}))
    assert status == 422 and answer["field"] == "vehicle_ids", answer
    # CSV: the id in a ';'-separated cell is named by its place in the cell.
    csv_body = f'reference,names,vehicle_ids\nK-2,Ali Hassan,"{vehicle["id"]};nope"\n'
    status, answer = _import(client, owner, "persons", csv_body, kind="csv")
    assert status == 422 and answer["field"] == "vehicle_ids.1", answer
    assert _counts(world) == before


def test_the_cli_import_checks_links_per_batch_and_writes_no_bad_batch(
    world: World,
    url: str,  # noqa: F811
    tmp_path: Path,
    client: TestClient,
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    status, vehicle = _create(client, owner, "vehicles", {"vin": VIN})
    assert status == 201, vehicle
    people = tmp_path / "people.jsonl"
    lines = [
        {"reference": "C-1", "names": ["Omar Sharif"], "vehicle_ids": [vehicle["id"]]},
        {"reference": "C-2", "names": ["Ali Hassan"]},
        {"reference": "C-3", "names": ["Karim Osman"], "vehicle_ids": ["nope"]},
        {"reference": "C-4", "names": ["Lina Haddad"], "vehicle_ids": [vehicle["id"]]},
    ]
    people.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    username = owner.actor.username
    report = run(url, username, "persons", "import", str(people), "--batch-size", "2", code=1)
    assert isinstance(report, dict), report
    assert report["rejected"] == [{"line": 3, "field": "vehicle_ids.0", "reason": "no such record nope"}]
    assert (report["inserted"], report["batches_committed"], report["batches_rejected"]) == (2, 1, 1)
    with unit_of_work(world.state.sessions) as session:
        references = sorted(session.scalars(select(Person.reference)))
        links = session.execute(
            select(Person.reference, PersonVehicleLink.vehicle_id).join(
                PersonVehicleLink, PersonVehicleLink.person_id == Person.id
            )
        ).all()
    assert references == ["C-1", "C-2"]
    assert [tuple(link) for link in links] == [("C-1", vehicle["id"])]


def test_import_dates_and_lists_are_read_as_the_create_reads_them(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    before = _counts(world)
    records = _record(7)
    week_date = "2024-W01-1"  # date.fromisoformat read it as 2024-01-01; the create refuses it
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("documents", {**records["documents"], "reported_at": week_date}, "reported_at"),
        ("documents", {**records["documents"], "reported_at": "20240101"}, "reported_at"),
        ("documents", {**records["documents"], "holder_birth_date": "19780502"}, "holder_birth_date"),
        ("vehicles", {**records["vehicles"], "reported_at": week_date}, "reported_at"),
        # Seven crime areas or warnings (one repeated): the create takes at most 6.
        ("persons", {**records["persons"], "crime_areas": ["drugs"] * 7}, "crime_areas"),
        ("persons", {**records["persons"], "warnings": ["armed"] * 7}, "warnings"),
    ]
    for database, line, field in cases:
        status, answer = _import(client, owner, database, json.dumps(line))
        assert status == 422 and answer["field"] == field, (line, answer)
        created_status, created = _create(client, owner, database, line)
        assert created_status == 422 and created["field"] == field, (line, created)
    assert _counts(world) == before
