"""The persons and check person commands end to end on the test database."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import World, passport_mrz
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.cli.main import app


def test_add_import_check_search_from_the_cli(world: World, url: str, tmp_path: Path) -> None:  # noqa: F811
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor.username
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor.username
    added = run(
        url,
        owner,
        "persons",
        "add",
        "--reference",
        "UTO-7",
        "--name",
        "Mohamed Al-Hashimi",
        "--alias",
        "محمد الهاشمي",
        "--dob",
        "1978-05-02",
        "--nationality",
        "UTO",
        "--warning",
        "armed",
        "--action",
        "call NCB Utopia",
    )
    assert isinstance(added, dict) and added["names"][1]["kind"] == "alias"
    people = tmp_path / "people.jsonl"
    people.write_text(
        "\n".join(
            json.dumps(
                {
                    "reference": f"P{i}",
                    "names": [{"name": n, "kind": "primary"}],
                    "dates_of_birth": ["1980"],
                    "identifiers": [{"type": "passport", "number": f"RU 12345{i}", "country": "RUS"}],
                }
            )
            for i, n in enumerate(["Ahmed Hassan", "Ivan Petrov", "Иван Петров"])
        )
        + "\n",
        encoding="utf-8",
    )
    report = run(url, owner, "persons", "import", str(people))
    assert isinstance(report, dict) and report["inserted"] == 3
    again = run(url, owner, "persons", "import", str(people))
    assert isinstance(again, dict) and again["inserted"] == 0 and again["duplicates"] == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reference,names,dates_of_birth\nB1,Good Name,1980\nB2,Other Name,19800\n", encoding="utf-8"
    )
    rejected = run(url, owner, "persons", "import", str(bad), code=1)
    assert isinstance(rejected, dict) and rejected["inserted"] == 0 and rejected["rejected"][0]["line"] == 3

    answer = run(url, officer, "check", "person", "--name", "Muhammad Hashemi", "--dob", "1978", code=3)
    assert isinstance(answer, dict) and answer["result"] == "hit"
    assert answer["candidates"][0]["person"]["id"] == added["id"]
    assert answer["candidates"][0]["explanation"]["name"]["parts"]
    plain = CliRunner().invoke(
        app, ["--database-url", url, "--user", officer, "check", "person", "--name", "محمد الهاشمي"]
    )
    assert plain.exit_code in (0, 3) and "Mohamed Al-Hashimi" in plain.stdout and "name:" in plain.stdout
    # The holder of a presented document is shown under another name; another country's document is not his.
    held = run(
        url,
        officer,
        "check",
        "person",
        "--name",
        "Zebulon Quagmire",
        "--document",
        "RU123451",
        "--document-country",
        "rus",
    )
    assert isinstance(held, dict) and held["result"] == "no_hit"
    assert [c["person"]["reference"] for c in held["candidates"]] == ["P1"] and held["candidates"][0][
        "score"
    ] == 0.6
    other = run(
        url,
        officer,
        "check",
        "person",
        "--name",
        "Zebulon Quagmire",
        "--document",
        "RU123451",
        "--document-country",
        "UKR",
    )
    assert isinstance(other, dict) and other["candidates"] == []
    # A scanned passport: the MRZ lines give the holder to check.
    lines = passport_mrz()
    scanned = run(url, officer, "check", "person", "--mrz", lines[0], "--mrz", lines[1], code=3)
    assert isinstance(scanned, dict) and scanned["candidates"][0]["person"]["id"] == added["id"]
    # ... and the passport itself against the stolen and lost documents (none reported here).
    assert scanned["document_check"]["database"] == "documents"
    assert scanned["document_check"]["result"] == "no_hit"
    invalid = run(url, officer, "check", "person", "--name", "Ali", "--nationality", "Q1", code=2)
    assert isinstance(invalid, dict) and invalid["error"] == "invalid"

    found = run(url, owner, "persons", "search", "--name", "Petrov Ivan")
    assert isinstance(found, list) and found[0]["person"]["reference"] == "P1"
    listed = run(url, owner, "persons", "list")
    assert isinstance(listed, list) and len(listed) == 4
    updated = run(url, owner, "persons", "update", added["id"], "--version", "1", "--warning", "violent")
    assert isinstance(updated, dict) and updated["warnings"] == ["violent"] and updated["version"] == 2
    cancelled = run(url, owner, "persons", "cancel", added["id"], "--version", "2")
    assert isinstance(cancelled, dict) and cancelled["record_status"] == "cancelled"


def test_check_person_mrz_checks_the_stolen_document_too(world: World, url: str) -> None:  # noqa: F811
    """The passport is reported stolen and its holder is nobody known: the text answer gives the document's
    hit first, the holder's verdict after it, and exits 3 on the document's hit alone."""
    reporter = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor.username
    run(
        url,
        reporter,
        "documents",
        "add",
        "--issuing-country",
        "UTO",
        "--number",
        "L898902C3",
        "--type",
        "passport",
        "--status",
        "stolen",
    )
    lines = passport_mrz()
    base = ["--database-url", url, "--user", officer, "check", "person", "--mrz", lines[0], "--mrz", lines[1]]
    plain = CliRunner().invoke(app, base)
    assert plain.exit_code == 3, plain.output
    document, _, holder = plain.stdout.partition("\n\nholder: ")
    assert document.startswith("document: HIT") and "L898902C3" in document
    assert holder.startswith("NO HIT\ncheck id: "), holder
