"""Solve the simulated ICMP disaster case (dvir example data) with the PeaceLink pedigree LRs.

Data (GPL-3, simulated genotypes): ../shared/data/dna/dvir_examples/icmp - 5 victims (V1-V5),
one reference pedigree with 6 typed relatives and 12 missing persons (M1-M12), 13 CODIS loci.

Method (joint identification):
1. for a victim V and a missing person M of the same sex, LR(V = M) = P(G_M = v | family) / P(v)
   with the pedigree engine (stepwise mutation, rate 0.002);
2. the joint LR of a set of identifications is the product of such LRs, each computed with the
   earlier victims placed into the pedigree (chain rule); a beam search (default width 10) over
   growing sets keeps the best partial solutions and returns the best joint solution;
3. each identification is weighed by the joint LR with it over the joint LR without it, and
   accepted when that is at least the threshold (default 10^4).
Missing persons whose swap gives the same joint LR (e.g. two brothers with the same typed
relatives) are reported as ties: the data cannot tell them apart.

The result is compared with true_solution.csv. Run: python benchmarks/dna_dvi_icmp.py
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from pathlib import Path

from machine import machine
from peacelink.matching.dna import (
    FrequencyTable,
    Member,
    Pedigree,
    parse_alleles,
    predict_genotype,
    read_frequency_file,
)
from peacelink.matching.dna.kinship import DEFAULT_MUTATION_RATE
from peacelink.matching.dna.loci import normalise_locus

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dna"


Assignment = tuple[tuple[str, str], ...]


def read_case(
    folder: Path,
) -> tuple[Pedigree, dict[str, str], dict[str, dict[str, tuple[str, ...]]], dict[str, str]]:
    """Return the reference pedigree, victim sexes, victim genotypes and missing persons' sexes."""
    genotypes: dict[str, dict[str, tuple[str, ...]]] = {}
    with (folder / "genotypes.csv").open() as handle:
        for row in csv.DictReader(handle):
            locus = normalise_locus(row["marker"])
            alleles = parse_alleles([row["allele1"], row["allele2"]], locus=locus)
            genotypes.setdefault(row["id"], {})[locus] = alleles
    members: list[Member] = []
    victims: dict[str, str] = {}
    missing: dict[str, str] = {}
    with (folder / "pedigree.csv").open() as handle:
        for row in csv.DictReader(handle):
            if row["data"] == "pm":
                victims[row["id"]] = row["sex"]
                continue
            members.append(
                Member(
                    row["id"],
                    row["father"] or None,
                    row["mother"] or None,
                    row["sex"],
                    genotypes.get(row["id"]),
                )
            )
            if row["is_missing_person"] == "true":
                missing[row["id"]] = row["sex"]
    victim_genotypes = {v: genotypes[v] for v in victims}
    return Pedigree(tuple(members)), victims, victim_genotypes, missing


def lr_table(
    pedigree: Pedigree,
    victims: dict[str, dict[str, tuple[str, ...]]],
    candidates: dict[str, list[str]],
    frequencies: FrequencyTable,
    mutation_rate: float,
) -> dict[tuple[str, str], float]:
    """Return LR(V = M) for every allowed (victim, missing person) pair."""
    table: dict[tuple[str, str], float] = {}
    needed = {m for ms in candidates.values() for m in ms}
    for missing_id in sorted(needed):
        predictions = {
            locus: predict_genotype(
                pedigree, missing_id, locus, frequencies.loci[locus], mutation_rate=mutation_rate
            )
            for locus in frequencies.loci
        }
        for victim, ms in candidates.items():
            if missing_id in ms:
                genotypes = victims[victim]
                table[victim, missing_id] = math.prod(
                    predictions[locus].lr(genotypes[locus]) for locus in predictions if locus in genotypes
                )
    return table


