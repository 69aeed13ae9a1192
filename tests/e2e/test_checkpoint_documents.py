"""A document typed in the person check (web form, CLI) is checked against the stolen and lost documents, as
a scanned MRZ is: its own verdict, check and audit event beside the holder's; bad input refuses both."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World, passport_mrz
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from tests.e2e.test_persons_api import _sign_in
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.cli.main import app
from peacelink.db.unit_of_work import unit_of_work
from peacelink.hits.models import Hit

STOLEN = {"issuing_country": "UTO", "number": "L898902C3", "document_type": "passport", "status": "stolen"}


def _counts(world: World) -> tuple[int, int]:
    """(checks audited, hits)."""
    with unit_of_work(world.state.sessions) as session:
        checks = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("check.%"))
        )
        hits = session.scalar(select(func.count()).select_from(Hit))
    return checks or 0, hits or 0


def _report_stolen(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    assert client.post("/api/v1/documents", headers=owner.headers, json=STOLEN).status_code == 201


def test_a_stolen_passport_typed_in_the_person_form_is_a_document_hit(
    client: TestClient, world: World
) -> None:
    """Was "no hit, carry on": the typed number was only a factor of the person's score."""
    _report_stolen(client, world)
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    before = _counts(world)
    form = {"csrf": csrf, "names": "Anna Eriksson", "document": "l898 902-c3", "document_country": "uto"}
    page = client.post("/checks/person", data=form)
    assert page.status_code == 200, page.text
    assert 'id="document-result" data-result="hit"' in page.text and 'id="document-hit-1"' in page.text
    assert 'id="holder-check"' in page.text and 'id="result" data-result="no_hit"' in page.text
    assert _counts(world) == (before[0] + 2, before[1] + 1)  # two checks audited, the document's hit
    unknown = client.post("/checks/person", data={**form, "document": "Z1234567"})
    assert unknown.status_code == 200
    assert 'id="document-result" data-result="no_hit"' in unknown.text
    assert 'id="result" data-result="no_hit"' in unknown.text
    assert _counts(world) == (before[0] + 4, before[1] + 1)


def test_a_typed_document_the_document_check_refuses_refuses_the_person_check_too(
    client: TestClient, world: World
) -> None:
    """A number without its issuing country (the document check needs both; none is guessed), a code that
    is no country, an MRZ of another document than the one typed, an MRZ whose issuing country cannot be
    read: refused on the page with the form as typed, and neither check is run or audited (the holder's
    check was audited before the document's was refused)."""
    _report_stolen(client, world)
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    before = _counts(world)
    lines = passport_mrz()
    unreadable_issuer = ["P<C0L" + lines[0][5:], lines[1]]
    for fields, field, message in (
        ({"document": "L898902C3"}, "document_country", "give the issuing country of document L898902C3"),
        ({"document": "L898902C3", "document_country": "QQQ"}, "document_country", "&#39;QQQ&#39; is not"),
        (
            {"mrz": "\n".join(lines), "document": "Z1234567"},
            "document",
            "the MRZ is of document L898902C3 (UTO), not of the document typed, Z1234567: check",
        ),
        ({"mrz": "\n".join(unreadable_issuer)}, "mrz", "&#39;C0L&#39; is not"),
    ):
        page = client.post("/checks/person", data={"csrf": csrf, "names": "Anna Eriksson", **fields})
        assert page.status_code == 422, (fields, page.text)
        assert message in page.text and "data-result" not in page.text, fields
        assert f'name="{field}" id="person-{field.replace("_", "-")}" aria-invalid="true"' in page.text
        assert _counts(world) == before, fields
    # The MRZ's own number typed beside it is one document, checked once (the MRZ's issuing country).
    same = client.post(
        "/checks/person", data={"csrf": csrf, "mrz": "\n".join(lines), "document": "L898902C3"}
    )
    assert same.status_code == 200 and 'id="document-result" data-result="hit"' in same.text
    assert _counts(world) == (before[0] + 2, before[1] + 1)


def test_check_person_checks_a_typed_document_from_the_cli(world: World, url: str) -> None:  # noqa: F811
    """--document with --document-country: "document_check" in the JSON and exit 3 on its hit, as with
    --mrz; a number without its country or with a bad code is refused (exit 2) and nothing is audited."""
    reporter = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor.username
    fields = ["--issuing-country", "UTO", "--number", "L898902C3", "--type", "passport", "--status", "stolen"]
    run(url, reporter, "documents", "add", *fields)
    before = _counts(world)
    asked = ["check", "person", "--name", "Anna Eriksson", "--document", "L898902C3"]
    answer = run(url, officer, *asked, "--document-country", "UTO", code=3)
    assert isinstance(answer, dict) and answer["database"] == "persons" and answer["result"] == "no_hit"
    assert answer["document_check"]["database"] == "documents"
    assert answer["document_check"]["result"] == "hit"
    assert answer["document_check"]["hits"][0]["record"]["number"] == "L898902C3"
    plain = CliRunner().invoke(
        app, ["--database-url", url, "--user", officer, *asked, "--document-country", "UTO"]
    )
    assert plain.exit_code == 3, plain.output
    document, _, holder = plain.stdout.partition("\n\nholder: ")
    assert document.startswith("document: HIT") and holder.startswith("NO HIT"), plain.stdout
    unknown = run(url, officer, *asked[:-1], "Z1234567", "--document-country", "UTO")
    assert isinstance(unknown, dict) and unknown["document_check"]["result"] == "no_hit"
    assert _counts(world) == (before[0] + 6, before[1] + 2)
    for extra, message in (([], "give the issuing country"), (["--document-country", "QQQ"], "'QQQ' is not")):
        command = ["--database-url", url, "--user", officer, *asked, *extra, "--json"]
        refused = CliRunner().invoke(app, command)
        assert refused.exit_code == 2, refused.output
        error = json.loads(refused.stdout)
        assert error["error"] == "invalid" and message in error["message"], error
        assert _counts(world) == (before[0] + 6, before[1] + 2)
