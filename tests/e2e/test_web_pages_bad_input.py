"""Bad input to a web page is a page that says what was wrong, never JSON or a 500, and changes nothing.

Found by an audit of the pages' input handling: a control character in a page's query string or path was
the API's JSON 422; a CSRF token over 100 characters was a JSON 422, not the "form expired" page a wrong
token gets; a form body's raw bytes were decoded as Latin-1 (raw UTF-8 "Иван" was checked as "Ð\x98Ð²Ð°Ð½")
and its percent-encoded bytes that are not UTF-8 became U+FFFD, so a check ran and was audited on another
text; and a field sent twice kept its last value silently. The JSON API keeps its JSON errors.
"""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World
from tests.e2e.test_persons_api import _sign_in
from tests.e2e.test_web_audit_followups import named
from tests.integration.test_fingerprints_helpers import FINGERS, iso

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.fingerprints.models import Fingerprint
from peacelink.messaging.models import Message

FORM = "application/x-www-form-urlencoded"
BOUNDARY = "peacelink-test-boundary"


def _audited(world: World) -> tuple[int, int, int]:
    """(audit events, fingerprints, messages): what a refused request must leave as it was."""
    with unit_of_work(world.state.sessions) as session:

        def count(model: type) -> int:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

        return count(AuditEvent), count(Fingerprint), count(Message)


def _checks_audited(world: World) -> list[str]:
    """The actions of the audited checks."""
    with unit_of_work(world.state.sessions) as session:
        where = AuditEvent.action.like("check.%")
        return [str(event.action) for event in session.scalars(select(AuditEvent).where(where))]


def _text(page: str) -> str:
    """The page's main text, tags and entities removed, spaces collapsed."""
    main = page[page.find("<main") :]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", main)))


def _refusal_page(response: object, status: int = 422) -> str:
    """The text of an HTML refusal (asserted to be one: no JSON, no 500)."""
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html"), response.text[:500]
    return _text(response.text)


def _page_csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert page.status_code == 200 and match, f"no form on {path}"
    return match.group(1)


