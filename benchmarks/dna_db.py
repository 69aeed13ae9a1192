"""DB-backed DNA checks through the service: direct search at moderate stringency, kinship over families.

Data: ../shared/data/dna/nist1036_genotypes.csv (1036 real, unrelated individuals) and
nist1036_allele_counts.csv (population "All"), read here only. The database holds the NIST profiles plus
synthetic CODIS-20 profiles sampled from the frequencies, enrolled with ``dna.service.create_many``;
families (two parents, or a parent and two full siblings, alternately) are simulated from sampled founders.

Every timed check is a full ``dna.checks.check_direct`` / ``check_kinship`` call in its own transaction:
generation read, index search, candidate rows, pipeline (visibility, hits, audit) and commit. Hit
notifications are off (no channel): they add one sealed message per hit.

    python benchmarks/dna_db.py --profiles 100000 --families 10000 [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

from peacelink.access import AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import checks, frequencies, index, service
from peacelink.dna.models import DNAProfile
from peacelink.dna.schemas import DirectCheck, KinshipCheck, ProfileCreate
from peacelink.matching.dna import CODIS_CORE_20, normalise_locus
from peacelink.setup import initialise
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dna"
SECRET = b"benchmark-secret-not-for-production"
BATCH = 20_000
PASSWORD = "benchmark password 1"  # noqa: S105 - a throwaway benchmark database


def machine() -> str:
    """Describe the machine the run happened on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}, {platform.platform()}"


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


def setup(url: str) -> tuple[object, object, object, object]:
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
    args = parser.parse_args()
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

    # Queries: enrolled people as 10-locus partials with one drop-out (moderate), and full profiles.
    picks = rng.choice(len(people), size=args.checks, replace=False)
    queries = []
    for n, k in enumerate(picks):
        person = people[int(k)]
        if n % 2:
            loci = {locus: person[locus] for locus in list(CODIS_CORE_20)[:10] if locus in person}
            first = next(iter(loci))
            loci[first] = loci[first][:1]
        else:
            loci = dict(person)
        queries.append((f"P{int(k)}", loci))
    with unit_of_work(sessions) as session:
        started = time.perf_counter()
        index.cache_for(engine).refresh(session)
        cold = time.perf_counter() - started
    print(f"cold start: index built from the database in {cold:.1f} s")
    times, found = [], 0
    for reference, loci in queries:
        started = time.perf_counter()
        with unit_of_work(sessions) as session:
            answer = checks.check_direct(
                session, actor=officer, data=DirectCheck(loci=loci, stringency="moderate", min_loci=8)
            ).to_dict()
        times.append((time.perf_counter() - started) * 1000)
        found += bool(answer["candidates"]) and answer["candidates"][0]["reference"] == reference
    print(f"direct check, moderate, min_loci 8 (full + 10-locus partials): {percentiles(times)}")
    print(f"  true source ranked first: {found}/{len(queries)}")

    # Kinship: families of missing persons.
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
    print(f"enrolled {args.families:,} families ({len(items):,} relatives) in {took:.1f} s")
    cases = list(missing)
    kin_times, kin_found = [], 0
    for n in range(min(20, args.checks) + 1):
        case = cases[int(rng.integers(len(cases)))]
        started = time.perf_counter()
        with unit_of_work(sessions) as session:
            answer = checks.check_kinship(
                session, actor=officer, data=KinshipCheck(loci=missing[case])
            ).to_dict()
        elapsed = time.perf_counter() - started
        if n == 0:
            print(f"kinship, first search (builds {args.families:,} family models): {elapsed:.1f} s")
            continue
        kin_times.append(elapsed * 1000)
        kin_found += bool(answer["candidates"]) and answer["candidates"][0]["family"] == case
    print(f"kinship check over {args.families:,} families (warm): {percentiles(kin_times)}")
    print(f"  true family ranked first: {kin_found}/{len(kin_times)}")
    with unit_of_work(sessions) as session:
        total = session.scalar(select(func.count()).select_from(DNAProfile))
    print(f"profiles in the database: {total:,}")


if __name__ == "__main__":
    main()
