"""The DNA API end to end: enrol, frequencies, direct and kinship checks, hits, notifications, visibility."""

from __future__ import annotations

import random

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Account, World
from tests.integration.test_dna_service import LOCI, child_of, frequency_csv, random_loci

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna.models import DNAProfile
from peacelink.messaging.models import Message


def _enrol(client: TestClient, account: Account, **body: object) -> dict[str, object]:
    response = client.post("/api/v1/dna/profiles", headers=account.headers, json=body)
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()
    return data


def _frequencies(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/dna/frequencies?population=GEN&source=generated",
        headers={**world.admin.headers, "Content-Type": "text/csv"},
        content=frequency_csv(),
    )
    assert response.status_code == 201, response.text
    assert response.json()["is_default"] and response.json()["locus_count"] == 20


def test_enrol_check_hit_notify_and_decide(client: TestClient, world: World) -> None:
    rng = random.Random(3)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _frequencies(client, world)
    source = random_loci(rng)
    profile = _enrol(
        client, owner, kind="stain", reference="CASE-17/3", loci=source, action="contact NCB Utopia DNA unit"
    )
    assert profile["owner_agency"] == "NCB-UTO" and "name" not in profile
    for k in range(10):
        _enrol(client, owner, kind="reference", reference=f"R{k}", loci=random_loci(rng))
    response = client.post(
        "/api/v1/checks/dna", headers=officer.headers, json={"loci": source, "stringency": "moderate"}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["result"] == "hit" and answer["warnings"] == []
    best = answer["candidates"][0]
    assert best["reference"] == "CASE-17/3" and best["owner_agency"] == "NCB-UTO"
    assert best["rmp"] < 1e-6 and best["lr"] > 1e6 and len(best["comparison"]) == 20
    hit_id = answer["hits"][0]["hit_id"]
    # Both agencies hear of the hit over the secure channel, and see it in their hit lists.
    inbox_owner = client.get("/api/v1/messages", headers=owner.headers).json()
    inbox_officer = client.get("/api/v1/messages", headers=officer.headers).json()
    assert any(hit_id in str(m) for m in inbox_owner) and any(hit_id in str(m) for m in inbox_officer)
    queue = client.get("/api/v1/hits?view=queue", headers=owner.headers).json()
    assert [h["id"] for h in queue] == [hit_id] and queue[0]["database"] == "dna"
    decided = client.post(f"/api/v1/hits/{hit_id}/confirm", headers=owner.headers, json={"note": "confirmed"})
    assert decided.status_code == 200, decided.text
    read = client.get(f"/api/v1/dna/profiles/{profile['id']}", headers=officer.headers)
    assert read.status_code == 200 and read.json()["loci"]["vWA"] == source["vWA"]
    with unit_of_work(client.app.state.peacelink.sessions) as session:  # type: ignore[attr-defined]
        actions = set(session.scalars(select(AuditEvent.action)))
        assert session.scalar(select(func.count()).select_from(Message)) == 1
    assert {"dna.profile.create", "check.dna", "dna.profile.read", "message.system"} <= actions


def test_bad_profile_is_422_naming_the_locus_and_nothing_changes(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    bad = client.post(
        "/api/v1/dna/profiles",
        headers=owner.headers,
        json={"kind": "reference", "reference": "R1", "loci": {"D3S1358": ["15", "16"], "TH01": ["nine"]}},
    )
    assert bad.status_code == 422 and "TH01" in bad.json()["message"]
    check = client.post("/api/v1/checks/dna", headers=owner.headers, json={"loci": {"TH01": ["x"]}})
    assert check.status_code == 422 and "TH01" in check.json()["message"]
    unknown = client.post(
        "/api/v1/checks/dna", headers=owner.headers, json={"loci": {"TH01": ["6"]}, "population": "NOPE"}
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "population"
    with unit_of_work(client.app.state.peacelink.sessions) as session:  # type: ignore[attr-defined]
        assert session.scalar(select(func.count()).select_from(DNAProfile)) == 0
    refused = client.post(
        "/api/v1/dna/frequencies?population=X",
        headers={**owner.headers, "Content-Type": "text/csv"},
        content=frequency_csv(),
    )
    assert refused.status_code == 403


def test_visibility_hides_profiles_and_tells_the_owner(client: TestClient, world: World) -> None:
    rng = random.Random(4)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    excluded = world.user("MINUSCA", Role.FIELD_OFFICER)
    source = random_loci(rng)
    hidden = _enrol(
        client,
        owner,
        kind="reference",
        reference="SECRET-1",
        loci=source,
        visibility="all_except",
        visibility_agencies=["MINUSCA"],
    )
    answer = client.post("/api/v1/checks/dna", headers=excluded.headers, json={"loci": source}).json()
    assert answer["result"] == "no_hit" and "SECRET-1" not in str(answer)
    assert client.get(f"/api/v1/dna/profiles/{hidden['id']}", headers=excluded.headers).status_code == 404
    queue = client.get("/api/v1/hits?view=queue", headers=owner.headers).json()
    assert len(queue) == 1 and queue[0]["excluded_agency"]


def test_kinship_check_over_http(client: TestClient, world: World) -> None:
    rng = random.Random(5)
    owner = world.user("NCB-CAF", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _frequencies(client, world)
    missing = {}
    for family in range(4):
        father, mother = random_loci(rng), random_loci(rng)
        if family == 2:
            missing = child_of(rng, father, mother)
        for ref, loci in ((f"F{family}", father), (f"M{family}", mother)):
            _enrol(
                client, owner, kind="relative", relationship="parent", family=f"MP-{family}",
                reference=ref, loci=loci,
            )  # fmt: skip
    response = client.post("/api/v1/checks/dna/kinship", headers=officer.headers, json={"loci": missing})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["candidates"][0]["family"] == "MP-2" and answer["result"] == "hit"
    assert len(answer["candidates"][0]["loci"]) == len(LOCI)


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


def test_web_enrol_and_search_pages(client: TestClient, world: World) -> None:
    rng = random.Random(12)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    _sign_in(client, owner)
    form = client.get("/dna")
    assert form.status_code == 200 and 'id="dna-enrol"' in form.text
    csrf = _csrf(form.text)
    source = random_loci(rng)
    typed = "\n".join(f"{locus}: {', '.join(alleles)}" for locus, alleles in source.items())
    enrolled = client.post(
        "/dna/profiles", data={"csrf": csrf, "kind": "stain", "reference": "WEB-1", "loci": typed}
    )
    assert enrolled.status_code == 200 and 'id="dna-enrolled"' in enrolled.text
    bad = client.post(
        "/dna/profiles", data={"csrf": csrf, "kind": "stain", "reference": "WEB-2", "loci": "TH01: nine"}
    )
    assert bad.status_code == 422 and "TH01" in bad.text
    result = client.post("/checks/dna", data={"csrf": csrf, "loci": typed, "stringency": "high"})
    assert result.status_code == 200 and 'data-result="hit"' in result.text
    assert 'id="comparison-1"' in result.text and result.text.count('data-outcome="match"') == 20
    kinship = client.post("/checks/dna/kinship", data={"csrf": csrf, "loci": typed})
    assert kinship.status_code == 422  # no frequency table yet: the form says so
