"""Bad input to the person pages and the persons CLI is a clear refusal that changes nothing, found by an
audit of their input handling: a CSRF token that is not ASCII (a forged form) was a 500 from
``hmac.compare_digest`` instead of the "form expired" page; a CSV list cell holding a JSON object
(``{"name": "Omar Sharif"}``) was stored as one name with its braces and quotes; a document country given
without a document number (``--document-country UTO`` alone, or the form's country box alone) was refused
as "String should have at least 2 characters"; and an import of a directory said "no such file".
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from tests.e2e.test_persons_api import _sign_in

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.persons.models import Person, PersonName

COUNTRY_NEEDS_NUMBER = "the document country UTO needs a document number"


def _counts(world: World) -> tuple[int, int, int]:
    """(checks audited, persons, names)."""
    with unit_of_work(world.state.sessions) as session:
        checks = select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("check.%"))
        return (
            int(session.scalar(checks) or 0),
            int(session.scalar(select(func.count()).select_from(Person)) or 0),
            int(session.scalar(select(func.count()).select_from(PersonName)) or 0),
        )


def test_a_csrf_token_that_is_not_ascii_is_the_expired_form_page_not_a_500(
    client: TestClient, world: World
) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    before = _counts(world)
    for forged in ("é" * 10, "\u202e" + csrf[1:], "\U0001f600"):
        page = client.post("/checks/person", data={"csrf": forged, "names": "Ali Hassan"})
        assert page.status_code == 403 and page.headers["content-type"].startswith("text/html"), page.text
        assert "The form expired. Reload the page and try again." in page.text
    assert _counts(world) == before  # no check run or audited
    # The sign-in form's token (a cookie compared with the form's) alike.
    client.cookies.clear()
    client.get("/login")
    login = client.post("/login", data={"username": "admin", "password": "x", "csrf": "é"})
    assert login.status_code == 403 and "The form expired" in login.text
    # The right token still checks.
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    assert client.post("/checks/person", data={"csrf": csrf, "names": "Ali Hassan"}).status_code == 200


def test_a_csv_list_cell_holding_a_json_object_rejects_the_line_naming_the_field(
    client: TestClient,
    world: World,
    url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    before = _counts(world)
    for header, cell, field in (
        ("names", '{"name": "Omar Sharif"}', "names"),  # was stored as the name {"name": "Omar Sharif"}
        ("nationalities", '{"country": "UTO"}', "nationalities"),
        ("identifiers", ' {"number": "AB1234"}', "identifiers"),
    ):
        quoted = '"' + cell.replace('"', '""') + '"'
        names = "" if header == "names" else ",Omar Sharif"
        columns = "reference,names" if header == "names" else f"reference,names,{header}"
        body = f"{columns}\nP-1{names},{quoted}\n"
        response = client.post(
            "/api/v1/persons/import", headers={**owner.headers, "content-type": "text/csv"}, content=body
        )
        assert response.status_code == 422 and response.json()["field"] == field, response.text
        assert "not a JSON object" in response.json()["message"]
        people = tmp_path / f"{header}.csv"
        people.write_text(body, encoding="utf-8")
        report = run(url, owner.actor.username, "persons", "import", str(people), code=1)
        assert isinstance(report, dict) and report["inserted"] == 0, report
        rejected = report["rejected"][0]  # type: ignore[index]
        assert rejected["field"] == field and "not a JSON object" in rejected["reason"], rejected
    assert _counts(world)[1:] == before[1:]  # no person, no name written
    # The object inside a JSON list is a name, as documented.
    good = tmp_path / "good.csv"
    good.write_text('reference,names\nP-1,"[{""name"": ""Omar Sharif""}]"\n', encoding="utf-8")
    report = run(url, owner.actor.username, "persons", "import", str(good))
    assert isinstance(report, dict) and report["inserted"] == 1, report
    listed = client.get("/api/v1/persons", headers=owner.headers).json()
    assert [n["name"] for n in listed[0]["names"]] == ["Omar Sharif"]


def test_a_document_country_without_a_number_says_so(
    client: TestClient,
    world: World,
    url: str,  # noqa: F811
) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    before = _counts(world)
    args = ("check", "person", "--name", "Omar Sharif", "--document-country", "UTO")
    refused = run(url, officer.actor.username, *args, code=2)
    assert isinstance(refused, dict) and refused["error"] == "invalid", refused
    assert str(refused["message"]).startswith(COUNTRY_NEEDS_NUMBER), refused  # was "String should have..."
    assert str(refused["message"]).endswith("(document.number)"), refused
    # The page's two boxes, the country alone: the same words, the number's box marked.
    csrf = _sign_in(client, officer)
    form = {"csrf": csrf, "names": "Omar Sharif", "document": " ", "document_country": "UTO"}
    page = client.post("/checks/person", data=form)
    assert page.status_code == 422 and "data-result" not in page.text
    assert COUNTRY_NEEDS_NUMBER in page.text
    assert 'name="document" id="person-document" aria-invalid="true"' in page.text
    # The API alike, and a number too short is still refused as such.
    document = {"number": "", "country": "UTO"}
    api = client.post(
        "/api/v1/checks/persons", headers=officer.headers, json={"names": ["Omar"], "document": document}
    )
    assert api.status_code == 422 and api.json()["field"] == "document.number", api.text
    assert api.json()["message"].startswith(COUNTRY_NEEDS_NUMBER)
    short = run(url, officer.actor.username, *args, "--document", "A", code=2)
    assert isinstance(short, dict) and "2 to 40 letters and digits" in str(short["message"]), short
    assert _counts(world) == before  # nothing checked or audited


def test_the_import_of_a_directory_says_it_is_a_directory(
    world: World,
    url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    refused = run(url, owner, "persons", "import", str(tmp_path), code=2)
    assert isinstance(refused, dict) and refused["error"] == "invalid", refused
    assert refused["message"] == f"{tmp_path} is a directory, not a file: name the file to import (file)"
    missing = run(url, owner, "persons", "import", str(tmp_path / "missing.csv"), code=2)
    assert isinstance(missing, dict) and str(missing["message"]).startswith("no such file"), missing
    assert _counts(world)[1] == 0
