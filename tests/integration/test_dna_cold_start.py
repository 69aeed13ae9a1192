"""A cold process loads the DNA indexes from stored family models and the index snapshot (SQLite, PostgreSQL).

A fresh ``DNACache`` on the same engine stands for a new process. ``DNACache.models_built`` counts the family
models a process had to compute itself. Profiles and frequencies are generated here (seeded).
"""

from __future__ import annotations

import random

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from tests.conftest import Account, World
from tests.integration.test_dna_service import child_of, enrol, frequency_csv, load_table, random_loci

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import checks, frequencies, index, service
from peacelink.dna.models import DNAFamily, DNAFamilyModel, DNAFrequencyTable, DNAIndexSnapshot
from peacelink.dna.schemas import DirectCheck, KinshipCheck, ProfileCreate
from peacelink.matching.dna import FamilyIndex, KinshipHit, Profile


def enrol_families(
    owner: Account, world: World, rng: random.Random, count: int
) -> dict[str, dict[str, list[str]]]:
    """Enrol ``count`` families (two parents, or a parent and a full sibling); return each missing child."""
    missing, items = {}, []
    for family in range(count):
        father, mother = random_loci(rng), random_loci(rng)
        case = f"MP-{family}"
        missing[case] = child_of(rng, father, mother)
        second = ("parent", mother) if family % 2 else ("full_sibling", child_of(rng, father, mother))
        for k, (relation, loci) in enumerate((("parent", father), second)):
            items.append(
                ProfileCreate(
                    kind="relative", relationship=relation, family=case, reference=f"{case}-{k}", loci=loci
                )
            )
    with unit_of_work(world.state.sessions) as session:
        service.create_many(session, actor=owner.actor, items=items)
    return missing


def cold_search(world: World, query: dict[str, list[str]]) -> tuple[list[KinshipHit], index.DNACache]:
    """A kinship search on a new, empty cache (a new process)."""
    cache = index.DNACache()
    with unit_of_work(world.state.sessions) as session:
        key = cache.refresh(session)
        hits = cache.family_index(session, "GEN", key).search(Profile.from_mapping(query), limit=None)
    return hits, cache


def built_from_scratch(session: Session, query: dict[str, list[str]]) -> list[KinshipHit]:
    """The same search on family models computed here from the relatives (the reference result)."""
    table = index.frequency_table(session, "GEN")
    assert table is not None
    families = FamilyIndex(table)
    for family_id, relatives in index.family_models.relatives_of(session, None).items():
        families.add(family_id, relatives)
    return families.search(Profile.from_mapping(query), limit=None)


def test_cold_process_reads_stored_family_models(world: World) -> None:
    rng = random.Random(21)
    owner = world.user("NCB-CAF", Role.INVESTIGATOR)
    searcher = world.user("MINUSCA", Role.FIELD_OFFICER)
    load_table(world)
    missing = enrol_families(owner, world, rng, 6)
    with unit_of_work(world.state.sessions) as session:
        stored = session.execute(select(DNAFamilyModel.token, DNAFamilyModel.generation)).all()
        token = session.scalar(select(DNAFrequencyTable.token))
        reference = built_from_scratch(session, missing["MP-2"])
        warm = checks.check_kinship(session, actor=searcher.actor, data=KinshipCheck(loci=missing["MP-2"]))
    assert len(stored) == 6 and {row[0] for row in stored} == {token}
    assert warm.to_dict()["candidates"][0]["family"] == "MP-2"
    hits, cache = cold_search(world, missing["MP-2"])
    assert cache.models_built == 0  # every model came from its row
    assert hits == reference  # identical LRs, bit for bit, to models built from the relatives
    assert index.cache_for(world.state.engine).models_built == 0  # the warm process never built one either


def test_stale_and_missing_models_are_rebuilt_and_written_back(world: World) -> None:
    rng = random.Random(22)
    owner = world.user("NCB-CAF", Role.INVESTIGATOR)
    load_table(world)
    missing = enrol_families(owner, world, rng, 5)
    # The frequency table is replaced: every stored model is stale (its token is the old table's).
    with unit_of_work(world.state.sessions) as session:
        frequencies.import_table(
            session, actor=world.admin.actor, population="GEN", text=frequency_csv(3), replace=True
        )
    hits, cache = cold_search(world, missing["MP-1"])
    assert cache.models_built == 5
    with unit_of_work(world.state.sessions) as session:
        assert hits == built_from_scratch(session, missing["MP-1"])
        tokens = set(session.scalars(select(DNAFamilyModel.token)))
        assert tokens == {session.scalar(select(DNAFrequencyTable.token))}  # written back
    assert cold_search(world, missing["MP-1"])[1].models_built == 0
    # A model lost (a family enrolled before the models were stored) is rebuilt alone.
    with unit_of_work(world.state.sessions) as session:
        family_id = session.scalar(select(DNAFamily.id).where(DNAFamily.case_reference == "MP-4"))
        session.execute(delete(DNAFamilyModel).where(DNAFamilyModel.family_id == family_id))
    assert cold_search(world, missing["MP-1"])[1].models_built == 1
    # A model older than its relatives' rows (a writer that did not store it) is stale too.
    with unit_of_work(world.state.sessions) as session:
        session.execute(DNAFamilyModel.__table__.update().values(generation=0))
    assert cold_search(world, missing["MP-1"])[1].models_built == 5


