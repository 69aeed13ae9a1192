"""Owner changes to persons, travel documents and vehicles over HTTP, on both engines: every change moves the
version by exactly one, a patch that changes nothing moves nothing, a visibility must make sense as a whole,
and a review date lies at most the allowed period ahead."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import Account, World
from tests.integration.test_dna_service import random_loci
from tests.integration.test_fingerprints_helpers import FINGERS, b64, iso

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.records.envelope import review_due_from

BODIES: dict[str, dict[str, Any]] = {
    "persons": {"reference": "P-1", "names": [{"name": "Ivan Petrov"}], "description": "tall"},
    "documents": {"issuing_country": "UTO", "document_type": "passport", "number": "P1", "status": "stolen"},
    "vehicles": {"vin": "1M8GDM9AXKP042788", "status": "stolen"},
}
# A change of a plain field of each record type.
EDITS: dict[str, dict[str, Any]] = {
    "persons": {"description": "short"},
    "documents": {"place": "Bangui"},
    "vehicles": {"colour": "red"},
}
NOUNS = {"persons": "person", "documents": "document", "vehicles": "vehicle"}


def _create(client: TestClient, owner: Account, kind: str, **fields: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/{kind}", headers=owner.headers, json={**BODIES[kind], **fields})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _patch(client: TestClient, owner: Account, kind: str, record_id: str, body: dict[str, Any]) -> Any:
    return client.patch(f"/api/v1/{kind}/{record_id}", headers=owner.headers, json=body)


def _events(world: World, record_id: str) -> list[str]:
    with unit_of_work(world.state.sessions) as session:
        return list(
            session.scalars(
                select(AuditEvent.action).where(AuditEvent.object_id == record_id).order_by(AuditEvent.seq)
            )
        )


@pytest.mark.parametrize("kind", ["persons", "documents", "vehicles"])
def test_every_change_moves_the_version_by_one(client: TestClient, world: World, kind: str) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    record = _create(client, owner, kind)
    version = record["version"]
    # The audit's case: a visibility change went out in two UPDATEs (the agency look-up autoflushed the
    # first), 1 -> 3.
    changes: list[dict[str, Any]] = [
        {"visibility": "all_except", "visibility_agencies": ["MINUSCA"]},
        {"visibility_agencies": ["MINUSCA", "NCB-CAF"]},
        {"visibility": "only"},
        {"visibility": "all"},
        EDITS[kind],
        {"review_due": (dt.date.today() + dt.timedelta(days=400)).isoformat(), **EDITS[kind]},
        {"review_due": None},  # back to the default date
    ]
    for change in changes:
        response = _patch(client, owner, kind, record["id"], {"version": version, **change})
        assert response.status_code == 200, (change, response.text)
        assert response.json()["version"] == version + 1, change
        version += 1
    stored = client.get(f"/api/v1/{kind}/{record['id']}", headers=owner.headers).json()
    assert stored["version"] == version and stored["visibility"] == "all"
    assert stored["visibility_agencies"] == []  # "all" dropped the list it would no longer use
    assert stored["review_due"] == review_due_from(dt.date.today(), 5).isoformat()
    assert _events(world, record["id"]).count(f"{NOUNS[kind]}.update") == len(changes)


def test_a_person_names_or_links_change_moves_the_version_by_one(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    person = _create(client, owner, "persons")
    document = _create(client, owner, "documents")
    steps: list[dict[str, Any]] = [
        {"names": [{"name": "Ivan Petrov"}, {"name": "Иван Петров", "kind": "original_script"}]},
        {"travel_document_ids": [document["id"]]},
        {"dates_of_birth": ["1966"], "visibility": "only", "visibility_agencies": ["NCB-CAF"]},
    ]
    for version, step in enumerate(steps, start=1):
        response = _patch(client, owner, "persons", person["id"], {"version": version, **step})
        assert response.status_code == 200 and response.json()["version"] == version + 1, response.text
    stored = response.json()
    assert len(stored["names"]) == 2 and stored["travel_document_ids"] == [document["id"]]
    found = client.get("/api/v1/persons/search", headers=owner.headers, params={"name": "Иван Петров"})
    assert [r["person"]["id"] for r in found.json()] == [person["id"]]  # the keys follow the names


@pytest.mark.parametrize("kind", ["persons", "documents", "vehicles"])
def test_a_patch_that_changes_nothing_moves_nothing(client: TestClient, world: World, kind: str) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    colleague = world.user("NCB-UTO", Role.SUPERVISOR)
    record = _create(client, owner, kind, visibility="all_except", visibility_agencies=["MINUSCA"])
    same_values = {key: record[key] for key in EDITS[kind]}
    for account, body in (
        (owner, {"version": 1}),
        (colleague, {"version": 1}),  # another user of the owner: still nothing to record
        (
            owner,
            {"version": 1, **same_values, "visibility": "all_except", "visibility_agencies": ["minusca"]},
        ),
        (owner, {"version": 1, "review_due": record["review_due"]}),
    ):
        response = _patch(client, account, kind, record["id"], body)
        assert response.status_code == 200, response.text
        assert response.json() == record, body
    assert _patch(client, owner, kind, record["id"], {"version": 2}).status_code == 409  # still checked
    # Nothing is claimed as a change: the patches are audited as reads of the record they answered with.
    assert _events(world, record["id"]) == [f"{NOUNS[kind]}.create"] + [f"{NOUNS[kind]}.read"] * 4
    changed = _patch(client, owner, kind, record["id"], {"version": 1, **EDITS[kind]})
    assert changed.status_code == 200 and changed.json()["version"] == 2


@pytest.mark.parametrize("kind", ["persons", "documents", "vehicles"])
def test_a_visibility_that_makes_no_sense_is_refused(client: TestClient, world: World, kind: str) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    refused: list[tuple[dict[str, Any], str]] = [
        ({"visibility": "all", "visibility_agencies": ["MINUSCA"]}, "visibility 'all' lets every agency"),
        ({"visibility": "only", "visibility_agencies": []}, "visibility 'only' needs at least one agency"),
        ({"visibility": "all_except"}, "visibility 'all_except' needs at least one agency"),
        (
            {"visibility": "only", "visibility_agencies": ["  "]},
            "visibility 'only' needs at least one agency",
        ),
    ]
    for fields, message in refused:
        response = client.post(f"/api/v1/{kind}", headers=owner.headers, json={**BODIES[kind], **fields})
        assert response.status_code == 422, response.text
        assert response.json()["field"] == "visibility_agencies" and message in response.json()["message"]
    assert client.get(f"/api/v1/{kind}", headers=owner.headers).json() == []

    record = _create(client, owner, kind)
    patches: list[tuple[dict[str, Any], str]] = [
        *refused,
        ({"visibility_agencies": ["MINUSCA"]}, "visibility 'all' lets every agency"),  # the stored mode
        ({"visibility": "only", "visibility_agencies": ["NOWHERE"]}, "unknown agencies: NOWHERE"),
    ]
    for fields, message in patches:
        response = _patch(client, owner, kind, record["id"], {"version": 1, **fields, **EDITS[kind]})
        assert response.status_code == 422, response.text
        assert response.json()["field"] == "visibility_agencies" and message in response.json()["message"]
    null = _patch(client, owner, kind, record["id"], {"version": 1, "visibility": None})
    assert null.status_code == 422 and null.json()["field"] == "visibility", null.text
    assert client.get(f"/api/v1/{kind}/{record['id']}", headers=owner.headers).json() == record

    # A list mode keeps its list when only the mode changes; a list alone needs a list mode.
    listed = _patch(
        client,
        owner,
        kind,
        record["id"],
        {"version": 1, "visibility": "only", "visibility_agencies": ["MINUSCA"]},
    )
    assert listed.status_code == 200, listed.text
    flipped = _patch(client, owner, kind, record["id"], {"version": 2, "visibility": "all_except"})
    assert flipped.json()["visibility_agencies"] == ["MINUSCA"] and flipped.json()["version"] == 3
    emptied = _patch(client, owner, kind, record["id"], {"version": 3, "visibility_agencies": []})
    assert emptied.status_code == 422 and emptied.json()["field"] == "visibility_agencies"


def test_fingerprints_and_dna_profiles_refuse_the_same_visibilities(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    bodies = {
        "fingerprints": {"template": b64(iso(FINGERS[0])), "finger_position": 4, "reference": "F-1"},
        "dna/profiles": {"kind": "stain", "reference": "S-1", "loci": random_loci(random.Random(5))},
    }
    for path, body in bodies.items():
        for fields in (
            {"visibility": "all", "visibility_agencies": ["MINUSCA"]},
            {"visibility": "all_except", "visibility_agencies": []},
        ):
            response = client.post(f"/api/v1/{path}", headers=owner.headers, json={**body, **fields})
            assert response.status_code == 422 and response.json()["field"] == "visibility_agencies", path
        kept = {"visibility": "only", "visibility_agencies": ["NCB-CAF"]}
        created = client.post(f"/api/v1/{path}", headers=owner.headers, json={**body, **kept})
        assert created.status_code == 201 and created.json()["visibility_agencies"] == ["NCB-CAF"], path


@pytest.mark.parametrize("kind", ["persons", "documents", "vehicles"])
def test_a_review_date_lies_at_most_five_years_ahead(client: TestClient, world: World, kind: str) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    today = dt.date.today()
    latest = review_due_from(today, 5)
    too_far = {"review_due": (latest + dt.timedelta(days=1)).isoformat()}
    response = client.post(f"/api/v1/{kind}", headers=owner.headers, json={**BODIES[kind], **too_far})
    assert response.status_code == 422 and response.json()["field"] == "review_due"
    assert response.json()["message"].startswith(
        f"review_due must be at most 5 years from today (on or before {latest.isoformat()})"
    )
    far = client.post(
        f"/api/v1/{kind}", headers=owner.headers, json={**BODIES[kind], "review_due": "2999-01-01"}
    )
    assert far.status_code == 422 and far.json()["field"] == "review_due"
    record = _create(client, owner, kind)
    assert record["review_due"] == latest.isoformat()  # the default is the longest period
    for body in (too_far, {"review_due": "2999-01-01"}, {"review_due": today.isoformat()}):
        refused = _patch(client, owner, kind, record["id"], {"version": 1, **body, **EDITS[kind]})
        assert refused.status_code == 422 and refused.json()["field"] == "review_due", refused.text
    assert client.get(f"/api/v1/{kind}/{record['id']}", headers=owner.headers).json() == record
    sooner = (today + dt.timedelta(days=30)).isoformat()
    renewed = _patch(client, owner, kind, record["id"], {"version": 1, "review_due": sooner})
    assert renewed.status_code == 200 and renewed.json()["review_due"] == sooner
    back = _patch(client, owner, kind, record["id"], {"version": 2, "review_due": latest.isoformat()})
    assert back.status_code == 200 and back.json()["review_due"] == latest.isoformat()


def test_crime_scene_traces_may_be_reviewed_up_to_fifteen_years_ahead(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    today = dt.date.today()
    loci = random_loci(random.Random(7))
    body: dict[str, Any] = {"kind": "stain", "reference": "S-2", "loci": loci}
    for path, five, fifteen in (
        ("dna/profiles", {**body, "kind": "reference", "reference": "R-1"}, body),
        (
            "fingerprints",
            {"template": b64(iso(FINGERS[1])), "finger_position": 4, "reference": "F-2"},
            {"template": b64(iso(FINGERS[2])), "kind": "latent", "finger_position": 0, "reference": "M-2"},
        ),
    ):
        for fields, years in ((five, 5), (fifteen, 15)):
            latest = review_due_from(today, years)
            late = {**fields, "review_due": (latest + dt.timedelta(days=1)).isoformat()}
            refused = client.post(f"/api/v1/{path}", headers=owner.headers, json=late)
            assert refused.status_code == 422 and refused.json()["field"] == "review_due", refused.text
            assert f"at most {years} years from today" in refused.json()["message"]
            kept = client.post(
                f"/api/v1/{path}", headers=owner.headers, json={**fields, "review_due": str(latest)}
            )
            assert kept.status_code == 201 and kept.json()["review_due"] == latest.isoformat(), kept.text
