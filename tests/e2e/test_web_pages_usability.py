"""The web pages a browser audit found wanting: a hit decided only by its button, errors that take the focus,
a menu of the pages the role may use, linked records shown as officers know them, an HTML 404, and the
language choice returning to the page the user was on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World
from tests.e2e.test_checks_api import _report
from tests.e2e.test_persons_api import WANTED, _sign_in

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.hits.models import Hit
from peacelink.web.navigation import same_site_path

TEMPLATES = Path(__file__).parents[2] / "src" / "peacelink" / "web" / "templates"
FOCUSABLE = re.compile(r"<(a|button|select|textarea|input(?![^>]*type=\"hidden\"))\b[^>]*>")


def _queued_hit(client: TestClient, world: World) -> tuple[str, str]:
    """A new hit on NCB-UTO's passport and the CSRF token of its supervisor, signed in on the web."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _report(client, owner)
    checked = client.post(
        "/api/v1/checks/documents",
        headers=officer.headers,
        json={"issuing_country": "UTO", "number": "L898902C3"},
    )
    hit_id: str = checked.json()["hits"][0]["hit_id"]
    return hit_id, _sign_in(client, owner)


def _decisions(world: World, hit_id: str) -> tuple[str, int]:
    """The hit's status and the decisions audited."""
    with unit_of_work(world.state.sessions) as session:
        hit = session.get(Hit, hit_id)
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action.in_(("hit.confirm", "hit.reject")))
        )
        assert hit is not None
        return hit.status, audited or 0


def test_a_hits_note_is_a_textarea_and_its_form_submits_only_by_a_button() -> None:
    """Enter in a note box would submit its form with the first button, Confirm: an irreversible decision."""
    for name in ("hits.html", "fingerprint_examiner.html"):
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        forms = re.findall(r'<form[^>]*action="(?:/fingerprints)?/hits/[^"]*/decide".*?</form>', source, re.S)
        assert forms, name
        for form in forms:
            assert re.search(r'<textarea name="note"', form), name
            # No box in which Enter submits the form implicitly: only the hidden CSRF token is an input.
            assert re.findall(r"<input\b[^>]*>", form) == [
                '<input type="hidden" name="csrf" value="{{ csrf }}">'
            ]


def test_a_decision_other_than_confirm_or_reject_is_refused_on_the_page(
    client: TestClient, world: World
) -> None:
    hit_id, csrf = _queued_hit(client, world)
    queue = client.get("/hits")
    assert (
        f'<textarea name="note" id="note-{hit_id}"' in queue.text and '<input name="note"' not in queue.text
    )
    for decision in ("maybe", "", "confirm " + "x" * 20):
        page = client.post(
            f"/hits/{hit_id}/decide",
            data={"csrf": csrf, "decision": decision, "note": "Seen the holder"},
            follow_redirects=False,
        )
        assert page.status_code == 422 and page.headers["content-type"].startswith("text/html"), decision
        assert 'id="hits-error" role="alert" tabindex="-1" autofocus' in page.text
        assert "The decision was not recorded: choose Confirm or Reject" in page.text
        # The note as typed, in the hit's box, which is not the refused value.
        assert f'id="note-{hit_id}"' in page.text and ">Seen the holder</textarea>" in page.text
        assert 'aria-invalid="true"' not in page.text
        assert _decisions(world, hit_id) == ("new", 0)
    # A note of spaces is refused in the hit's own box, which takes the focus.
    blank = client.post(
        f"/hits/{hit_id}/decide",
        data={"csrf": csrf, "decision": "reject", "note": "   "},
        follow_redirects=False,
    )
    assert blank.status_code == 422 and "write a note first" in blank.text
    assert f'id="note-{hit_id}" rows="2" required dir="auto"' in blank.text
    assert 'aria-invalid="true" aria-describedby="hits-error" autofocus>   </textarea>' in blank.text
    assert _decisions(world, hit_id) == ("new", 0)
    decided = client.post(
        f"/hits/{hit_id}/decide",
        data={"csrf": csrf, "decision": "reject", "note": "Not him"},
        follow_redirects=False,
    )
    assert decided.status_code == 303 and _decisions(world, hit_id) == ("rejected", 1)


def test_the_menu_offers_only_the_pages_the_role_may_use(client: TestClient, world: World) -> None:
    _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    home = client.get("/")
    assert 'id="nav-persons"' not in home.text
    for link in ("nav-checkpoint", "nav-fingerprints", "nav-dna", "nav-hits", "nav-messages"):
        assert f'id="{link}"' in home.text, link
    assert client.get("/persons/search").status_code == 403  # the page the link would have opened
    client.cookies.clear()
    _sign_in(client, world.user("NCB-CAF", Role.ANALYST))
    assert 'id="nav-persons"' in client.get("/").text
    assert client.get("/persons/search").status_code == 200


