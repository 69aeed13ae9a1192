"""What a second browser audit of the pages found: a failed sign-in emptied the username box; an error named
its field by the request shape's name ("(issuing_country)") on every page, in every language; Arabic pages
joined lists with a Latin comma and showed a candidate's rank as ".1"; a refused decision on the fingerprint
examiner page landed on the hit queue; the queue told users who may not decide to confirm or reject; a
refused fingerprint check showed no form to try again."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from tests.conftest import PASSWORD, World
from tests.e2e.test_persons_api import WANTED, _create, _sign_in
from tests.e2e.test_web_audit_pages import _document_hit, _fingerprint_hit, _text
from tests.e2e.test_web_signin import _csrf
from tests.integration.test_fingerprints_helpers import impression, iso

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.hits.models import Hit
from peacelink.web import field_labels, i18n


def named(path: str, field: str, language: str = "en") -> str:
    """How the page answering a form sent to ``path`` names ``field`` in an error, as plain text."""
    return html.unescape(re.sub(r"<[^>]+>", "", field_labels.field_note(language, path, field)))


def test_an_error_names_a_list_item_by_its_label_and_a_box_without_one_by_its_name() -> None:
    assert named("/checks/person", "names.1") == "· Field: Name as read (any script; one spelling per line) 2"
    assert named("/messages/new", "attachments.0.data", "fr") == "· Champ : Pièces jointes 1"
    assert named("/checks/document", "issuing_country", "ar") == "· الحقل: بلد الإصدار (ISO alpha-3)"
    assert named("/persons/search", "limit") == "(limit)"  # no form box here: the name, as before
    assert named("/hits/H1/decide", "reply_to") == "(reply_to)"


def _username_box(page: str) -> str:
    match = re.search(r'<input name="username"[^>]*>', page)
    assert match, "no username box"
    return match.group(0)


def test_a_failed_sign_in_keeps_the_username_never_the_password(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    page = client.get("/login")
    wrong = client.post(
        "/login",
        data={"username": officer.actor.username, "password": "not-the-password", "csrf": _csrf(page.text)},
    )
    assert wrong.status_code == 401
    assert f'value="{officer.actor.username}"' in _username_box(wrong.text)
    assert "not-the-password" not in wrong.text and PASSWORD not in wrong.text
    # What was typed is shown escaped, never as markup.
    odd = client.post(
        "/login", data={"username": 'x"><b>bold', "password": "whatever-it-is", "csrf": _csrf(wrong.text)}
    )
    assert odd.status_code == 401 and "<b>bold" not in odd.text
    assert 'value="x&#34;&gt;&lt;b&gt;bold"' in _username_box(odd.text)


def test_an_error_names_the_box_by_its_label_in_the_users_language(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language="fr"))
    document = client.post("/checks/document", data={"csrf": csrf, "issuing_country": "U", "number": "L898"})
    said = _text(document.text, "check-error")
    assert document.status_code == 422 and "issuing_country" not in said, said
    assert "Pays de délivrance (ISO alpha-3)" in said, said
    vehicle = client.post("/checks/vehicle", data={"csrf": csrf, "plate": "AB 123", "country": "XXXX"})
    said = _text(vehicle.text, "check-error")
    assert vehicle.status_code == 422 and "(country)" not in said and "Pays d'immatriculation" in said, said
    person = client.post("/checks/person", data={"csrf": csrf, "names": "Ali Hassan", "nationality": "IRQX"})
    said = _text(person.text, "check-error")
    assert person.status_code == 422 and "(nationality)" not in said and "Nationalité" in said, said
    dna = client.post("/checks/dna", data={"csrf": csrf, "loci": "D8S1179"})
    said = _text(dna.text, "dna-error")
    assert dna.status_code == 422 and "(loci)" not in said and "Locus et allèles" in said, said
    blank = client.post(
        "/messages/new", data={"csrf": csrf, "to": "  ", "subject": "Rapport", "body": "Voir"}
    )
    said = _text(blank.text, "compose-error")
    assert blank.status_code == 422 and "(recipients)" not in said and "À" in said, said


def test_the_fingerprint_and_hit_pages_name_the_box_by_its_label(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR, language="es"))
    enrol = client.post(
        "/fingerprints/enrol",
        data={"csrf": csrf, "source": "template", "reference": "C-1", "finger_position": "0"},
        files={"file": ("print.iso", iso(impression(3, 9)), "application/octet-stream")},
    )
    said = _text(enrol.text, "fingerprint-error")
    assert enrol.status_code == 422 and "(finger_position)" not in said and "Dedo" in said, said
    hit_id = _document_hit(client, world)
    long_note = client.post(
        f"/hits/{hit_id}/decide", data={"csrf": csrf, "decision": "reject", "note": "n" * 2001}
    )
    said = _text(long_note.text, "hits-error")
    assert long_note.status_code == 422 and "(note)" not in said and "Nota" in said, said


def test_arabic_pages_join_lists_with_the_arabic_comma_and_isolate_the_rank(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR, language="ar")
    wanted = {
        **WANTED,
        "nationalities": ["UTO", "CAF"],
        "crime_areas": ["terrorism", "drugs"],
        "warnings": ["armed", "violent"],
    }
    person = _create(client, owner, wanted)
    csrf = _sign_in(client, owner)
    page = client.post("/checks/person", data={"csrf": csrf, "names": "Mohamed Al-Hashimi"})
    assert page.status_code == 200 and 'id="candidate-1"' in page.text
    card = page.text[page.text.index('id="candidate-1"') :]
    armed, violent = (i18n.translate("ar", f"value.warnings.{w}") for w in ("armed", "violent"))
    assert f"{armed}، {violent}" in card and f"{armed}, {violent}" not in card
    assert "UTO، CAF" in card
    # The rank is its own left-to-right run: "1." beside a Latin name, never ".1".
    assert re.search(r'<bdi dir="ltr"[^>]*>1\.</bdi>', card), card[:600]
    record = client.get(f"/persons/{person['id']}")
    assert "UTO، CAF" in record.text and f"{armed}، {violent}" in record.text
    # An English page keeps its comma.
    client.cookies.clear()
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    english = client.get(f"/persons/{person['id']}")
    assert "UTO, CAF" in english.text


def _decide_action(page: str) -> str:
    match = re.search(r'<form method="post" action="([^"]+)" class="decide" id="decide">', page)
    assert match, "no decision form"
    return match.group(1)


def test_a_refused_decision_on_the_examiner_page_is_that_page_again(client: TestClient, world: World) -> None:
    hit_id = _fingerprint_hit(client, world)
    csrf = _sign_in(client, world.user("NCB-UTO", Role.SUPERVISOR, language="fr"))
    page = client.get(f"/fingerprints/hits/{hit_id}")
    action = _decide_action(page.text)
    # A note of spaces: the examiner page again, the note box marked, nothing decided.
    empty = client.post(
        action, data={"csrf": csrf, "decision": "confirm", "note": "   "}, follow_redirects=False
    )
    assert (
        empty.status_code == 422 and 'id="comparison"' in empty.text and 'id="hits-table"' not in empty.text
    )
    assert "écrivez d'abord une note" in _text(empty.text, "examiner-error")
    with unit_of_work(world.state.sessions) as session:
        hit = session.get(Hit, hit_id)
        assert hit is not None and hit.status == "new"
        hit.status = "rejected"  # another supervisor decided meanwhile
    clash = client.post(
        action,
        data={"csrf": csrf, "decision": "confirm", "note": "Les points concordent"},
        follow_redirects=False,
    )
    assert clash.status_code == 409 and 'id="comparison"' in clash.text
    said = _text(clash.text, "examiner-error")
    assert "conflict" not in said and "déjà été tranchée" in said, said
    assert "Les points concordent" in clash.text
    # A decision made: back on the examiner page, which shows it.
    with unit_of_work(world.state.sessions) as session:
        hit = session.get(Hit, hit_id)
        assert hit is not None
        hit.status = "new"
    done = client.post(action, data={"csrf": csrf, "decision": "confirm", "note": "Concordance"})
    assert done.status_code == 200 and 'data-status="confirmed"' in done.text


def test_the_queue_help_fits_a_user_who_does_not_decide(client: TestClient, world: World) -> None:
    for language in i18n.LANGUAGES:
        assert i18n.own_catalogue(language).get("hits.queue.help.others"), language
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    queue = client.get("/hits")
    assert "Confirm or reject each one" not in queue.text
    assert i18n.translate("en", "hits.queue.help.others") in html.unescape(queue.text)
    client.cookies.clear()
    _sign_in(client, world.user("NCB-UTO", Role.SUPERVISOR, language="ar"))
    assert i18n.translate("ar", "hits.queue.help") in client.get("/hits").text


def test_a_refused_fingerprint_check_shows_the_form_again(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language="fr"))
    page = client.post(
        "/checks/fingerprint",
        data={"csrf": csrf, "source": "template"},
        files={"file": ("empreinte.iso", b"not a template", "application/octet-stream")},
    )
    assert page.status_code == 422 and 'id="check-fingerprint"' in page.text
    assert re.search(r'<option value="template"\s+selected', page.text)
    # A browser cannot fill a file box again: the page names the file to choose again.
    again = re.search(r'id="check-file-again">(.*?)</small>', page.text, re.S)
    assert again and "empreinte.iso" in again.group(1) and "choisissez-le" in html.unescape(again.group(1))
