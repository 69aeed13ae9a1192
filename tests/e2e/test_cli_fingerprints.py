"""The fingerprints commands end to end: enrol, import-nist, check, compare, cancel, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from tests.conftest import World
from tests.integration.test_fingerprints_helpers import FINGERS, impression, iso
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.cli.main import app
from peacelink.matching.fingerprints import ansi_nist
from peacelink.matching.fingerprints.template import Template


@pytest.fixture
def url(engine: Engine) -> str:
    """A --database-url reaching the test database (PostgreSQL: the test's private schema)."""
    if engine.dialect.name == "sqlite":
        return engine.url.render_as_string(hide_password=False)
    with engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    return engine.url.render_as_string(hide_password=False) + f"?options=-csearch_path%3D{schema}"


def run(url: str, user: str, *args: str, code: int = 0) -> dict[str, object]:
    result = CliRunner().invoke(app, ["--database-url", url, "--user", user, *args, "--json"])
    assert result.exit_code == code, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _transaction(fingers: list[tuple[int, Template]]) -> bytes:
    """An ANSI/NIST-ITL transaction: per finger a Type-4 record (for the height) and Type-9 minutiae."""
    records: list[tuple[int, bytes]] = []
    for idc, (position, template) in enumerate(fingers, start=1):
        positioned = Template(
            width=template.width, height=template.height, minutiae=template.minutiae, finger_position=position
        )
        pixels = bytes(template.width * template.height)
        records.append(
            (
                4,
                ansi_nist.encode_type4(
                    pixels, idc=idc, width=template.width, height=template.height, finger_position=position
                ),
            )
        )
        records.append((9, ansi_nist.encode_type9(positioned, idc=idc)))
    return ansi_nist.encode_transaction(records)


def test_enrol_import_check_compare_cancel(world: World, url: str, tmp_path: Path) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor.username
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor.username
    record = tmp_path / "finger.iso"
    record.write_bytes(iso(FINGERS[0]))
    enrolled = run(
        url, owner, "fingerprints", "enrol", str(record), "--template", "--reference", "A-1", "--finger", "3"
    )
    assert enrolled["finger_position"] == 3 and enrolled["source"] == "template"

    transaction = tmp_path / "card.an2"
    transaction.write_bytes(_transaction([(1, FINGERS[1]), (6, FINGERS[2])]))
    imported = run(
        url,
        owner,
        "fingerprints",
        "import-nist",
        str(transaction),
        "--reference",
        "CARD-7",
        "--person-id",
        "person-7",
    )
    assert imported["enrolled"] == 2
    for bad in ("CARD\x1b8", "x" * 101):  # the reference of a command line gets a request body's rules
        refused = run(url, owner, "fingerprints", "import-nist", str(transaction), "--reference", bad, code=2)
        assert refused["error"] == "invalid" and "reference" in str(refused["message"])

    probe = tmp_path / "probe.iso"
    probe.write_bytes(iso(impression(2, 5)))
    answer = run(url, officer, "fingerprints", "check", str(probe), "--template", code=3)
    assert answer["result"] == "hit"
    best = answer["candidates"][0]  # type: ignore[index]
    assert best["reference"] == "CARD-7" and best["finger_position"] == 6 and best["person_id"] == "person-7"

    png = tmp_path / "hit.png"
    written = run(url, owner, "fingerprints", "compare", best["hit_id"], "--out", str(png))
    assert written["bytes"] == png.stat().st_size and png.read_bytes()[:4] == b"\x89PNG"
    run(url, officer, "fingerprints", "compare", best["hit_id"], "--out", str(png), code=2)

    listed = run(url, owner, "fingerprints", "list", "--reference", "CARD-7")
    assert isinstance(listed, list) and len(listed) == 2
    target = next(r for r in listed if r["finger_position"] == 6)
    run(url, owner, "fingerprints", "cancel", target["id"], "--version", "1")
    again = run(url, officer, "fingerprints", "check", str(probe), "--template")
    assert again["result"] == "no_hit"

    garbage = tmp_path / "garbage.iso"
    garbage.write_bytes(b"not a template")
    failed = CliRunner().invoke(
        app,
        [
            "--database-url",
            url,
            "--user",
            owner,
            "fingerprints",
            "check",
            str(garbage),
            "--template",
            "--json",
        ],
    )
    assert failed.exit_code == 2 and json.loads(failed.stdout)["error"] == "invalid"
