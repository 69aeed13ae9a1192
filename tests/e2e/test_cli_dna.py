"""The dna commands end to end on the test database."""

from __future__ import annotations

import json
import random
from pathlib import Path

from tests.conftest import World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from tests.integration.test_dna_service import frequency_csv, random_loci
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.cli.main import app


def test_dna_commands(world: World, url: str, tmp_path: Path) -> None:  # noqa: F811
    rng = random.Random(6)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor.username
    table = tmp_path / "freq.csv"
    table.write_text(frequency_csv(), encoding="utf-8")
    imported = run(url, "admin", "dna", "import-frequencies", str(table), "--population", "GEN")
    assert isinstance(imported, dict) and imported["locus_count"] == 20
    source = random_loci(rng)
    loci_file = tmp_path / "loci.json"
    loci_file.write_text(json.dumps(source), encoding="utf-8")
    added = run(
        url, owner, "dna", "add", "--kind", "stain", "--reference", "S-1", "--loci-file", str(loci_file)
    )
    assert isinstance(added, dict) and added["version"] == 1
    shown = run(url, owner, "dna", "show", str(added["id"]))
    assert isinstance(shown, dict) and shown["loci"]["TH01"] == source["TH01"]
    partial = [f"--locus={locus}={','.join(alleles)}" for locus, alleles in list(source.items())[:9]]
    answer = run(url, officer, "dna", "check", *partial, code=3)
    assert isinstance(answer, dict) and answer["candidates"][0]["reference"] == "S-1"
    # A bad allele: exit 2, the error names the locus.
    bad = CliRunner().invoke(
        app, ["--database-url", url, "--user", owner, "dna", "add", "--kind", "reference", "--reference",
              "R", "--locus", "TH01=nine"],
    )  # fmt: skip
    assert bad.exit_code == 2 and "TH01" in bad.output
    run(url, owner, "dna", "cancel", str(added["id"]), "--version", "1")
    miss = run(url, officer, "dna", "check", *partial)
    assert isinstance(miss, dict) and miss["result"] == "no_hit"
    kin = run(url, officer, "dna", "kinship", "--loci-file", str(loci_file))
    assert isinstance(kin, dict) and kin["result"] == "no_hit"


def test_a_check_with_too_few_loci_says_nothing_was_searched(world: World, url: str) -> None:  # noqa: F811
    # As the web page says since 7a5282c: "NO HIT" read as "this person is not known", where no profile was
    # compared at all.
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor.username
    typed = ["--locus=TH01=6,9", "--locus=FGA=21,22"]
    said = CliRunner().invoke(app, ["--database-url", url, "--user", officer, "dna", "check", *typed])
    assert said.exit_code == 0, said.output
    first = said.output.splitlines()[0]
    assert first.startswith("NOT SEARCHED (dna)") and "2 autosomal loci" in first, said.output
    assert "NO HIT" not in said.output
    # The JSON answer is the API's: no hit, with the warning.
    answer = run(url, officer, "dna", "check", *typed)
    assert isinstance(answer, dict) and answer["result"] == "no_hit" and answer["warnings"]
