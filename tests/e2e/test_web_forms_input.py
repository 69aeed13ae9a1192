"""Web forms refuse an over-long value with a clear error on the page: never cut, nothing checked or changed.

The forms carry no HTML ``maxlength`` (a browser cuts a pasted value to it silently: a 61-character document
number checked as its first 60), so every value reaches the server as typed. There the request shapes the
API uses refuse one too long; the page names the field and the length, shows the form again as typed, and
no check is run or audited and no record, decision or message is written.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import func, or_, select
from tests.conftest import World
from tests.e2e.test_checks_api import SPECIMEN_TD3, _report
from tests.e2e.test_persons_api import _sign_in
from tests.e2e.test_web_audit_followups import named
from tests.integration.test_fingerprints_helpers import FINGERS, iso

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna.models import DNAProfile
from peacelink.fingerprints.models import Fingerprint
from peacelink.hits.models import Hit
from peacelink.messaging.models import Message
from peacelink.web.dna_pages import LOCI_TEXT_MAX

TEMPLATES = Path(__file__).parents[2] / "src" / "peacelink" / "web" / "templates"
# Sign-in only: the credentials' own bounds, and the code box's pattern (six digits, a space allowed).
MAXLENGTH_ALLOWED = {"login.html", "code.html"}
# Audited actions that check or change something (page reads and hit lists are audited too: not counted).
WRITES = ("hit.confirm", "hit.reject", "dna.profile.create", "fingerprint.create", "message.send")
# 60 characters, the longest document number field a check takes: the reported L898902C3 as pasted with
# padding. The same with one more character (a 7) is another number, which a browser's cut would hide.
PADDED_NUMBER = "L898902C3" + " " * 51
PROFILE = "D3S1358: 15, 16\nvWA: 17, 18\nTH01: 9, 9.3\nD8S1179: 13, 14\nFGA: 21, 22\nD21S11: 29, 30"


def _changes(world: World) -> tuple[int, ...]:
    """(checks and writes audited, hits, hits decided, DNA profiles, fingerprints, messages)."""
    with unit_of_work(world.state.sessions) as session:

        def count(model: type, *where: object) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        return (
            count(AuditEvent, or_(AuditEvent.action.like("check.%"), AuditEvent.action.in_(WRITES))),
            count(Hit),
            count(Hit, Hit.status != "new"),
            count(DNAProfile),
            count(Fingerprint),
            count(Message),
        )


def _error(page: str, element_id: str) -> str:
    """The text of the page's error line, tags and entities removed."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', page, re.S)
    assert match, f"no #{element_id} on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def _page_csrf(client: TestClient, path: str) -> str:
    """The CSRF token of the form on the signed-in page at ``path`` (the page itself rendering)."""
    page = client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert page.status_code == 200 and match, f"no form on {path}"
    return match.group(1)


def test_templates_carry_no_maxlength_but_sign_in() -> None:
    found = {
        path.name: len(re.findall(r"\bmaxlength\s*=", path.read_text(encoding="utf-8"), re.I))
        for path in sorted(TEMPLATES.glob("*.html"))
    }
    assert {name for name, count in found.items() if count} == MAXLENGTH_ALLOWED
    assert found["checks_forms.html"] == 0 and found["persons_search.html"] == 0


# (route, form, the field refused, words of the message)
OVER_LONG_CHECKS = [
    (
        "/checks/document",
        {"issuing_country": "UTO", "number": PADDED_NUMBER + "7"},
        "number",
        "at most 60 characters (it has 61)",
    ),
    (
        "/checks/document",
        {"issuing_country": "UTOX", "number": "L898902C3"},
        "issuing_country",
        "at most 3 characters (it has 4)",
    ),
    (
        "/checks/document",
        {"mrz": SPECIMEN_TD3[0] + "\n" + SPECIMEN_TD3[1] + "<" * 20},
        "mrz",
        "the MRZ cannot be read",
    ),
    (  # beyond the bound of the request shape (checks/mrz_input): refused before it is read
        "/checks/document",
        {"mrz": SPECIMEN_TD3[0] + "\n" + SPECIMEN_TD3[1] + "<" * 120},
        "mrz",
        "line 2 has 164 characters, at most 100 are read",
    ),
    ("/checks/vehicle", {"vin": "1M8GDM9AXKP042788" + "0" * 14}, "vin", "at most 30 characters (it has 31)"),
    (
        "/checks/vehicle",
        {"plate": "AB" + "1" * 29, "country": "CAF"},
        "plate",
        "at most 30 characters (it has 31)",
    ),
    ("/checks/vehicle", {"plate": "AB123", "country": "CAFX"}, "country", "at most 3 characters (it has 4)"),
]


