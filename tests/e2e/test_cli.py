"""The peacelink CLI: init, agencies, users, tokens, audit, acting as a named user under the same rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from peacelink.cli.main import app
from peacelink.db.dialect import append_only_sql, drop_append_only_sql
from peacelink.db.engine import build_engine


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CliRunner, str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEACELINK_USER", raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("PEACELINK_DATABASE_URL", url)
    return CliRunner(), url


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result.output


def test_init_prints_token_once_as_json(cli: tuple[CliRunner, str]) -> None:
    runner, _ = cli
    data = json.loads(run(runner, "init", "--json"))
    assert set(data) == {"agency", "user", "token"}
    assert data["agency"]["kind"] == "central" and "system_admin" in data["user"]["roles"]
    assert data["token"].startswith("pl_")
    again = runner.invoke(app, ["init", "--json"])
    assert again.exit_code == 2 and json.loads(again.output)["error"] == "conflict"


def test_admin_flow_and_authorisation(cli: tuple[CliRunner, str]) -> None:
    runner, _ = cli
    run(runner, "init")
    run(
        runner,
        "--user",
        "admin",
        "agency",
        "add",
        "NCB-UTO",
        "--name",
        "NCB Utopia",
        "--kind",
        "ncb",
        "--country",
        "UTO",
    )
    run(
        runner,
        "--user",
        "admin",
        "agency",
        "add",
        "MINUSCA",
        "--name",
        "MINUSCA",
        "--kind",
        "mission",
        "--area",
        "CAF,COD",
        "--mandate-end",
        "2027-12-31",
    )
    created = json.loads(
        run(
            runner,
            "--user",
            "admin",
            "user",
            "add",
            "officer",
            "--agency",
            "MINUSCA",
            "--role",
            "field_officer",
            "--json",
        )
    )
    assert set(created) == {"user", "token"} and created["user"]["agency"] == "MINUSCA"
    agencies = json.loads(run(runner, "--user", "officer", "agency", "list", "--json"))
    mission = next(a for a in agencies if a["code"] == "MINUSCA")
    assert mission["area"] == ["CAF", "COD"] and mission["mandate_end"] == "2027-12-31"
    # Same rules as HTTP: a field officer may not register agencies.
    denied = runner.invoke(
        app, ["--user", "officer", "agency", "add", "X2", "--name", "x", "--kind", "international"]
    )
    assert denied.exit_code == 2 and "system_admin" in denied.output
    # No user named: refused.
    assert runner.invoke(app, ["agency", "list"]).exit_code == 2
    bad = runner.invoke(
        app, ["--user", "admin", "agency", "add", "NCB-X", "--name", "x", "--kind", "ncb", "--country", "ZZZ"]
    )
    assert bad.exit_code == 2 and "country" in bad.output


def test_tokens_create_and_revoke(cli: tuple[CliRunner, str]) -> None:
    runner, _ = cli
    run(runner, "init")
    token = json.loads(
        run(runner, "--user", "admin", "token", "create", "--name", "ci", "--days", "1", "--json")
    )
    listed = json.loads(run(runner, "--user", "admin", "token", "list", "--json"))
    assert any(t["id"] == token["id"] for t in listed)
    assert all("token" not in t for t in listed)
    run(runner, "--user", "admin", "token", "revoke", str(token["id"]))
    listed = json.loads(run(runner, "--user", "admin", "token", "list", "--json"))
    assert next(t for t in listed if t["id"] == token["id"])["revoked"] is True


def test_audit_verify_exit_codes(cli: tuple[CliRunner, str]) -> None:
    runner, url = cli
    run(runner, "init")
    ok = json.loads(run(runner, "audit", "verify", "--json"))
    assert ok["ok"] is True and ok["events"] >= 2 and ok["first_bad"] is None
    engine = build_engine(url)
    with engine.begin() as connection:
        for sql in drop_append_only_sql("sqlite", "audit_events"):
            connection.execute(text(sql))
        connection.execute(text("UPDATE audit_events SET action = 'forged' WHERE seq = 1"))
        for sql in append_only_sql("sqlite", "audit_events"):
            connection.execute(text(sql))
    engine.dispose()
    bad = runner.invoke(app, ["audit", "verify", "--json"])
    assert bad.exit_code == 1
    assert json.loads(bad.output)["first_bad"] == 1


def test_audit_export_json_lines(cli: tuple[CliRunner, str], tmp_path: Path) -> None:
    runner, _ = cli
    run(runner, "init")
    out = tmp_path / "audit.jsonl"
    run(runner, "--user", "admin", "audit", "export", "--output", str(out))
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert events[0]["seq"] == 1 and events[-1]["action"] == "audit.export"
    listed = run(runner, "--user", "admin", "audit", "list", "--limit", "2")
    assert "system.init" in listed


def test_totp_code_helper(cli: tuple[CliRunner, str]) -> None:
    runner, _ = cli
    code = run(runner, "totp", "code", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").strip()
    assert code.isdigit() and len(code) == 6
    assert runner.invoke(app, ["totp", "code", "short"]).exit_code == 2
    assert runner.invoke(app, ["totp", "code", "!!!!"]).exit_code == 2
