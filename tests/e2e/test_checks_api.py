"""The document and vehicle checks over HTTP: report -> check -> hit -> owner's queue -> decision."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Account, World

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work

SPECIMEN_TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


def _report(client: TestClient, account: Account, **fields: object) -> dict[str, object]:
    body = {
        "issuing_country": "UTO",
        "document_type": "passport",
        "number": "L898902C3",
        "status": "stolen",
        "action": "seize the document, call NCB Utopia",
        **fields,
    }
    response = client.post("/api/v1/documents", headers=account.headers, json=body)
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()
    return data


def test_document_check_hit_queue_and_decision(client: TestClient, world: World) -> None:
    reporter = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    document = _report(client, reporter, holder_name="ERIKSSON ANNA MARIA")
    assert document["owner_agency"] == "NCB-UTO" and document["version"] == 1

    by_fields = client.post(
        "/api/v1/checks/documents",
        headers=officer.headers,
        json={"issuing_country": "uto", "number": "l898 902c3"},
    )
    assert by_fields.status_code == 200, by_fields.text
    answer = by_fields.json()
    assert answer["result"] == "hit"
    [hit] = answer["hits"]
    assert hit["owner_agency"] == "NCB-UTO" and hit["match"] == "exact" and hit["confidence"] == "high"
    assert hit["action"] == "seize the document, call NCB Utopia"
    assert hit["record"]["number"] == "L898902C3" and hit["database"] == "documents"

    by_mrz = client.post("/api/v1/checks/documents", headers=officer.headers, json={"mrz": SPECIMEN_TD3})
    assert by_mrz.json()["result"] == "hit" and by_mrz.json()["hits"][0]["match"] == "exact"

    # OCR read O for 0: found, but flagged lower confidence.
    fuzzy = client.post(
        "/api/v1/checks/documents",
        headers=officer.headers,
        json={"issuing_country": "UTO", "number": "L8989O2C3"},
    ).json()
    assert fuzzy["result"] == "hit" and fuzzy["hits"][0]["confidence"] == "low"
    assert fuzzy["hits"][0]["match"] == "confusable"

    miss = client.post(
        "/api/v1/checks/documents",
        headers=officer.headers,
        json={"issuing_country": "UTO", "number": "X1234567"},
    ).json()
    assert miss["result"] == "no_hit" and miss["hits"] == []

    # The owner's queue holds the three hits; the searcher sees them as outcomes.
    queue = client.get("/api/v1/hits", headers=reporter.headers, params={"status": "new"}).json()
    assert len(queue) == 3 and {h["searching_agency"] for h in queue} == {"MINUSCA"}
    decided = client.post(
        f"/api/v1/hits/{hit['hit_id']}/confirm",
        headers=reporter.headers,
        json={"note": "confirmed: passport stolen 2024, seize it"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "confirmed"
    again = client.post(f"/api/v1/hits/{hit['hit_id']}/reject", headers=reporter.headers, json={"note": "x"})
    assert again.status_code == 409
    mine = client.get("/api/v1/hits", headers=officer.headers, params={"view": "mine"}).json()
    outcome = next(h for h in mine if h["id"] == hit["hit_id"])
    assert outcome["status"] == "confirmed" and outcome["note"].startswith("confirmed")
    assert outcome["decided_by"] == reporter.actor.username

    # Only a supervisor of the owner agency decides.
    other = world.user("NCB-CAF", Role.SUPERVISOR)
    foreign = client.post(
        f"/api/v1/hits/{fuzzy['hits'][0]['hit_id']}/confirm", headers=other.headers, json={"note": "not ours"}
    )
    assert foreign.status_code == 404

    # One audit event per check, with the hit ids.
    with unit_of_work(world.state.sessions) as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "check.documents").order_by(AuditEvent.seq)
        ).all()
    assert len(events) == 4
    assert events[0].result_ids == [hit["hit_id"]] and events[0].query["number"] == "L898902C3"
    assert events[3].result_ids == []


def test_only_the_issuing_ncb_reports_and_edits(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    body = {"issuing_country": "UTO", "document_type": "passport", "number": "P1", "status": "lost"}
    for agency in ("NCB-CAF", "MINUSCA", "CENTRAL"):
        account = world.user(agency, Role.INVESTIGATOR, Role.SUPERVISOR)
        refused = client.post("/api/v1/documents", headers=account.headers, json=body)
        assert refused.status_code == 403, agency
    created = _report(client, uto, number="P1", status="lost")
    doc_id = created["id"]
    stale = client.patch(
        f"/api/v1/documents/{doc_id}", headers=uto.headers, json={"version": 7, "place": "x"}
    )
    assert stale.status_code == 409
    changed = client.patch(
        f"/api/v1/documents/{doc_id}", headers=uto.headers, json={"version": 1, "place": "Airport"}
    )
    assert (
        changed.status_code == 200 and changed.json()["version"] == 2 and changed.json()["place"] == "Airport"
    )
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    assert (
        client.patch(
            f"/api/v1/documents/{doc_id}", headers=caf.headers, json={"version": 2, "place": "y"}
        ).status_code
        == 403
    )
    bad = client.post(
        "/api/v1/documents", headers=uto.headers, json={**body, "number": "P2", "status": "gone"}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "status"
    duplicate = client.post("/api/v1/documents", headers=uto.headers, json=body)
    assert duplicate.status_code == 409
    cancelled = client.post(f"/api/v1/documents/{doc_id}/cancel", headers=uto.headers, json={"version": 2})
    assert cancelled.status_code == 200 and cancelled.json()["record_status"] == "cancelled"
    check = client.post(
        "/api/v1/checks/documents", headers=caf.headers, json={"issuing_country": "UTO", "number": "P1"}
    )
    assert check.json()["result"] == "no_hit"


def test_excluded_agency_gets_no_hit_and_only_the_owner_is_told(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _report(client, owner, number="H1", visibility="all_except", visibility_agencies=["MINUSCA"])
    answer = client.post(
        "/api/v1/checks/documents", headers=officer.headers, json={"issuing_country": "UTO", "number": "H1"}
    ).json()
    assert answer["result"] == "no_hit" and answer["hits"] == []
    queue = client.get("/api/v1/hits", headers=owner.headers).json()
    assert (
        len(queue) == 1 and queue[0]["excluded_agency"] is True and queue[0]["searching_agency"] == "MINUSCA"
    )
    assert client.get("/api/v1/hits", headers=officer.headers, params={"view": "mine"}).json() == []
    assert client.get(f"/api/v1/hits/{queue[0]['id']}", headers=officer.headers).status_code == 404


def test_check_input_errors_name_the_field(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    cases = [
        ({"number": "X1"}, "issuing_country"),
        ({"issuing_country": "ZZZ", "number": "X1"}, "issuing_country"),
        ({"issuing_country": "UTO", "number": "X-?"}, "number"),
        ({"mrz": ["P<UTO"]}, "mrz"),
        ({"issuing_country": "UTO", "number": "X1", "colour": "red"}, "colour"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/checks/documents", headers=officer.headers, json=body)
        assert response.status_code == 422, body
        assert response.json()["field"] == field, response.json()
    vehicle = client.post("/api/v1/checks/vehicles", headers=officer.headers, json={"plate": "AB 123"})
    assert vehicle.status_code == 422 and vehicle.json()["field"] == "country"
    with unit_of_work(world.state.sessions) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("check.%"))
            )
            == 0
        )


def test_vehicle_check_by_vin_and_plate(client: TestClient, world: World) -> None:
    owner = world.user("NCB-CAF", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    created = client.post(
        "/api/v1/vehicles",
        headers=owner.headers,
        json={
            "vin": "1M8GDM9AXKP042788",
            "plate": "RCA 123 AB",
            "plate_country": "CAF",
            "make": "Toyota",
            "colour": "white",
            "action": "hold the vehicle and the driver",
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["plate"] == "RCA123AB"
    by_vin = client.post(
        "/api/v1/checks/vehicles", headers=officer.headers, json={"vin": "1m8-gdm9axkp042788"}
    ).json()
    assert by_vin["result"] == "hit" and by_vin["hits"][0]["action"] == "hold the vehicle and the driver"
    by_plate = client.post(
        "/api/v1/checks/vehicles", headers=officer.headers, json={"plate": "rca-123-ab", "country": "CAF"}
    ).json()
    assert by_plate["hits"][0]["match"] == "exact"
    fuzzy = client.post(
        "/api/v1/checks/vehicles", headers=officer.headers, json={"plate": "RCA I23 AB", "country": "CAF"}
    ).json()
    assert fuzzy["hits"][0]["confidence"] == "low"
    other_country = client.post(
        "/api/v1/checks/vehicles", headers=officer.headers, json={"plate": "RCA123AB", "country": "UTO"}
    ).json()
    assert other_country["result"] == "no_hit"
    vehicle_id = created.json()["id"]
    other = world.user("NCB-UTO", Role.INVESTIGATOR)
    assert (
        client.patch(
            f"/api/v1/vehicles/{vehicle_id}", headers=other.headers, json={"version": 1, "colour": "red"}
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/vehicles/{vehicle_id}", headers=owner.headers, json={"version": 1, "colour": "red"}
        ).json()["colour"]
        == "red"
    )


def test_checkpoint_pages_check_and_decide(client: TestClient, world: World) -> None:
    from tests.e2e.test_web_signin import _csrf, _sign_in

    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    _report(client, owner)
    _sign_in(client, officer.actor.username, officer.password, officer.totp_secret)
    home = client.get("/")
    assert 'action="/checks/document"' in home.text and "Plaque d&#39;immatriculation" in home.text
    csrf = _csrf(home.text)
    result = client.post("/checks/document", data={"csrf": csrf, "mrz": "\n".join(SPECIMEN_TD3)})
    assert result.status_code == 200 and 'data-result="hit"' in result.text and "NCB-UTO" in result.text
    none = client.post("/checks/vehicle", data={"csrf": csrf, "plate": "ZZ1", "country": "CAF"})
    assert 'data-result="no_hit"' in none.text
    bad = client.post("/checks/vehicle", data={"csrf": csrf, "plate": "ZZ1"})
    assert bad.status_code == 422
    assert "Champ : <bdi>Pays d&#39;immatriculation (ISO alpha-3)</bdi>" in bad.text
    forged = client.post(
        "/checks/document", data={"csrf": "forged", "number": "X1", "issuing_country": "UTO"}
    )
    assert forged.status_code == 403
    client.cookies.clear()

    _sign_in(client, owner.actor.username, owner.password, owner.totp_secret)
    queue = client.get("/hits")
    assert queue.status_code == 200 and 'data-status="new"' in queue.text
    hit_id = queue.text.split('id="hit-', 1)[1].split('"', 1)[0]
    decided = client.post(
        f"/hits/{hit_id}/decide",
        follow_redirects=False,
        data={"csrf": _csrf(queue.text), "decision": "reject", "note": "specimen"},
    )
    assert decided.status_code == 303
    assert 'data-status="rejected"' in client.get("/hits").text
