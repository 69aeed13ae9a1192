"""Accuracy and speed of cross-script person-name matching on the UN sanctions-list name variants.

Protocol (see docs/names.md):
* persons = the individuals of ../shared/data/names/un_sc_consolidated_2018-10-29/name_variants.csv;
  a seeded 10% of them is held out of the index entirely (they give the "absent person" queries);
* crowd = N synthetic persons whose 2-4 name parts are drawn from part-frequency tables (Latin parts of
  the UN variants, and the Latin side of the Wikidata Arabic and Russian transliteration dictionaries),
  with random dates of birth, nationality and sex;
* every variant v of an indexed person is a query; for that query the person's names that normalise to
  the same parts as v are removed from the index (v is never found verbatim or as a case/punctuation
  copy), and the person must be found through its other names;
* retrieval goes only through blocking keys (an in-memory inverted index standing in for the DB table);
  then every candidate is scored and ranked. A person not retrieved counts as a miss.

Run: python benchmarks/names_accuracy.py [--crowd 200000] [--data PATH] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from peacelink.matching.names import (
    CANDIDATE_THRESHOLD,
    HIT_THRESHOLD,
    PersonCandidate,
    PersonQuery,
    PreparedNames,
    Scorer,
    prepare,
    prepared_blocking_keys,
    prepared_query_keys,
)

Ranked = list[tuple[float, int]]
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "names"


@dataclass
class Listed:
    """A listed individual with its name variants."""

    ref: str
    variants: list[tuple[str, str]]  # (variant_type, text)
    dobs: list[str]
    nationalities: list[str]
    prepared: PreparedNames = field(init=False)

    def __post_init__(self) -> None:
        self.prepared = prepare([t for _, t in self.variants])


def machine() -> str:
    """CPU count, CPU model and Python version."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"cpus={os.cpu_count()} model={model!r} python={platform.python_version()}"


def load_listed(path: Path) -> list[Listed]:
    """Read the individuals of name_variants.csv grouped by reference number."""
    groups: dict[str, Listed] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] != "individual" or not row["variant"].strip():
                continue
            ref = row["reference_number"]
            if ref not in groups:
                dobs = [d.strip() for d in row["dob"].split(";") if d.strip()]
                nats = [n.strip() for n in row["nationality"].split(";") if n.strip()]
                groups[ref] = Listed(ref, [], dobs, nats)
            groups[ref].variants.append((row["variant_type"], row["variant"]))
    for person in groups.values():
        person.__post_init__()
    return list(groups.values())


def part_tables(listed: list[Listed], data: Path) -> tuple[list[str], list[float], list[str], list[float]]:
    """Name-part frequency tables: (Arabic/Afghan/other UN-style parts, Russian-dictionary parts)."""
    arabic: Counter[str] = Counter()
    for person in listed:
        for vtype, text in person.variants:
            if vtype != "original_script":
                for token in text.replace("-", " ").split():
                    if len(token) > 1 and token.isalpha():
                        arabic[token.capitalize()] += 3
    translit = data / "wikidata_transliteration_coling2018"
    with (translit / "wd_arabic.normalized.aligned.tokens").open(encoding="utf-8") as handle:
        for line in handle:
            latin, _, count = line.rstrip("\n").split("\t")
            if latin.isalpha() and len(latin) > 1:
                arabic[latin.capitalize()] += int(count)
    russian: Counter[str] = Counter()
    for name in ("wd_russian_80", "wd_russian_20"):
        with (translit / name).open(encoding="utf-8") as handle:
            for line in handle:
                latin, _, count = line.rstrip("\n").split("\t")
                if latin.isalpha() and len(latin) > 1:
                    russian[latin.capitalize()] += int(count)
    a_items, r_items = list(arabic.items()), list(russian.items())
    return (
        [t for t, _ in a_items],
        [float(c) for _, c in a_items],
        [t for t, _ in r_items],
        [float(c) for _, c in r_items],
    )


