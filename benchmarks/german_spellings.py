"""German spellings of Cyrillic names against their other Latin spellings (the German reading, docs/names.md).

Data: the Russian token dictionary of ../shared/data/names/wikidata_transliteration_coling2018 (wd_russian_80
and wd_russian_20: a Latin spelling, a Cyrillic token, a count; the Latin spellings are Wikidata labels in
many languages, German ones among them). For every Cyrillic token, its Latin spellings that show the German
rules (``german_reading._signs``, on the spelling as a one-part name) are paired with its other spellings
(English, French, Polish...), and each pair is scored as two two-part names with the same given name, Ivan
(which shows none of those rules), with and without the reading: what a surname adds to a full name.

Reported:
* same token: the share of pairs scored >= HIT_THRESHOLD and >= NEAR (0.8), with / without (every pair is a
  candidate, >= CANDIDATE_THRESHOLD, through the given name);
* other tokens: each German spelling against ``--impostors`` spellings of other tokens drawn at random, the
  share scored >= HIT_THRESHOLD and >= NEAR, with / without (what the reading adds in false meetings);
* how many Latin spellings show the German rules among the Russian dictionary's and the Arabic dictionary's
  (as one-part names) and among the names of the UN list (as given): what the reading costs in stored names.

Run: python benchmarks/german_spellings.py [--data ../shared/data/names] [--impostors 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import defaultdict
from pathlib import Path

from machine import machine
from peacelink.matching.names import (
    HIT_THRESHOLD,
    PersonCandidate,
    PersonQuery,
    Scorer,
    german_reading,
    parts,
)
from peacelink.matching.names.normalisation import normalise

# A second threshold below the hit: with the given name shared, every pair is a candidate (>= 0.5).
NEAR = 0.8
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "names"


def _tokens(path: Path) -> list[tuple[str, str]]:
    """(Latin spelling, original token) of a dictionary file: ``latin<TAB>letters spaced<TAB>count``."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2 and fields[0].isalpha() and fields[0].isascii():
                out.append((fields[0], fields[1].replace(" ", "")))
    return out


def _german(spelling: str) -> bool:
    return bool(german_reading.german_readings(tuple(normalise(spelling))))


def _score(query: str, candidate: str) -> float:
    given = "Ivan "
    return Scorer(PersonQuery(names=[given + query])).score(PersonCandidate(names=[given + candidate])).score


def _scores(pairs: list[tuple[str, str]], *, reading: bool) -> list[float]:
    """Scores of the pairs, with the German reading or without it (patched out, its cache cleared)."""
    saved = parts.german_readings
    if not reading:
        parts.german_readings = lambda _parts: ()  # type: ignore[assignment]
    try:
        return [_score(a, b) for a, b in pairs]
    finally:
        parts.german_readings = saved


def _share(scores: list[float], threshold: float) -> str:
    return f"{sum(s >= threshold for s in scores) / max(len(scores), 1):.4f}"


def _report(pairs: list[tuple[str, str]]) -> None:
    """Print the shares of the pairs scored at a hit and at NEAR, without and with the reading."""
    for reading in (False, True):
        scores = _scores(pairs, reading=reading)
        label = "with the reading   " if reading else "without the reading"
        print(
            f"  {label}: >= {HIT_THRESHOLD} {_share(scores, HIT_THRESHOLD)}  "
            f">= {NEAR} {_share(scores, NEAR)}  mean {sum(scores) / max(len(scores), 1):.3f}"
        )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--impostors", type=int, default=20, help="other tokens' spellings per German one")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print("machine:", machine())
    started = time.perf_counter()
    folder = args.data / "wikidata_transliteration_coling2018"
    russian = _tokens(folder / "wd_russian_80") + _tokens(folder / "wd_russian_20")
    spellings: dict[str, set[str]] = defaultdict(set)
    for latin, token in russian:
        spellings[token].add(latin)
    german_of = {latin: _german(latin) for latin in {latin for latin, _ in russian}}
    same: list[tuple[str, str]] = []
    for latins in spellings.values():
        german = sorted(s for s in latins if german_of[s])
        other = sorted(s for s in latins if not german_of[s])
        same.extend((g, o) for g in german for o in other)
    rng = random.Random(args.seed)
    tokens = sorted(spellings)
    owner = defaultdict(set)
    for latin, token in russian:
        owner[latin].add(token)
    impostors: list[tuple[str, str]] = []
    for g in sorted({g for g, _ in same}):
        for _ in range(args.impostors):
            token = rng.choice(tokens)
            if token in owner[g]:
                continue
            impostors.append((g, rng.choice(sorted(spellings[token]))))
    print(
        f"Russian dictionary: {len(tokens)} Cyrillic tokens, {len(german_of)} Latin spellings, "
        f"{sum(german_of.values())} of them German by the rules "
        f"({sum(german_of.values()) / len(german_of):.2%})"
    )
    print(f"same token: {len(same)} pairs (German spelling, another spelling of the same token)")
    _report(same)
    print(f"other tokens: {len(impostors)} pairs (German spelling, a spelling of another token)")
    _report(impostors)
    arabic = {latin for latin, _ in _tokens(folder / "wd_arabic.normalized.aligned.tokens")}
    read = sorted(a for a in arabic if _german(a))
    print(
        f"Arabic dictionary: {len(arabic)} Latin spellings, {len(read)} read the German way "
        f"({len(read) / max(len(arabic), 1):.2%}), e.g. {read[:8]}"
    )
    listed = args.data / "un_sc_consolidated_2018-10-29" / "name_variants.csv"
    with listed.open(newline="", encoding="utf-8") as handle:
        names = [row["variant"] for row in csv.DictReader(handle) if row["variant"].strip()]
    read_names = [n for n in names if any(p.reading == "german" for p in parts.prepare([n]).names)]
    print(
        f"UN list: {len(names)} names, {len(read_names)} read the German way "
        f"({len(read_names) / max(len(names), 1):.2%}), e.g. {read_names[:6]}"
    )
    print(f"total run time {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
