"""The owner's hit queue shows what the searching officer asked (API, CLI, web): for a person the score,
the names as typed, the date of birth and a link to the record; for a document the number and whether it
was read from the MRZ. Found by a browser audit: the queue said only "Persons / Ivan Petrov / MINUSCA /
medium"."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.conftest import World
from tests.e2e.test_checks_api import SPECIMEN_TD3, _report
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from tests.e2e.test_persons_api import WANTED, _create, _sign_in
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.cli.main import app

ASKED = {"names": ["Hashimi, Muhammad", "محمد  الهاشمي"], "date_of_birth": "1978", "nationality": "uto"}


def _cli_text(database_url: str, user: str, *args: str) -> str:
    """A command's text output (not --json), as an officer reads it."""
    result = CliRunner().invoke(app, ["--database-url", database_url, "--user", user, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _row(page: str, hit_id: str) -> str:
    """The queue's row (a card on a phone) of one hit."""
    found = re.search(rf'<tr id="hit-{hit_id}".*?</tr>', page, re.S)
    assert found is not None, page
    return found.group(0)


def test_a_person_hit_shows_the_score_and_what_the_officer_asked(
    client: TestClient,
    world: World,
    url: str,  # noqa: F811 - the fixture
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    person = _create(client, owner, WANTED)
    checked = client.post("/api/v1/checks/persons", headers=officer.headers, json={**ASKED, "sex": "male"})
    assert checked.status_code == 200 and checked.json()["result"] == "hit", checked.text
    [answered] = checked.json()["hits"]
    score = checked.json()["candidates"][0]["score"]
    hit_id = answered["hit_id"]

    # API: the queue entry carries the query as the check read it and the score.
    [hit] = client.get("/api/v1/hits", headers=owner.headers).json()
    assert hit["id"] == hit_id and hit["record_id"] == person["id"]
    assert hit["score"] == score and hit["score"] >= 0.9
    assert hit["query"] == {
        "names": ["Hashimi, Muhammad", "محمد الهاشمي"],  # as typed, runs of spaces made one
        "date_of_birth": "1978",
        "nationality": "UTO",
        "sex": "male",
        "document": None,
    }
    # The searching agency sees its own query among its outcomes; one hit read alone has it too.
    [mine] = client.get("/api/v1/hits", headers=officer.headers, params={"view": "mine"}).json()
    assert mine["query"] == hit["query"] and mine["score"] == score
    assert client.get(f"/api/v1/hits/{hit_id}", headers=owner.headers).json()["query"] == hit["query"]

    # CLI: the listing says the score, the names as typed and the date of birth, and how to open the record.
    text = _cli_text(url, owner.actor.username, "hits", "list")
    assert f"score {score:.2f}" in text and "Mohamed Al-Hashimi" in text
    assert 'asked: "Hashimi, Muhammad" / "محمد الهاشمي", born 1978, nationality UTO, male' in text
    assert f"record: peacelink persons show {person['id']}" in text
    listed = run(url, owner.actor.username, "hits", "list")
    assert isinstance(listed, list) and listed[0]["query"] == hit["query"]  # type: ignore[index]

    # Web: the card shows the score, what was asked and a link to the record, which opens for the owner.
    _sign_in(client, owner)
    row = _row(client.get("/hits").text, hit_id)
    assert f'<small id="score-{hit_id}">Score <bdi dir="ltr">{score:.2f}</bdi></small>' in row
    asked = re.search(rf'<td data-label="Asked" id="asked-{hit_id}" class="hit-asked">(.*?)</td>', row, re.S)
    assert asked is not None
    assert "<q><bdi>Hashimi, Muhammad</bdi></q> / <q><bdi>محمد الهاشمي</bdi></q>" in asked.group(1)
    assert 'born <bdi dir="ltr">1978</bdi>' in asked.group(1) and "nationality" in asked.group(1)
    link = f'<a href="/persons/{person["id"]}" id="record-{hit_id}" class="record-link">Open the record</a>'
    assert link in row
    record_page = client.get(f"/persons/{person['id']}")
    assert record_page.status_code == 200 and "Mohamed Al-Hashimi" in record_page.text
    # Every cell keeps its label: on a phone each hit is a card, each value under its column's name.
    assert 'class="stacked"' in client.get("/hits").text
    assert re.findall(r"<td(?: [^>]*)?>", row) == re.findall(r'<td data-label="[^"]+"[^>]*>', row)


def test_the_owner_supervisor_opens_its_record_from_the_queue_in_french(
    client: TestClient, world: World
) -> None:
    """A supervisor of the owner with no other role: the link opens the record, labels are translated."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    supervisor = world.user("NCB-UTO", Role.SUPERVISOR, language="fr")
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    person = _create(
        client, owner, {**WANTED, "visibility": "all_except", "visibility_agencies": ["MINUSCA"]}
    )
    checked = client.post("/api/v1/checks/persons", headers=officer.headers, json=ASKED)
    assert checked.json()["result"] == "no_hit" and checked.json()["hits"] == []
    # The hit went to the owner alone: the searching agency has no trace of it, its query included.
    assert client.get("/api/v1/hits", headers=officer.headers, params={"view": "mine"}).json() == []
    [hit] = client.get("/api/v1/hits", headers=supervisor.headers).json()
    assert hit["excluded_agency"] and hit["query"]["names"] == ["Hashimi, Muhammad", "محمد الهاشمي"]
    assert client.get(f"/api/v1/hits/{hit['id']}", headers=officer.headers).status_code == 404
    _sign_in(client, supervisor)
    page = client.get("/hits").text
    assert "<th>Demandé</th>" in page and "<q><bdi>Hashimi, Muhammad</bdi></q>" in page
    assert 'né(e) <bdi dir="ltr">1978</bdi>' in page and ">Ouvrir la fiche</a>" in page
    assert client.get(f"/persons/{person['id']}").status_code == 200


def test_a_document_hit_shows_the_number_and_whether_the_mrz_gave_it(
    client: TestClient,
    world: World,
    url: str,  # noqa: F811 - the fixture
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _report(client, owner)
    typed = client.post(
        "/api/v1/checks/documents",
        headers=officer.headers,
        json={"issuing_country": "uto", "number": "l898 902c3"},
    ).json()
    scanned = client.post(
        "/api/v1/checks/documents", headers=officer.headers, json={"mrz": SPECIMEN_TD3}
    ).json()
    queue = {h["id"]: h for h in client.get("/api/v1/hits", headers=owner.headers).json()}
    by_hand = queue[typed["hits"][0]["hit_id"]]
    by_mrz = queue[scanned["hits"][0]["hit_id"]]
    assert by_hand["score"] is None and by_mrz["score"] is None  # an exact match has no score
    assert by_hand["query"] == {
        "source": "fields",
        "issuing_country": "UTO",
        "number": "L898902C3",
        "document_type": None,
    }
    assert by_mrz["query"] == {
        "source": "mrz",
        "mrz_format": "TD3",
        "mrz_valid": True,
        "document_type": "passport",
        "issuing_country": "UTO",
        "number": "L898902C3",
    }

    text = _cli_text(url, owner.actor.username, "hits", "list")
    assert "asked: UTO L898902C3, passport, from the MRZ" in text
    assert "asked: UTO L898902C3, typed" in text and "score" not in text

    _sign_in(client, owner)
    page = client.get("/hits").text
    mrz_row = _row(page, by_mrz["id"])
    assert (
        '<bdi dir="ltr">UTO</bdi> <bdi dir="ltr">L898902C3</bdi> · passport · read from the MRZ '
        '(<bdi dir="ltr">TD3</bdi>)' in mrz_row
    )
    typed_row = _row(page, by_hand["id"])
    assert '<bdi dir="ltr">L898902C3</bdi> · typed' in typed_row
    for row in (mrz_row, typed_row):
        assert 'id="score-' not in row and 'class="record-link"' not in row  # no score, no record page


def test_an_old_hit_lists_with_an_empty_query(
    client: TestClient,
    world: World,
    url: str,  # noqa: F811 - the fixture
) -> None:
    """A hit made before the query was kept (migration 0014 gave it {}) still lists, and says so."""
    from sqlalchemy import update

    from peacelink.db.unit_of_work import unit_of_work
    from peacelink.hits.models import Hit

    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _report(client, owner)
    client.post("/api/v1/checks/documents", headers=officer.headers, json={"mrz": SPECIMEN_TD3})
    with unit_of_work(world.state.sessions) as session:
        session.execute(update(Hit).values(query={}))
    listed = run(url, owner.actor.username, "hits", "list")
    assert isinstance(listed, list) and listed[0]["query"] == {}  # type: ignore[index]
    assert "asked" not in _cli_text(url, owner.actor.username, "hits", "list")
    _sign_in(client, owner)
    assert "not kept (a hit made before the query was stored with it)" in client.get("/hits").text


def test_every_database_keeps_what_was_asked_and_never_a_print(client: TestClient, world: World) -> None:
    """Vehicles, prints and DNA (direct and kinship) keep the query; a print's only as digest and counts."""
    import random

    from tests.integration.test_dna_service import child_of, enrol, load_table, random_loci
    from tests.integration.test_fingerprints_helpers import FINGERS, iso
    from tests.integration.test_fingerprints_service import _create as print_record
    from tests.integration.test_fingerprints_service import _probe

    from peacelink.checks import service as checks
    from peacelink.db.unit_of_work import unit_of_work
    from peacelink.dna import checks as dna_checks
    from peacelink.dna.schemas import DirectCheck, KinshipCheck
    from peacelink.fingerprints import service as prints
    from peacelink.vehicles import service as vehicles
    from peacelink.vehicles.schemas import VehicleCheck, VehicleCreate

    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    rng = random.Random(5)
    load_table(world)
    stain = random_loci(rng)
    enrol(owner, world, kind="stain", reference="STAIN-1", loci=stain)
    father, mother = random_loci(rng), random_loci(rng)
    for reference, loci in (("F1", father), ("M1", mother)):
        enrol(
            owner,
            world,
            kind="relative",
            relationship="parent",
            family="MP-1",
            reference=reference,
            loci=loci,
        )
    with unit_of_work(world.state.sessions) as session:
        vehicles.create(session, actor=owner.actor, data=VehicleCreate(plate="UT 42 XY", plate_country="UTO"))
        prints.enrol(session, actor=owner.actor, data=print_record(0))
    with unit_of_work(world.state.sessions) as session:
        answers = {
            "vehicles": checks.check_vehicle(
                session, actor=officer.actor, data=VehicleCheck(plate="ut42xy", country="UTO")
            ),
            "fingerprints": prints.check(session, actor=officer.actor, data=_probe(0)),
            "dna": dna_checks.check_direct(
                session, actor=officer.actor, data=DirectCheck(loci=stain, stringency="high")
            ),
            "dna_kinship": dna_checks.check_kinship(
                session,
                actor=officer.actor,
                data=KinshipCheck(loci=child_of(rng, father, mother), population="GEN", hit_lr=1),
            ),
        }
    assert {database: answer.result for database, answer in answers.items()} == dict.fromkeys(answers, "hit")
    queue = {h["database"]: h for h in client.get("/api/v1/hits", headers=owner.headers).json()}
    assert queue["vehicles"]["query"] == {"plate": "UT42XY", "country": "UTO"}
    assert queue["vehicles"]["score"] is None
    fingerprint = queue["fingerprints"]
    assert set(fingerprint["query"]) == {"source", "finger_position", "minutiae", "quality", "sha256"}
    assert fingerprint["query"]["source"] == "template" and fingerprint["query"]["minutiae"] > 10
    # The probe itself (its ISO record, or any of its minutiae) is never in the hit.
    assert len(fingerprint["query"]["sha256"]) == 64 and "minutiae" not in str(fingerprint["record"])
    assert iso(FINGERS[0]).hex() not in str(fingerprint) and fingerprint["score"] > 0
    asked_loci = queue["dna"]["query"]["loci"]  # the profile as parsed: alleles in numeric order
    assert {locus: set(alleles) for locus, alleles in asked_loci.items()} == {
        locus: set(alleles) for locus, alleles in stain.items()
    }
    assert queue["dna"]["query"]["stringency"] == "high"
    assert queue["dna"]["score"] == queue["dna"]["record"]["log10_lr"]
    kinship = queue["dna_kinship"]["query"]
    assert kinship["population"] == "GEN" and kinship["hit_lr"] == 1 and len(kinship["loci"]) == len(stain)

    _sign_in(client, owner)
    page = client.get("/hits")
    assert page.status_code == 200
    rows = {database: _row(page.text, hit["id"]) for database, hit in queue.items()}
    assert 'Registration plate <bdi dir="ltr">UT42XY</bdi> (<bdi dir="ltr">UTO</bdi>)' in rows["vehicles"]
    assert "minutiae · an ISO/IEC 19794-2 template" in rows["fingerprints"]
    assert f'<bdi dir="ltr">{len(stain)}</bdi> loci · Stringency: high' in rows["dna"]
    assert 'id="score-' in rows["fingerprints"] and 'log10 LR <bdi dir="ltr">' in rows["dna"]
    assert "Population: <bdi>GEN</bdi>" in rows["dna_kinship"]
