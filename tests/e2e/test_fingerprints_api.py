"""The fingerprint database over HTTP: enrol (template, image), check, candidates, hits, examiner view."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from tests.conftest import Account, World
from tests.integration.test_fingerprints_helpers import FINGERS, b64, impression, iso, ridge_image

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.fingerprints.models import Fingerprint


def _enrol(client: TestClient, account: Account, finger: int, **fields: object) -> dict[str, object]:
    body = {
        "template": b64(iso(FINGERS[finger])),
        "finger_position": 2,
        "reference": f"CASE-{finger}",
        "person_id": f"p{finger}",
        "action": "call NCB Utopia",
        **fields,
    }
    response = client.post("/api/v1/fingerprints", headers=account.headers, json=body)
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()
    return data


def test_enrol_check_hit_and_examiner(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    enrolled = [_enrol(client, owner, finger) for finger in range(6)]
    assert enrolled[0]["kind"] == "tenprint" and enrolled[0]["minutiae_count"] == len(FINGERS[0].minutiae)

    response = client.post(
        "/api/v1/checks/fingerprints", headers=officer.headers, json={"template": b64(iso(impression(3, 9)))}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["result"] == "hit" and answer["database"] == "fingerprints"
    best = answer["candidates"][0]
    assert best["reference"] == "CASE-3" and best["hit_id"] == answer["hits"][0]["hit_id"]
    assert best["score"] >= best["explanation"]["hit_threshold"]
    assert [c["score"] for c in answer["candidates"]] == sorted(
        (c["score"] for c in answer["candidates"]), reverse=True
    )
    hit = answer["hits"][0]
    assert hit["record"]["needs_examiner"] is True and hit["match"] == "scored"

    # The owner's queue has the hit, status new; the examiner sees both prints with paired minutiae.
    queue = client.get("/api/v1/hits", headers=owner.headers, params={"status": "new"}).json()
    assert [h["id"] for h in queue] == [hit["hit_id"]] and queue[0]["record"]["needs_examiner"]
    picture = client.get(f"/api/v1/fingerprints/hits/{hit['hit_id']}/comparison.png", headers=owner.headers)
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(picture.content)).size[0] > 2 * FINGERS[3].width
    # The searcher may not see the owner's print; another agency's examiner gets no trace of the hit.
    assert (
        client.get(f"/api/v1/fingerprints/hits/{hit['hit_id']}/comparison.png", headers=officer.headers)
    ).status_code == 403
    other = world.user("NCB-CAF", Role.SUPERVISOR)
    assert (
        client.get(f"/api/v1/fingerprints/hits/{hit['hit_id']}/comparison.png", headers=other.headers)
    ).status_code == 404

    confirmed = client.post(
        f"/api/v1/hits/{hit['hit_id']}/confirm", headers=owner.headers, json={"note": "examiner: 14 points"}
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"

    miss = client.post(
        "/api/v1/checks/fingerprints", headers=officer.headers, json={"template": b64(iso(FINGERS[10]))}
    ).json()
    assert miss["result"] == "no_hit" and miss["hits"] == []
    with unit_of_work(world.state.sessions) as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions.count("check.fingerprints") == 2 and "fingerprint.examine" in actions


def test_bad_input_is_422_naming_the_field_and_changes_nothing(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    cases = [
        ({"template": "not base64!!"}, "template"),
        ({"template": b64(b"FMR\x00 20\x00garbage")}, "template"),
        ({"image": b64(b"%PDF-1.4 not an image")}, "image"),
        ({}, "image"),
    ]
    for extra, field in cases:
        body = {"finger_position": 1, "reference": "X", **extra}
        response = client.post("/api/v1/fingerprints", headers=owner.headers, json=body)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field
        check = client.post("/api/v1/checks/fingerprints", headers=owner.headers, json=extra)
        assert check.status_code == 422 and check.json()["field"] == field
    bad_finger = client.post(
        "/api/v1/fingerprints",
        headers=owner.headers,
        json={"template": b64(iso(FINGERS[0])), "finger_position": 11, "reference": "X"},
    )
    assert bad_finger.status_code == 422 and bad_finger.json()["field"] == "finger_position"
    with unit_of_work(world.state.sessions) as session:
        assert session.scalar(select(Fingerprint.id)) is None


def test_enrol_from_image_and_latent_mark(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    from_image = client.post(
        "/api/v1/fingerprints",
        headers=owner.headers,
        json={"image": b64(ridge_image()), "finger_position": 7, "reference": "TP-1"},
    )
    assert from_image.status_code == 201, from_image.text
    body = from_image.json()
    assert body["source"] == "image" and body["has_image"] and body["minutiae_count"] >= 5
    mark = _enrol(client, owner, 1, kind="latent", person_id=None, finger_position=0)
    assert mark["kind"] == "latent" and mark["person_id"] is None
    assert int(str(mark["review_due"])[:4]) - int(str(body["review_due"])[:4]) == 10  # 15 vs 5 years
    # Same image as the probe: the enrolled print is found.
    answer = client.post(
        "/api/v1/checks/fingerprints", headers=owner.headers, json={"image": b64(ridge_image(fmt="BMP"))}
    ).json()
    assert answer["candidates"][0]["reference"] == "TP-1"


def _csrf(html: str) -> str:
    import re

    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "form without CSRF token"
    return match.group(1)


def _sign_in(client: TestClient, account: Account) -> None:
    import pyotp
    from tests.conftest import PASSWORD

    page = client.get("/login")
    client.post(
        "/login",
        data={"username": account.actor.username, "password": PASSWORD, "csrf": _csrf(page.text)},
        follow_redirects=False,
    )
    code_page = client.get("/login/code")
    done = client.post(
        "/login/code",
        data={"code": pyotp.TOTP(account.totp_secret).now(), "csrf": _csrf(code_page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303


def test_web_enrol_check_and_examiner_page(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _sign_in(client, owner)
    form = client.get("/fingerprints")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    csrf = _csrf(form.text)
    enrolled = client.post(
        "/fingerprints/enrol",
        data={"csrf": csrf, "source": "template", "reference": "WEB-1", "finger_position": "5"},
        files={"file": ("print.iso", iso(FINGERS[4]), "application/octet-stream")},
    )
    assert enrolled.status_code == 200 and 'id="enrolled"' in enrolled.text
    broken = client.post(
        "/fingerprints/enrol",
        data={"csrf": csrf, "source": "image", "reference": "WEB-2", "finger_position": "5"},
        files={"file": ("print.png", b"not an image", "image/png")},
    )
    assert broken.status_code == 422 and "Field: <bdi>File</bdi>" in broken.text

    officer_client = TestClient(client.app)
    _sign_in(officer_client, officer)
    checked = officer_client.post(
        "/checks/fingerprint",
        data={"csrf": _csrf(officer_client.get("/fingerprints").text), "source": "template"},
        files={"file": ("probe.iso", iso(impression(4, 21)), "application/octet-stream")},
    )
    assert checked.status_code == 200 and 'data-result="hit"' in checked.text and "WEB-1" in checked.text

    queue = client.get("/fingerprints/hits")
    assert queue.status_code == 200 and "WEB-1" in queue.text
    [hit_id] = [
        line.split("/fingerprints/hits/")[1].split('"')[0]
        for line in queue.text.splitlines()
        if 'class="examine"' in line
    ]
    page = client.get(f"/fingerprints/hits/{hit_id}")
    assert page.status_code == 200 and f"/fingerprints/hits/{hit_id}/comparison.png" in page.text
    picture = client.get(f"/fingerprints/hits/{hit_id}/comparison.png")
    assert picture.status_code == 200 and picture.content[:4] == b"\x89PNG"
    # The searching officer may not open the owner's examiner page nor its picture.
    assert officer_client.get(f"/fingerprints/hits/{hit_id}").status_code == 403
    assert officer_client.get(f"/fingerprints/hits/{hit_id}/comparison.png").status_code == 403