def main() -> int:
    """Run the sequential DVI and print the comparison with the true solution."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--threshold", type=float, default=1e4, help="LR needed to accept an identification")
    parser.add_argument("--mutation-rate", type=float, default=DEFAULT_MUTATION_RATE)
    parser.add_argument("--beam", type=int, default=10, help="partial assignments kept per depth")
    args = parser.parse_args()
    folder = args.data_dir / "dvir_examples" / "icmp"
    started = time.perf_counter()
    pedigree, victim_sex, victims, missing = read_case(folder)
    frequencies = read_frequency_file(folder / "allele_freqs.csv")
    truth = {}
    with (folder / "true_solution.csv").open() as handle:
        truth = {row["victim"]: row["missing_person"] for row in csv.DictReader(handle)}
    print(f"machine: {machine()}")
    print(f"case: {len(victims)} victims, {len(missing)} missing persons, {len(frequencies.loci)} loci")

    remaining = {v: [m for m, s in missing.items() if s == victim_sex[v]] for v in victims}
    first = lr_table(pedigree, victims, remaining, frequencies, args.mutation_rate)
    print("\npairwise log10 LR (before any identification; same-sex pairs only):")
    for victim in sorted(victims):
        row = sorted(((m, lr) for (v, m), lr in first.items() if v == victim), key=lambda x: -x[1])
        shown = ", ".join(f"{m}={math.log10(lr):.2f}" if lr > 0 else f"{m}=-inf" for m, lr in row[:4])
        print(f"  {victim} (truth {truth.get(victim)}): {shown}")

    # Beam search over joint assignments: the joint LR of a set of (victim, missing) pairs is
    # the product of conditional LRs (chain rule), each computed with the earlier victims
    # placed into the pedigree. Keep the `beam` best partial assignments at each depth.
    beam: list[tuple[float, Assignment, Pedigree]] = [(0.0, (), pedigree)]
    best: tuple[float, Assignment] = (0.0, ())
    seen: set[frozenset[tuple[str, str]]] = set()
    for _depth in range(len(victims)):
        children: list[tuple[float, Assignment, Pedigree]] = []
        for log_lr, pairs, placed in beam:
            used_v = {v for v, _ in pairs}
            used_m = {m for _, m in pairs}
            allowed = {
                v: [m for m in ms if m not in used_m] for v, ms in remaining.items() if v not in used_v
            }
            for (victim, missing_id), lr in lr_table(
                placed, victims, allowed, frequencies, args.mutation_rate
            ).items():
                if lr <= 0:
                    continue
                key = frozenset((*pairs, (victim, missing_id)))
                if key in seen:
                    continue
                seen.add(key)
                new_pairs = tuple(sorted(key))
                children.append(
                    (log_lr + math.log10(lr), new_pairs, placed.with_genotypes(missing_id, victims[victim]))
                )
        if not children:
            break
        children.sort(key=lambda child: -child[0])
        beam = children[: args.beam]
        if beam[0][0] > best[0]:
            best = (beam[0][0], beam[0][1])

    def joint_log_lr(pairs: Assignment) -> float:
        placed, total = pedigree, 0.0
        for victim, missing_id in pairs:
            lr = lr_table(placed, victims, {victim: [missing_id]}, frequencies, args.mutation_rate)[
                victim, missing_id
            ]
            if lr <= 0:
                return -math.inf
            total += math.log10(lr)
            placed = placed.with_genotypes(missing_id, victims[victim])
        return total

    best_log, best_pairs = best
    elapsed = time.perf_counter() - started
    print(f"\njoint solution (beam search, width {args.beam}): joint log10 LR {best_log:.2f}")
    exact = equivalent = 0
    solution = dict(best_pairs)
    for victim in sorted(victims):
        expected = truth.get(victim)
        if victim not in solution:
            print(f"  {victim}: not identified (truth {expected})")
            continue
        missing_id = solution[victim]
        others = tuple(p for p in best_pairs if p[0] != victim)
        # Weight of this identification: joint LR with it / best joint LR without it.
        support = best_log - joint_log_lr(others)
        ties = []
        for alternative in remaining[victim]:
            if alternative == missing_id or alternative in solution.values():
                continue
            swapped = tuple(sorted((*others, (victim, alternative))))
            # Within 0.01 in log10 (2 %): the lumping of unseen alleles and the non-stationary
            # mutation model make exactly symmetric swaps differ in the last digits only.
            if abs(joint_log_lr(swapped) - best_log) < 0.01:
                ties.append(alternative)
        ok = missing_id == expected
        tie_ok = ok or expected in ties
        exact += ok
        equivalent += tie_ok
        tie_text = f"; equally likely: {', '.join(ties)}" if ties else ""
        verdict = "correct" if ok else ("equivalent (tied)" if tie_ok else "WRONG")
        accepted = "accepted" if support >= math.log10(args.threshold) else "below threshold"
        print(
            f"  {victim} = {missing_id}  log10 LR given the others {support:.2f} ({accepted}){tie_text}"
            f"  truth {expected}: {verdict}"
        )
    print(
        f"\nresult: {exact}/{len(truth)} exactly as true_solution.csv, {equivalent}/{len(truth)} up to ties"
    )
    print(f"time: {elapsed:.2f} s (whole run {time.perf_counter() - started:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
