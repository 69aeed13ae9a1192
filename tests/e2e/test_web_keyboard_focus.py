"""What a keyboard and focus audit of the pages found (the browser part is in test_browser.py): a refused box
of the DNA and fingerprint forms, and the sign-in boxes after a failed attempt, were not tied to the error
that names them (aria-invalid, aria-describedby); a DNA allele refused by the DNA core was said in English
on the French, Spanish and Arabic pages; two user-administration refusals had no key for the pages."""

from __future__ import annotations

import re
import string

import pytest
from fastapi.testclient import TestClient
from tests.conftest import PASSWORD, World
from tests.e2e.test_persons_api import _sign_in
from tests.e2e.test_web_audit_pages import _text

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import PeacelinkError
from peacelink.translatable import Translatable
from peacelink.users import service as users
from peacelink.users.schemas import UserUpdate
from peacelink.web import i18n


def _tag(page: str, element_id: str) -> str:
    """The opening tag of the page's element ``element_id``."""
    found = re.search(rf'<(?:input|textarea|select)[^>]*\bid="{element_id}"[^>]*>', page)
    assert found, f"no box #{element_id} on the page"
    return found.group(0)


def _marked(page: str, element_id: str, error_id: str) -> bool:
    """Whether the box ``element_id`` is marked refused and described by the error ``error_id``."""
    tag = _tag(page, element_id)
    described = re.search(r'aria-describedby="([^"]*)"', tag)
    return 'aria-invalid="true"' in tag and bool(described) and error_id in described.group(1).split()


