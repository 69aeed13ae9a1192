"""The DNA database services on SQLite and PostgreSQL: enrol, index generation, checks, hits, audit.

Profiles and frequencies are generated here (seeded); nothing comes from ../shared.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select
from tests.conftest import Account, World

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import checks, frequencies, index, service
from peacelink.dna.models import DNAProfile
from peacelink.dna.schemas import DirectCheck, KinshipCheck, ProfileCreate
from peacelink.errors import Conflict, Forbidden, Invalid
from peacelink.hits.models import Hit

LOCI = [
    "CSF1PO", "D3S1358", "D5S818", "D7S820", "D8S1179", "D13S317", "D16S539", "D18S51",
    "D21S11", "FGA", "TH01", "TPOX", "vWA", "D1S1656", "D2S441", "D2S1338", "D10S1248",
    "D12S391", "D19S433", "D22S1045",
]  # fmt: skip
ALLELES = [str(a) for a in range(8, 18)]


def frequency_csv(seed: int = 1) -> str:
    """A generated long-format table: 10 alleles per locus, 2N = 400."""
    rng = random.Random(seed)
    lines = ["locus,allele,frequency,n"]
    for locus in LOCI:
        weights = [rng.uniform(0.5, 2.0) for _ in ALLELES]
        total = sum(weights)
        lines += [f"{locus},{a},{w / total:.5f},400" for a, w in zip(ALLELES, weights, strict=True)]
    return "\n".join(lines) + "\n"


def random_loci(rng: random.Random, loci: list[str] | None = None) -> dict[str, list[str]]:
    """A random single-source genotype (uniform alleles: unrelated profiles rarely match)."""
    return {locus: sorted({rng.choice(ALLELES), rng.choice(ALLELES)}) for locus in loci or LOCI}


def child_of(
    rng: random.Random, father: dict[str, list[str]], mother: dict[str, list[str]]
) -> dict[str, list[str]]:
    """Mendelian child of two genotypes."""
    return {locus: sorted({rng.choice(father[locus] * 2), rng.choice(mother[locus] * 2)}) for locus in father}


def enrol(account: Account, world: World, **fields: object) -> DNAProfile:
    """Enrol one profile through the service."""
    with unit_of_work(world.state.sessions) as session:
        return service.create(session, actor=account.actor, data=ProfileCreate.model_validate(fields))


def load_table(world: World, population: str = "GEN") -> None:
    """Import the generated frequency table as the central system admin."""
    with unit_of_work(world.state.sessions) as session:
        frequencies.import_table(
            session, actor=world.admin.actor, population=population, text=frequency_csv()
        )


def test_enrol_search_cancel_and_generation(world: World) -> None:
    rng = random.Random(7)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    load_table(world)
    source = random_loci(rng)
    for k in range(30):
        enrol(owner, world, kind="reference", reference=f"REF-{k}", loci=random_loci(rng))
    stain = enrol(owner, world, kind="stain", reference="STAIN-1", loci=source, action="call NCB Utopia")
    assert stain.review_due.year - stain.created_at.year == 15
    # A partial of the source: a moderate match (contained) at 10 loci.
    partial = {locus: source[locus][:1] for locus in LOCI[:10]}
    with unit_of_work(world.state.sessions) as session:
        answer = checks.check_direct(
            session, actor=officer.actor, data=DirectCheck(loci=partial, stringency="moderate")
        ).to_dict()
    assert answer["result"] == "hit"
    best = answer["candidates"][0]
    assert best["reference"] == "STAIN-1" and best["hit_id"] == answer["hits"][0]["hit_id"]
    assert best["matched_loci"] == 10 and best["lr"] > 1 and 0 < best["rmp"] < 1
    assert {row["outcome"] for row in best["comparison"]} <= {"match", "not_compared"}
    # High stringency: the partial single alleles are not identical to heterozygous loci.
    with unit_of_work(world.state.sessions) as session:
        high = checks.check_direct(
            session, actor=officer.actor, data=DirectCheck(loci=source, stringency="high")
        ).to_dict()
    assert [c["reference"] for c in high["candidates"] if c["hit_id"]] == ["STAIN-1"]
    with unit_of_work(world.state.sessions) as session:
        before = index.current_key(session)
        service.cancel(session, actor=owner.actor, profile_id=stain.id, version=1)
    with unit_of_work(world.state.sessions) as session:
        assert index.current_key(session)[1] == before[1] + 1
        gone = checks.check_direct(session, actor=officer.actor, data=DirectCheck(loci=source)).to_dict()
    assert gone["result"] == "no_hit"
    with unit_of_work(world.state.sessions) as session:
        events = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "check.dna")
        )
        hits = session.scalars(select(Hit).where(Hit.database == "dna")).all()
    assert events == 3 and len(hits) == 2


def test_a_second_process_sees_changes_through_the_generation(world: World) -> None:
    """Another process's cache is simulated by a fresh DNACache on the same engine."""
    rng = random.Random(8)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("NCB-CAF", Role.FIELD_OFFICER)
    source = random_loci(rng)
    enrol(owner, world, kind="reference", reference="A", loci=random_loci(rng))
    other = index.DNACache()
    with unit_of_work(world.state.sessions) as session:
        other.refresh(session)
    assert len(other.direct) == 1
    enrol(owner, world, kind="reference", reference="B", loci=source)
    with unit_of_work(world.state.sessions) as session:
        other.refresh(session)
        answer = checks.check_direct(session, actor=officer.actor, data=DirectCheck(loci=source)).to_dict()
    assert len(other.direct) == 2
    # No frequency table: ranked by matched loci, with a warning.
    assert answer["result"] == "hit" and answer["candidates"][0]["lr"] is None
    assert any("frequency table" in w for w in answer["warnings"])