def test_a_cancelled_relative_updates_the_stored_model(world: World) -> None:
    rng = random.Random(23)
    owner = world.user("NCB-CAF", Role.INVESTIGATOR)
    load_table(world)
    missing = enrol_families(owner, world, rng, 3)
    with unit_of_work(world.state.sessions) as session:
        profile = next(p for p in service.list_own(session, actor=owner.actor) if p.reference == "MP-0-1")
        service.cancel(session, actor=owner.actor, profile_id=profile.id, version=profile.version)
    hits, cache = cold_search(world, missing["MP-0"])
    assert cache.models_built == 0
    with unit_of_work(world.state.sessions) as session:
        assert hits == built_from_scratch(session, missing["MP-0"])
    # A warm cache catches up on the change by reading the family's new stored model.
    warm = index.cache_for(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        key = warm.refresh(session)
        warm.family_index(session, "GEN", key)
    enrol(
        owner,
        world,
        kind="relative",
        relationship="full_sibling",
        family="MP-0",
        reference="S",
        loci=missing["MP-0"],
    )
    with unit_of_work(world.state.sessions) as session:
        key = warm.refresh(session)
        again = warm.family_index(session, "GEN", key).search(
            Profile.from_mapping(missing["MP-0"]), limit=None
        )
        assert again == built_from_scratch(session, missing["MP-0"])
    assert warm.models_built == 0


def test_direct_index_snapshot_and_the_rows_after_it(world: World) -> None:
    rng = random.Random(24)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("NCB-CAF", Role.FIELD_OFFICER)
    load_table(world)
    people = [random_loci(rng) for _ in range(40)]
    items = [ProfileCreate(kind="reference", reference=f"R{k}", loci=loci) for k, loci in enumerate(people)]
    with unit_of_work(world.state.sessions) as session:
        service.create_many(session, actor=owner.actor, items=items)
    first = index.DNACache()
    with unit_of_work(world.state.sessions) as session:
        key = first.refresh(session)  # no snapshot yet: built from the rows, then saved
    assert not first.loaded_from_snapshot and first.snapshot_saved
    with unit_of_work(world.state.sessions) as session:
        row = session.execute(select(DNAIndexSnapshot.epoch, DNAIndexSnapshot.generation)).one()
    assert tuple(row) == key
    # Changes after the snapshot: one new profile, one cancelled.
    enrol(owner, world, kind="stain", reference="NEW", loci=people[0])
    with unit_of_work(world.state.sessions) as session:
        gone = next(p for p in service.list_own(session, actor=owner.actor) if p.reference == "R5")
        service.cancel(session, actor=owner.actor, profile_id=gone.id, version=gone.version)
    cold = index.DNACache()
    with unit_of_work(world.state.sessions) as session:
        cold.refresh(session)
    assert cold.loaded_from_snapshot and cold.changes_since_snapshot == 2
    rebuilt = index.DNACache()
    with unit_of_work(world.state.sessions) as session:
        session.execute(delete(DNAIndexSnapshot))
        rebuilt.refresh(session)
    assert not rebuilt.loaded_from_snapshot
    for query in (
        people[0],
        people[5],
        {locus: alleles[:1] for locus, alleles in list(people[7].items())[:10]},
    ):
        profile = Profile.from_mapping(query)
        assert cold.direct.search(profile, limit=None) == rebuilt.direct.search(profile, limit=None)
    assert len(cold.direct) == len(rebuilt.direct) == 40
    with unit_of_work(world.state.sessions) as session:
        answer = checks.check_direct(session, actor=officer.actor, data=DirectCheck(loci=people[0])).to_dict()
    assert {c["reference"] for c in answer["candidates"]} == {"R0", "NEW"}


def test_no_snapshot_from_a_transaction_that_rolls_back(world: World) -> None:
    rng = random.Random(25)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    source = random_loci(rng)
    try:
        with unit_of_work(world.state.sessions) as session:
            service.create(
                session, actor=owner.actor, data=ProfileCreate(kind="stain", reference="X", loci=source)
            )
            assert checks.check_direct(session, actor=owner.actor, data=DirectCheck(loci=source)).hits
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    with unit_of_work(world.state.sessions) as session:
        assert session.scalar(select(func.count()).select_from(DNAIndexSnapshot)) == 0


def test_warm_loads_every_index(world: World) -> None:
    rng = random.Random(26)
    owner = world.user("NCB-CAF", Role.INVESTIGATOR)
    load_table(world)
    enrol_families(owner, world, rng, 2)
    enrol(owner, world, kind="reference", reference="R", loci=random_loci(rng))
    index.warm_in_background(world.state.sessions).join(timeout=60)
    cache = index.cache_for(world.state.engine)
    assert cache.key is not None and len(cache.direct) == 1
    assert len(cache.families["GEN"].index) == 2 and cache.models_built == 0
