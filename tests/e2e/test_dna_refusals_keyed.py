"""Leftovers of a keyboard and language audit of the DNA page: refusals of the DNA core and of the DNA
service ("locus TH01 given twice", "a profile needs at least one typed autosomal locus", the pedigree
errors of a family, a kinship search with no frequency table, a reference enrolled twice) were said in
English on the French, Spanish and Arabic pages; the API's English is unchanged, byte for byte. And a
``min_loci`` the form's own validation refused ("abc", 0) was a bare error page, the form and what was typed
lost, and a bound (0, 61) said in English on every page: it is the DNA page, the box marked and tied to the
error, said in the user's language."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from tests.conftest import World
from tests.e2e.test_persons_api import _sign_in
from tests.e2e.test_web_keyboard_focus import _marked, _tag

from peacelink.access import Role

V1 = "/api/v1"
LOCI = {"D3S1358": ["15", "16"], "vWA": ["17", "18"], "FGA": ["21", "22"], "D8S1179": ["12", "13"]}
LOCI_TEXT = "\n".join(f"{name}: {', '.join(alleles)}" for name, alleles in LOCI.items())
# The API's messages as they were before the texts were keyed: the same bytes after.
TWICE = "locus TH01 given twice (as 'HUMTH01' and another spelling)"
NO_AUTOSOMAL = "a profile needs at least one typed autosomal locus"
NO_TABLE = "a kinship search needs a frequency table: import one first"
PARENTS = "family MP-1: at most two parents, two grandparents and one spouse per family"
PERSON_LINK = "only a known person's reference profile links to a person"


def _said(page: str) -> str:
    """The text of the DNA page's error line, tags and entities removed."""
    found = re.search(r'id="dna-error"[^>]*>(.*?)</p>', page, re.S)
    assert found, "no error on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def _enrol(client: TestClient, headers: dict[str, str], **fields: object) -> tuple[int, str]:
    body = {"kind": "relative", "loci": LOCI, "relationship": "parent", "family": "MP-1", **fields}
    answer = client.post(f"{V1}/dna/profiles", headers=headers, json=body)
    return answer.status_code, str(answer.json().get("message", ""))


def test_the_api_says_the_dna_refusals_in_english_as_before(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR, language="fr")
    headers = owner.headers
    for loci, said in (({"TH01": ["6"], "HUMTH01": ["7"]}, TWICE), ({"AMEL": ["X", "Y"]}, NO_AUTOSOMAL)):
        answer = client.post(f"{V1}/checks/dna", headers=headers, json={"loci": loci})
        assert answer.status_code == 422 and answer.json()["message"] == said, answer.text
        assert answer.json()["field"] == "loci", answer.text
    kinship = client.post(f"{V1}/checks/dna/kinship", headers=headers, json={"loci": LOCI})
    assert kinship.status_code == 422 and kinship.json()["message"] == NO_TABLE, kinship.text
    for number in (1, 2):
        assert _enrol(client, headers, reference=f"P-{number}")[0] == 201
    assert _enrol(client, headers, reference="P-3") == (422, PARENTS)
    stain = {"kind": "stain", "relationship": None, "family": None, "person_id": "x"}
    assert _enrol(client, headers, reference="S-1", **stain) == (422, PERSON_LINK)
    assert _enrol(client, headers, reference="P-1")[1].startswith("reference P-1 is already enrolled (id ")


WORDS = {
    # (locus given twice, no autosomal locus, no frequency table, three parents, enrolled twice)
    "fr": ("deux fois", "autosomique", "table de fréquences", "deux parents", "déjà enregistrée"),
    "es": ("dos veces", "autosómico", "tabla de frecuencias", "dos progenitores", "ya está registrada"),
    "ar": ("مرتين", "جسمي", "جدول ترددات", "والدين", "مسجل"),
}


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_the_dna_page_says_the_refusals_in_the_users_language(
    client: TestClient, world: World, language: str
) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR, language=language))
    twice, autosomal, table, parents, enrolled = WORDS[language]
    said = _said(client.post("/checks/dna", data={"csrf": csrf, "loci": "TH01: 6\nHUMTH01: 7"}).text)
    assert "given twice" not in said and twice in said and "TH01" in said, said
    said = _said(client.post("/checks/dna", data={"csrf": csrf, "loci": "AMEL: X, Y"}).text)
    assert "autosomal" not in said and autosomal in said, said
    said = _said(client.post("/checks/dna/kinship", data={"csrf": csrf, "loci": LOCI_TEXT}).text)
    assert "import one first" not in said and table in said, said
    enrol = {"csrf": csrf, "kind": "relative", "loci": LOCI_TEXT, "relationship": "parent", "family": "MP-1"}
    for number in (1, 2):
        assert (
            'id="dna-enrolled"'
            in client.post("/dna/profiles", data={**enrol, "reference": f"P-{number}"}).text
        )
    page = client.post("/dna/profiles", data={**enrol, "reference": "P-3"})
    said = _said(page.text)
    assert page.status_code == 422 and "at most two" not in said and parents in said and "MP-1" in said, said
    said = _said(client.post("/dna/profiles", data={**enrol, "reference": "P-1"}).text)
    assert "already enrolled" not in said and enrolled in said and "P-1" in said, said


MIN_LOCI = {
    # (a value that is not a number, a value out of bounds)
    "en": ("digits 0-9", "at least 1"),
    "fr": ("chiffres ASCII (0-9)", "au moins 1"),
    "es": ("cifras ASCII (0-9)", "al menos 1"),
    "ar": ("(0-9)", "1"),
}


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_a_refused_min_loci_is_the_dna_page_with_the_box_marked(
    client: TestClient, world: World, language: str
) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language=language))
    digits, least = MIN_LOCI[language]
    long = {"en": "at most 20", "fr": "20", "es": "20", "ar": "20"}[language]
    refused = [("abc", digits), ("8.0", digits), ("0", least), ("61", "60"), ("9" * 5000, long)]
    for value, words in refused:
        page = client.post(
            "/checks/dna", data={"csrf": csrf, "loci": LOCI_TEXT, "stringency": "high", "min_loci": value}
        )
        assert page.status_code == 422 and page.headers["content-type"].startswith("text/html"), page.text
        # The DNA page, not a bare error page: the form again as typed, the box marked and tied to the error.
        assert 'id="dna-check"' in page.text and 'id="error-detail"' not in page.text, page.text
        assert _marked(page.text, "min_loci", "dna-error")
        assert not _marked(page.text, "check-loci", "dna-error")
        assert f'value="{value}"' in _tag(page.text, "min_loci")
        assert "D3S1358: 15, 16" in page.text and '<option value="high" selected>' in page.text
        said = _said(page.text)
        assert words in said, (value, said)
        if language != "en":
            assert "Input should" not in said and "whole number" not in said, (value, said)
    # A number in bounds still checks.
    page = client.post("/checks/dna", data={"csrf": csrf, "loci": LOCI_TEXT, "min_loci": "4"})
    assert page.status_code == 200 and 'id="dna-error"' not in page.text
