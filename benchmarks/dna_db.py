"""DB-backed DNA checks through the service: direct search at moderate stringency, kinship over families.

Data: ../shared/data/dna/nist1036_genotypes.csv (1036 real, unrelated individuals) and
nist1036_allele_counts.csv (population "All"), read here only. The database holds the NIST profiles plus
synthetic CODIS-20 profiles sampled from the frequencies, enrolled with ``dna.service.create_many``;
families (two parents, or a parent and two full siblings, alternately) are simulated from sampled founders.

Family models are stored with the families (``dna_family_models``) and the direct index is saved as a
snapshot by the first process that builds it (``dna_index_snapshots``). The cold start is measured in a NEW
PROCESS (this script re-run with ``--cold-only``): its first direct check loads the snapshot and its first
kinship check loads the stored models, as a restarted server or a field officer's CLI would.

Every timed check is a full ``dna.checks.check_direct`` / ``check_kinship`` call in its own transaction:
generation read, index search, candidate rows, pipeline (visibility, hits, audit) and commit. Hit
notifications are off (no channel): they add one sealed message per hit.

    python benchmarks/dna_db.py --profiles 100000 --families 10000 [--database-url URL] [--no-cold]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from machine import machine
from peacelink.access import Actor, AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import checks, frequencies, index, service
from peacelink.dna.models import DNAFamilyModel, DNAIndexSnapshot, DNAProfile
from peacelink.dna.schemas import DirectCheck, KinshipCheck, ProfileCreate
from peacelink.matching.dna import CODIS_CORE_20, normalise_locus
from peacelink.setup import initialise
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dna"
SECRET = b"benchmark-secret-not-for-production"
BATCH = 20_000
PASSWORD = "benchmark password 1"  # noqa: S105 - a throwaway benchmark database


def read_nist(path: Path) -> list[dict[str, list[str]]]:
    """Locus -> raw alleles for each NIST 1036 person."""
    people = []
    with path.open() as handle:
        for row in csv.DictReader(handle):
            people.append(
                {c[:-3]: [v, row[c[:-3] + "_a2"]] for c, v in row.items() if c.endswith("_a1") and v}
            )
    return people


def percentiles(times: list[float]) -> str:
    """p50 / p95 / max in ms."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return f"p50 {median:.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms (n={len(ordered)})"


class Sampler:
    """Draws CODIS-20 genotypes from the population frequencies."""

    def __init__(self, table: dict[str, dict[str, float]], rng: np.random.Generator) -> None:
        self.rng = rng
        self.loci = {}
        for locus in CODIS_CORE_20:
            observed = table[locus]
            alleles = list(observed)
            weights = np.array([observed[a] for a in alleles])
            self.loci[locus] = (alleles, weights / weights.sum())

    def many(self, count: int) -> list[dict[str, list[str]]]:
        """``count`` random genotypes."""
        draws = {
            locus: self.rng.choice(len(alleles), size=(count, 2), p=p)
            for locus, (alleles, p) in self.loci.items()
        }
        out = []
        for k in range(count):
            genotype = {}
            for locus, (alleles, _) in self.loci.items():
                a, b = draws[locus][k]
                genotype[locus] = sorted({alleles[a], alleles[b]})
            out.append(genotype)
        return out

    def child(self, father: dict[str, list[str]], mother: dict[str, list[str]]) -> dict[str, list[str]]:
        """A Mendelian child."""
        return {
            locus: sorted({self.rng.choice(father[locus] * 2), self.rng.choice(mother[locus] * 2)})
            for locus in father
        }


def setup(url: str) -> tuple[Engine, sessionmaker[Session], Actor, list[Actor]]:
    """A migrated database with an owner NCB, a searching mission officer and the admin."""
    engine = build_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    initialise(sessions, secret_key=SECRET, token_days=30, admin_password=PASSWORD)
    with unit_of_work(sessions) as session:
        admin = users.actor_for_username(session, username="admin")
        agencies.create(
            session,
            actor=admin,
            data=AgencyCreate(code="NCB-UTO", name="NCB Utopia", kind=AgencyKind.NCB, country="UTO"),
        )
        agencies.create(
            session,
            actor=admin,
            data=AgencyCreate(code="NCB-CAF", name="NCB Bangui", kind=AgencyKind.NCB, country="CAF"),
        )
    accounts = []
    for name, agency, role in (
        ("owner", "NCB-UTO", Role.INVESTIGATOR),
        ("officer", "NCB-CAF", Role.FIELD_OFFICER),
    ):
        with unit_of_work(sessions) as session:
            created = users.create_unchecked(
                session,
                data=UserCreate(username=name, agency=agency, roles=[role], password=PASSWORD),
                secret_key=SECRET,
                token_days=30,
            )
            accounts.append(users.actor_for(created.user))
    return engine, sessions, admin, accounts


def run_checks(
    sessions: sessionmaker[Session], officer: Actor, queries: list[list[Any]], kind: str
) -> tuple[list[float], int]:
    """Time full checks (each in its own transaction); count the true answer ranked first."""
    times, found = [], 0
    for expected, loci in queries:
        started = time.perf_counter()
        with unit_of_work(sessions) as session:
            if kind == "direct":
                direct = DirectCheck(loci=loci, stringency="moderate", min_loci=8)
                answer = checks.check_direct(session, actor=officer, data=direct).to_dict()
                field = "reference"
            else:
                kinship = KinshipCheck(loci=loci)
                answer = checks.check_kinship(session, actor=officer, data=kinship).to_dict()
                field = "family"
        times.append((time.perf_counter() - started) * 1000)
        found += bool(answer["candidates"]) and answer["candidates"][0][field] == expected
    return times, found


def cold_only(url: str, queries_file: Path) -> None:
    """A new process on an existing database: first direct and first kinship check, then warm ones."""
    logging.getLogger("peacelink.dna").setLevel(logging.ERROR)
    queries = json.loads(queries_file.read_text())
    started = time.perf_counter()
    engine = build_engine(url)
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        officer = users.actor_for_username(session, username="officer")
    print(f"  cold process: engine and officer ready in {(time.perf_counter() - started) * 1000:.0f} ms")
    for kind in ("direct", "kinship"):
        [first], found = run_checks(sessions, officer, queries[kind][:1], kind)
        print(f"  cold process, FIRST {kind} check: {first / 1000:.2f} s (true answer first: {found}/1)")
    cache = index.cache_for(engine)
    print(
        f"  cold process: index from snapshot: {cache.loaded_from_snapshot}, rows applied after it: "
        f"{cache.changes_since_snapshot}, family models computed in the process: {cache.models_built}"
    )
    for kind in ("direct", "kinship"):
        times, found = run_checks(sessions, officer, queries[kind][1:], kind)
        print(
            f"  cold process, then warm {kind}: {percentiles(times)}; true answer first {found}/{len(times)}"
        )


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--checks", type=int, default=40)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file in a temp folder")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-process measurement")
    parser.add_argument("--cold-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_only is not None:
        cold_only(args.database_url, args.cold_only)
        return
    logging.getLogger("peacelink.dna").setLevel(logging.ERROR)  # "notification not sent" once per hit
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/dna_bench.db"
    print(f"machine: {machine()}")
    print(f"database: {url.split('@')[-1]}, profiles {args.profiles:,}, families {args.families:,}")
    rng = np.random.default_rng(args.seed)
    engine, sessions, admin, (owner, officer) = setup(url)
    text = (args.data / "nist1036_allele_counts.csv").read_text(encoding="utf-8")
    with unit_of_work(sessions) as session:
        row = frequencies.import_table(
            session, actor=admin, population="NIST-All", text=text, source="NIST 1036", column="All"
        )
        table = {locus: item["observed"] for locus, item in row.data.items()}
    sampler = Sampler(table, rng)
    nist = [
        {normalise_locus(k): v for k, v in person.items()}
        for person in read_nist(args.data / "nist1036_genotypes.csv")
    ]

    started = time.perf_counter()
    people = nist + sampler.many(max(0, args.profiles - len(nist)))
    people = people[: args.profiles]
    for start in range(0, len(people), BATCH):
        items = [
            ProfileCreate(kind="reference", reference=f"P{start + k}", loci=loci)
            for k, loci in enumerate(people[start : start + BATCH])
        ]
        with unit_of_work(sessions) as session:
            service.create_many(session, actor=owner, items=items)
    enrol_s = time.perf_counter() - started
    print(
        f"enrolled {len(people):,} profiles in {enrol_s:.1f} s ({len(people) / enrol_s:,.0f}/s, create_many)"
    )

    # Families of missing persons: two parents, or a parent and two full siblings.
    started = time.perf_counter()
    founders = sampler.many(4 * args.families)
    missing: dict[str, dict[str, list[str]]] = {}
    items = []
    for f in range(args.families):
        father, mother = founders[4 * f], founders[4 * f + 1]
        case = f"MP-{f}"
        missing[case] = sampler.child(father, mother)
        if f % 2 == 0:
            relatives = [("parent", father), ("parent", mother)]
        else:
            relatives = [
                ("parent", mother),
                *[("full_sibling", sampler.child(father, mother)) for _ in range(2)],
            ]
        items += [
            ProfileCreate(
                kind="relative", relationship=relation, family=case, reference=f"{case}-{r}", loci=loci
            )
            for r, (relation, loci) in enumerate(relatives)
        ]
    for start in range(0, len(items), BATCH):
        with unit_of_work(sessions) as session:
            service.create_many(session, actor=owner, items=items[start : start + BATCH])
    took = time.perf_counter() - started
    print(
        f"enrolled {args.families:,} families ({len(items):,} relatives) with their stored models "
        f"in {took:.1f} s ({args.families / took:,.0f} families/s)"
    )

    # Queries: enrolled people as 10-locus partials with one drop-out (moderate), and full profiles.
    picks = rng.choice(len(people), size=args.checks, replace=False)
    direct_queries: list[list[Any]] = []
    for n, k in enumerate(picks):
        person = people[int(k)]
        if n % 2:
            loci = {locus: person[locus] for locus in list(CODIS_CORE_20)[:10] if locus in person}
            first = next(iter(loci))
            loci[first] = loci[first][:1]
        else:
            loci = dict(person)
        direct_queries.append([f"P{int(k)}", loci])
    cases = list(missing)
    kin_queries: list[list[Any]] = []
    for _ in range(min(20, args.checks) + 1):
        case = cases[int(rng.integers(len(cases)))]
        kin_queries.append([case, missing[case]])

    # This process: the first search builds the direct index from the rows (no snapshot yet) and saves it.
    [first_ms], _ = run_checks(sessions, officer, direct_queries[:1], "direct")
    print(f"first direct check ever (index built from the rows, snapshot saved): {first_ms / 1000:.1f} s")
    times, found = run_checks(sessions, officer, direct_queries, "direct")
    print(f"direct check, moderate, min_loci 8 (full + 10-locus partials), warm: {percentiles(times)}")
    print(f"  true source ranked first: {found}/{len(direct_queries)}")
    [first_ms], _ = run_checks(sessions, officer, kin_queries[:1], "kinship")
    built = index.cache_for(engine).models_built
    print(f"first kinship check in this process (stored models read, {built} built): {first_ms / 1000:.1f} s")
    kin_times, kin_found = run_checks(sessions, officer, kin_queries[1:], "kinship")
    print(f"kinship check over {args.families:,} families (warm): {percentiles(kin_times)}")
    print(f"  true family ranked first: {kin_found}/{len(kin_times)}")
    with unit_of_work(sessions) as session:
        total = session.scalar(select(func.count()).select_from(DNAProfile))
        snapshot = session.scalar(select(func.length(DNAIndexSnapshot.data)))
        model_bytes = session.scalar(select(func.sum(func.length(DNAFamilyModel.model))))
    print(f"profiles in the database: {total:,}")
    sizes = f"index snapshot {(snapshot or 0) / 1e6:.1f} MB, family models {(model_bytes or 0) / 1e6:.1f} MB"
    print(f"stored: {sizes}")
    if not args.no_cold:
        queries_file = Path(tempfile.mkdtemp()) / "queries.json"
        queries_file.write_text(json.dumps({"direct": direct_queries[:11], "kinship": kin_queries[:11]}))
        print("a NEW process on the same database (cold start):", flush=True)
        command = [sys.executable, __file__, "--cold-only", str(queries_file), "--database-url", url]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