def random_dob(rng: random.Random) -> str:
    """A random date of birth at a random precision."""
    year = rng.randint(1940, 2002)
    roll = rng.random()
    if roll < 0.3:
        return f"{year}"
    if roll < 0.4:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def make_crowd(n: int, listed: list[Listed], data: Path, rng: random.Random) -> list[PersonCandidate]:
    """Synthetic persons drawn from the part-frequency tables."""
    a_tokens, a_weights, r_tokens, r_weights = part_tables(listed, data)
    a_cum = list(_cumulative(a_weights))
    r_cum = list(_cumulative(r_weights))
    nat_pool = [n for p in listed for n in p.nationalities] or ["XXX"]
    crowd: list[PersonCandidate] = []
    for index in range(n):
        size = rng.choices((2, 3, 4), weights=(0.35, 0.4, 0.25))[0]
        if rng.random() < 0.75:
            parts = rng.choices(a_tokens, cum_weights=a_cum, k=size)
        else:
            parts = rng.choices(r_tokens, cum_weights=r_cum, k=size)
        crowd.append(
            PersonCandidate(
                names=[" ".join(parts)],
                dates_of_birth=[random_dob(rng)],
                nationalities=[rng.choice(nat_pool)],
                sex=rng.choice("MMMF"),
                id=f"crowd-{index}",
            )
        )
    return crowd


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for w in weights:
        total += w
        out.append(total)
    return out


