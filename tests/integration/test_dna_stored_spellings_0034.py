"""Migration 0034: stored family models without the mark ``PLRSL1`` are deleted (the next load rebuilds them),
and frequency tables stored with old locus spellings (HUMTH01) are renamed as the import names them today,
with a new token; a table holding one locus under two names is left as stored. SQLite and PostgreSQL.

Each test goes down to 0033 (no schema change), stores rows as a PeaceLink before the mark or before the
known-locus rule left them, and goes up again. Profiles and frequencies are generated here (seeded)."""

from __future__ import annotations

import logging
import random
from typing import Any

import pytest
from sqlalchemy import select, update
from tests.conftest import Account, World
from tests.e2e.test_dna_searched_and_stored_loci import _stored_before_the_rule
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_dna_service import child_of, enrol, load_table, random_loci

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import checks, family_models, index, stored_loci
from peacelink.dna.models import DNAFamily, DNAFamilyModel, DNAFrequencyTable, DNAProfile
from peacelink.dna.schemas import DirectCheck
from peacelink.matching.dna import KinshipHit, Profile, ProfileKind, Relationship

MARK = b"PLRSL1"
Rows = dict[tuple[str, str], tuple[str, int, bytes]]  # (case, population) -> token, generation, model


def _old_loci(source: dict[str, list[str]]) -> dict[str, list[str]]:
    """TH01 under its GenBank name, as a PeaceLink before 7a5282c kept it."""
    return {**{k: v for k, v in source.items() if k != "TH01"}, "HUMTH01": source["TH01"]}


def _store_unmarked(world: World, family_id: str, loci: dict[str, list[str]]) -> bytes:
    """The family's GEN model as a PeaceLink before the mark stored it: built from ``loci`` as given, current
    token and generation, no mark."""
    with unit_of_work(world.state.sessions) as session:
        table_id, token = session.execute(
            select(DNAFrequencyTable.id, DNAFrequencyTable.token).where(DNAFrequencyTable.population == "GEN")
        ).one()
        table = index.frequency_table(session, "GEN")
        assert table is not None
        relative = Profile(
            loci={k: tuple(v) for k, v in loci.items()},
            kind=ProfileKind.RELATIVE,
            relationship=Relationship.PARENT,
        )
        blob = family_models.build_model([relative], table).to_bytes()
        session.execute(
            update(DNAFamilyModel)
            .where(DNAFamilyModel.family_id == family_id, DNAFamilyModel.frequency_table_id == table_id)
            .values(token=token, generation=index.current_key(session)[1], model=blob)
        )
    return blob


def _model_rows(world: World) -> Rows:
    model, family, table = DNAFamilyModel, DNAFamily, DNAFrequencyTable
    stmt = (
        select(family.case_reference, table.population, model.token, model.generation, model.model)
        .join(family, family.id == model.family_id)
        .join(table, table.id == model.frequency_table_id)
    )
    with unit_of_work(world.state.sessions) as session:
        return {
            (case, pop): (token, gen, bytes(blob)) for case, pop, token, gen, blob in session.execute(stmt)
        }


def _tables(world: World) -> dict[str, tuple[dict[str, Any], int, str]]:
    table = DNAFrequencyTable
    with unit_of_work(world.state.sessions) as session:
        rows = session.execute(select(table.population, table.data, table.locus_count, table.token))
        return {population: (data, count, token) for population, data, count, token in rows}


def _edit_table(world: World, population: str, edit: Any) -> None:
    """Rewrite a stored table's rows (as an import before 7a5282c stored them) and tell the caches."""
    with unit_of_work(world.state.sessions) as session:
        row = session.execute(
            select(DNAFrequencyTable).where(DNAFrequencyTable.population == population)
        ).scalar_one()
        data = dict(row.data)
        edit(data)
        session.execute(
            update(DNAFrequencyTable)
            .where(DNAFrequencyTable.id == row.id)
            .values(data=data, locus_count=len(data))
        )
        index.bump_generation(session)


def _family_hits(
    world: World, query: dict[str, list[str]], population: str = "GEN"
) -> tuple[dict[str, KinshipHit], index.DNACache]:
    """A kinship search on a new, empty cache (a new process), by family case reference."""
    cache = index.DNACache()
    with unit_of_work(world.state.sessions) as session:
        key = cache.refresh(session)
        hits = cache.family_index(session, population, key).search(Profile.from_mapping(query), limit=None)
        cases = {
            row.id: row.case_reference
            for row in session.execute(select(DNAFamily.id, DNAFamily.case_reference))
        }
    return {cases[hit.family_id]: hit for hit in hits}, cache


def _th01_method(world: World, officer: Account, loci: dict[str, list[str]]) -> str:
    """How a direct check through this process's cache weighs TH01 for its best candidate."""
    with unit_of_work(world.state.sessions) as session:
        result = checks.check_direct(session, actor=officer.actor, data=DirectCheck(loci=loci)).to_dict()
    (row,) = [r for r in result["candidates"][0]["comparison"] if r["locus"] == "TH01"]
    return str(row["method"])


def _enrol_parent(owner: Account, world: World, case: str, loci: dict[str, list[str]]) -> DNAProfile:
    return enrol(
        owner, world, kind="relative", reference=f"{case}-P", relationship="parent", family=case, loci=loci
    )


