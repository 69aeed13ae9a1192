"""A whole number given as text (a query parameter, a path segment, a page's form field) is ASCII digits
and nothing else (``typed_input``): the lax int read "5.0", "+5", " 5", "5_0" and "５" as 5, so a
``limit=100.0`` listed 100 records and ``DELETE /tokens/+1`` revoked token 1. A refused value is a 422
naming the parameter (the API's JSON; a page's HTML error page), and nothing runs or changes. The OpenAPI
document still describes each as an integer with its bounds.

The person search's years take spaces around the digits (``typed_input.ASCII_DIGITS``,
``test_persons_bad_input``); the persons routes' other integers follow the rule here.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qsl

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Account, World
from tests.e2e.test_persons_api import WANTED, _create, _png, _sign_in
from tests.e2e.test_web_forms_input import PROFILE, _changes, _page_csrf
from tests.e2e.test_web_pages_bad_input import _refusal_page
from tests.integration.test_fingerprints_helpers import FINGERS, iso

from peacelink.access import Role
from peacelink.api.app import create_app
from peacelink.settings import Settings
from peacelink.users.models import ApiToken

V1 = "/api/v1"
# Each parses as 5 under the lax int, or as another number; none is ASCII digits alone.
NOT_DIGITS = ["5.0", "+5", " 5", "5 ", "5_0", "٥", "５", "0x5", "-5"]
# (path, parameter, who asks) for every int query parameter of the API (the person search's years: above).
QUERY_INTEGERS = [
    ("/persons", "limit", "officer"),
    ("/persons", "offset", "officer"),
    ("/persons/search?nationality=UTO", "limit", "officer"),
    ("/hits", "limit", "officer"),
    ("/hits", "offset", "officer"),
    ("/records/due-for-review", "within_days", "officer"),
    ("/records/due-for-review", "limit", "officer"),
    ("/documents", "limit", "officer"),
    ("/documents", "offset", "officer"),
    ("/vehicles", "limit", "officer"),
    ("/vehicles", "offset", "officer"),
    ("/dna/profiles", "limit", "officer"),
    ("/dna/profiles", "offset", "officer"),
    ("/fingerprints", "limit", "officer"),
    ("/fingerprints", "offset", "officer"),
    ("/messages", "limit", "officer"),
    ("/messages/outbox", "limit", "officer"),
    ("/audit/events", "after_seq", "admin"),
    ("/audit/events", "limit", "admin"),
    ("/audit/export", "after_seq", "admin"),
]
# The OpenAPI schema each keeps: an integer with its bounds and default.
OPENAPI_SCHEMAS = {
    ("/hits", "limit"): {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
    ("/hits", "offset"): {"type": "integer", "minimum": 0, "default": 0},
    ("/records/due-for-review", "within_days"): {"type": "integer", "minimum": 0, "maximum": 3660},
    ("/records/due-for-review", "limit"): {"type": "integer", "minimum": 1, "maximum": 5000, "default": 500},
    ("/documents", "offset"): {"type": "integer", "minimum": 0, "default": 0},
    ("/persons", "limit"): {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
    ("/persons/search", "limit"): {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
    ("/persons/{person_id}/photo", "version"): {"type": "integer", "minimum": 1},
    ("/messages", "limit"): {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
    ("/audit/events", "after_seq"): {"type": "integer", "minimum": 0, "maximum": 2**62, "default": 0},
    ("/audit/export", "after_seq"): {"type": "integer", "minimum": 0, "maximum": 2**62, "default": 0},
    ("/messages/{message_id}/attachments/{index}", "index"): {"type": "integer", "minimum": 0},
    ("/tokens/{token_id}", "token_id"): {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}


def _refused_json(response: Any, field: str) -> None:
    assert response.status_code == 422, (field, response.status_code, response.text)
    answer = response.json()
    assert answer["error"] == "invalid" and answer["field"] == field, answer
    assert "ASCII digits" in answer["message"], answer


def _send_with_attachment(client: TestClient, sender: Account, content: bytes) -> str:
    """The id of a message from ``sender`` to NCB-CAF carrying one PDF attachment of ``content``."""
    data = base64.b64encode(content).decode()
    sent = client.post(
        f"{V1}/messages",
        json={
            "recipients": ["NCB-CAF"],
            "subject": "scan",
            "body": "see file",
            "attachments": [{"name": "scan.pdf", "content_type": "application/pdf", "data": data}],
        },
        headers=sender.headers,
    )
    assert sent.status_code == 201, sent.text
    return str(sent.json()["id"])


def _audited(world: World) -> int:
    with world.state.sessions() as session:
        from peacelink.audit.models import AuditEvent

        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_an_api_query_integer_is_ascii_digits_only(client: TestClient, world: World) -> None:
    officer = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    headers = {"admin": world.admin.headers, "officer": officer.headers}
    for target, name, who in QUERY_INTEGERS:
        path, _, rest = target.partition("?")  # a route that needs another parameter carries it
        given = dict(parse_qsl(rest))
        taken = client.get(f"{V1}{path}", params={**given, name: "5"}, headers=headers[who])
        assert taken.status_code == 200, (path, name, taken.text)
        before = _audited(world)
        for value in NOT_DIGITS:
            refused = client.get(f"{V1}{path}", params={**given, name: value}, headers=headers[who])
            _refused_json(refused, name)
        assert _audited(world) == before, path  # nothing listed, exported or audited


def test_an_api_path_integer_is_ascii_digits_only(client: TestClient, world: World) -> None:
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    attachments = f"{V1}/messages/{_send_with_attachment(client, sender, b'%PDF-1.7 scan')}/attachments"
    assert client.get(f"{attachments}/0", headers=sender.headers).content == b"%PDF-1.7 scan"
    for value in ("0.0", "+0", "٠", "-0"):
        _refused_json(client.get(f"{attachments}/{value}", headers=sender.headers), "index")
    with world.state.sessions() as session:
        tokens = session.scalar(
            select(func.count()).select_from(ApiToken).where(ApiToken.revoked_at.is_(None))
        )
        token_id = session.scalar(select(func.min(ApiToken.id)))
    for value in (f"{token_id}.0", f"+{token_id}", f"{token_id}_0"):
        _refused_json(client.delete(f"{V1}/tokens/{value}", headers=world.admin.headers), "token_id")
    with world.state.sessions() as session:
        still = session.scalar(
            select(func.count()).select_from(ApiToken).where(ApiToken.revoked_at.is_(None))
        )
    assert still == tokens  # no token revoked


def test_a_photos_version_is_ascii_digits_only(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    person = _create(client, owner, WANTED)
    url = f"{V1}/persons/{person['id']}/photo"
    headers = {**owner.headers, "Content-Type": "image/png"}
    for value in ("1.0", "+1", " 1", "1_0", "١"):
        _refused_json(client.put(url, params={"version": value}, headers=headers, content=_png()), "version")
    record = client.get(f"{V1}/persons/{person['id']}", headers=owner.headers).json()
    assert record["version"] == 1 and record["has_photo"] is False  # nothing stored
    assert client.put(url, params={"version": "1"}, headers=headers, content=_png()).status_code == 200


def test_the_openapi_document_keeps_them_integers_with_their_bounds(settings: Settings) -> None:
    spec = create_app(settings).openapi()
    for (path, name), expected in OPENAPI_SCHEMAS.items():
        operations = spec["paths"][f"{V1}{path}"]
        parameters = [p for operation in operations.values() for p in operation.get("parameters", [])]
        (parameter,) = [p for p in parameters if p["name"] == name]
        schema = {key: value for key, value in parameter["schema"].items() if key != "title"}
        assert expected.items() <= schema.items(), (path, name, schema)


@pytest.mark.parametrize("value", ["8.0", "+8", " 8", "8 ", "٨", "８", "0_8"])
def test_a_dna_check_pages_min_loci_is_ascii_digits_only(
    client: TestClient, world: World, value: str
) -> None:
    officer = world.user("NCB-UTO", Role.INVESTIGATOR)
    _sign_in(client, officer)
    csrf = _page_csrf(client, "/dna")
    form = {"csrf": csrf, "loci": PROFILE, "stringency": "moderate"}
    assert client.post("/checks/dna", data={**form, "min_loci": "6"}).status_code == 200
    before = _changes(world)
    text = _refusal_page(client.post("/checks/dna", data={**form, "min_loci": value}))
    # An English page says it in plain words (web/i18n/en_pages.json), the API "ASCII digits".
    assert "Field: Minimum loci compared" in text and "digits 0-9" in text, text
    assert _changes(world) == before  # no check run or audited


@pytest.mark.parametrize("value", ["5.0", "+5", " 5", "٥", "5_0"])
def test_a_fingerprint_enrol_pages_finger_position_is_ascii_digits_only(
    client: TestClient, world: World, value: str
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    _sign_in(client, owner)
    csrf = _page_csrf(client, "/fingerprints")
    before = _changes(world)
    answer = client.post(
        "/fingerprints/enrol",
        data={
            "csrf": csrf,
            "source": "template",
            "finger_position": value,
            "kind": "latent",
            "reference": "C-7",
        },
        files={"file": ("print.iso", iso(FINGERS[4]), "application/octet-stream")},
    )
    text = _refusal_page(answer)
    assert "Field: Finger" in text and "digits 0-9" in text, text
    assert _changes(world) == before  # nothing enrolled or audited


def test_a_message_pages_attachment_index_is_ascii_digits_only(client: TestClient, world: World) -> None:
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    message_id = _send_with_attachment(client, sender, b"scan")
    _sign_in(client, sender)
    path = f"/messages/{message_id}/attachments"
    assert client.get(f"{path}/0").content == b"scan"
    for value in ("0.0", "+0", "٠"):
        text = _refusal_page(client.get(f"{path}/{value}"))
        assert "(index)" in text and "digits 0-9" in text, text
