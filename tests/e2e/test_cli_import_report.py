"""The import command's report names the duplicate lines, as text and as JSON."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.cli.main import app


def test_duplicate_lines_in_the_text_and_json_reports(world: World, url: str, tmp_path: Path) -> None:  # noqa: F811
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    held = tmp_path / "held.csv"
    held.write_text("issuing_country,document_type,number,status\nUTO,passport,A1,stolen\n", encoding="utf-8")
    run(url, owner, "documents", "import", str(held))
    data = tmp_path / "docs.csv"
    data.write_text(
        "issuing_country,document_type,number,status\n"
        "UTO,passport,B1,stolen\n"  # 2
        "UTO,passport,A1,stolen\n"  # 3: held
        "UTO,passport,B1,lost\n",  # 4: repeats line 2
        encoding="utf-8",
    )
    text = CliRunner().invoke(app, ["--database-url", url, "--user", owner, "documents", "import", str(data)])
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines() == [
        "3 lines: 1 inserted, 2 duplicates skipped, 0 rejected (1 batches committed, 0 batches rejected)",
        "duplicate lines (skipped):",
        "  line 3: issuing_country=UTO, number=A1, document_type=passport: already present",
        "  line 4: issuing_country=UTO, number=B1, document_type=passport: "
        "repeated in this file (first on line 2)",
    ]
    again = run(url, owner, "documents", "import", str(data))
    assert isinstance(again, dict)
    assert (again["inserted"], again["duplicates"], again["duplicate_lines_omitted"]) == (0, 3, 0)
    assert again["duplicate_lines"] == [
        {
            "line": line,
            "reason": "already present",
            "first_line": None,
            "key": {"issuing_country": "UTO", "number": number, "document_type": "passport"},
        }
        for line, number in ((2, "B1"), (3, "A1"), (4, "B1"))
    ]
