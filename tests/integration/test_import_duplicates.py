"""The import report names each duplicate line and why it was skipped (both databases); the list is capped."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World

from peacelink.access import Role
from peacelink.checks.bulk_import import ImportReport, import_stream
from peacelink.checks.import_duplicates import ALREADY_CANCELLED, MAX_LISTED
from peacelink.db.unit_of_work import unit_of_work
from peacelink.documents.importer import SPEC as DOCUMENTS
from peacelink.documents.models import TravelDocument
from peacelink.persons import importer as persons
from peacelink.persons.models import Person
from peacelink.vehicles.importer import SPEC as VEHICLES

HEADER = "issuing_country,document_type,number,status"
VIN = "WBA71DC010CH14720"


def _listed(report: ImportReport | dict[str, Any]) -> list[tuple[int, str, int | None, dict[str, str]]]:
    lines = report.duplicate_lines if isinstance(report, ImportReport) else report["duplicate_lines"]
    return [(d["line"], d["reason"], d["first_line"], d["key"]) for d in lines]


def _document(number: str, kind: str = "passport") -> dict[str, str]:
    return {"issuing_country": "UTO", "number": number, "document_type": kind}


def test_documents_repeated_in_the_file_and_already_present_across_batches(world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    held = import_stream(
        world.state.sessions,
        actor=uto,
        spec=DOCUMENTS,
        stream=[HEADER, "UTO,passport,OLD1,stolen"],
        fmt="csv",
        source="before.csv",
    )
    assert (held.inserted, held.duplicates, held.duplicate_lines) == (1, 0, [])
    lines = [
        HEADER,  # line 1
        "UTO,passport,OLD1,stolen",  # 2: held before this import
        "UTO,passport,N1,stolen",  # 3
        "UTO,passport,n 1,lost",  # 4: the same number once compacted, same batch as line 3
        "UTO,passport,OLD1,lost",  # 5: a repeat of line 2, which did not go in either
        "UTO,visa,N1,stolen",  # 6: another document type, another document
        "",  # 7: blank, not a record
        'UTO,passport,"N-1",stolen',  # 8: the second batch, a repeat of line 3 (found in the database)
        "UTO,passport,N2,stolen",  # 9
        "UTO,visa,OLD1,stolen",  # 10
        "UTO,passport,N2,stolen",  # 11: a repeat of line 9 in the same (second) batch
    ]
    report = import_stream(
        world.state.sessions,
        actor=uto,
        spec=DOCUMENTS,
        stream=lines,
        fmt="csv",
        source="test.csv",
        batch_size=5,
    )
    assert (report.lines, report.inserted, report.duplicates, report.batches_committed) == (9, 4, 5, 2)
    assert _listed(report) == [
        (2, "already present", None, _document("OLD1")),
        (4, "repeated in this file (first on line 3)", 3, _document("N1")),
        (5, "already present", None, _document("OLD1")),
        (8, "repeated in this file (first on line 3)", 3, _document("N1")),
        (11, "repeated in this file (first on line 9)", 9, _document("N2")),
    ]
    assert report.to_dict()["duplicate_lines_omitted"] == 0
    with unit_of_work(world.state.sessions) as session:
        kept = session.execute(
            select(TravelDocument.number, TravelDocument.document_status).where(TravelDocument.number == "N1")
        ).all()
    assert sorted(tuple(row) for row in kept) == [("N1", "stolen"), ("N1", "stolen")]  # lines 3 and 6

    # Run again: every line is now held, so every one is "already present", the first line of each key too.
    again = import_stream(
        world.state.sessions,
        actor=uto,
        spec=DOCUMENTS,
        stream=lines,
        fmt="csv",
        source="test.csv",
        batch_size=5,
    )
    assert (again.inserted, again.duplicates) == (0, 9)
    assert [(line, reason) for line, reason, _, _ in _listed(again)] == [
        (line, "already present") for line in (2, 3, 4, 5, 6, 8, 9, 10, 11)
    ]


def test_vehicles_by_vin_and_by_plate(world: World) -> None:
    mission = world.user("MINUSCA", Role.INVESTIGATOR).actor
    rows = [
        {"vin": VIN, "plate": "AB 1", "plate_country": "FRA"},  # 1
        {"plate": "AB 1", "plate_country": "FRA"},  # 2: no VIN, so keyed by plate: another vehicle
        {"vin": VIN.lower()},  # 3: the VIN of line 1
        {"plate": "ab-1", "plate_country": "FRA"},  # 4: the plate of line 2
    ]
    report = import_stream(
        world.state.sessions,
        actor=mission,
        spec=VEHICLES,
        stream=[json.dumps(r) for r in rows],
        fmt="jsonl",
        source="v.jsonl",
    )
    assert (report.inserted, report.duplicates) == (2, 2)
    assert _listed(report) == [
        (3, "repeated in this file (first on line 1)", 1, {"vin": VIN}),
        (4, "repeated in this file (first on line 2)", 2, {"plate_country": "FRA", "plate": "AB1"}),
    ]
    again = import_stream(
        world.state.sessions,
        actor=mission,
        spec=VEHICLES,
        stream=[json.dumps(rows[1]), json.dumps(rows[0])],
        fmt="jsonl",
        source="v.jsonl",
    )
    assert _listed(again) == [
        (1, "already present", None, {"plate_country": "FRA", "plate": "AB1"}),
        (2, "already present", None, {"vin": VIN}),
    ]


def test_persons_repeated_and_already_present_through_the_cli_path_and_the_api(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)

    def line(reference: str, name: str) -> str:
        return json.dumps({"reference": reference, "names": [name]})

    persons.import_stream(
        world.state.sessions,
        actor=owner.actor,
        stream=[line("UTO-2", "Ahmed Hassan Ali")],
        fmt="jsonl",
        source="t",
    )
    file = [
        line("P-1", "Karim Osman"),  # 1
        line("P-1", "Other Name"),  # 2: the first line wins
        line("UTO-2", "Xavier Yusuf"),  # 3: held
        "",  # 4
        line("P-2", "Lina Haddad"),  # 5: second batch
        line("P-1", "Third Name"),  # 6
    ]
    report = persons.import_stream(
        world.state.sessions, actor=owner.actor, stream=file, fmt="jsonl", source="t", batch_size=3
    )
    assert (report.inserted, report.duplicates) == (2, 3)
    assert _listed(report) == [
        (2, "repeated in this file (first on line 1)", 1, {"reference": "P-1"}),
        (3, "already present", None, {"reference": "UTO-2"}),
        (6, "repeated in this file (first on line 1)", 1, {"reference": "P-1"}),
    ]
    body = "\n".join([line("P-3", "Omar Sleiman"), line("P-2", "Lina Haddad"), line("P-3", "Omar Sami")])
    answer = client.post(
        "/api/v1/persons/import",
        headers={**owner.headers, "content-type": "application/x-ndjson"},
        content=body,
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert (data["inserted"], data["duplicates"], data["duplicate_lines_omitted"]) == (1, 2, 0)
    assert _listed(data) == [
        (2, "already present", None, {"reference": "P-2"}),
        (3, "repeated in this file (first on line 1)", 1, {"reference": "P-3"}),
    ]
    with unit_of_work(world.state.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 4
    # A cancelled record keeps its reference: re-importing its line says so, rather than "already present".
    p2 = client.get("/api/v1/persons", headers=owner.headers).json()
    [held] = [p for p in p2 if p["reference"] == "P-2"]
    cancelled = client.post(
        f"/api/v1/persons/{held['id']}/cancel", headers=owner.headers, json={"version": held["version"]}
    )
    assert cancelled.status_code == 200, cancelled.text
    again = persons.import_stream(
        world.state.sessions, actor=owner.actor, stream=[line("P-2", "Lina Haddad")], fmt="jsonl", source="t"
    )
    assert (again.inserted, again.duplicates) == (0, 1)
    assert _listed(again) == [(1, ALREADY_CANCELLED, None, {"reference": "P-2"})]
    assert ALREADY_CANCELLED.startswith("already present and cancelled")


def test_the_list_is_capped_and_the_count_complete(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    extra = 7
    lines = [HEADER] + [f"UTO,passport,C{i:05d},stolen" for i in range(MAX_LISTED + extra)]
    first = import_stream(
        world.state.sessions, actor=uto.actor, spec=DOCUMENTS, stream=lines, fmt="csv", source="c.csv"
    )
    assert (first.inserted, first.duplicates) == (MAX_LISTED + extra, 0)
    # The cap is reached inside the second of three batches; the third is only counted.
    again = import_stream(
        world.state.sessions,
        actor=uto.actor,
        spec=DOCUMENTS,
        stream=lines,
        fmt="csv",
        source="c.csv",
        batch_size=400,
    )
    data = again.to_dict()
    assert (data["inserted"], data["duplicates"], data["duplicate_lines_omitted"]) == (
        0,
        MAX_LISTED + extra,
        extra,
    )
    assert [d["line"] for d in data["duplicate_lines"]] == list(range(2, MAX_LISTED + 2))
    assert {d["reason"] for d in data["duplicate_lines"]} == {"already present"}
    answer = client.post(
        "/api/v1/documents/import",
        headers={**uto.headers, "content-type": "text/csv"},
        content="\n".join(lines),
    )
    body = answer.json()
    assert answer.status_code == 200 and body["duplicates"] == MAX_LISTED + extra
    assert (len(body["duplicate_lines"]), body["duplicate_lines_omitted"]) == (MAX_LISTED, extra)


def test_the_openapi_schema_describes_the_list_and_its_cap(client: TestClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    report = schemas["ImportReportOut"]["properties"]
    assert f"first {MAX_LISTED:,} duplicate lines" in report["duplicate_lines"]["description"]
    assert (
        "duplicates = len(duplicate_lines) + duplicate_lines_omitted"
        in (report["duplicate_lines_omitted"]["description"])
    )
    assert set(schemas["DuplicateLine"]["properties"]) == {"line", "reason", "first_line", "key"}
    assert "already present" in schemas["DuplicateLine"]["properties"]["reason"]["description"]
