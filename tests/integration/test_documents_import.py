"""Bulk import on both databases: batches, all-or-nothing per batch, idempotency, ranges, API import."""

from __future__ import annotations

import json
import time

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World

from peacelink.access import Role
from peacelink.checks import service as checks
from peacelink.checks.bulk_import import import_stream
from peacelink.db.unit_of_work import unit_of_work
from peacelink.documents.importer import SPEC
from peacelink.documents.models import TravelDocument
from peacelink.documents.schemas import DocumentCheck
from peacelink.vehicles.importer import SPEC as VEHICLES

HEADER = "issuing_country,document_type,number,status,reported_at,place,holder_name,holder_birth_date,action"


def _count(world: World) -> int:
    with unit_of_work(world.state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(TravelDocument)) or 0)


def test_csv_batches_are_all_or_nothing_and_reimport_is_idempotent(world: World) -> None:
    actor = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    lines = [HEADER] + [
        f"UTO,passport,P{i:05d},stolen,2024-01-02,Town,DOE JANE,1990-02-03,seize" for i in range(25)
    ]
    lines[13] = "UTO,passport,P00012,stolen,not-a-date,,,,"  # line 14 of the file, in the second batch
    lines.append("CAF,passport,C1,stolen,,,,,")  # another country's document: refused for NCB-UTO
    report = import_stream(
        world.state.sessions,
        actor=actor,
        spec=SPEC,
        stream=lines,
        fmt="csv",
        source="test.csv",
        batch_size=10,
    )
    assert report.lines == 26 and report.batches_rejected == 2 and report.batches_committed == 1
    assert [(r["line"], r["field"]) for r in report.rejected] == [
        (14, "reported_at"),
        (27, "issuing_country"),
    ]
    assert report.inserted == 10 and _count(world) == 10

    lines[13] = "UTO,passport,P00012,stolen,2024-01-02,,,,"
    lines.pop()
    again = import_stream(
        world.state.sessions,
        actor=actor,
        spec=SPEC,
        stream=lines,
        fmt="csv",
        source="test.csv",
        batch_size=10,
    )
    assert (again.inserted, again.duplicates, again.rejected_count) == (15, 10, 0)
    third = import_stream(
        world.state.sessions,
        actor=actor,
        spec=SPEC,
        stream=lines,
        fmt="csv",
        source="test.csv",
        batch_size=10,
    )
    assert (third.inserted, third.duplicates) == (0, 25) and _count(world) == 25


def test_jsonl_ranges_are_found_by_index(world: World) -> None:
    actor = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    rows = [
        {
            "issuing_country": "UTO",
            "document_type": "passport",
            "number": "BL000100",
            "range_end": "BL000199",
            "status": "stolen_blank",
            "action": "seize the blank",
        },
        {"issuing_country": "UTO", "document_type": "identity_card", "number": "ID42", "status": "lost"},
    ]
    stream = [json.dumps(r) for r in rows]
    report = import_stream(
        world.state.sessions, actor=actor, spec=SPEC, stream=stream, fmt="jsonl", source="x"
    )
    assert report.inserted == 2
    expectations = {
        "BL000150": "range",
        "BL000100": "range",
        "BL000199": "range",
        "BL000200": None,
        "BL00150": None,
        "ID42": "exact",
        "id42": "exact",
        "IDA2": None,
        "1D42": "confusable",
    }
    with unit_of_work(world.state.sessions) as session:
        for number, match in expectations.items():
            answer = checks.check_document(
                session, actor=officer, data=DocumentCheck(issuing_country="UTO", number=number)
            )
            assert (answer.hits[0].match if answer.hits else None) == match, number