def test_every_page_starts_with_a_skip_link_in_the_users_language(client: TestClient, world: World) -> None:
    login = client.get("/login", headers={"accept-language": "es"})
    first = FOCUSABLE.search(login.text.split("<body>", 1)[1])
    assert first and 'href="#content"' in first.group(0) and "Ir al contenido" in login.text
    assert '<main class="container" id="content" tabindex="-1">' in login.text
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language="fr"))
    for path in ("/", "/persons/search", "/hits", "/dna", "/fingerprints", "/messages"):
        page = client.get(path)
        first = FOCUSABLE.search(page.text.split("<body>", 1)[1])
        assert first and 'class="skip-link"' in first.group(0), path
        assert ">Aller au contenu</a>" in page.text, path
        # htmx is told not to inject its indicator styles inline, which the CSP refuses.
        assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page.text
        assert "style-src 'self';" in page.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("route", "form", "box"),
    [
        ("/checks/document", {"issuing_country": "UTOX", "number": "L898902C3"}, "issuing_country"),
        ("/checks/vehicle", {"vin": "1M8GDM9AXKP042788" + "0" * 14}, "vin"),
        ("/checks/person", {"names": "Ali Hassan", "nationality": "IRQX"}, "person-nationality"),
    ],
)
def test_a_refused_check_focuses_the_refused_box(
    client: TestClient, world: World, route: str, form: dict[str, str], box: str
) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    page = client.post(route, data={"csrf": csrf, **form})
    assert page.status_code == 422
    assert len(re.findall(r"\bautofocus\b", page.text)) == 1
    assert re.search(rf'id="{box}" aria-invalid="true" aria-describedby="check-error" autofocus', page.text)
    assert 'id="check-error" role="alert" tabindex="-1">' in page.text


def test_a_refused_search_focuses_the_filter_or_the_error(client: TestClient, world: World) -> None:
    _sign_in(client, world.user("NCB-CAF", Role.INVESTIGATOR))
    page = client.get("/persons/search", params={"born_from": "19789"})
    assert page.status_code == 422 and len(re.findall(r"\bautofocus\b", page.text)) == 1
    assert 'name="born_from" aria-invalid="true" aria-describedby="search-error" autofocus' in page.text
    client.cookies.clear()
    _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    refused = client.get("/persons/search", params={"name": "Ali"})  # the role: no box to mark
    assert refused.status_code == 403
    assert 'id="search-error" role="alert" autofocus tabindex="-1"' in refused.text


def test_the_search_page_says_what_to_do_and_why_initials_find_nobody(
    client: TestClient, world: World
) -> None:
    _sign_in(client, world.user("NCB-CAF", Role.INVESTIGATOR))
    empty = client.get("/persons/search")
    assert empty.status_code == 200 and 'id="search-hint"' in empty.text
    assert "Give a name or at least one filter, then choose Search." in empty.text
    initials = client.get("/persons/search", params={"name": "M A"})
    assert initials.status_code == 200 and 'id="search-empty"' in initials.text
    assert 'id="search-hint"' not in initials.text
    notes = re.search(r'<ul id="search-notes">(.*?)</ul>', initials.text, re.S)
    assert notes and "the names hold initials only: nothing to look up" in notes.group(1)
    # The check says the same of the same name.
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    check = client.post("/api/v1/checks/persons", headers=officer.headers, json={"names": ["M A"]})
    assert any("initials only" in warning for warning in check.json()["warnings"])