def test_migration_0034_deletes_the_unmarked_models_and_the_next_search_rebuilds_them(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    rng = random.Random(34)
    load_table(world)
    father, mother = random_loci(rng), random_loci(rng)
    missing = child_of(rng, father, mother)
    old = _enrol_parent(owner, world, "OLD", father)
    plain = _enrol_parent(owner, world, "PLAIN", father)
    _enrol_parent(owner, world, "NEW", father)
    engine = world.state.engine
    downgrade_to(engine, "0033")
    _stored_before_the_rule(world, old.id, _old_loci(father))
    # OLD: built from the names as stored before 92de44f (no TH01); PLAIN: unmarked, built from its loci.
    stale = _store_unmarked(world, old.family_id or "", _old_loci(father))
    _store_unmarked(world, plain.family_id or "", father)
    before = _model_rows(world)
    assert before[("OLD", "GEN")][2] == stale and not before[("PLAIN", "GEN")][2].startswith(MARK)
    upgrade_again(engine)
    after = _model_rows(world)
    # Every unmarked model is gone; the marked one is the same row, byte for byte.
    assert set(after) == {("NEW", "GEN")} and after[("NEW", "GEN")] == before[("NEW", "GEN")]
    hits, cache = _family_hits(world, missing)
    assert cache.models_built == 2
    # The relative stored under HUMTH01 gives TH01 evidence, as the same relative stored under TH01 does.
    assert "TH01" in dict(hits["OLD"].loci)
    assert hits["OLD"].loci == hits["NEW"].loci == hits["PLAIN"].loci and hits["OLD"].lr == hits["NEW"].lr
    # Written back with the mark: the next process reads them as stored.
    rebuilt = _model_rows(world)
    assert set(rebuilt) == {("NEW", "GEN"), ("OLD", "GEN"), ("PLAIN", "GEN")}
    assert all(blob.startswith(MARK) for _token, _generation, blob in rebuilt.values())
    again, cache = _family_hits(world, missing)
    assert cache.models_built == 0 and again["OLD"].lr == hits["NEW"].lr


def test_migration_0034_renames_a_tables_old_spellings_and_leaves_a_clean_table(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    rng = random.Random(35)
    load_table(world, "GEN")
    load_table(world, "CLEAN")
    source = random_loci(rng)
    enrol(owner, world, kind="stain", reference="STAIN-1", loci=source)
    father, mother = random_loci(rng), random_loci(rng)
    missing = child_of(rng, father, mother)
    _enrol_parent(owner, world, "MP-1", father)
    _enrol_parent(owner, world, "MP-2", mother)
    engine = world.state.engine
    downgrade_to(engine, "0033")
    tables = _tables(world)
    th01 = tables["GEN"][0]["TH01"]

    def old_spellings(data: dict[str, Any]) -> None:
        data["HUMTH01"] = data.pop("TH01")  # kept as spelled by an import before 7a5282c
        data["FOO"] = data["FGA"]  # a locus the import refuses today
        data["HUMAMEL"] = data["FGA"]  # a sex marker, which the import leaves out today

    _edit_table(world, "GEN", old_spellings)
    assert _th01_method(world, officer, source) == "no_frequencies"  # the table is read as stored
    before = _tables(world)
    models = _model_rows(world)
    assert {population for _case, population in models} == {"GEN", "CLEAN"}
    upgrade_again(engine)
    after = _tables(world)
    data, count, token = after["GEN"]
    assert "HUMTH01" not in data and data["TH01"] == th01
    assert data["FOO"] == before["GEN"][0]["FOO"]  # an unknown name is kept as stored
    assert "HUMAMEL" not in data and "AMEL" not in data
    assert before["GEN"][1] == 22 and count == len(data) == 21 and token != before["GEN"][2]
    # The models built on the old rows are gone; the clean table and its models are untouched.
    assert after["CLEAN"] == before["CLEAN"]
    kept = _model_rows(world)
    assert kept == {key: row for key, row in models.items() if key[1] == "CLEAN"}
    # A check through this process's cache reads the renamed table (0034 advanced the generation).
    assert _th01_method(world, officer, source) != "no_frequencies"
    hits, cache = _family_hits(world, missing)
    assert cache.models_built == 2 and "TH01" in dict(hits["MP-1"].loci)
    assert all(row[0] == token for (_case, pop), row in _model_rows(world).items() if pop == "GEN")
    # The report names only the unknown row it kept.
    with unit_of_work(world.state.sessions) as session:
        report = stored_loci.report(session, actor=owner.actor)
    (named,) = report.frequency_tables
    assert (named.population, named.ignored_loci, named.old_spellings) == ("GEN", ("FOO",), {})
    # Idempotent in effect: run again (down and up), it changes nothing.
    settled = _model_rows(world)
    downgrade_to(engine, "0033")
    upgrade_again(engine)
    assert _tables(world) == after and _model_rows(world) == settled


def test_migration_0034_leaves_a_table_holding_one_locus_under_two_names(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    load_table(world)
    _enrol_parent(owner, world, "MP-1", random_loci(random.Random(36)))
    engine = world.state.engine
    downgrade_to(engine, "0033")

    def twice(data: dict[str, Any]) -> None:
        data["HUMTH01"] = {**data["TH01"], "minimum": 0.5}  # which row holds TH01 cannot be told

    _edit_table(world, "GEN", twice)
    before, models = _tables(world), _model_rows(world)
    with caplog.at_level(logging.WARNING, logger="peacelink.db.migrations"):
        upgrade_again(engine)
    assert _tables(world) == before and _model_rows(world) == models
    said = [r.getMessage() for r in caplog.records if r.name == "peacelink.db.migrations"]
    assert len(said) == 1 and "GEN" in said[0] and "TH01 as HUMTH01, TH01" in said[0], said
    with unit_of_work(world.state.sessions) as session:
        report = stored_loci.report(session, actor=owner.actor)
    (named,) = report.frequency_tables
    assert (named.population, named.ignored_loci) == ("GEN", ("HUMTH01",))
