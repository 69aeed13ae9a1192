"""What a web audit found after the third round: an unknown DNA locus ("FOO: 1") was taken silently by the
checks, the kinship search and enrolment (a profile "of 4 loci" with one of them unknown); a DNA check with
fewer loci than the minimum said "NO HIT · Carry on as usual" while its warning said nothing could match; the
role refusal named role codes on every page; an empty required box read "Too short: at least 1
character(s)"; a missing person's photo answered plain English text; the "image too large" warning of a
fingerprint was English on every page."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World
from tests.e2e.test_cli_checks import url  # noqa: F401 - the url fixture
from tests.e2e.test_persons_api import _sign_in
from tests.e2e.test_web_audit_pages import _text
from tests.e2e.test_web_audit_third import _warnings
from tests.integration.test_dna_service import frequency_csv, random_loci
from tests.integration.test_fingerprints_helpers import ridge_image
from typer.testing import CliRunner

from peacelink.access import Role, require_role
from peacelink.cli.main import app
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import service
from peacelink.dna.models import DNAProfile
from peacelink.dna.schemas import ProfileCreate
from peacelink.errors import Forbidden, Invalid
from peacelink.fingerprints import lookup as fingerprint_lookup
from peacelink.web import i18n

KNOWN = {"D3S1358": ["15", "16"], "vWA": ["17", "18"], "TH01": ["9.3"]}


def _profiles(world: World) -> int:
    with unit_of_work(world.state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(DNAProfile)) or 0)


def test_an_unknown_locus_is_refused_by_the_api_naming_it_and_nothing_is_stored(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    table = client.post(
        "/api/v1/dna/frequencies?population=GEN&source=generated",
        headers={**world.admin.headers, "Content-Type": "text/csv"},
        content=frequency_csv(),
    )
    assert table.status_code == 201, table.text
    enrol = client.post(
        "/api/v1/dna/profiles",
        headers=owner.headers,
        json={"kind": "reference", "reference": "R-4", "loci": {**KNOWN, "FOO": ["1"]}},
    )
    assert enrol.status_code == 422, enrol.text
    assert "FOO" in enrol.json()["message"] and enrol.json()["field"] == "loci"
    for path in ("/api/v1/checks/dna", "/api/v1/checks/dna/kinship"):
        for loci in ({"FOO": ["1"]}, {**KNOWN, "FOO": ["1"]}):
            refused = client.post(path, headers=owner.headers, json={"loci": loci})
            assert refused.status_code == 422, (path, refused.text)
            assert "FOO" in refused.json()["message"] and refused.json()["field"] == "loci"
    assert _profiles(world) == 0
    # The spellings the system normalises, and real loci outside CODIS, are still taken.
    spelled = {
        "VWA": ["15"],
        "THO1": ["6"],
        "D21": ["30"],
        "Amelogenin": ["X", "Y"],
        "PENTA_D": ["9"],
        "Penta E": ["12"],
        "SE33": ["20"],
        "D6S1043": ["11"],
        "DYS391": ["10"],
        "HUMCSF1PO": ["10"],
    }
    enrolled = client.post(
        "/api/v1/dna/profiles",
        headers=owner.headers,
        json={"kind": "reference", "reference": "R-5", "loci": spelled},
    )
    assert enrolled.status_code == 201, enrolled.text
    assert set(enrolled.json()["loci"]) == {
        "vWA", "TH01", "D21S11", "AMEL", "Penta D", "Penta E", "SE33", "D6S1043", "DYS391", "CSF1PO",
    }  # fmt: skip
    assert enrolled.json()["locus_count"] == 8


def test_an_unknown_locus_is_refused_by_the_cli_with_exit_code_2(
    world: World,
    url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    loci_file = tmp_path / "loci.json"
    loci_file.write_text(json.dumps({**KNOWN, "FOO": ["1"]}), encoding="utf-8")
    base = ["--database-url", url, "--user", owner, "dna"]
    commands = (
        ["add", "--kind", "reference", "--reference", "R-1", "--loci-file", str(loci_file)],
        ["check", "--locus", "FOO=1"],
        ["kinship", "--locus", "FOO=1"],
    )
    for command in commands:
        result = CliRunner().invoke(app, [*base, *command])
        assert result.exit_code == 2, (command, result.output)
        assert "FOO" in result.output and "unknown locus" in result.output, result.output
    assert _profiles(world) == 0


def test_an_unknown_locus_is_refused_on_the_pages_in_the_users_language(
    client: TestClient, world: World
) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language="fr"))
    typed = "D3S1358: 15, 16\nvWA: 17, 18\nTH01: 9.3\nFOO: 1"
    enrol = client.post(
        "/dna/profiles", data={"csrf": csrf, "kind": "reference", "reference": "R-1", "loci": typed}
    )
    said = _text(enrol.text, "dna-error")
    assert enrol.status_code == 422 and "FOO" in said and "Locus inconnu" in said, said
    for path in ("/checks/dna", "/checks/dna/kinship"):
        refused = client.post(path, data={"csrf": csrf, "loci": "FOO: 1"})
        said = _text(refused.text, "dna-error")
        assert refused.status_code == 422 and "FOO" in said and "Locus inconnu" in said, (path, said)
    assert _profiles(world) == 0
    for language in ("es", "ar"):
        csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language=language))
        refused = client.post("/checks/dna", data={"csrf": csrf, "loci": "FOO: 1"})
        said = _text(refused.text, "dna-error")
        assert refused.status_code == 422 and "FOO" in said and "unknown locus" not in said, said


def test_a_bulk_enrolment_with_one_unknown_locus_changes_nothing(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    rng = random.Random(5)
    items = [ProfileCreate(kind="reference", reference=f"B-{k}", loci=random_loci(rng)) for k in range(3)]
    items.append(ProfileCreate(kind="reference", reference="B-bad", loci={**random_loci(rng), "FOO": ["1"]}))
    with pytest.raises(Invalid, match="FOO"), unit_of_work(world.state.sessions) as session:
        service.create_many(session, actor=owner.actor, items=items)
    assert _profiles(world) == 0


def test_a_check_with_too_few_loci_says_nothing_was_searched_not_carry_on(
    client: TestClient, world: World
) -> None:
    carry_on = {
        language: i18n.translate(language, "checks.result.no_hit_help") for language in i18n.LANGUAGES
    }
    for language in i18n.LANGUAGES:
        csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language=language))
        few = client.post("/checks/dna", data={"csrf": csrf, "loci": "D8S1179: 12, 13"})
        assert few.status_code == 200, few.text
        assert carry_on[language] not in few.text, language
        said = _text(few.text, "result")
        assert 'data-reason="too_few_loci"' in few.text, language
        assert i18n.translate(language, "dna.result.too_few_loci") in said, (language, said)
        assert _warnings(few.text)
    said = i18n.translate("en", "dna.result.too_few_loci")
    assert "too few loci" in said and "nothing was searched" in said
    # Enough loci: the usual verdict.
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    typed = "\n".join(f"{locus}: {', '.join(a)}" for locus, a in random_loci(random.Random(2)).items())
    enough = client.post("/checks/dna", data={"csrf": csrf, "loci": typed})
    assert enough.status_code == 200 and carry_on["en"] in enough.text
    assert 'data-reason="too_few_loci"' not in enough.text
    # The API keeps its answer: no hit, and the warning that nothing can match.
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    api = client.post("/api/v1/checks/dna", headers=officer.headers, json={"loci": {"D8S1179": ["12", "13"]}})
    assert api.status_code == 200 and api.json()["result"] == "no_hit"
    assert any("nothing can match" in warning for warning in api.json()["warnings"])
    # Nothing is searched, but a population that does not exist is still refused.
    nope = client.post(
        "/api/v1/checks/dna",
        headers=officer.headers,
        json={"loci": {"D8S1179": ["12", "13"]}, "population": "NOPE"},
    )
    assert nope.status_code == 422 and nope.json()["field"] == "population"


def test_the_role_refusal_names_the_roles_by_their_labels_on_the_pages(
    client: TestClient, world: World
) -> None:
    labels = {
        "fr": ("enquêteur", "superviseur"),
        "es": ("investigador", "supervisor"),
        "ar": ("محقق", "مشرف"),
    }
    for language, (investigator, supervisor) in labels.items():
        csrf = _sign_in(client, world.user("NCB-UTO", Role.FIELD_OFFICER, language=language))
        refused = client.post(
            "/dna/profiles", data={"csrf": csrf, "kind": "stain", "reference": "R-1", "loci": "TH01: 6"}
        )
        said = _text(refused.text, "dna-error")
        assert refused.status_code == 422, refused.status_code  # the form again, with the refusal
        assert "investigator" not in said and investigator in said and supervisor in said, (language, said)
    # English pages say the labels too (a code such as system_admin is not a word).
    actor = world.user("NCB-UTO", Role.FIELD_OFFICER).actor
    with pytest.raises(Forbidden) as refusal:
        require_role(actor, Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN)
    shown = str(i18n.localise("en", refusal.value.message))
    assert "system administrator" in shown and "agency administrator" in shown and "_admin" not in shown
    # The API says it as it did, codes and all.
    assert refusal.value.message == "this needs one of the roles: agency_admin, system_admin"
    officer = world.user("NCB-UTO", Role.FIELD_OFFICER)
    api = client.post(
        "/api/v1/dna/profiles",
        headers=officer.headers,
        json={"kind": "stain", "reference": "R-1", "loci": {"TH01": ["6"]}},
    )
    said = "this needs one of the roles: investigator, supervisor"
    assert api.status_code == 403 and api.json()["message"] == said


def test_an_empty_required_box_says_fill_in_this_box(client: TestClient, world: World) -> None:
    expected = {"en": "Fill in this box", "fr": "Remplissez", "es": "Rellene", "ar": "املأ"}
    for language, words in expected.items():
        csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language=language))
        empty = client.post(
            "/dna/profiles", data={"csrf": csrf, "kind": "stain", "reference": "", "loci": "TH01: 6"}
        )
        said = _text(empty.text, "dna-error")
        assert empty.status_code == 422 and words in said and "character" not in said, (language, said)
    officer = world.user("NCB-UTO", Role.INVESTIGATOR)
    api = client.post(
        "/api/v1/dna/profiles",
        headers=officer.headers,
        json={"kind": "stain", "reference": "", "loci": {"TH01": ["6"]}},
    )
    assert api.status_code == 422 and "at least 1 character" in api.json()["message"]


def test_a_missing_persons_photo_answers_the_html_error_page_in_the_users_language(
    client: TestClient, world: World
) -> None:
    _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language="fr"))
    missing = client.get("/persons/NOPE123/photo")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html"), missing.headers
    assert "<html" in missing.text and 'lang="fr"' in missing.text
    assert re.search(r"no person\s", missing.text) is None, missing.text[:400]


def test_the_image_too_large_warning_is_said_in_the_users_language(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fingerprint_lookup, "MAX_STORED_IMAGE", 10)
    read = fingerprint_lookup.from_bytes(image=ridge_image())
    (warning,) = [w for w in read.warnings if "too large" in w]
    assert warning == "the image is too large to keep for the examiner; only minutiae are stored"
    for language in ("fr", "es", "ar"):
        csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language=language))
        page = client.post(
            "/checks/fingerprint",
            data={"csrf": csrf, "source": "image"},
            files={"file": ("print.png", ridge_image(), "image/png")},
        )
        assert page.status_code == 200, page.text
        said = html.unescape(_warnings(page.text))
        assert "too large" not in said, (language, said)
        assert i18n.translate(language, "fingerprints.warning.image_too_large") in said, (language, said)


def test_a_frequency_table_with_one_unknown_locus_line_is_refused_and_nothing_is_stored(
    client: TestClient, world: World
) -> None:
    bad = frequency_csv() + "FOO,1,0.5,400\n"
    refused = client.post(
        "/api/v1/dna/frequencies?population=GEN&source=generated",
        headers={**world.admin.headers, "Content-Type": "text/csv"},
        content=bad,
    )
    assert refused.status_code == 422, refused.text
    assert "unknown locus 'FOO'" in refused.json()["message"] and refused.json()["field"] == "file"
    listed = client.get("/api/v1/dna/frequencies", headers=world.admin.headers)
    assert listed.status_code == 200 and listed.json() == []
