"""What a third audit of the pages found: the DNA and fingerprint pages offered enrolment to roles that may
not enrol, and a refused enrolment said "the check could not be done"; the DNA page's own errors and its check
warning were English (and named ``min_loci``) on every page; the person search named no box when the
service refused a value; an agency administrator's home page offered checks the role may not make."""

from __future__ import annotations

import dataclasses
import re
import string

from fastapi.testclient import TestClient
from tests.conftest import World
from tests.e2e.test_persons_api import WANTED, _sign_in
from tests.e2e.test_web_audit_pages import _fingerprint_hit, _text
from tests.e2e.test_web_signin import _sign_in as sign_in
from tests.integration.test_fingerprints_helpers import impression, iso

from peacelink.access import Role
from peacelink.web import i18n


def _warnings(page: str) -> str:
    """The text of a result page's warning list."""
    found = re.search(r'<ul id="warnings">(.*?)</ul>', page, re.S)
    assert found, "no warnings on the page"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_enrol_forms_are_offered_only_to_roles_that_may_enrol(client: TestClient, world: World) -> None:
    for roles in ((Role.FIELD_OFFICER,), (Role.ANALYST,)):
        _sign_in(client, world.user("MINUSCA", *roles))
        dna, prints = client.get("/dna"), client.get("/fingerprints")
        assert dna.status_code == 200 and 'id="dna-check"' in dna.text
        assert 'id="dna-enrol"' not in dna.text, roles
        assert prints.status_code == 200 and 'id="check-fingerprint"' in prints.text
        assert 'id="enrol-fingerprint"' not in prints.text, roles
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    assert 'id="dna-enrol"' in client.get("/dna").text
    assert 'id="enrol-fingerprint"' in client.get("/fingerprints").text


def test_a_refused_enrolment_says_nothing_was_enrolled_not_that_a_check_failed(
    client: TestClient, world: World
) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    enrol = client.post(
        "/dna/profiles",
        data={"csrf": csrf, "kind": "relative", "reference": "R-1", "loci": "D8S1179: 12, 13"},
    )
    said = _text(enrol.text, "dna-error")
    assert enrol.status_code == 422 and said.startswith("The profile was not enrolled:"), said
    assert 'value="R-1"' in enrol.text
    prints = client.post("/fingerprints/enrol", data={"csrf": csrf, "reference": "C-1"})
    said = _text(prints.text, "fingerprint-error")
    assert prints.status_code == 422 and said.startswith("The print was not enrolled:"), said
    # A refused check still says the check could not be done.
    check = client.post("/checks/dna", data={"csrf": csrf, "loci": "D8S1179"})
    assert _text(check.text, "dna-error").startswith("The check could not be done:")


def test_the_dna_pages_say_their_errors_and_warning_in_the_users_language(
    client: TestClient, world: World
) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language="fr"))
    bad_line = client.post("/checks/dna", data={"csrf": csrf, "loci": "D3S1358: 15, 16\nD8S1179"})
    said = _text(bad_line.text, "dna-error")
    assert bad_line.status_code == 422 and "write LOCUS" not in said and "Ligne 2" in said, said
    empty = client.post("/checks/dna/kinship", data={"csrf": csrf, "loci": "  "})
    said = _text(empty.text, "dna-error")
    assert empty.status_code == 422 and "type at least" not in said and "au moins un locus" in said, said
    family = client.post(
        "/dna/profiles", data={"csrf": csrf, "kind": "relative", "reference": "R-1", "loci": "D8S1179: 12"}
    )
    said = _text(family.text, "dna-error")
    assert family.status_code == 422 and "needs the family" not in said and "famille" in said, said
    few = client.post("/checks/dna", data={"csrf": csrf, "loci": "D8S1179: 12, 13"})
    said = _warnings(few.text)
    assert few.status_code == 200 and "min_loci" not in said and "autosomal" not in said, said
    assert "1 locus" in said and "8" in said, said
    assert "no allele frequency" not in said and "Aucune table de fréquences" in said, said
    # The English page says it in plain words too: no request field name.
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    said = _warnings(client.post("/checks/dna", data={"csrf": csrf, "loci": "D8S1179: 12, 13"}).text)
    assert "min_loci" not in said and "Minimum loci compared" in said, said


def test_the_person_search_names_the_refused_box_by_its_label(client: TestClient, world: World) -> None:
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language="es"))
    page = client.get("/persons/search?name=Ali&nationality=1R")
    said = _text(page.text, "search-error")
    assert page.status_code == 422 and "Campo: Nacionalidad (ISO alfa-3)" in said, said
    assert 'value="1R"' in page.text
    # A refusal the page words itself names the box once, as before.
    year = _text(client.get("/persons/search?born_from=abc").text, "search-error")
    assert year.count("Nacido desde (año)") == 1, year


def test_an_agency_administrator_is_not_offered_checks(client: TestClient, world: World) -> None:
    admin = world.user("NCB-UTO", Role.AGENCY_ADMIN)
    sign_in(client, admin.actor.username, admin.password, admin.totp_secret)
    home = client.get("/")
    assert home.status_code == 200
    assert 'id="check-person"' not in home.text and 'id="check-document"' not in home.text
    assert 'id="no-checks"' in home.text and i18n.translate("en", "checkpoint.intro") not in home.text
    # Nor on the DNA and fingerprint pages, which the menu does not offer it but an address opens.
    dna, prints = client.get("/dna"), client.get("/fingerprints")
    assert 'id="dna-check"' not in dna.text and 'id="dna-kinship"' not in dna.text
    assert 'id="no-checks"' in dna.text
    assert 'id="check-fingerprint"' not in prints.text and 'id="no-checks"' in prints.text
    _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    assert 'id="check-person"' in client.get("/").text