@pytest.mark.parametrize(("route", "form", "field", "message"), OVER_LONG_CHECKS)
def test_over_long_check_value_is_refused_not_cut(
    client: TestClient, world: World, route: str, form: dict[str, str], field: str, message: str
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    _report(client, owner)  # L898902C3: what PADDED_NUMBER + "7" cut to 60 characters would hit
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    csrf = _sign_in(client, officer)
    before = _changes(world)
    page = client.post(route, data={"csrf": csrf, **form})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "data-result" not in page.text  # neither a hit nor "no match, carry on"
    said = _error(page.text, "check-error")
    assert message in said and named(route, field) in said, said
    for name, typed in form.items():  # the form again, as typed, the refused box marked
        shown = f">{escape(typed)}</textarea>" if name == "mrz" else f'value="{escape(typed)}"'
        assert shown in page.text, name
    assert f'name="{field}" id="{field}" aria-invalid="true"' in page.text
    assert _changes(world) == before  # no check run or audited, no hit


def test_document_number_at_the_limit_is_checked_whole(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    _report(client, owner)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    csrf = _sign_in(client, officer)
    page = client.post(
        "/checks/document", data={"csrf": csrf, "issuing_country": "UTO", "number": PADDED_NUMBER}
    )
    assert page.status_code == 200 and 'data-result="hit"' in page.text


# (route, form, the form key the typed text is kept under, the field refused, words of the message)
OVER_LONG_DNA = [
    ("/checks/dna", {"loci": PROFILE + " " * LOCI_TEXT_MAX}, "loci", f"at most {LOCI_TEXT_MAX} characters"),
    ("/checks/dna/kinship", {"loci": PROFILE + " " * LOCI_TEXT_MAX}, "loci", "of loci (the text has"),
    (
        "/dna/profiles",
        {"kind": "stain", "reference": "R" * 101, "loci": PROFILE},
        "reference",
        "at most 100 characters (it has 101)",
    ),
    (
        "/dna/profiles",
        {"kind": "stain", "reference": "WEB-1", "loci": PROFILE + "\n" + " " * LOCI_TEXT_MAX},
        "loci",
        f"at most {LOCI_TEXT_MAX} characters",
    ),
    (
        "/dna/profiles",
        {
            "kind": "relative",
            "reference": "WEB-2",
            "loci": PROFILE,
            "relationship": "parent",
            "family": "F" * 101,
        },
        "family",
        "at most 100 characters (it has 101)",
    ),
    (
        "/dna/profiles",
        {"kind": "stain", "reference": "WEB-3", "loci": PROFILE, "action": "call NCB Utopia " * 32},
        "action",
        "at most 500 characters (it has 512)",
    ),
]


@pytest.mark.parametrize(("route", "form", "field", "message"), OVER_LONG_DNA)
def test_over_long_dna_value_is_refused_with_the_form_as_typed(
    client: TestClient, world: World, route: str, form: dict[str, str], field: str, message: str
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    _sign_in(client, owner)
    csrf = _page_csrf(client, "/dna")
    before = _changes(world)
    page = client.post(route, data={"csrf": csrf, **form})
    assert page.status_code == 422 and 'id="dna-enrolled"' not in page.text and "data-result" not in page.text
    said = _error(page.text, "dna-error")
    assert message in said and named(route, field) in said, said
    for typed in form.values():
        assert str(escape(typed)) in page.text
    assert _changes(world) == before  # no profile enrolled, no check run or audited


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reference": "CASE-" + "7" * 96}, "reference", "at most 100 characters (it has 101)"),
        ({"reference": "CASE-7", "person_id": "p" * 33}, "person_id", "at most 32 characters (it has 33)"),
    ],
)
def test_over_long_fingerprint_value_is_refused_with_the_form_as_typed(
    client: TestClient, world: World, fields: dict[str, str], field: str, message: str
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    _sign_in(client, owner)
    csrf = _page_csrf(client, "/fingerprints")
    before = _changes(world)
    page = client.post(
        "/fingerprints/enrol",
        data={"csrf": csrf, "source": "template", "finger_position": "5", "kind": "latent", **fields},
        files={"file": ("print.iso", iso(FINGERS[4]), "application/octet-stream")},
    )
    assert page.status_code == 422 and 'id="enrolled"' not in page.text
    assert message in _error(page.text, "fingerprint-error")
    assert named("/fingerprints/enrol", field) in _error(page.text, "fingerprint-error")
    for typed in fields.values():  # the file must be chosen again: a browser never refills one
        assert f'value="{escape(typed)}"' in page.text
    assert (
        '<option value="template" selected>' in page.text and '<option value="latent" selected>' in page.text
    )
    assert '<option value="5" selected>' in page.text
    assert _changes(world) == before  # nothing enrolled or audited


def test_over_long_hit_note_is_refused_and_the_hit_stays_new(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _report(client, owner)
    checked = client.post(
        "/api/v1/checks/documents",
        headers=officer.headers,
        json={"issuing_country": "UTO", "number": "L898902C3"},
    )
    hit_id = checked.json()["hits"][0]["hit_id"]
    csrf = _sign_in(client, owner)
    before = _changes(world)
    note = "Confirmed with the holder's file; " + "n" * 1967  # 2001 characters
    page = client.post(
        f"/hits/{hit_id}/decide",
        data={"csrf": csrf, "decision": "confirm", "note": note},
        follow_redirects=False,
    )
    assert page.status_code == 422
    assert "at most 2000 characters (it has 2001) · Field: Note" in _error(page.text, "hits-error")
    # In the hit's own note box, marked and focused.
    marked = 'aria-invalid="true" aria-describedby="hits-error" autofocus'
    assert f"{marked}>{escape(note)}</textarea>" in page.text
    assert f'id="hit-{hit_id}" data-status="new"' in page.text
    assert _changes(world) == before  # not decided, not audited
    # A note of 2000 characters is the decision, stored whole.
    decided = client.post(
        f"/hits/{hit_id}/decide",
        data={"csrf": csrf, "decision": "confirm", "note": note[:-1]},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    with unit_of_work(world.state.sessions) as session:
        hit = session.get(Hit, hit_id)
        assert hit is not None and hit.status == "confirmed" and hit.note == note[:-1]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"subject": "Stolen passport seen at Bangui " * 17},
            "subject",
            "at most 500 characters (it has 527)",
        ),
        (
            {"subject": "Handling", "handling": "h" * 2001},
            "handling",
            "at most 2000 characters (it has 2001)",
        ),
    ],
)
def test_over_long_message_field_is_refused_with_the_form_as_typed(
    client: TestClient, world: World, fields: dict[str, str], field: str, message: str
) -> None:
    world.user("NCB-CAF", Role.SUPERVISOR)
    sender = world.user("NCB-UTO", Role.INVESTIGATOR)
    _sign_in(client, sender)
    csrf = _page_csrf(client, "/messages/new")
    before = _changes(world)
    form = {"to": "NCB-CAF", "body": "see the report", "classification": "RESTRICTED", **fields}
    page = client.post("/messages/new", data={"csrf": csrf, **form}, follow_redirects=False)
    assert page.status_code == 422
    assert f"{message} {named('/messages/new', field)}" in _error(page.text, "compose-error")
    for name, typed in form.items():
        if name != "classification":
            assert str(escape(typed)) in page.text, name
    assert '<option value="RESTRICTED" selected>' in page.text
    assert _changes(world) == before  # nothing sent or audited
