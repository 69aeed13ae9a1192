"""German, Polish and caron spellings of Cyrillic names against their other Latin spellings (the readings of
``german_reading`` and ``slavic_reading``, docs/names.md).

Data: the Russian token dictionary of ../shared/data/names/wikidata_transliteration_coling2018 (wd_russian_80
and wd_russian_20: a Latin spelling, a Cyrillic token, a count; the Latin spellings are Wikidata labels in
many languages: German, Polish, Czech, Croatian ones among them, with their diacritics). Each Latin spelling,
as a one-part name, is of the kind of the reading it gets ("german", "polish", "caron"), or of none. For every
Cyrillic token, its spellings of a kind are paired with its spellings of none (English, French...), and each
pair is scored as two two-part names with the same given name, Ivan (which shows no sign of those spellings),
with and without the readings: what a surname adds to a full name.

Reported, per kind:
* same token: the share of pairs scored >= HIT_THRESHOLD and >= NEAR (0.8), with / without (every pair is a
  candidate, >= CANDIDATE_THRESHOLD, through the given name);
* other tokens: each spelling of the kind against ``--impostors`` spellings of other tokens drawn at random,
  the share scored >= HIT_THRESHOLD and >= NEAR, with / without (what the readings add in false meetings);
then how many Latin spellings of the Arabic dictionary (as one-part names) and names of the UN list (as given)
get a reading: what the readings cost in stored names elsewhere.

Run: python benchmarks/slavic_spellings.py [--data ../shared/data/names] [--impostors 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import defaultdict
from pathlib import Path

from machine import machine
from peacelink.matching.names import HIT_THRESHOLD, PersonCandidate, PersonQuery, Scorer, parts

# A second threshold below the hit: with the given name shared, every pair is a candidate (>= 0.5).
NEAR = 0.8
KINDS = ("german", "polish", "caron")
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "names"


def _tokens(path: Path) -> list[tuple[str, str]]:
    """(Latin spelling, original token) of a dictionary file: ``latin<TAB>letters spaced<TAB>count``."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2 and fields[0].isalpha() and parts.script_of(fields[0]) == "LATIN":
                out.append((fields[0], fields[1].replace(" ", "")))
    return out


def _kind(spelling: str) -> str:
    """The kind of reading a spelling gets as a one-part name, or ""."""
    return next((n.reading for n in parts.prepare([spelling]).names if n.reading in KINDS), "")


def _score(query: str, candidate: str) -> float:
    given = "Ivan "
    return Scorer(PersonQuery(names=[given + query])).score(PersonCandidate(names=[given + candidate])).score


def _scores(pairs: list[tuple[str, str]], *, reading: bool) -> list[float]:
    """Scores of the pairs, with the readings or without them (patched out of ``parts.with_readings``)."""
    saved = parts.german_readings, parts.polish_reading, parts.caron_reading
    if not reading:
        parts.german_readings = lambda _parts: ()  # type: ignore[assignment]
        parts.polish_reading = lambda _original, _parts=None: None  # type: ignore[assignment]
        parts.caron_reading = lambda _original: None  # type: ignore[assignment]
    try:
        return [_score(a, b) for a, b in pairs]
    finally:
        parts.german_readings, parts.polish_reading, parts.caron_reading = saved


def _share(scores: list[float], threshold: float) -> str:
    return f"{sum(s >= threshold for s in scores) / max(len(scores), 1):.4f}"


def _report(pairs: list[tuple[str, str]]) -> None:
    """Print the shares of the pairs scored at a hit and at NEAR, without and with the readings."""
    for reading in (False, True):
        scores = _scores(pairs, reading=reading)
        label = "with the readings   " if reading else "without the readings"
        print(
            f"    {label}: >= {HIT_THRESHOLD} {_share(scores, HIT_THRESHOLD)}  "
            f">= {NEAR} {_share(scores, NEAR)}  mean {sum(scores) / max(len(scores), 1):.3f}"
        )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--impostors", type=int, default=20, help="other tokens' spellings per read one")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print("machine:", machine())
    started = time.perf_counter()
    folder = args.data / "wikidata_transliteration_coling2018"
    russian = _tokens(folder / "wd_russian_80") + _tokens(folder / "wd_russian_20")
    spellings: dict[str, set[str]] = defaultdict(set)
    owner: dict[str, set[str]] = defaultdict(set)
    for latin, token in russian:
        spellings[token].add(latin)
        owner[latin].add(token)
    kind_of = {latin: _kind(latin) for latin in owner}
    tokens = sorted(spellings)
    print(f"Russian dictionary: {len(tokens)} Cyrillic tokens, {len(kind_of)} Latin spellings")
    rng = random.Random(args.seed)
    for kind in KINDS:
        same = [
            (read, other)
            for latins in spellings.values()
            for read in sorted(s for s in latins if kind_of[s] == kind)
            for other in sorted(s for s in latins if not kind_of[s])
        ]
        impostors: list[tuple[str, str]] = []
        for read in sorted({read for read, _ in same}):
            for _ in range(args.impostors):
                token = rng.choice(tokens)
                if token not in owner[read]:
                    impostors.append((read, rng.choice(sorted(spellings[token]))))
        count = sum(k == kind for k in kind_of.values())
        print(f"{kind}: {count} spellings read so ({count / len(kind_of):.2%})")
        print(f"  same token: {len(same)} pairs (a spelling read so, an unread spelling of the same token)")
        _report(same)
        print(f"  other tokens: {len(impostors)} pairs (a spelling read so, a spelling of another token)")
        _report(impostors)
    arabic = {latin for latin, _ in _tokens(folder / "wd_arabic.normalized.aligned.tokens")}
    read = sorted(a for a in arabic if _kind(a))
    print(
        f"Arabic dictionary: {len(arabic)} Latin spellings, {len(read)} read "
        f"({len(read) / max(len(arabic), 1):.2%}), e.g. {read[:8]}"
    )
    listed = args.data / "un_sc_consolidated_2018-10-29" / "name_variants.csv"
    with listed.open(newline="", encoding="utf-8") as handle:
        names = [row["variant"] for row in csv.DictReader(handle) if row["variant"].strip()]
    read_names = [n for n in names if any(p.reading in KINDS for p in parts.prepare([n]).names)]
    print(
        f"UN list: {len(names)} names, {len(read_names)} read ({len(read_names) / max(len(names), 1):.2%}), "
        f"e.g. {read_names[:6]}"
    )
    print(f"total run time {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
