"""The message and node CLI commands act as a named user under the same rules as the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peacelink.cli.main import app


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEACELINK_USER", raising=False)
    monkeypatch.setenv("PEACELINK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PEACELINK_SECRET_KEY", "cli-test-secret")
    return CliRunner()


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result.output


def test_send_inbox_read_keys(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "init")
    for code, country in (("NCB-UTO", "UTO"), ("NCB-CAF", "CAF")):
        run(
            runner,
            "--user",
            "admin",
            "agency",
            "add",
            code,
            "--name",
            code,
            "--kind",
            "ncb",
            "--country",
            country,
        )
    run(runner, "--user", "admin", "user", "add", "ana", "--agency", "NCB-UTO", "--role", "investigator")
    run(runner, "--user", "admin", "user", "add", "bo", "--agency", "NCB-CAF", "--role", "supervisor")
    attachment = tmp_path / "notes.txt"
    attachment.write_text("attached notes")
    sent = json.loads(
        run(
            runner,
            "--user",
            "ana",
            "message",
            "send",
            "--to",
            "NCB-CAF",
            "--subject",
            "Vehicle VIN check",
            "--body",
            "Please confirm the VIN.",
            "--attach",
            str(attachment),
            "--link",
            "hit:h42",
            "--json",
        )
    )
    assert sent["attachments"][0]["name"] == "notes.txt" and sent["links"] == [{"kind": "hit", "id": "h42"}]
    assert "Vehicle VIN check" in run(runner, "--user", "bo", "message", "inbox")
    text = run(runner, "--user", "bo", "message", "read", sent["id"])
    assert "Please confirm the VIN." in text and "NCB-UTO (ana)" in text
    assert "NCB-CAF:read" in run(runner, "--user", "ana", "message", "outbox")
    # Wrong agency: the message does not exist for it.
    run(runner, "--user", "ana", "message", "read", "nonexistent", code=2)
    keys = json.loads(run(runner, "--user", "bo", "message", "keys", "list", "--json"))
    assert {k["agency"] for k in keys} == {"CENTRAL", "NCB-UTO", "NCB-CAF"}
    # Only the agency's admin or a central system admin revokes; then sending to it is refused.
    run(runner, "--user", "bo", "message", "keys", "revoke", "NCB-CAF", code=2)
    run(runner, "--user", "admin", "message", "keys", "revoke", "NCB-CAF")
    run(
        runner, "--user", "ana", "message", "send", "--to", "NCB-CAF", "--subject", "x", "--body", "y", code=2
    )
    assert json.loads(run(runner, "--user", "admin", "message", "keys", "directory"))["signature"]
    info = json.loads(run(runner, "node", "info", "--json"))
    assert info["name"] == "local" and len(info["key"]) == 43


def test_a_refused_revocation_is_exit_2_naming_the_option(runner: CliRunner) -> None:
    """A key revocation the CLI refuses (a time without its zone or beyond UTC's calendar, a malformed key
    ID) is exit code 2 naming the option, as any bad input, never a traceback."""
    run(runner, "init")
    run(runner, "--user", "admin", "message", "keys", "generate", "CENTRAL")
    refused = (
        ("--at", "2020-01-01T00:00:00", "(at)"),
        ("--at", "0001-01-01T00:00:00+14:00", "(at)"),
        ("--key-id", "bad", "(key_id)"),
    )
    for option, value, named in refused:
        output = run(runner, "--user", "admin", "message", "keys", "revoke", "CENTRAL", option, value, code=2)
        assert output.startswith("error: ") and named in output, output
    keys = json.loads(run(runner, "--user", "admin", "message", "keys", "list", "--json"))
    assert [key["revoked_at"] for key in keys] == [None]  # nothing was revoked
