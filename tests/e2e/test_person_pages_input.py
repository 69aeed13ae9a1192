"""Person web pages refuse bad input as the API does: a clear error in the user's language, nothing run.

The checkpoint's person check never cuts the names to the first ten, and the search page never cuts or
drops a filter value: each is refused, the form shown again with what was typed, and no check or search
is run or audited.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World, passport_mrz
from tests.e2e.test_persons_api import WANTED, _sign_in

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.hits.models import Hit

FILLERS = [f"Filler Person{n}" for n in "ABCDEFGHIJ"]  # ten names that match nobody


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "form without CSRF token"
    return match.group(1)


def _wanted(client: TestClient, world: World) -> str:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    created = client.post("/api/v1/persons", headers=owner.headers, json=WANTED)
    assert created.status_code == 201, created.text
    person_id: str = created.json()["id"]
    return person_id


def _counts(world: World) -> tuple[int, int, int]:
    """(person checks audited, searches audited, hits)."""
    with unit_of_work(world.state.sessions) as session:
        checks = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("check.%"))
        )
        searches = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "person.search")
        )
        hits = session.scalar(select(func.count()).select_from(Hit))
    return checks or 0, searches or 0, hits or 0


def test_eleven_names_are_refused_not_cut_to_ten(client: TestClient, world: World) -> None:
    _wanted(client, world)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    csrf = _sign_in(client, officer)
    before = _counts(world)
    page = client.post(
        "/checks/person", data={"csrf": csrf, "names": "\n".join([*FILLERS, "Mohamed Al-Hashimi"])}
    )
    assert page.status_code == 422
    assert "data-result" not in page.text  # neither "hit" nor "no match, carry on"
    assert "Give at most 10 names, one per line (you gave 11)." in page.text
    assert _counts(world) == before  # no check run, audited or hit
    # The API refuses the same names alike.
    api = client.post(
        "/api/v1/checks/persons", headers=officer.headers, json={"names": [*FILLERS, "Mohamed Al-Hashimi"]}
    )
    assert api.status_code == 422
    # Ten names are a check: the wanted person as the tenth is found.
    ten = client.post(
        "/checks/person", data={"csrf": csrf, "names": "\n".join([*FILLERS[:9], "Mohamed Al-Hashimi"])}
    )
    assert ten.status_code == 200 and 'data-result="hit"' in ten.text


def test_too_many_names_message_is_in_the_users_language(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    csrf = _sign_in(client, officer)
    page = client.post("/checks/person", data={"csrf": csrf, "names": "\n".join([*FILLERS, "Ali Hassan"])})
    assert page.status_code == 422 and "data-result" not in page.text
    assert "Donnez au plus 10 noms, un par ligne (vous en avez donné 11)." in page.text


def test_a_name_too_long_is_refused_with_a_clear_message(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    csrf = _sign_in(client, officer)
    before = _counts(world)
    page = client.post("/checks/person", data={"csrf": csrf, "names": "Ali Hassan\n" + "A" * 301})
    assert page.status_code == 422 and "data-result" not in page.text
    assert "Name 2 is too long: at most 300 characters (it has 301)." in page.text
    assert _counts(world) == before


# (query, the filter named by the error, the error's text, the value shown back in the form as typed)
BAD_SEARCHES = [
    (
        {"born_from": "19789"},
        "born_from",
        "Born from (year): “19789” is not a year from 1880 to 2100.",
        "19789",
    ),
    ({"born_to": "1878"}, "born_to", "Born until (year): “1878” is not a year from 1880 to 2100.", "1878"),
    ({"born_from": "78a"}, "born_from", "Born from (year): “78a” is not a year from 1880 to 2100.", "78a"),
    (
        {"nationality": "IRQX"},
        "nationality",
        "Nationality (ISO alpha-3): at most 3 characters (it has 4).",
        "IRQX",
    ),
    ({"crime_area": "murder"}, "crime_area", "Crime area: “murder” is not one of the values offered", None),
    # The API refuses a crime area or warning differing in case or spaces: so does the page.
    (
        {"crime_area": "Terrorism"},
        "crime_area",
        "Crime area: “Terrorism” is not one of the values offered",
        None,
    ),
    ({"warning": "bogus"}, "warning", "Warning: “bogus” is not one of the values offered", None),
    ({"warning": "armed "}, "warning", "Warning: “armed ” is not one of the values offered", None),
    ({"name": "Ali " + "x" * 300}, "name", "Name: at most 300 characters (it has 304).", "Ali " + "x" * 300),
    ({"owner": "N" * 33}, "owner", "Owner agency: at most 32 characters (it has 33).", "N" * 33),
]


@pytest.mark.parametrize(("query", "field", "message", "shown"), BAD_SEARCHES)
def test_bad_search_filter_is_refused_not_cut_or_dropped(
    client: TestClient, world: World, query: dict[str, str], field: str, message: str, shown: str | None
) -> None:
    _wanted(client, world)
    investigator = world.user("NCB-CAF", Role.INVESTIGATOR)
    _sign_in(client, investigator)
    before = _counts(world)
    page = client.get("/persons/search", params={"name": "Mohamed Al-Hashimi", **query})
    assert page.status_code == 422
    assert 'id="search-results"' not in page.text and 'id="search-empty"' not in page.text
    assert f'id="search-error" role="alert" data-field="{field}"' in page.text
    assert message in page.text
    assert f'name="{field}" aria-invalid="true"' in page.text
    if shown is not None:  # shown back as typed, never cut
        assert f'value="{shown}"' in page.text
    assert _counts(world) == before  # no search run or audited
    # The API refuses the same value.
    api = client.get("/api/v1/persons/search", headers=investigator.headers, params=query)
    assert api.status_code == 422, api.text


def test_born_from_after_born_to_is_refused(client: TestClient, world: World) -> None:
    _wanted(client, world)
    _sign_in(client, world.user("NCB-CAF", Role.INVESTIGATOR))
    before = _counts(world)
    page = client.get("/persons/search", params={"born_from": "1990", "born_to": "1970"})
    assert (
        page.status_code == 422
        and 'id="search-results"' not in page.text
        and 'id="search-empty"' not in page.text
    )
    assert "Born from (year): 1990 is later than Born until (year): 1970." in page.text
    assert 'data-field="born_from"' in page.text
    assert _counts(world) == before
    # The API refuses it alike (it answered an empty list).
    officer = world.user("NCB-CAF", Role.INVESTIGATOR)
    api = client.get(
        "/api/v1/persons/search", headers=officer.headers, params={"born_from": 1990, "born_to": 1970}
    )
    assert api.status_code == 422 and api.json()["field"] == "born_from"


def test_search_filter_error_is_in_the_users_language(client: TestClient, world: World) -> None:
    _sign_in(client, world.user("NCB-CAF", Role.INVESTIGATOR, language="es"))
    page = client.get("/persons/search", params={"born_from": "19789"})
    assert page.status_code == 422 and 'id="search-error"' in page.text
    assert "Nacido desde (año): «19789» no es un año entre 1880 y 2100." in page.text


def test_good_filters_search_and_a_padded_year_is_not_dropped(client: TestClient, world: World) -> None:
    person_id = _wanted(client, world)  # born 1978
    _sign_in(client, world.user("NCB-CAF", Role.INVESTIGATOR))
    params = {"born_to": "1980", "nationality": "uto", "crime_area": "terrorism", "warning": "armed"}
    page = client.get("/persons/search", params={**params, "born_from": " 1970 "})
    assert page.status_code == 200 and 'id="search-error"' not in page.text
    assert f"/persons/{person_id}" in page.text
    # A year typed with spaces around it is a year, as on the API: applied, never cut and dropped.
    later = client.get("/persons/search", params={"name": "Mohamed Al-Hashimi", "born_from": " 1980 "})
    assert later.status_code == 200 and 'id="search-empty"' in later.text
    assert f"/persons/{person_id}" not in later.text
    # Empty boxes (the form sends every field) are no filter.
    empty = client.get(
        "/persons/search", params={"born_from": "", "crime_area": "", "name": "Mohamed Al-Hashimi"}
    )
    assert empty.status_code == 200 and f"/persons/{person_id}" in empty.text


def test_the_checkpoint_shows_the_holder_of_a_presented_document_of_its_country(
    client: TestClient, world: World
) -> None:
    """The document number and its issuing country from the form: the holder is shown under another name
    (a candidate, not a hit); another country's document with that number is not his; a bad code is
    refused. (The document itself is checked too: tests/e2e/test_checkpoint_documents.py.)"""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    holder = {**WANTED, "identifiers": [{"type": "passport", "number": "B 987-654", "country": "MRT"}]}
    assert client.post("/api/v1/persons", headers=owner.headers, json=holder).status_code == 201
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    csrf = _sign_in(client, officer)
    form = {"csrf": csrf, "names": "Totally Different", "document": "B987654"}
    shown = client.post("/checks/person", data={**form, "document_country": "MRT"})
    assert shown.status_code == 200 and "Mohamed Al-Hashimi" in shown.text
    assert 'data-result="hit"' not in shown.text
    # Not a hit, but a candidate is listed: the holder's verdict says to compare it, never "carry on as
    # usual" (the document's own verdict, above it, is of the stolen and lost documents).
    holder = shown.text.partition('id="holder-check"')[2]
    assert 'data-candidates="1"' in holder and "the candidates below resemble this check" in holder
    assert "Carry on as usual" not in holder
    other = client.post("/checks/person", data={**form, "document_country": "SDN"})
    assert other.status_code == 200 and "Mohamed Al-Hashimi" not in other.text
    bad = client.post("/checks/person", data={**form, "document_country": "QQQ"})
    assert bad.status_code == 422 and "Mohamed Al-Hashimi" not in bad.text


def test_the_record_page_lists_the_owners_linked_documents(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    document = client.post(
        "/api/v1/documents",
        headers=owner.headers,
        json={
            "issuing_country": "UTO",
            "number": "P1234567",
            "document_type": "passport",
            "status": "stolen",
        },
    )
    assert document.status_code == 201, document.text
    linked = {**WANTED, "travel_document_ids": [document.json()["id"]]}
    created = client.post("/api/v1/persons", headers=owner.headers, json=linked)
    assert created.status_code == 201, created.text
    _sign_in(client, owner)
    page = client.get(f"/persons/{created.json()['id']}")
    # Shown as an officer knows it (type, issuing country, number), not by its internal id.
    assert page.status_code == 200 and document.json()["id"] not in page.text
    links = re.search(r'id="person-links">(.*?)</dd>', page.text, re.S)
    assert links and re.sub(r"<[^>]+>", "", links.group(1)).split() == ["passport", "UTO", "P1234567"]


def test_the_checkpoint_checks_the_holder_of_a_scanned_mrz(client: TestClient, world: World) -> None:
    _wanted(client, world)
    lines = passport_mrz()
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    page = client.post("/checks/person", data={"csrf": csrf, "mrz": "\n".join(lines)})
    assert page.status_code == 200 and 'data-result="hit"' in page.text and "Mohamed Al-Hashimi" in page.text
    unreadable = client.post("/checks/person", data={"csrf": csrf, "mrz": "P<UTO"})
    assert unreadable.status_code == 422 and "the MRZ cannot be read" in unreadable.text


def test_a_scanned_mrz_checks_the_document_too(client: TestClient, world: World) -> None:
    """The passport is reported stolen, its holder is nobody known: the page says the document is a hit
    (was "no hit, carry on" with the person check alone); the names typed with no MRZ check no document."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    report = {
        "issuing_country": "UTO",
        "number": "L898902C3",
        "document_type": "passport",
        "status": "stolen",
    }
    assert client.post("/api/v1/documents", headers=owner.headers, json=report).status_code == 201
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    before = _counts(world)
    page = client.post("/checks/person", data={"csrf": csrf, "mrz": "\n".join(passport_mrz())})
    assert page.status_code == 200
    assert 'id="document-result" data-result="hit"' in page.text and 'id="document-hit-1"' in page.text
    assert 'id="result" data-result="no_hit"' in page.text  # the holder: no person record
    assert _counts(world)[0] == before[0] + 2  # two checks audited: the document and its holder
    typed = client.post("/checks/person", data={"csrf": csrf, "names": "Anna Eriksson"})
    assert typed.status_code == 200 and "document-check" not in typed.text


