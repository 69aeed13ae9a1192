"""Strict CSV on every import path (API and CLI; persons, documents, vehicles) and on both engines: a
broken quote, surplus cells or a repeated header column are refused with the line named, nothing written.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.documents.models import TravelDocument
from peacelink.persons.models import Person
from peacelink.vehicles.models import StolenVehicle

RUNAWAY = 'reference,names,dates_of_birth\nQ-1,"Bad quote,1978\nQ-2,Second Row,1979\nQ-3,Third Row,1980\n'
DOCUMENTS = "issuing_country,document_type,number,status"


def _count(world: World, model: type) -> int:
    with unit_of_work(world.state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _post(client: TestClient, headers: dict[str, str], database: str, body: str | bytes) -> dict[str, object]:
    response = client.post(
        f"/api/v1/{database}/import", headers={**headers, "content-type": "text/csv"}, content=body
    )
    assert response.status_code in (200, 422), response.text
    data: dict[str, object] = {"status": response.status_code, **response.json()}
    return data


def test_api_refuses_a_runaway_quote_surplus_cells_and_repeated_columns(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).headers
    runaway = _post(client, owner, "persons", RUNAWAY)
    assert runaway["status"] == 422 and "line 2" in str(runaway["message"]), runaway
    assert "never closed" in str(runaway["message"]) and _count(world, Person) == 0
    surplus = _post(client, owner, "persons", "reference,names\nX-0,Good Row\nX-1,Extra Field,surplus,more\n")
    assert surplus["status"] == 422 and "line 3" in str(surplus["message"]), surplus
    assert "4 cells" in str(surplus["message"]) and _count(world, Person) == 0
    repeated = _post(client, owner, "persons", "reference,reference,names\nR-1,R-2,Some Name\n")
    assert repeated["status"] == 422 and repeated["field"] == "header", repeated
    assert "reference" in str(repeated["message"]) and _count(world, Person) == 0

    documents = _post(client, owner, "documents", f'{DOCUMENTS}\nUTO,visa,"V1,stolen\nUTO,visa,V2,stolen\n')
    assert documents["status"] == 422 and "line 2" in str(documents["message"]), documents
    documents = _post(client, owner, "documents", f"{DOCUMENTS}\nUTO,visa,V1,stolen,surplus\n")
    assert documents["status"] == 422 and "line 2" in str(documents["message"]), documents
    assert _count(world, TravelDocument) == 0
    vehicles = _post(client, owner, "vehicles", "vin,plate,plate,plate_country\nWBA71DC010CH14720,A,B,FRA\n")
    assert vehicles["status"] == 422 and vehicles["field"] == "header", vehicles
    assert _count(world, StolenVehicle) == 0


def test_api_keeps_legitimate_quoting_bom_crlf_and_line_breaks_in_fields(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    body = (
        "\ufeffreference,names,dates_of_birth,description\r\n"
        'G-1,"Omar Khattab;Abu Hafs",1970;1971,"scar on the left cheek\r\nlimps"\r\n'
        'G-2,"Ali ""the Tall"" Hassan",1980,\r\n'
        "G-3,Short Row\r\n"
        "G-4,Trailing Commas,1981,,\r\n"
    ).encode()
    done = _post(client, owner.headers, "persons", body)
    assert done["status"] == 200 and done["inserted"] == 4, done
    stored = {p["reference"]: p for p in client.get("/api/v1/persons", headers=owner.headers).json()}
    # The line break inside the quoted description is kept (the body was split with splitlines() before,
    # which dropped it: "cheeklimps").
    assert stored["G-1"]["description"] == "scar on the left cheek\r\nlimps"
    assert [n["name"] for n in stored["G-2"]["names"]] == ['Ali "the Tall" Hassan']
    assert stored["G-3"]["dates_of_birth"] == [] and stored["G-4"]["dates_of_birth"] == ["1981"]


def test_cli_refuses_a_runaway_quote_and_surplus_cells(world: World, url: str, tmp_path: Path) -> None:  # noqa: F811
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor.username
    quoted = tmp_path / "q.csv"
    quoted.write_text(RUNAWAY, encoding="utf-8")
    report = run(url, owner, "persons", "import", str(quoted), code=1)
    assert isinstance(report, dict) and report["inserted"] == 0 and report["batches_rejected"] == 1
    [rejected] = report["rejected"]
    assert rejected["line"] == 2 and "never closed" in rejected["reason"], rejected
    surplus = tmp_path / "surplus.csv"
    surplus.write_text("reference,names\nX-0,Good Row\nX-1,Extra Field,surplus,more\n", encoding="utf-8")
    report = run(url, owner, "persons", "import", str(surplus), code=1)
    assert isinstance(report, dict) and report["inserted"] == 0
    assert [r["line"] for r in report["rejected"]] == [3]
    assert _count(world, Person) == 0
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("reference,names,names\nR-1,One,Two\n", encoding="utf-8")
    refused = run(url, owner, "persons", "import", str(repeated), code=2)
    assert isinstance(refused, dict) and refused["error"] == "invalid", refused
    assert "names" in str(refused["message"]) and "(header)" in str(refused["message"])
    good = tmp_path / "good.csv"
    good.write_bytes(
        b'\xef\xbb\xbfreference,names\r\nG-1,"Two\r\nLines"\r\nG-2,"Ali ""the Tall"" Hassan"\r\n'
    )
    report = run(url, owner, "persons", "import", str(good))
    assert isinstance(report, dict) and report["inserted"] == 2 and _count(world, Person) == 2
