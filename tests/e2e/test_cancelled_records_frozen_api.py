"""A cancelled record is frozen over HTTP and the CLI in every record database, as persons are: a PATCH or a
second cancel is 409 naming the record, said before a stale version, and the record does not move."""

from __future__ import annotations

import random
from typing import Any

from fastapi.testclient import TestClient
from tests.conftest import Account, World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from tests.integration.test_dna_service import random_loci
from tests.integration.test_fingerprints_helpers import FINGERS, b64, iso

from peacelink.access import Role

DOCUMENT = {"issuing_country": "UTO", "document_type": "passport", "number": "P1", "status": "stolen"}
VEHICLE = {"vin": "1M8GDM9AXKP042788"}


def _create(client: TestClient, account: Account, path: str, body: dict[str, Any]) -> str:
    response = client.post(path, headers=account.headers, json=body)
    assert response.status_code == 201, response.text
    record_id: str = response.json()["id"]
    return record_id


def _cancel(client: TestClient, account: Account, url_: str, version: int) -> dict[str, Any]:
    response = client.post(f"{url_}/cancel", headers=account.headers, json={"version": version})
    body: dict[str, Any] = response.json()
    body["status_code"] = response.status_code
    return body


def _frozen_over_http(
    client: TestClient, owner: Account, url_: str, noun: str, record_id: str, patch: dict[str, Any] | None
) -> dict[str, Any]:
    """Cancel at version 1, then every change and a second cancel (current and stale version) are 409."""
    cancelled = _cancel(client, owner, url_, 1)
    assert cancelled["status_code"] == 200 and cancelled["version"] == 2, cancelled
    assert cancelled["record_status"] == "cancelled"
    for version in (2, 1):
        if patch is not None:
            patched = client.patch(url_, headers=owner.headers, json={"version": version, **patch})
            assert patched.status_code == 409, patched.text
            assert patched.json() == {
                "error": "conflict",
                "message": f"{noun} {record_id} is cancelled; a cancelled record can no longer be changed",
            }
        again = _cancel(client, owner, url_, version)
        assert again == {
            "error": "conflict",
            "message": f"{noun} {record_id} is already cancelled",
            "status_code": 409,
        }
    after: dict[str, Any] = client.get(url_, headers=owner.headers).json()
    assert after["version"] == 2 and after["record_status"] == "cancelled"
    return after


def test_a_cancelled_document_or_vehicle_is_frozen(client: TestClient, world: World) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR)
    doc_id = _create(client, uto, "/api/v1/documents", DOCUMENT)
    document = _frozen_over_http(
        client, uto, f"/api/v1/documents/{doc_id}", "document", doc_id, {"place": "revived"}
    )
    assert document["place"] == "" and document["status"] == "stolen"
    vehicle_id = _create(client, uto, "/api/v1/vehicles", VEHICLE)
    vehicle = _frozen_over_http(
        client, uto, f"/api/v1/vehicles/{vehicle_id}", "vehicle", vehicle_id, {"status": "robbed"}
    )
    assert vehicle["status"] == "stolen"
    # Another agency still learns nothing of the record: 404 before any word of its state.
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    hidden = client.patch(f"/api/v1/vehicles/{vehicle_id}", headers=caf.headers, json={"version": 2})
    assert hidden.status_code == 404


def test_a_cancelled_fingerprint_or_dna_profile_is_not_cancelled_again(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    print_id = _create(
        client,
        owner,
        "/api/v1/fingerprints",
        {"template": b64(iso(FINGERS[0])), "finger_position": 4, "reference": "F-1"},
    )
    _frozen_over_http(client, owner, f"/api/v1/fingerprints/{print_id}", "fingerprint", print_id, None)
    loci = random_loci(random.Random(5))
    profile_id = _create(
        client, owner, "/api/v1/dna/profiles", {"kind": "stain", "reference": "S-1", "loci": loci}
    )
    _frozen_over_http(client, owner, f"/api/v1/dna/profiles/{profile_id}", "DNA profile", profile_id, None)


def test_the_cli_reports_the_conflict(client: TestClient, world: World, url: str) -> None:  # noqa: F811
    account = world.user("NCB-UTO", Role.INVESTIGATOR)
    owner = account.actor.username
    doc_id = _create(client, account, "/api/v1/documents", DOCUMENT)
    vehicle_id = _create(client, account, "/api/v1/vehicles", VEHICLE)
    for group, record_id in (("documents", doc_id), ("vehicles", vehicle_id)):
        noun = group[:-1]
        cancelled = run(url, owner, group, "cancel", record_id, "--version", "1")
        assert isinstance(cancelled, dict) and cancelled["version"] == 2
        updated = run(url, owner, group, "update", record_id, "--version", "2", "--place", "x", code=2)
        assert updated == {
            "error": "conflict",
            "message": f"{noun} {record_id} is cancelled; a cancelled record can no longer be changed",
        }
        again = run(url, owner, group, "cancel", record_id, "--version", "2", code=2)
        assert again == {"error": "conflict", "message": f"{noun} {record_id} is already cancelled"}
        shown = run(url, owner, group, "show", record_id)
        assert isinstance(shown, dict) and shown["version"] == 2 and shown["place"] == ""
    print_id = _create(
        client,
        account,
        "/api/v1/fingerprints",
        {"template": b64(iso(FINGERS[1])), "finger_position": 4, "reference": "F-2"},
    )
    profile_id = _create(
        client,
        account,
        "/api/v1/dna/profiles",
        {"kind": "stain", "reference": "S-2", "loci": random_loci(random.Random(8))},
    )
    for group, noun, record_id in (
        ("fingerprints", "fingerprint", print_id),
        ("dna", "DNA profile", profile_id),
    ):
        assert run(url, owner, group, "cancel", record_id, "--version", "1") != {}
        again = run(url, owner, group, "cancel", record_id, "--version", "2", code=2)
        assert again == {"error": "conflict", "message": f"{noun} {record_id} is already cancelled"}