def test_the_web_answer_shows_the_checks_warnings_and_the_names_compared(
    client: TestClient, world: World
) -> None:
    _wanted(client, world)
    forged = passport_mrz()
    forged[1] = forged[1][:13] + "1" + forged[1][14:]  # the date of birth's digits no longer compute
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    page = client.post("/checks/person", data={"csrf": csrf, "mrz": "\n".join(forged)})
    assert page.status_code == 200 and 'id="warnings"' in page.text
    assert "check digits do not compute" in page.text and "verify the document by eye" in page.text
    assert "Names compared" in page.text


def test_germanys_code_d_is_stored_and_matched_as_deu(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    holder = {
        **WANTED,
        "nationalities": ["D"],
        "identifiers": [{"type": "passport", "number": "T22000129", "country": "D"}],
    }
    created = client.post("/api/v1/persons", headers=owner.headers, json=holder)
    assert created.status_code == 201 and created.json()["nationalities"] == ["DEU"]
    assert created.json()["identifiers"][0]["country"] == "DEU"
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    for country in ("D", "DEU", "D<<"):
        answer = client.post(
            "/api/v1/checks/persons",
            headers=officer.headers,
            json={"names": ["John Smith"], "document": {"number": "T22000129", "country": country}},
        )
        assert answer.status_code == 200 and answer.json()["candidates"], (country, answer.text)
    # A union's member name (DocumentIn) is not part of the field an error names.
    bad = client.post(
        "/api/v1/checks/persons",
        headers=officer.headers,
        json={"names": ["Ali"], "document": {"number": "A"}},
    )
    assert bad.status_code == 422 and bad.json()["field"] == "document.number", bad.text


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"document": "B" * 61}, "document"),
        ({"document": "B987654", "document_country": "MRTX"}, "document.country"),
        ({"nationality": "IRQX"}, "nationality"),
        ({"date_of_birth": "1978-05-02X"}, "date_of_birth"),
    ],
)
def test_an_over_long_check_field_is_refused_on_the_page_with_the_form_as_typed(
    client: TestClient, world: World, fields: dict[str, str], field: str
) -> None:
    """Was a bare JSON 422 from the form's own bounds: now the check's rule, on the page, the form kept."""
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    csrf = _sign_in(client, officer)
    before = _counts(world)
    page = client.post("/checks/person", data={"csrf": csrf, "names": "Ali Hassan", "sex": "male", **fields})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "data-result" not in page.text and _counts(world) == before
    assert ">Ali Hassan</textarea>" in page.text and '<option value="male" selected>' in page.text
    for value in fields.values():
        assert f'value="{value}"' in page.text
    marked = re.findall(r'<(?:input|textarea) name="(\w+)" id="person-[\w-]+" aria-invalid="true"', page.text)
    assert marked == [{"document.country": "document_country"}.get(field, field)]