def test_api_import_changes_nothing_on_a_bad_line(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    body = f"{HEADER}\nUTO,visa,V1,stolen,,,,,\nUTO,visa,V2,stolen,,,,,\nUTO,visa,V3,stolen,2999-01-01,,,,\n"
    bad = client.post(
        "/api/v1/documents/import", headers={**uto.headers, "content-type": "text/csv"}, content=body
    )
    assert bad.status_code == 422 and bad.json()["field"] == "reported_at"
    assert bad.json()["details"]["rejected"][0]["line"] == 4 and _count(world) == 0
    good = body.replace("2999-01-01", "")
    first = client.post(
        "/api/v1/documents/import", headers={**uto.headers, "content-type": "text/csv"}, content=good
    )
    assert first.status_code == 200 and first.json()["inserted"] == 3
    again = client.post(
        "/api/v1/documents/import", headers={**uto.headers, "content-type": "text/csv"}, content=good
    )
    assert again.json()["inserted"] == 0 and again.json()["duplicates"] == 3
    mission = world.user("MINUSCA", Role.INVESTIGATOR)
    refused = client.post(
        "/api/v1/documents/import", headers={**mission.headers, "content-type": "text/csv"}, content=good
    )
    assert refused.status_code == 403

    vehicles = '{"vin": "WBA71DC010CH14720", "plate": "AB 1", "plate_country": "FRA"}\n{"plate": "X9"}\n'
    vbad = client.post(
        "/api/v1/vehicles/import",
        headers={**mission.headers, "content-type": "application/x-ndjson"},
        content=vehicles,
    )
    assert vbad.status_code == 422 and vbad.json()["field"] == "plate_country"
    vgood = client.post(
        "/api/v1/vehicles/import",
        headers={**mission.headers, "content-type": "application/x-ndjson"},
        content=vehicles.splitlines()[0],
    )
    assert vgood.status_code == 200 and vgood.json()["inserted"] == 1
    assert VEHICLES.database == "vehicles"


def test_the_document_look_up_is_one_statement_of_index_searches(world: World) -> None:
    """Exact/confusable and blank-range search run as one UNION ALL; each arm is an index search."""
    from sqlalchemy import text

    from peacelink.documents import lookup

    _exact, both = lookup._statements()
    with unit_of_work(world.state.sessions) as session:
        connection = session.connection()
        values = {"country": "UTO", "key": "BL000150", "prefix": "BL", "width": 6, "digits": 150}
        compiled = both.params(values).compile(connection, compile_kwargs={"literal_binds": True})
        if connection.dialect.name == "sqlite":
            plan = " ".join(str(r[-1]) for r in connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "USING INDEX ix_travel_documents_lookup" in plan, plan
            assert "USING INDEX ix_travel_documents_range" in plan, plan
            assert "SCAN travel_documents" not in plan, plan
        else:
            # Empty tables without statistics: PostgreSQL may pick any index on the country, so this only
            # asks that both arms can run on an index (the benchmark's EXPLAIN at 10M shows the real plan).
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(r[0] for r in connection.execute(text(f"EXPLAIN {compiled}")))
            assert plan.count("Index Scan") + plan.count("Bitmap Index Scan") >= 2, plan
            assert "Seq Scan on travel_documents" not in plan, plan


def test_owner_codes_are_read_once_per_session_factory(world: World) -> None:
    """A hit names its owner's code; sessions of one factory share it, so a later hit asks no query."""
    from sqlalchemy import event

    uto = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    rows = [f"UTO,passport,P{i},stolen,,,,," for i in range(2)]
    import_stream(world.state.sessions, actor=uto, spec=SPEC, stream=[HEADER, *rows], fmt="csv", source="t")
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = world.state.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        for number in ("P0", "P1"):
            with unit_of_work(world.state.sessions) as session:
                answer = checks.check_document(
                    session, actor=officer, data=DocumentCheck(issuing_country="UTO", number=number)
                )
            assert answer.hits[0].owner_agency == "NCB-UTO"
            asked = [s for s in statements if "FROM agencies" in s]
            assert len(asked) == 1, statements  # the first check asked, the second did not
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_an_import_analyses_what_it_loaded_on_postgresql(world: World) -> None:
    """After a bulk import PostgreSQL's planner has statistics and the pages their visibility bits
    (db/bulk.vacuum_analyze); SQLite needs neither."""
    import pytest
    from sqlalchemy import text

    if world.state.engine.dialect.name == "sqlite":
        pytest.skip("SQLite's plans here do not depend on ANALYZE")
    count = text(
        "SELECT analyze_count + vacuum_count FROM pg_stat_user_tables"
        " WHERE relid = 'travel_documents'::regclass"
    )

    def analysed() -> int:
        """ANALYZE and VACUUM runs on the table (each counts one; the statistics lag a little behind)."""
        for _ in range(50):
            with world.state.engine.connect() as connection:
                connection.execute(text("SELECT pg_stat_clear_snapshot()"))
                found = int(connection.execute(count).scalar() or 0)
            if found >= expected:
                return found
            time.sleep(0.1)
        return found

    actor = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    expected = 0
    before = analysed()
    rows = [HEADER, "UTO,passport,A1,stolen,,,,,"]
    import_stream(world.state.sessions, actor=actor, spec=SPEC, stream=rows, fmt="csv", source="t")
    expected = before + 2
    assert analysed() == before + 2
    import_stream(world.state.sessions, actor=actor, spec=SPEC, stream=rows, fmt="csv", source="t")
    assert analysed() == before + 2  # nothing new inserted: nothing to vacuum or analyse