def test_an_english_page_says_service_texts_in_plain_words_naming_the_labels(
    client: TestClient, world: World
) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    csrf = _sign_in(client, officer)
    document = client.post("/checks/document", data={"csrf": csrf})
    said = _text(document.text, "check-error")
    assert document.status_code == 422 and "issuing_country" not in said, said
    assert "Give the Issuing country and the Document number, or the MRZ." in said, said
    vehicle = client.post("/checks/vehicle", data={"csrf": csrf})
    said = _text(vehicle.text, "check-error")
    assert "give vin" not in said and "Registration plate" in said, said
    # The API keeps its own words, byte for byte.
    api = client.post("/api/v1/checks/documents", headers=officer.headers, json={})
    assert api.status_code == 422 and api.json()["message"] == "give issuing_country and number, or mrz"


def test_each_plain_english_entry_replaces_an_english_entry_with_the_same_values() -> None:
    english, pages = i18n.own_catalogue("en"), i18n.own_catalogue(i18n.PAGE_ENGLISH)
    assert len(pages) >= 10
    for key, entry in pages.items():
        assert key in english and entry != english[key], key
        assert _names(entry) <= _names(english[key]), key


def _names(entry: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(entry) if name}


def test_an_english_form_error_from_a_request_shape_reads_as_plain_english(
    client: TestClient, world: World
) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    blank = client.post("/dna/profiles", data={"csrf": csrf, "kind": "stain", "loci": "D8S1179: 12, 13"})
    said = _text(blank.text, "dna-error")
    assert blank.status_code == 422 and "String should" not in said and "Fill in this box" in said, said
    long_reference = client.post(
        "/dna/profiles", data={"csrf": csrf, "kind": "stain", "reference": "R" * 200, "loci": "D8S1179: 12"}
    )
    said = _text(long_reference.text, "dna-error")
    assert "String should" not in said and "Too long: at most" in said and "has 200" in said, said


def test_an_arabic_enrolment_joins_its_kind_and_loci_with_the_arabic_comma(
    client: TestClient, world: World
) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language="ar"))
    page = client.post(
        "/dna/profiles",
        data={"csrf": csrf, "kind": "stain", "reference": "S-1", "loci": "D8S1179: 12, 13\nFGA: 20, 22"},
    )
    said = _text(page.text, "dna-enrolled")
    assert page.status_code == 200 and "، 2" in said and ", 2" not in said, said


def test_the_person_record_page_says_a_missing_record_plainly_and_joins_arabic_with_its_comma(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, language="ar")
    person = client.post("/api/v1/persons", headers=owner.headers, json=WANTED)
    assert person.status_code == 201, person.text
    _sign_in(client, owner)
    page = client.get(f"/persons/{person.json()['id']}")
    names = re.search(r"<dd>(.*?)</dd>", page.text[page.text.index(i18n.translate("ar", "persons.names")) :])
    assert page.status_code == 200 and names, page.text[:300]
    primary, latin = (
        i18n.translate("ar", "value.name_kind.primary"),
        i18n.translate("ar", "value.script.Latn"),
    )
    assert f"{primary}، {latin}" in names.group(1) and f"{primary}, " not in names.group(1), names.group(1)
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    missing = client.get("/persons/no-such-record")
    said = re.sub(r"<[^>]+>", "", missing.text[missing.text.index('class="error"') :].split("</p>")[0])
    assert missing.status_code == 404 and "no person" not in said, said
    assert "No person record no-such-record that your agency may see." in said, said


def test_an_unreadable_template_is_said_plainly_in_the_users_language(
    client: TestClient, world: World
) -> None:
    for language, words in (
        ("fr", "n'est pas un modèle ISO/IEC 19794-2 lisible"),
        ("en", "The file is not a readable ISO/IEC 19794-2 template"),
    ):
        csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language=language))
        page = client.post(
            "/checks/fingerprint",
            data={"csrf": csrf, "source": "template"},
            files={"file": ("print.iso", b"not a template", "application/octet-stream")},
        )
        said = _text(page.text, "fingerprint-error")
        assert page.status_code == 422 and "format identifier" not in said and words in said, said


def test_the_fingerprint_hit_list_offers_examining_only_to_examiners(
    client: TestClient, world: World
) -> None:
    hit_id = _fingerprint_hit(client, world)
    _sign_in(client, world.user("NCB-UTO", Role.FIELD_OFFICER))
    assert client.get(f"/fingerprints/hits/{hit_id}").status_code == 403  # the examiner page refuses it
    listed = client.get("/fingerprints/hits")
    assert listed.status_code == 200 and f'id="hit-{hit_id}"' in listed.text
    assert f'href="/fingerprints/hits/{hit_id}"' not in listed.text
    assert 'id="examiners-only"' in listed.text
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    assert f'href="/fingerprints/hits/{hit_id}"' in client.get("/fingerprints/hits").text


def test_a_print_with_too_few_minutiae_is_said_in_the_users_language(
    client: TestClient, world: World
) -> None:
    few = dataclasses.replace(impression(3, 9), minutiae=impression(3, 9).minutiae[:3])
    for language, words in (("es", "solo 3 minucias"), ("en", "Only 3 minutiae were found")):
        csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language=language))
        page = client.post(
            "/checks/fingerprint",
            data={"csrf": csrf, "source": "template"},
            files={"file": ("print.iso", iso(few), "application/octet-stream")},
        )
        said = _text(page.text, "fingerprint-error")
        assert page.status_code == 422 and "template: only" not in said and words in said, said
