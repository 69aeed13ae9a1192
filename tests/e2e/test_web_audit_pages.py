"""What a browser audit of the pages as their users meet them found: a hit's Confirm and Reject offered to a
role that may not decide, and the refusal said as a bare code ("forbidden"); a refused message said in
English on a French page and the chosen attachments dropped without a word; a fingerprint file that is not
an image answered with a Python object's address."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from tests.conftest import World
from tests.e2e.test_checks_api import _report
from tests.e2e.test_fingerprints_api import _enrol
from tests.e2e.test_persons_api import _sign_in
from tests.integration.test_fingerprints_helpers import b64, impression, iso

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.hits.models import Hit


def _text(page: str, element_id: str) -> str:
    """The text of the page's element ``element_id`` (a ``<p>``), tags and entities removed."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', page, re.S)
    assert match, f"no #{element_id} on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def _document_hit(client: TestClient, world: World) -> str:
    """A new hit of a MINUSCA officer's check on NCB-UTO's stolen passport."""
    _report(client, world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR))
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    checked = client.post(
        "/api/v1/checks/documents",
        headers=officer.headers,
        json={"issuing_country": "UTO", "number": "L898902C3"},
    )
    hit_id: str = checked.json()["hits"][0]["hit_id"]
    return hit_id


def _status(world: World, hit_id: str) -> str:
    with unit_of_work(world.state.sessions) as session:
        hit = session.get(Hit, hit_id)
        assert hit is not None
        return hit.status


def test_the_queue_offers_a_decision_only_to_a_supervisor(client: TestClient, world: World) -> None:
    hit_id = _document_hit(client, world)
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language="fr"))
    queue = client.get("/hits")
    assert f'id="hit-{hit_id}"' in queue.text
    # No Confirm / Reject that would only answer "your role does not allow this": who decides, said.
    assert f'action="/hits/{hit_id}/decide"' not in queue.text
    assert "Un superviseur de votre service confirme ou rejette" in queue.text
    # A decision sent anyway is refused in the user's language, with the note kept; nothing decided.
    refused = client.post(
        f"/hits/{hit_id}/decide",
        data={"csrf": csrf, "decision": "confirm", "note": "Vu le titulaire"},
        follow_redirects=False,
    )
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    said = _text(refused.text, "hits-error")
    assert "forbidden" not in said and "seul un superviseur du service propriétaire" in said, said
    assert _status(world, hit_id) == "new"


def test_a_hit_decided_already_is_said_in_the_users_language(client: TestClient, world: World) -> None:
    hit_id = _document_hit(client, world)
    csrf = _sign_in(client, world.user("NCB-UTO", Role.SUPERVISOR, language="es"))
    first = client.post(
        f"/hits/{hit_id}/decide",
        data={"csrf": csrf, "decision": "reject", "note": "No es él"},
        follow_redirects=False,
    )
    assert first.status_code == 303 and _status(world, hit_id) == "rejected"
    # A second supervisor's page still showed the buttons: the clash is said, not "conflict".
    again = client.post(
        f"/hits/{hit_id}/decide",
        data={"csrf": csrf, "decision": "confirm", "note": "Es él"},
        follow_redirects=False,
    )
    assert again.status_code == 409
    said = _text(again.text, "hits-error")
    assert "conflict" not in said and "ya se decidió" in said, said
    assert _status(world, hit_id) == "rejected"


def test_the_hit_page_does_not_show_text_from_its_address(client: TestClient, world: World) -> None:
    _sign_in(client, world.user("NCB-UTO", Role.SUPERVISOR))
    page = client.get("/hits", params={"error": "Call +99 555 to unlock your account"})
    assert page.status_code == 200 and "Call +99 555" not in page.text


def _fingerprint_hit(client: TestClient, world: World) -> str:
    """The id of a fingerprint hit on an NCB-UTO record, from a MINUSCA officer's check."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    for finger in range(6):
        _enrol(client, owner, finger)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    checked = client.post(
        "/api/v1/checks/fingerprints", headers=officer.headers, json={"template": b64(iso(impression(3, 9)))}
    )
    hit_id: str = checked.json()["hits"][0]["hit_id"]
    return hit_id


def test_the_fingerprint_examiner_offers_a_decision_only_to_a_supervisor(
    client: TestClient, world: World
) -> None:
    hit_id = _fingerprint_hit(client, world)
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    page = client.get(f"/fingerprints/hits/{hit_id}")
    assert page.status_code == 200 and 'id="comparison"' in page.text
    assert 'id="decide"' not in page.text
    assert "A supervisor of your agency confirms or rejects" in page.text


def test_a_refused_message_is_said_in_the_users_language_and_asks_for_the_files_again(
    client: TestClient, world: World
) -> None:
    world.user("NCB-CAF", Role.SUPERVISOR)
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language="fr"))
    page = client.post(
        "/messages/new",
        data={"csrf": csrf, "to": "NCB-CAF", "subject": "S" * 501, "body": "Voir le rapport"},
        files=[("files", ("rapport.txt", b"le rapport", "text/plain"))],
        follow_redirects=False,
    )
    assert page.status_code == 422
    said = _text(page.text, "compose-error")
    assert "String should" not in said and "Champ : Objet" in said, said
    assert "Voir le rapport" in page.text
    # A browser cannot fill a file box again: the page says the files were not kept.
    assert "rapport.txt" in _text(page.text, "compose-files")
    # Recipients of spaces only: said in French too, not pydantic's list text.
    blank = client.post(
        "/messages/new",
        data={"csrf": csrf, "to": "  ", "subject": "Rapport", "body": "Voir le rapport"},
        follow_redirects=False,
    )
    said = _text(blank.text, "compose-error")
    assert blank.status_code == 422 and "List should" not in said and "Champ : À" in said, said
    assert 'id="compose-files"' not in blank.text


def test_a_fingerprint_file_that_is_not_an_image_is_said_plainly(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    page = client.post(
        "/checks/fingerprint",
        data={"csrf": csrf, "source": "image"},
        files={"file": ("print.pdf", b"%PDF-1.4 not an image", "application/pdf")},
    )
    assert page.status_code == 422
    assert "BytesIO" not in page.text and "object at 0x" not in page.text
    assert "TIFF, PNG, BMP or JPEG" in page.text
    api = client.post(
        "/api/v1/checks/fingerprints",
        headers=world.user("MINUSCA", Role.FIELD_OFFICER).headers,
        json={"image": b64(b"%PDF-1.4 not an image")},
    )
    assert api.status_code == 422 and "object at 0x" not in api.text