def _multipart(fields: list[tuple[str, bytes]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body built by hand, so that a text field may carry any bytes."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in fields
    ]
    parts += [
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + b"\r\n"
        for name, filename, data in files
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={BOUNDARY}"


# (page address, the field named, words of the reason)
BAD_ADDRESSES = [
    ("/persons/search?name=Ali%00Hassan", "name", "control characters (U+0000)"),
    ("/persons/search?name=Ali&owner=NCB%1F", "owner", "control characters (U+001F)"),
    ("/persons/search?name=Jos%E9", "name", "not UTF-8"),
    ("/persons/Ali%1FHassan", "path", "control characters (U+001F)"),
    ("/hits?view=queue%07", "view", "control characters (U+0007)"),
]


@pytest.mark.parametrize(("address", "field", "words"), BAD_ADDRESSES)
def test_a_control_character_in_a_page_address_is_an_html_page_naming_the_parameter(
    client: TestClient, world: World, address: str, field: str, words: str
) -> None:
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    before = _audited(world)
    page = client.get(address)
    text = _refusal_page(page)
    # Named by the label of its box where the page has one (the person search), else by its name.
    assert words in text and named(address.split("?")[0], field) in text, text
    assert "Sign out" in page.text  # the signed-in user's page, with the menu
    assert _audited(world) == before  # nothing searched, read or audited


def test_a_control_character_page_is_in_the_users_language_and_the_api_stays_json(
    client: TestClient, world: World
) -> None:
    investigator = world.user("NCB-UTO", Role.INVESTIGATOR, language="fr")
    _sign_in(client, investigator)
    text = _refusal_page(client.get("/persons/search?name=Ali%00"))
    assert "caractères de contrôle (U+0000)" in text and "Champ : Nom" in text, text
    text = _refusal_page(client.get("/persons/search?name=Jos%E9"))
    assert "encodés en pourcentage ne sont pas du texte UTF-8" in text and "Champ : Nom" in text, text
    csrf = _page_csrf(client, "/")
    body = f"csrf={csrf}&names=Ali&names=Omar".encode()
    text = _refusal_page(client.post("/checks/person", content=body, headers={"content-type": FORM}))
    assert "Envoyé 2 fois : ce champ ne prend qu'une valeur." in text, text
    assert "Champ : Nom tel que lu" in text, text
    # Before sign-in, the page is in the browser's language.
    client.cookies.clear()
    text = _refusal_page(client.get("/login?next=%00", headers={"accept-language": "es"}))
    assert "caracteres de control (U+0000)" in text, text
    # The JSON API keeps its JSON error.
    api = client.get("/api/v1/persons/search?name=Ali%00", headers=investigator.headers)
    assert api.status_code == 422 and api.headers["content-type"] == "application/json"
    assert api.json()["field"] == "name"
    assert client.get("/api/v1/persons/abc%1F", headers=investigator.headers).json()["field"] == "path"


def test_a_csrf_token_over_100_characters_is_the_expired_form_page(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    before = _audited(world)
    for forged in ("x" * 101, csrf + "x" * 100):
        page = client.post("/checks/person", data={"csrf": forged, "names": "Ali Hassan"})
        assert "The form expired. Reload the page and try again." in _refusal_page(page, 403)
    page = client.post("/language", data={"csrf": "x" * 101, "language": "fr"}, follow_redirects=False)
    assert "The form expired" in _refusal_page(page, 403)
    assert _audited(world) == before  # no check run or audited, no language changed
    assert "Sign out" in client.get("/").text  # still English
    client.cookies.clear()
    client.get("/login")
    login = client.post("/login", data={"username": "admin", "password": "x", "csrf": "é" * 101})
    assert "The form expired" in _refusal_page(login, 403)


def test_another_refused_form_value_is_a_page_naming_the_field_not_json(
    client: TestClient, world: World
) -> None:
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR))
    csrf = _page_csrf(client, "/dna")
    before = _audited(world)
    page = client.post("/checks/dna", data={"csrf": csrf, "loci": "vWA: 17, 18", "min_loci": "eight"})
    assert "Field: Minimum loci compared" in _refusal_page(page)
    page = client.get("/hits?view=everything")
    assert "(view)" in _refusal_page(page) and "'queue' or 'mine'" in _text(page.text)
    assert _audited(world) == before


def test_a_form_body_that_is_not_utf8_is_refused_and_nothing_is_checked(
    client: TestClient, world: World
) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    before = _audited(world)
    for names in (b"Jos\xe9 Diaz", b"Jos%E9 Diaz", "Иван".encode("cp1251"), b"Ali%C3"):
        body = b"csrf=" + csrf.encode() + b"&names=" + names
        text = _refusal_page(client.post("/checks/person", content=body, headers={"content-type": FORM}))
        assert "not UTF-8" in text and "Field: Name as read" in text, text
        assert "data-result" not in text
    assert _audited(world) == before  # no check run or audited
    # Raw UTF-8 is read as UTF-8 (it was read as Latin-1: "Ð\x98Ð²Ð°Ð½", refused for its U+0098, and
    # "JosÃ©" checked silently); percent-encoded UTF-8 alike.
    for names in ("Иван Петров".encode(), b"Jos%C3%A9 D%C3%ADaz"):
        body = b"csrf=" + csrf.encode() + b"&names=" + names
        page = client.post("/checks/person", content=body, headers={"content-type": FORM})
        assert page.status_code == 200 and "data-result" in page.text, page.text[:2000]
    assert len(_checks_audited(world)) == 2


def test_a_multipart_text_field_that_is_not_utf8_is_refused_and_files_stay_binary(
    client: TestClient, world: World
) -> None:
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR))
    csrf = _page_csrf(client, "/fingerprints")
    template = iso(FINGERS[3])
    fields = [(b"csrf", csrf.encode()), (b"source", b"template"), (b"finger_position", b"4")]
    before = _audited(world)
    body, content_type = _multipart(
        [(name.decode(), value) for name, value in fields] + [("reference", b"CASE-Jos\xe9")],
        [("file", "print.iso", template)],
    )
    page = client.post("/fingerprints/enrol", content=body, headers={"content-type": content_type})
    text = _refusal_page(page)
    assert "not UTF-8" in text and "Field: Reference" in text, text
    assert _audited(world) == before  # nothing enrolled or audited
    # The same form in UTF-8 enrols the print: a file's bytes are never text.
    body, content_type = _multipart(
        [(name.decode(), value) for name, value in fields] + [("reference", "CASE-José".encode())],
        [("file", "print.iso", template)],
    )
    page = client.post("/fingerprints/enrol", content=body, headers={"content-type": content_type})
    assert page.status_code == 200 and 'id="enrolled"' in page.text, page.text[-3000:]
    assert _audited(world)[1] == before[1] + 1