def test_rolled_back_enrolment_never_reaches_the_index(world: World) -> None:
    rng = random.Random(9)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    source = random_loci(rng)

    def enrol_check_and_abort() -> None:
        with unit_of_work(world.state.sessions) as session:
            data = ProfileCreate(kind="stain", reference="X", loci=source)
            service.create(session, actor=owner.actor, data=data)
            assert checks.check_direct(session, actor=owner.actor, data=DirectCheck(loci=source)).hits
            raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        enrol_check_and_abort()
    with unit_of_work(world.state.sessions) as session:
        assert not checks.check_direct(session, actor=owner.actor, data=DirectCheck(loci=source)).hits


def test_bad_input_changes_nothing(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    with pytest.raises(Invalid, match="D3S1358"), unit_of_work(world.state.sessions) as session:
        service.create(
            session,
            actor=owner.actor,
            data=ProfileCreate(
                kind="reference", reference="R", loci={"TH01": ["9.3"], "D3S1358": ["15", "x"]}
            ),
        )
    with pytest.raises(Invalid, match="bad/locus"), unit_of_work(world.state.sessions) as session:
        service.create(
            session,
            actor=owner.actor,
            data=ProfileCreate(kind="reference", reference="R", loci={"bad/locus": ["1"]}),
        )
    with pytest.raises(Invalid, match="only stains"), unit_of_work(world.state.sessions) as session:
        service.create(
            session,
            actor=owner.actor,
            data=ProfileCreate(kind="reference", reference="R", loci={"TH01": ["6", "7", "8"]}),
        )
    with pytest.raises(Invalid, match="family"), unit_of_work(world.state.sessions) as session:
        service.create(
            session,
            actor=owner.actor,
            data=ProfileCreate(kind="relative", relationship="parent", reference="R", loci={"TH01": ["6"]}),
        )
    enrol(owner, world, kind="reference", reference="R", loci={"vwa": ["16", "15"], "Penta D": ["9"]})
    with pytest.raises(Conflict), unit_of_work(world.state.sessions) as session:
        service.create(
            session,
            actor=owner.actor,
            data=ProfileCreate(kind="reference", reference="R", loci={"TH01": ["6"]}),
        )
    with unit_of_work(world.state.sessions) as session:
        rows = session.scalars(select(DNAProfile)).all()
    assert len(rows) == 1 and rows[0].loci == {"Penta D": ["9"], "vWA": ["15", "16"]}


def test_frequency_import_rules(world: World) -> None:
    analyst = world.user("NCB-UTO", Role.ANALYST)
    with pytest.raises(Forbidden), unit_of_work(world.state.sessions) as session:
        frequencies.import_table(session, actor=analyst.actor, population="X", text=frequency_csv())
    load_table(world, "GEN")
    with pytest.raises(Conflict), unit_of_work(world.state.sessions) as session:
        frequencies.import_table(session, actor=world.admin.actor, population="GEN", text=frequency_csv())
    with pytest.raises(Invalid), unit_of_work(world.state.sessions) as session:
        frequencies.import_table(
            session, actor=world.admin.actor, population="BAD", text="locus,allele,frequency\nTH01,x,2\n"
        )
    # Named fields are checked, never cut: a NUL (refused by PostgreSQL, stored by SQLite), a long source.
    for population, source, field in (("GEN\x00", "", "population"), ("NEW", "x" * 201, "source")):
        with pytest.raises(Invalid) as caught, unit_of_work(world.state.sessions) as session:
            frequencies.import_table(
                session, actor=world.admin.actor, population=population, text=frequency_csv(), source=source
            )
        assert caught.value.field == field
    with unit_of_work(world.state.sessions) as session:
        frequencies.import_table(
            session, actor=world.admin.actor, population="GEN", text=frequency_csv(2), replace=True
        )
        [row] = frequencies.list_tables(session, actor=analyst.actor)
        table = index.frequency_table(session, None)
    assert row.is_default and row.population == "GEN"
    assert table is not None and table.loci["TH01"].minimum == pytest.approx(5 / 400)


def test_kinship_search_ranks_the_true_family(world: World) -> None:
    rng = random.Random(11)
    owner = world.user("NCB-CAF", Role.INVESTIGATOR)
    searcher = world.user("MINUSCA", Role.FIELD_OFFICER)
    load_table(world)
    missing = None
    for family in range(6):
        father, mother = random_loci(rng), random_loci(rng)
        child = child_of(rng, father, mother)
        sibling = child_of(rng, father, mother)
        if family == 3:
            missing = child
        enrol(
            owner,
            world,
            kind="relative",
            relationship="parent",
            family=f"MP-{family}",
            reference=f"F{family}",
            loci=father,
        )
        enrol(
            owner,
            world,
            kind="relative",
            relationship="parent",
            family=f"MP-{family}",
            reference=f"M{family}",
            loci=mother,
        )
        if family % 2:
            enrol(
                owner, world, kind="relative", relationship="full_sibling", family=f"MP-{family}",
                reference=f"S{family}", loci=sibling,
            )  # fmt: skip
    assert missing is not None
    # A third parent makes the pedigree impossible: refused.
    with pytest.raises(Invalid, match="two parents"), unit_of_work(world.state.sessions) as session:
        service.create(
            session,
            actor=owner.actor,
            data=ProfileCreate(
                kind="relative", relationship="parent", family="MP-0", reference="X", loci=missing
            ),
        )
    with unit_of_work(world.state.sessions) as session:
        answer = checks.check_kinship(
            session, actor=searcher.actor, data=KinshipCheck(loci=missing)
        ).to_dict()
    assert answer["database"] == "dna_kinship" and answer["result"] == "hit"
    best = answer["candidates"][0]
    assert (
        best["family"] == "MP-3"
        and best["log10_lr"] > 4
        and best["relatives"] == ["full_sibling", "parent", "parent"]
    )
    assert [h["record"]["family"] for h in answer["hits"]] == ["MP-3"]
    # A new family enrolled afterwards is picked up incrementally (generation).
    enrol(
        owner,
        world,
        kind="relative",
        relationship="child",
        family="MP-9",
        reference="C9",
        loci=random_loci(rng),
    )
    with unit_of_work(world.state.sessions) as session:
        cache = index.cache_for(world.state.engine)
        checks.check_kinship(session, actor=searcher.actor, data=KinshipCheck(loci=missing))
        assert len(cache.families["GEN"].index) == 7


def test_hidden_profiles_take_no_place_of_a_visible_one(world: World) -> None:
    """Three stains hidden from MINUSCA match better than a visible one of the same source, with limit=2:
    the visible one is still a candidate (the index is asked for more), and the owner is told of the rest."""
    rng = random.Random(5)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    load_table(world)
    source = random_loci(rng)
    hidden = {"visibility": "only", "visibility_agencies": ["NCB-CAF"]}
    for k in range(3):
        enrol(owner, world, kind="stain", reference=f"HID-{k}", loci=source, **hidden)
    fewer = {locus: alleles for locus, alleles in source.items() if locus != LOCI[0]}
    enrol(owner, world, kind="stain", reference="OPEN-1", loci=fewer)
    with unit_of_work(world.state.sessions) as session:
        answer = checks.check_direct(
            session, actor=officer.actor, data=DirectCheck(loci=source, limit=2)
        ).to_dict()
    assert [c["reference"] for c in answer["candidates"]] == ["OPEN-1"] and "HID-" not in str(answer)
    with unit_of_work(world.state.sessions) as session:
        told = session.scalars(
            select(Hit).where(Hit.check_id == answer["check_id"], Hit.excluded_agency)
        ).all()
    assert len(told) == 3
