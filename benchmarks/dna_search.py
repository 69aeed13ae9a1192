"""Benchmark the DNA direct search (1M profiles) and the kinship search (10,000 families).

Data: ../shared/data/dna/nist1036_genotypes.csv (1036 real, unrelated U.S. individuals, 29
loci, public domain) and nist1036_allele_counts.csv (population "All", floored at 5/2N).

* Direct search: the 1036 NIST profiles plus synthetic profiles sampled from the NIST "All"
  allele frequencies at the CODIS 20 loci, up to --profiles (default 1,000,000). Queries are
  NIST profiles (full, partial with drop-out, two-person mixtures); timings are medians.
* Kinship search: --families (default 10,000) SIMULATED families: founders are random NIST
  profiles, relatives and the missing person are drawn by Mendelian sampling (no mutation).
  Family shapes cycle through: one parent, two parents, a parent and two siblings, one full
  sibling, one half sibling, a child with the spouse. Each family is searched with its own
  missing person's profile (the true family should rank first) and with unrelated NIST
  profiles (how high do wrong families score?).

Run: python benchmarks/dna_search.py [--profiles N] [--families N] [--data-dir PATH]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from machine import machine
from peacelink.matching.dna import (
    CODIS_CORE_20,
    DirectSearchIndex,
    FamilyIndex,
    FrequencyTable,
    Profile,
    ProfileKind,
    Relationship,
    Stringency,
    read_frequency_file,
)

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dna"
Genotypes = dict[str, tuple[str, ...]]


def read_nist(path: Path) -> list[tuple[str, dict[str, list[str]]]]:
    """Return (sample, locus -> raw alleles) for the NIST 1036 genotypes file."""
    people = []
    with path.open() as handle:
        for row in csv.DictReader(handle):
            loci: dict[str, list[str]] = {}
            for column, value in row.items():
                if column.endswith("_a1") and value:
                    loci[column[:-3]] = [value, row[column[:-3] + "_a2"]]
            people.append((row["sample"], loci))
    return people


def timed(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Return the median wall time (ms) of `repeat` calls and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def build_direct(
    people: list[Profile], frequencies: FrequencyTable, total: int, rng: np.random.Generator
) -> DirectSearchIndex:
    """Return an index with the NIST profiles plus synthetic ones sampled from the frequencies."""
    index = DirectSearchIndex(capacity=total)
    for k, profile in enumerate(people):
        index.add(f"NIST-{k}", profile)
    synthetic = total - len(people)
    allele_lists, codes = {}, {}
    for locus in CODIS_CORE_20:
        table = frequencies.loci[locus]
        alleles = list(table.observed)
        weights = np.array([table.observed[a] for a in alleles])
        allele_lists[locus] = alleles
        codes[locus] = rng.choice(len(alleles), size=(synthetic, 2), p=weights / weights.sum())
    index.add_coded([f"SYN-{k}" for k in range(synthetic)], allele_lists, codes)
    return index


def child_of(father: Genotypes, mother: Genotypes, rng: np.random.Generator) -> Genotypes:
    """Draw a child's genotypes by Mendelian sampling (one random allele from each parent)."""
    child = {}
    for locus in CODIS_CORE_20:
        if locus in father and locus in mother:
            a = father[locus][rng.integers(2)] if len(father[locus]) == 2 else father[locus][0]
            b = mother[locus][rng.integers(2)] if len(mother[locus]) == 2 else mother[locus][0]
            child[locus] = (a, b)
    return child


def relative(genotypes: Genotypes, relation: Relationship) -> Profile:
    """Wrap simulated genotypes as a relative profile."""
    return Profile.from_mapping(genotypes, kind=ProfileKind.RELATIVE, relationship=relation)


def simulate_family(
    founders: list[Genotypes], shape: int, rng: np.random.Generator
) -> tuple[list[Profile], Genotypes, set[int]]:
    """Return (typed relatives, the missing person's genotypes, founder numbers) for one family shape."""
    picks = rng.choice(len(founders), size=4, replace=False)
    used = {int(k) for k in picks}
    father, mother, spouse, other = (founders[int(k)] for k in picks)
    missing = child_of(father, mother, rng)
    if shape == 0:
        return [relative(father, Relationship.PARENT)], missing, used
    if shape == 1:
        return [relative(father, Relationship.PARENT), relative(mother, Relationship.PARENT)], missing, used
    if shape == 2:
        siblings = [relative(child_of(father, mother, rng), Relationship.FULL_SIBLING) for _ in range(2)]
        return [relative(mother, Relationship.PARENT), *siblings], missing, used
    if shape == 3:
        return [relative(child_of(father, mother, rng), Relationship.FULL_SIBLING)], missing, used
    if shape == 4:
        return [relative(child_of(father, other, rng), Relationship.HALF_SIBLING)], missing, used
    return (
        [
            relative(child_of(missing, spouse, rng), Relationship.CHILD),
            relative(spouse, Relationship.SPOUSE),
        ],
        missing,
        used,
    )


SHAPES = ("parent", "two parents", "parent+2 siblings", "full sibling", "half sibling", "child+spouse")