def test_a_single_valued_field_sent_twice_is_refused_naming_it(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, Role.FIELD_OFFICER))
    before = _audited(world)
    body = f"csrf={csrf}&names=Ali+Hassan&names=Omar+Sharif".encode()
    text = _refusal_page(client.post("/checks/person", content=body, headers={"content-type": FORM}))
    assert "given 2 times" in text and "Field: Name as read" in text and "data-result" not in text, text
    body = f"csrf={csrf}&csrf={csrf}&names=Ali+Hassan".encode()
    text = _refusal_page(client.post("/checks/person", content=body, headers={"content-type": FORM}))
    assert "(csrf)" in text, text
    # The search form (a GET form) alike.
    text = _refusal_page(client.get("/persons/search?name=Ali&name=Omar"))
    assert "given 2 times" in text and "Field: Name" in text, text
    # A multipart form: one file where the page takes one.
    fp_csrf = _page_csrf(client, "/fingerprints")
    body_bytes, content_type = _multipart(
        [("csrf", fp_csrf.encode()), ("source", b"template")],
        [("file", "a.iso", iso(FINGERS[1])), ("file", "b.iso", iso(FINGERS[2]))],
    )
    page = client.post("/checks/fingerprint", content=body_bytes, headers={"content-type": content_type})
    assert "Field: File" in _refusal_page(page)
    assert _audited(world) == before  # nothing checked, searched or audited


def test_a_field_meant_to_repeat_still_repeats(client: TestClient, world: World) -> None:
    world.user("NCB-CAF", Role.SUPERVISOR)
    _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR))
    csrf = _page_csrf(client, "/messages/new")
    sent = client.post(
        "/messages/new",
        data={"csrf": csrf, "to": "NCB-CAF", "subject": "Two scans", "body": "see the files"},
        files=[
            ("files", ("front.png", b"\x89PNG front \xff\xfe", "image/png")),
            ("files", ("back.png", b"\x89PNG back \xc3\x28", "image/png")),
        ],
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text[:2000]
    read = client.get(sent.headers["location"])
    assert "front.png" in read.text and "back.png" in read.text
    assert client.get(sent.headers["location"] + "/attachments/1").content == b"\x89PNG back \xc3\x28"


def test_every_page_route_reads_its_input_strictly(client: TestClient) -> None:
    from fastapi.routing import APIRoute, iter_route_contexts

    from peacelink.api.routing import is_api_path
    from peacelink.web.form_input import PageRoute

    pages = [
        (context.path, context.original_route)
        for context in iter_route_contexts(client.app.routes)  # type: ignore[attr-defined]
        if isinstance(context.original_route, APIRoute) and not is_api_path(context.path or "")
    ]
    assert len(pages) > 20 and any(path == "/checks/person" for path, _ in pages)
    assert [path for path, route in pages if not isinstance(route, PageRoute)] == []
