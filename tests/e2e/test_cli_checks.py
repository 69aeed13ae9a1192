"""The check, documents, vehicles, hits, mrz and vin commands end to end on the test database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from tests.conftest import World
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.cli.main import app

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


@pytest.fixture
def url(engine: Engine) -> str:
    """A --database-url reaching the test database (PostgreSQL: the test's private schema)."""
    if engine.dialect.name == "sqlite":
        return engine.url.render_as_string(hide_password=False)
    with engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    return engine.url.render_as_string(hide_password=False) + f"?options=-csearch_path%3D{schema}"


def run(url: str, user: str, *args: str, code: int = 0) -> dict[str, object] | list[object]:
    result = CliRunner().invoke(app, ["--database-url", url, "--user", user, *args, "--json"])
    assert result.exit_code == code, result.output
    data: dict[str, object] | list[object] = json.loads(result.stdout)
    return data


def test_identifier_commands() -> None:
    runner = CliRunner()
    parsed = runner.invoke(app, ["mrz", "parse", *TD3, "--json"])
    assert parsed.exit_code == 0, parsed.output
    assert json.loads(parsed.stdout)["document_number"] == "L898902C3"
    bad = runner.invoke(app, ["mrz", "parse", TD3[0], TD3[1][:-1] + "1", "--json"])
    assert bad.exit_code == 1 and json.loads(bad.stdout)["valid"] is False
    decoded = runner.invoke(app, ["vin", "decode", "WBA71DC010CH14720", "--json"])
    assert decoded.exit_code == 0 and json.loads(decoded.stdout)["valid"] is True


def test_report_check_and_decide_from_the_cli(world: World, url: str, tmp_path: Path) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor.username
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor.username
    added = run(
        url,
        owner,
        "documents",
        "add",
        "--issuing-country",
        "UTO",
        "--number",
        "L898902C3",
        "--action",
        "seize",
    )
    assert isinstance(added, dict) and added["version"] == 1
    answer = run(url, officer, "check", "document", "--mrz", TD3[0], "--mrz", TD3[1], code=3)
    assert isinstance(answer, dict) and answer["result"] == "hit"
    miss = run(url, officer, "check", "document", "--issuing-country", "UTO", "--number", "Z9")
    assert isinstance(miss, dict) and miss["result"] == "no_hit"
    refused = CliRunner().invoke(
        app,
        [
            "--database-url",
            url,
            "--user",
            officer,
            "documents",
            "add",
            "--issuing-country",
            "UTO",
            "--number",
            "X1",
            "--json",
        ],
    )
    assert refused.exit_code == 2 and json.loads(refused.stdout)["error"] == "forbidden"

    queue = run(url, owner, "hits", "list")
    assert isinstance(queue, list) and len(queue) == 1
    hit_id = queue[0]["id"]  # type: ignore[index]
    decided = run(url, owner, "hits", "reject", hit_id, "--note", "specimen, not a real document")
    assert isinstance(decided, dict) and decided["status"] == "rejected"
    mine = run(url, officer, "hits", "list", "--view", "mine")
    assert isinstance(mine, list) and mine[0]["status"] == "rejected"  # type: ignore[index]

    vehicle = run(url, owner, "vehicles", "add", "--plate", "UT 42 XY", "--plate-country", "UTO")
    assert isinstance(vehicle, dict) and vehicle["plate"] == "UT42XY"
    found = run(url, officer, "check", "vehicle", "--plate", "ut42xy", "--country", "UTO", code=3)
    assert isinstance(found, dict) and found["hits"][0]["owner_agency"] == "NCB-UTO"  # type: ignore[index]

    data = tmp_path / "docs.csv"
    data.write_text("issuing_country,document_type,number,status\nUTO,passport,A1,stolen\nUTO,visa,A2,lost\n")
    first = run(url, owner, "documents", "import", str(data))
    again = run(url, owner, "documents", "import", str(data))
    assert isinstance(first, dict) and isinstance(again, dict)
    assert (first["inserted"], again["inserted"], again["duplicates"]) == (2, 0, 2)