def main() -> int:
    """Build both structures, time the searches and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"machine: {machine()}")
    frequencies = read_frequency_file(args.data_dir / "nist1036_allele_counts.csv", population="All")
    people = [Profile.from_mapping(loci) for _, loci in read_nist(args.data_dir / "nist1036_genotypes.csv")]
    print(f"NIST 1036: {len(people)} real profiles, frequency table 'All' with {len(frequencies.loci)} loci")

    started = time.perf_counter()
    index = build_direct(people, frequencies, args.profiles, rng)
    print(f"\nDIRECT SEARCH: {len(index):,} profiles, built in {time.perf_counter() - started:.1f} s")
    queries = []
    for k in rng.choice(len(people), size=5, replace=False).tolist():
        source = people[k].loci
        queries.append((f"full NIST-{k}", {f"NIST-{k}"}, Profile.from_mapping(dict(source))))
        partial = {locus: source[locus] for locus in list(CODIS_CORE_20)[:10]}
        first = next(locus for locus in partial if len(partial[locus]) == 2)
        partial[first] = partial[first][:1]  # one allele dropped out
        queries.append(
            (
                f"partial NIST-{k} (10 loci, 1 drop-out)",
                {f"NIST-{k}"},
                Profile.from_mapping(partial, kind="stain"),
            )
        )
        mate = (k + 1) % len(people)
        mixture = {
            locus: sorted(set(source[locus]) | set(people[mate].loci[locus]))
            for locus in list(CODIS_CORE_20)[:12]
        }
        # Either contributor of a mixture is a true source.
        sources = {f"NIST-{k}", f"NIST-{mate}"}
        queries.append(
            (f"mixture NIST-{k}+{mate} (12 loci)", sources, Profile.from_mapping(mixture, kind="stain")),
        )
    settings = [
        (Stringency.MODERATE, False),
        (Stringency.MODERATE, True),
        (Stringency.HIGH, False),
        (Stringency.LOW, False),
    ]
    for stringency, tolerate in settings:
        timings, found, candidates = [], 0, []
        for _label, expected, query in queries:
            if stringency is Stringency.HIGH and query.kind is ProfileKind.STAIN:
                continue  # high stringency needs identical alleles: not for partial/mixed stains
            ms, hits = timed(
                lambda query=query, s=stringency, t=tolerate, db=index: db.search(
                    query, stringency=s, allow_mismatch=t, frequencies=frequencies, min_loci=8, limit=50
                ),
                repeat=7,
            )
            timings.append(ms)
            assert isinstance(hits, list)
            candidates.append(len(hits))
            found += bool(hits) and hits[0].id in expected
        print(
            f"  {stringency.value:8s} mismatch={int(tolerate)}: median {statistics.median(timings):.1f} ms,"
            f" max {max(timings):.1f} ms over {len(timings)} queries;"
            f" a true source ranked first {found}/{len(timings)};"
            f" candidates per query {min(candidates)}-{max(candidates)}"
        )
    _label, _expected, query = queries[0]
    hits = index.search(query, stringency=Stringency.MODERATE, frequencies=frequencies)
    print(f"  example: {_label} -> {hits[0].id}, log10 LR {hits[0].statistics.log10_lr:.1f}" if hits else "")  # type: ignore[union-attr]
    started = time.perf_counter()
    blob = index.to_bytes()
    restored = DirectSearchIndex.from_bytes(blob)
    print(
        f"  serialised to {len(blob) / 1e6:.0f} MB and restored in {time.perf_counter() - started:.1f} s"
        f" ({len(restored):,} profiles)"
    )
    del index, restored, blob

    founders = [{locus: p.loci[locus] for locus in CODIS_CORE_20 if locus in p.loci} for p in people]
    families = FamilyIndex(frequencies)
    truth: list[Genotypes] = []
    # Founders (1036 NIST people) are reused across families, so two families can be truly
    # related; ranks below only count families that share no founder with the true one.
    founder_sets: list[set[int]] = []
    started = time.perf_counter()
    for k in range(args.families):
        relatives, missing, used = simulate_family(founders, k % len(SHAPES), rng)
        families.add(f"FAM-{k}", relatives)
        truth.append(missing)
        founder_sets.append(used)
    build = time.perf_counter() - started
    print(
        f"\nKINSHIP SEARCH: {len(families):,} simulated families ({', '.join(SHAPES)}),"
        f" enrolled in {build:.1f} s"
    )
    sample = rng.choice(args.families, size=min(30, args.families), replace=False).tolist()
    timings, rank_one = [], {shape: [0, 0] for shape in SHAPES}
    true_lrs: dict[str, list[float]] = {shape: [] for shape in SHAPES}
    for k in sample:
        query = Profile.from_mapping(truth[k], kind=ProfileKind.UNIDENTIFIED_REMAINS)
        ms, hits = timed(lambda query=query: families.search(query, limit=None), repeat=1)
        timings.append(ms)
        assert isinstance(hits, list)
        shape = SHAPES[k % len(SHAPES)]
        unrelated_hits = [h for h in hits if not founder_sets[int(h.family_id[4:])] & founder_sets[k]]
        true_lr = next(h.lr for h in hits if h.family_id == f"FAM-{k}")
        rank_one[shape][1] += 1
        rank_one[shape][0] += all(h.lr < true_lr for h in unrelated_hits)
        true_lrs[shape].append(next(h.log10_lr for h in hits if h.family_id == f"FAM-{k}"))
    print(f"  search time: median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms per query")
    for shape in SHAPES:
        good, total = rank_one[shape]
        lrs = [x for x in true_lrs[shape] if x == x]
        median_lr = f"{statistics.median(lrs):.1f}" if lrs else "n/a (not in top 10)"
        print(
            f"  {shape:18s}: true family above every unrelated family {good}/{total};"
            f" its median log10 LR {median_lr}"
        )
    unrelated = []
    for k in rng.choice(len(people), size=10, replace=False).tolist():
        query = Profile.from_mapping(founders[k], kind=ProfileKind.UNIDENTIFIED_REMAINS)
        # Skip families in which this person is a founder (they are truly related).
        top = [h for h in families.search(query, limit=None) if k not in founder_sets[int(h.family_id[4:])]]
        unrelated.append(top[0].log10_lr)
    print(
        f"  10 NIST profiles vs families they are not part of: best family log10 LR"
        f" median {statistics.median(unrelated):.1f}, max {max(unrelated):.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