def test_a_refused_dna_box_is_tied_to_the_error(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    check = client.post("/checks/dna", data={"csrf": csrf, "loci": "D8S1179: 12, abc"})
    assert check.status_code == 422
    assert _marked(check.text, "check-loci", "dna-error")
    assert not _marked(check.text, "kinship-loci", "dna-error")
    assert not _marked(check.text, "enrol-loci", "dna-error")
    kinship = client.post("/checks/dna/kinship", data={"csrf": csrf, "loci": " "})
    assert kinship.status_code == 422
    assert _marked(kinship.text, "kinship-loci", "dna-error")
    assert not _marked(kinship.text, "check-loci", "dna-error")
    enrol = {"csrf": csrf, "kind": "relative", "reference": "R-1", "loci": "D8S1179: 12, 13"}
    family = client.post("/dna/profiles", data=enrol)
    assert family.status_code == 422
    assert _marked(family.text, "family", "dna-error") and not _marked(family.text, "enrol-loci", "dna-error")
    allele = client.post("/dna/profiles", data={**enrol, "kind": "stain", "loci": "D8S1179: 0"})
    assert allele.status_code == 422
    assert _marked(allele.text, "enrol-loci", "dna-error")
    assert not _marked(allele.text, "check-loci", "dna-error")
    # The error keeps the focus: it names the box, which a keyboard reaches next.
    assert re.search(r'<p [^>]*id="dna-error"[^>]*autofocus', allele.text)


def test_a_refused_fingerprint_box_is_tied_to_the_error(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    not_an_image = {"file": ("print.pdf", b"%PDF-1.4 not an image", "application/pdf")}
    check = client.post("/checks/fingerprint", data={"csrf": csrf, "source": "image"}, files=not_an_image)
    assert check.status_code == 422
    assert _marked(check.text, "check-file", "fingerprint-error")
    assert not _marked(check.text, "enrol-file", "fingerprint-error")
    enrol = client.post(
        "/fingerprints/enrol",
        data={"csrf": csrf, "reference": "C-1", "source": "image", "finger_position": "1"},
        files=not_an_image,
    )
    assert enrol.status_code == 422
    assert _marked(enrol.text, "enrol-file", "fingerprint-error")
    # The file to choose again still describes the box too.
    assert "enrol-file-again" in _tag(enrol.text, "enrol-file")
    assert not _marked(enrol.text, "check-file", "fingerprint-error")


def test_a_failed_sign_in_ties_the_boxes_to_the_error(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    # Before an attempt no box is marked.
    assert "aria-invalid" not in _tag(page.text, "password")
    failed = client.post(
        "/login", data={"csrf": csrf.group(1), "username": officer.actor.username, "password": "wrong" * 3}
    )
    assert 'id="signin-error"' in failed.text
    assert _marked(failed.text, "password", "signin-error")
    assert _marked(failed.text, "username", "signin-error")
    client.post(
        "/login", data={"csrf": csrf.group(1), "username": officer.actor.username, "password": PASSWORD}
    )
    code_page = client.get("/login/code")
    csrf2 = re.search(r'name="csrf" value="([^"]+)"', code_page.text)
    assert csrf2 and "aria-invalid" not in _tag(code_page.text, "code")
    wrong = client.post("/login/code", data={"csrf": csrf2.group(1), "code": "000000"})
    assert 'id="code-error"' in wrong.text
    assert _marked(wrong.text, "code", "code-error")


ALLELES = {
    "fr": ("Allèle", "n'est"),
    "es": ("Alelo", "no es"),
    "ar": ("الأليل", "ليس"),
}


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_a_refused_allele_is_said_in_the_users_language(
    client: TestClient, world: World, language: str
) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language=language))
    words = ALLELES[language]
    for typed in ("D8S1179: 12, abc", "D8S1179: 0, 12", "AMEL: X, Z"):
        page = client.post("/checks/dna", data={"csrf": csrf, "loci": typed})
        said = _text(page.text, "dna-error")
        assert page.status_code == 422 and "is not" not in said, said
        assert all(word in said for word in words), said
    enrol = client.post(
        "/dna/profiles",
        data={"csrf": csrf, "kind": "reference", "reference": "R-1", "loci": "D8S1179: 11, 12, 13"},
    )
    said = _text(enrol.text, "dna-error")
    assert enrol.status_code == 422 and "only stains" not in said and "D8S1179" in said, said


def test_the_api_says_a_refused_allele_in_english_as_before(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    for alleles, said in (
        (
            ["12", "abc"],
            "D8S1179: allele 'abc' is not a repeat number (9, 9.3), an off-ladder marker (<8, >30, OL)",
        ),
        (["0", "12"], "D8S1179: allele 0 is not a repeat number"),
        ([" ", "12"], "D8S1179: empty allele"),
    ):
        answer = client.post(
            "/api/v1/checks/dna", headers=officer.headers, json={"loci": {"D8S1179": alleles}}
        )
        assert answer.status_code == 422 and said in answer.json()["message"], answer.text
    answer = client.post("/api/v1/checks/dna", headers=officer.headers, json={"loci": {"AMEL": ["X", "Z"]}})
    assert "AMEL: allele 'Z' is not X or Y" in answer.json()["message"], answer.text


def _names(entry: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(entry) if name}


def _keyed_in_every_language(text: str) -> None:
    assert isinstance(text, Translatable), f"not keyed for the pages: {text!r}"
    english = i18n.own_catalogue("en")[text.key]
    assert english.format(**text.params) == text, text.key
    for language in ("fr", "es", "ar"):
        entry = i18n.own_catalogue(language)[text.key]
        assert entry != english and _names(entry) <= set(text.params), (language, text.key)


def test_the_user_administration_refusals_are_keyed_and_the_api_english_as_before(
    client: TestClient, world: World
) -> None:
    admin = world.user("NCB-UTO", Role.AGENCY_ADMIN)
    other = world.user("MINUSCA", Role.FIELD_OFFICER)
    own = world.user("NCB-UTO", Role.FIELD_OFFICER)
    refusals = (
        (other.actor.username, {"full_name": "X"}, "an agency admin manages only their own agency's users"),
        (own.actor.username, {"roles": ["reviewer"]}, "only a system admin grants reviewer or system_admin"),
    )
    for username, change, english in refusals:
        with pytest.raises(PeacelinkError) as raised, unit_of_work(world.state.sessions) as session:
            users.update(session, actor=admin.actor, username=username, data=UserUpdate(**change))
        _keyed_in_every_language(raised.value.message)
        answer = client.patch(f"/api/v1/users/{username}", headers=admin.headers, json=change)
        assert answer.status_code == 403 and answer.json()["message"] == english, answer.text
    with pytest.raises(PeacelinkError) as raised, unit_of_work(world.state.sessions) as session:
        users.list_users(session, actor=admin.actor, agency="MINUSCA")
    _keyed_in_every_language(raised.value.message)
