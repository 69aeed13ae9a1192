"""A DNA profile typed as text with one locus on two lines under the same spelling ("D8S1179: 12, 13" then
"D8S1179: 14, 15") kept the second line without a word: the DNA page's boxes, the CLI's ``--locus``
options (and a ``--locus`` naming a locus of the ``--loci-file``), and a loci file naming a key twice (JSON
keeps the last). Each is refused naming the locus, nothing stored, nothing searched; on the pages in the
user's language, the box marked. Two spellings of one locus (TH01 and HUMTH01) were refused already."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import World
from tests.e2e.test_cli_checks import url  # noqa: F401 - the url fixture
from tests.e2e.test_dna_refusals_keyed import _said
from tests.e2e.test_persons_api import _sign_in
from tests.e2e.test_web_keyboard_focus import _marked
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.cli.main import app
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna.models import DNAProfile

FIRST = "D3S1358: 15, 16\nvWA: 17, 18\nFGA: 21, 22\nD8S1179: 12, 13"
TWICE = f"{FIRST}\nD8S1179: 14, 15"
# The locus named, the lines named, in the page's language (not the English).
WORDS = {
    "en": ("given twice", "lines 4 and 5"),
    "fr": ("deux fois", "lignes 4 et 5"),
    "es": ("dos veces", "líneas 4 y 5"),
    "ar": ("مرتين", "4"),
}


def _count(world: World, table: type[DNAProfile] | type[AuditEvent], *where: object) -> int:
    with unit_of_work(world.state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def _checks(world: World) -> int:
    return _count(world, AuditEvent, AuditEvent.action.like("check.dna%"))


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_a_locus_typed_twice_on_the_dna_page_is_refused_naming_it(
    client: TestClient, world: World, language: str
) -> None:
    csrf = _sign_in(client, world.user("NCB-UTO", Role.INVESTIGATOR, language=language))
    twice, lines = WORDS[language]
    forms = {
        "enrol-loci": ("/dna/profiles", {"kind": "stain", "reference": "S-1"}),
        "check-loci": ("/checks/dna", {"min_loci": "4"}),
        "kinship-loci": ("/checks/dna/kinship", {}),
    }
    for box, (path, fields) in forms.items():
        page = client.post(path, data={"csrf": csrf, "loci": TWICE, **fields})
        said = _said(page.text)
        assert page.status_code == 422, (path, page.status_code, said)
        assert "D8S1179" in said and twice in said and lines in said, (path, said)
        assert _marked(page.text, box, "dna-error"), (path, said)
        assert "D8S1179: 14, 15" in page.text  # the form as typed
    assert _count(world, DNAProfile) == 0 and _checks(world) == 0
    # Two spellings of one locus: refused too, naming it.
    spellings = f"{FIRST}\nTH01: 6\nHUMTH01: 7"
    said = _said(client.post("/checks/dna", data={"csrf": csrf, "loci": spellings}).text)
    assert "TH01" in said and twice in said, said
    # One line per locus still checks.
    page = client.post("/checks/dna", data={"csrf": csrf, "loci": FIRST, "min_loci": "4"})
    assert page.status_code == 200 and 'id="dna-error"' not in page.text
    assert _checks(world) == 1


def test_a_locus_given_twice_to_the_cli_is_refused_naming_it(
    world: World,
    url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    options = [f"--locus={line.replace(': ', '=').replace(', ', ',')}" for line in TWICE.splitlines()]
    loci_file = tmp_path / "loci.json"
    loci_file.write_text(
        '{"D3S1358": ["15", "16"], "D8S1179": ["12", "13"], "D8S1179": ["14", "15"]}', encoding="utf-8"
    )
    one_file = tmp_path / "one.json"
    one_file.write_text(json.dumps({"D3S1358": ["15", "16"], "D8S1179": ["12", "13"]}), encoding="utf-8")
    base = ["--database-url", url, "--user", owner, "dna"]
    enrol = ["add", "--kind", "stain", "--reference", "S-1"]
    for given in (
        options,
        ["--loci-file", str(loci_file)],
        ["--loci-file", str(one_file), "--locus=D8S1179=14"],
    ):
        for command in (enrol, ["check"], ["kinship"]):
            result = CliRunner().invoke(app, [*base, *command, *given])
            assert result.exit_code == 2, (command, given, result.output)
            assert "D8S1179" in result.output and "twice" in result.output, (command, given, result.output)
    assert _count(world, DNAProfile) == 0 and _checks(world) == 0
    # Two spellings of one locus: refused too.
    result = CliRunner().invoke(app, [*base, "check", "--locus=TH01=6", "--locus=HUMTH01=7"])
    assert result.exit_code == 2 and "TH01" in result.output and "twice" in result.output, result.output