def test_the_record_page_names_linked_records_the_reader_may_see_and_the_person(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    hidden = _report(client, owner, visibility="all_except", visibility_agencies=["NCB-CAF"])
    vehicle = client.post(
        "/api/v1/vehicles",
        headers=owner.headers,
        json={"plate": "AB 123", "plate_country": "CAF", "status": "stolen"},
    )
    assert vehicle.status_code == 201, vehicle.text
    linked = {**WANTED, "travel_document_ids": [hidden["id"]], "vehicle_ids": [vehicle.json()["id"]]}
    created = client.post("/api/v1/persons", headers=owner.headers, json=linked)
    assert created.status_code == 201, created.text
    person_id = created.json()["id"]

    def links(page: str) -> list[str]:
        found = re.search(r'id="person-links">(.*?)</dd>', page, re.S)
        assert found
        return [" ".join(re.sub(r"<[^>]+>", "", part).split()) for part in found.group(1).split("<br>")]

    _sign_in(client, owner)
    page = client.get(f"/persons/{person_id}")
    assert links(page.text) == ["passport UTO L898902C3", "Registration plate AB123 (CAF)"]
    assert hidden["id"] not in page.text and vehicle.json()["id"] not in page.text
    assert "<title>Mohamed Al-Hashimi · Person record · PeaceLink</title>" in page.text
    assert '<bdi lang="und-Arab">محمد الهاشمي</bdi>' in page.text
    assert "<bdi>Mohamed Al-Hashimi</bdi>" in page.text  # the page's own script: no lang of its own
    client.cookies.clear()
    # NCB-CAF may not see the passport: not even its number is on the page.
    _sign_in(client, world.user("NCB-CAF", Role.INVESTIGATOR, language="ar"))
    other = client.get(f"/persons/{person_id}")
    assert other.status_code == 200 and "L898902C3" not in other.text
    assert links(other.text) == ["لوحة التسجيل AB123 (CAF)"]
    # On an Arabic page the Latin name carries its script, the Arabic one does not.
    assert '<bdi lang="und-Latn">Mohamed Al-Hashimi</bdi>' in other.text
    assert "<bdi>محمد الهاشمي</bdi>" in other.text
    found = client.get("/persons/search", params={"name": "Mohamed Al-Hashimi"})
    assert f'<a href="/persons/{person_id}" dir="auto" lang="und-Latn">' in found.text


def test_the_person_check_form_refuses_any_length_on_the_page(client: TestClient, world: World) -> None:
    """The form's own bounds (16,000 for the names, 2,000 for a box) answered a bare JSON 422."""
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    names = client.post("/checks/person", data={"csrf": csrf, "names": "A" * 16_001})
    assert names.status_code == 422 and names.headers["content-type"].startswith("text/html")
    assert "Name 1 is too long: at most 300 characters (it has 16001)." in names.text
    document = client.post(
        "/checks/person", data={"csrf": csrf, "names": "Ali Hassan", "document": "B" * 2_001}
    )
    assert document.status_code == 422 and document.headers["content-type"].startswith("text/html")
    assert f'value="{"B" * 2_001}"' in document.text and "data-result" not in document.text


def test_an_unknown_page_is_a_page_in_the_users_language(client: TestClient, world: World) -> None:
    anonymous = client.get("/nope", headers={"accept-language": "es"})
    assert anonymous.status_code == 404 and anonymous.headers["content-type"].startswith("text/html")
    assert "Esta página no existe." in anonymous.text and 'lang="es"' in anonymous.text
    api = client.get("/api/v1/nope")
    assert api.status_code == 404 and api.json()["error"] == "not_found"
    _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language="fr"))
    signed_in = client.get("/nope/deeper", headers={"accept-language": "en"})
    assert signed_in.status_code == 404 and "Cette page n&#39;existe pas." in signed_in.text
    assert 'id="nav-checkpoint"' in signed_in.text  # with the menu, as every signed-in page
    wrong_method = client.get("/language")
    assert wrong_method.status_code == 405 and wrong_method.headers["content-type"].startswith("text/html")
    assert "Cette page ne s&#39;ouvre pas ainsi." in wrong_method.text


def test_the_language_choice_returns_to_the_page_on_this_site(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("NCB-CAF", Role.INVESTIGATOR))
    search = client.get("/persons/search", params={"name": "Ali"})
    assert '<input type="hidden" name="next" value="/persons/search?name=Ali">' in search.text
    for back, expected in (
        ("/persons/search?name=Ali", "/persons/search?name=Ali"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/api/v1/persons", "/"),
        ("", "/"),
    ):
        moved = client.post(
            "/language", data={"csrf": csrf, "language": "es", "next": back}, follow_redirects=False
        )
        assert moved.status_code == 303 and moved.headers["location"] == expected, back
    # A page shown in answer to a form sends the choice back to its section's page.
    dna = client.post("/checks/dna", data={"csrf": csrf, "loci": "nonsense"})
    assert '<input type="hidden" name="next" value="/dna">' in dna.text


def test_same_site_path() -> None:
    assert same_site_path("/hits?view=mine") == "/hits?view=mine"
    for bad in ("hits", "//x", "/\\x", "/a\nb", "/a b", "/" + "a" * 2_001, "http://x/", "/api/v1/x"):
        assert same_site_path(bad) == "/", bad
