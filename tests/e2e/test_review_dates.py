"""Review reminders: the owner lists records falling due, renews them, and expired ones stop being served."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from tests.conftest import World

from peacelink.access import Role


def test_due_for_review_and_renewal(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    later = (dt.date.today() + dt.timedelta(days=1500)).isoformat()
    body = {"issuing_country": "UTO", "document_type": "passport", "status": "stolen"}
    due = client.post(
        "/api/v1/documents", headers=uto.headers, json={**body, "number": "R1", "review_due": soon}
    )
    fine = client.post(
        "/api/v1/documents", headers=uto.headers, json={**body, "number": "R2", "review_due": later}
    )
    assert due.status_code == 201 and fine.status_code == 201, due.text

    listed = client.get("/api/v1/records/due-for-review", headers=uto.headers, params={"within_days": 60})
    assert listed.status_code == 200
    assert [(r["database"], r["record_id"]) for r in listed.json()] == [("documents", due.json()["id"])]
    assert listed.json()[0]["expired"] is False

    # Another agency sees nothing of UTO's review list.
    caf = world.user("NCB-CAF", Role.SUPERVISOR)
    assert client.get("/api/v1/records/due-for-review", headers=caf.headers).json() == []

    renewed = client.patch(
        f"/api/v1/documents/{due.json()['id']}", headers=uto.headers, json={"version": 1, "review_due": later}
    )
    assert renewed.status_code == 200, renewed.text
    after = client.get("/api/v1/records/due-for-review", headers=uto.headers, params={"within_days": 60})
    assert after.json() == []
    bad = client.get("/api/v1/records/due-for-review", headers=uto.headers, params={"within_days": -1})
    assert bad.status_code == 422