def quantile(values: list[float], q: float) -> float:
    """Simple empirical quantile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--crowd", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--holdout", type=float, default=0.10)
    args = parser.parse_args()

    print("machine:", machine())
    rng = random.Random(args.seed)
    started = time.perf_counter()
    listed = load_listed(args.data / "un_sc_consolidated_2018-10-29" / "name_variants.csv")
    rng.shuffle(listed)
    n_out = round(len(listed) * args.holdout)
    absent, indexed = listed[:n_out], listed[n_out:]
    crowd = make_crowd(args.crowd, listed, args.data, rng)
    print(
        f"listed individuals: {len(listed)} (indexed {len(indexed)}, held out {len(absent)}); "
        f"crowd {len(crowd)}"
    )

    # The blocking-key table: key -> person numbers. Listed persons come first.
    t0 = time.perf_counter()
    people: list[PersonCandidate] = [
        PersonCandidate(
            names=[t for _, t in p.variants],
            dates_of_birth=p.dobs,
            nationalities=p.nationalities,
            id=p.ref,
            prepared=p.prepared,
        )
        for p in indexed
    ] + crowd
    index: dict[str, list[int]] = defaultdict(list)
    rows = 0
    for number, record in enumerate(people):
        assert record.prepared is not None
        for key in prepared_blocking_keys(record.prepared):
            index[key].append(number)
            rows += 1
    posting_sizes = sorted((len(v) for v in index.values()), reverse=True)
    print(
        f"index: {len(people)} persons, {len(index)} distinct keys, {rows} key rows "
        f"({rows / len(people):.1f}/person), largest postings {posting_sizes[:5]}, "
        f"built in {time.perf_counter() - t0:.1f}s (incl. prepare of crowd: {t0 - started:.1f}s before)"
    )

    def run(
        query: PersonQuery, own: int | None, own_prepared: PreparedNames | None
    ) -> tuple[int, Ranked, float]:
        """Retrieve and score; return (candidate count, ranked (score, number), scoring seconds)."""
        keys = prepared_query_keys(query.prepared)
        found: set[int] = set()
        for key in keys:
            found.update(index.get(key, ()))
        if own is not None and own in found:
            assert own_prepared is not None
            # The person's own postings from the excluded names do not exist in this query's index.
            if not (prepared_blocking_keys(own_prepared) & keys):
                found.discard(own)
        scorer = Scorer(query)
        t = time.perf_counter()
        ranked: Ranked = []
        for number in found:
            candidate = people[number]
            if number == own:
                candidate = PersonCandidate(
                    names=[],
                    dates_of_birth=candidate.dates_of_birth,
                    nationalities=candidate.nationalities,
                    prepared=own_prepared,
                )
            ranked.append((scorer.score(candidate).score, number))
        elapsed = time.perf_counter() - t
        ranked.sort(key=lambda r: -r[0])
        return len(found), ranked, elapsed

    for with_facts in (False, True):
        label = "name + DOB + nationality" if with_facts else "name only"
        stats: dict[str, list[float]] = defaultdict(list)
        by_type: dict[str, list[int]] = defaultdict(list)
        true_scores: list[float] = []
        impostor_best: list[float] = []
        score_time = 0.0
        scored = 0
        t_queries = time.perf_counter()
        queries = 0
        for number, person in enumerate(indexed):
            normal = {tuple(p.text for p in n.parts): n for n in person.prepared.names}
            if len(normal) < 2:
                continue
            for vtype, text in person.variants:
                qprep = prepare([text])
                if not qprep.names:
                    continue
                qparts = tuple(p.text for p in qprep.names[0].parts)
                remaining = PreparedNames(tuple(n for k, n in normal.items() if k != qparts))
                query = PersonQuery(
                    names=[text],
                    dates_of_birth=person.dobs if with_facts else (),
                    nationalities=person.nationalities if with_facts else (),
                )
                count, ranked, elapsed = run(query, number, remaining)
                queries += 1
                score_time += elapsed
                scored += count
                stats["candidates"].append(count)
                rank = next((i + 1 for i, (_, n) in enumerate(ranked) if n == number), None)
                own_score = next((s for s, n in ranked if n == number), 0.0)
                if rank is not None:
                    # Ties count against us: rank after every other person with the same score.
                    rank = sum(1 for s, n in ranked if n != number and s >= own_score) + 1
                true_scores.append(own_score)
                impostor_best.append(max((s for s, n in ranked if n != number), default=0.0))
                stats["retrieved"].append(rank is not None)
                stats["r1"].append(rank == 1)
                stats["r10"].append(rank is not None and rank <= 10)
                stats["crowd_hit"].append(any(s >= HIT_THRESHOLD for s, n in ranked if n >= len(indexed)))
                by_type[vtype].append(rank is not None and rank <= 10)
        wall = time.perf_counter() - t_queries
        # Absent persons: every variant of a held-out person, nothing of theirs is indexed.
        absent_best: list[float] = []
        for person in absent:
            for _, text in person.variants:
                query = PersonQuery(
                    names=[text],
                    dates_of_birth=person.dobs if with_facts else (),
                    nationalities=person.nationalities if with_facts else (),
                )
                if not query.prepared.names:
                    continue
                _, ranked, _ = run(query, None, None)
                absent_best.append(ranked[0][0] if ranked else 0.0)
        cands = stats["candidates"]
        print(f"\n== {label}: {queries} present queries, {len(absent_best)} absent queries")
        print(
            f"recall@1 {statistics.mean(stats['r1']):.4f}  recall@10 {statistics.mean(stats['r10']):.4f}  "
            f"retrieved by keys {statistics.mean(stats['retrieved']):.4f}"
        )
        print(
            f"candidate set: mean {statistics.mean(cands):.1f} median {quantile(cands, 0.5):.0f} "
            f"p95 {quantile(cands, 0.95):.0f} max {max(cands):.0f}"
        )
        print(
            f"false-hit rate at HIT_THRESHOLD={HIT_THRESHOLD}: absent-person queries "
            f"{sum(s >= HIT_THRESHOLD for s in absent_best) / len(absent_best):.4f}; "
            f"present queries with a crowd member >= threshold {statistics.mean(stats['crowd_hit']):.4f}"
        )
        print(
            f"true person >= HIT_THRESHOLD "
            f"{sum(s >= HIT_THRESHOLD for s in true_scores) / len(true_scores):.4f}, "
            f">= CANDIDATE_THRESHOLD={CANDIDATE_THRESHOLD} "
            f"{sum(s >= CANDIDATE_THRESHOLD for s in true_scores) / len(true_scores):.4f}"
        )
        print(
            "recall@10 by variant type:",
            {k: f"{sum(v) / len(v):.3f} (n={len(v)})" for k, v in by_type.items()},
        )
        print("threshold sweep (t: true person >= t | absent query best >= t | present query impostor >= t):")
        for t in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
            print(
                f"  {t:.2f}: {sum(s >= t for s in true_scores) / len(true_scores):.4f} | "
                f"{sum(s >= t for s in absent_best) / len(absent_best):.4f} | "
                f"{sum(s >= t for s in impostor_best) / len(impostor_best):.4f}"
            )
        print(
            f"speed: {queries / wall:.1f} queries/s single core (keys + lookup + scoring); "
            f"{1e6 * score_time / max(scored, 1):.1f} us per scored candidate"
        )
    print(f"\ntotal run time {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
