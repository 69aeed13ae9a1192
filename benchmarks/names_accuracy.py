"""Accuracy and speed of cross-script person-name matching on the UN sanctions-list name variants.

Protocol (see docs/names.md):
* persons = the individuals of ../shared/data/names/un_sc_consolidated_2018-10-29/name_variants.csv;
  a seeded 10% of them is held out of the index entirely (they give the "absent person" queries);
* crowd = N synthetic persons (``make_crowd``): 2-4 name parts drawn by frequency from the Wikidata Arabic
  (75%) or Russian (25%) transliteration dictionaries, each part rendered in the original script or in
  one of its attested Latin spellings, mixed with UN-list Latin parts; 40% of them carry a second
  rendering of the same name (another spelling or script), as real records do;
* leave-one-variant-out: every variant v of an indexed person is a query; for that query the person's
  names that normalise to the same parts as v are removed from the index (v is never found verbatim or
  as a case/punctuation copy) and the person must be found through its other names. Recall is reported
  overall, by variant type, and on the "findable by names" subset (v shares a name part, by normalised
  text or consonant skeleton, with a remaining name) - the overall figure stays the headline;
* retrieval goes only through blocking keys (an in-memory inverted index standing in for the DB table)
  with the frequency-aware look-up and IDF shortlist of ``blocking``, plus the fact keys (full date of
  birth x nationality) and the year keys (name part x year of birth) in the "name + DOB + nationality"
  pass; then the shortlist is scored and ranked as the database look-up does it (``--shortlist``
  persons, of which the first ``--head`` are scored and the rest only when their date of birth agrees
  with the query's, or, for a record without one, a nationality does: ``blocking.scored_positions``).
  A person not retrieved counts as a miss; ties count against the true person;
* the headline is ``shown@10``, what an officer sees: the true person among the top 10 *and* scored at
  or above CANDIDATE_THRESHOLD; recall@1/10/50 by rank alone are printed beside it, as are the number of
  other persons shown per query and how many of them are facts leads (same DOB + nationality only).

Run: python benchmarks/names_accuracy.py [--crowd 200000] [--seed 7] [--name-only | --facts-only]
(NAMES_BENCH_MISSES=1 lists the findable queries whose true person is not shown: rank > 10 or score too low;
NAMES_BENCH_FALSE_HITS=1 lists the absent-person and fresh queries whose best candidate reaches the hit
threshold; NAMES_BENCH_DUMP=PREFIX writes every present query's rank and score to PREFIX.names.jsonl /
PREFIX.facts.jsonl, to compare two versions of the code query by query).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import os
import random
import re
import resource
import statistics
import time
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from machine import machine
from peacelink.matching.names import (
    CANDIDATE_THRESHOLD,
    HIT_THRESHOLD,
    SHORTLIST,
    SHORTLIST_HEAD,
    PersonCandidate,
    PersonQuery,
    PreparedNames,
    Scorer,
    fact_keys,
    fact_query_keys,
    key_weights,
    prepare,
    prepared_blocking_keys,
    prepared_query_keys,
    scored_positions,
    shortlist,
    stop_key_cap,
    year_keys,
    year_query_keys,
)

Ranked = list[tuple[float, int, bool]]  # (score, person number, lifted by the facts lead)
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


def xs_date(value: str) -> str:
    """A date of birth of the list's XML without its time zone: xs:date allows one ("1966-02-02-05:00")."""
    value = value.strip()
    match = re.fullmatch(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:Z|[+-]\d{2}:\d{2})?", value)
    return match.group(1) if match else value


def specific_facts(person: Listed) -> bool:
    """Whether a person carries what the facts lead needs: a full date of birth and a nationality."""
    return bool(person.nationalities) and any(len(d) == len("YYYY-MM-DD") for d in person.dobs)


def load_listed(path: Path) -> list[Listed]:
    """Read the individuals of name_variants.csv grouped by reference number."""
    groups: dict[str, Listed] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] != "individual" or not row["variant"].strip():
                continue
            ref = row["reference_number"]
            if ref not in groups:
                dobs = [xs_date(d) for d in row["dob"].split(";") if d.strip()]
                nats = [n.strip() for n in row["nationality"].split(";") if n.strip()]
                groups[ref] = Listed(ref, [], dobs, nats)
            groups[ref].variants.append((row["variant_type"], row["variant"]))
    for person in groups.values():
        person.__post_init__()
    return list(groups.values())


Table = tuple[list[tuple[str, list[str], list[float]]], list[float]]


def _dictionary(paths: Iterable[Path], *, script_weight: float) -> Table:
    """Token table of a Wikidata dictionary: (original-script token, Latin spellings, their counts).

    Each token is drawn by its total count; it is then written in its own script (share
    ``script_weight``) or in one of its attested Latin spellings, drawn by count.
    """
    spellings: dict[str, dict[str, int]] = defaultdict(dict)
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                latin, letters, count = line.rstrip("\n").split("\t")
                if latin.isalpha() and len(latin) > 1:
                    token = letters.replace(" ", "")
                    spellings[token][latin] = spellings[token].get(latin, 0) + int(count)
    rows: list[tuple[str, list[str], list[float]]] = []
    cumulative: list[float] = []
    total = 0.0
    for token, by_spelling in spellings.items():
        names = list(by_spelling)
        counts = [float(by_spelling[n]) for n in names]
        rows.append((token, names, [c * (1 - script_weight) for c in counts] + [sum(counts) * script_weight]))
        total += sum(counts)
        cumulative.append(total)
    return rows, cumulative


def _un_table(listed: list[Listed]) -> tuple[list[str], list[float]]:
    """Latin name parts of the UN variants with their cumulative frequencies."""
    counts: dict[str, int] = defaultdict(int)
    for person in listed:
        for vtype, text in person.variants:
            if vtype != "original_script":
                for token in text.replace("-", " ").replace(",", " ").split():
                    if len(token) > 1 and token.isalpha():
                        counts[token.capitalize()] += 1
    tokens = list(counts)
    cumulative: list[float] = []
    total = 0.0
    for token in tokens:
        total += counts[token]
        cumulative.append(total)
    return tokens, cumulative


class CrowdMaker:
    """Synthetic persons composed from real name-part frequency tables (see the module docstring)."""

    def __init__(self, listed: list[Listed], data: Path, rng: random.Random) -> None:
        """Build the part tables."""
        translit = data / "wikidata_transliteration_coling2018"
        self.rng = rng
        self.arabic = _dictionary([translit / "wd_arabic.normalized.aligned.tokens"], script_weight=0.25)
        self.russian = _dictionary(
            [translit / "wd_russian_80", translit / "wd_russian_20"], script_weight=0.25
        )
        self.un_tokens, self.un_cum = _un_table(listed)
        self.nationalities = [n for p in listed for n in p.nationalities] or ["XXX"]

    def _render(self, table: Table, picks: list[int], *, latin_only: bool) -> str:
        """Write the drawn tokens in one rendering: all original script or Latin spellings."""
        rows = table[0]
        words: list[str] = []
        script = not latin_only and self.rng.random() < 0.25
        for pick in picks:
            token, latin, weights = rows[pick]
            if script:
                words.append(token)
            else:
                words.append(self.rng.choices(latin, weights=weights[:-1])[0].capitalize())
        return " ".join(words)

    def person(self, number: int) -> PersonCandidate:
        """One synthetic person with one or two renderings of a 2-4 part name."""
        rng = self.rng
        size = rng.choices((2, 3, 4), weights=(0.35, 0.4, 0.25))[0]
        table = self.arabic if rng.random() < 0.75 else self.russian
        picks = [_draw(rng, table[1]) for _ in range(size)]
        names = [self._render(table, picks, latin_only=True)]
        if rng.random() < 0.4:
            names.append(self._render(table, picks, latin_only=False))
        if table is self.arabic and rng.random() < 0.3:
            # A UN-list Latin part in place of one part: the list's own spellings recur in the crowd.
            swap = rng.randrange(size)
            token = self.un_tokens[_draw(rng, self.un_cum)]
            names = [" ".join(w if i != swap else token for i, w in enumerate(n.split())) for n in names]
        return PersonCandidate(
            names=names,
            dates_of_birth=[random_dob(rng)],
            nationalities=[rng.choice(self.nationalities)],
            sex=rng.choice("MMMF"),
            id=f"crowd-{number}",
        )


def _draw(rng: random.Random, cumulative: list[float]) -> int:
    """Index drawn with probability proportional to its frequency."""
    return bisect.bisect_left(cumulative, rng.random() * cumulative[-1])


def random_dob(rng: random.Random) -> str:
    """A random date of birth at a random precision."""
    year = rng.randint(1940, 2002)
    roll = rng.random()
    if roll < 0.3:
        return f"{year}"
    if roll < 0.4:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def peak_rss_gb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def quantile(values: list[float], q: float) -> float:
    """Simple empirical quantile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def shares_a_part(query: PreparedNames, remaining: PreparedNames) -> bool:
    """Whether a full part of the query has the normalised text or skeleton of a remaining part."""
    texts = {p.text for n in remaining.names for p in n.parts if len(p.text) > 1}
    skels = {p.skeleton for n in remaining.names for p in n.parts if len(p.text) > 1}
    return any(
        p.text in texts or p.skeleton in skels for n in query.names for p in n.parts if len(p.text) > 1
    )


class Index:
    """In-memory stand-in for the blocking-key table: key -> person numbers."""

    def __init__(self, people: list[PersonCandidate], *, limit: int = SHORTLIST) -> None:
        """Index every person's blocking keys; ``limit`` is the shortlist's length."""
        self.limit = limit
        lists: dict[str, list[int]] = defaultdict(list)
        self.facts: dict[int, set[str]] = {}  # fact keys (full DOB x nationality) per person
        self.rows = 0
        for number, record in enumerate(people):
            assert record.prepared is not None
            facts = fact_keys(record.dates_of_birth, record.nationalities)
            if facts:
                self.facts[number] = facts
            for key in (
                prepared_blocking_keys(record.prepared)
                | facts
                | year_keys(record.prepared, record.dates_of_birth)
            ):
                lists[key].append(number)
                self.rows += 1
        self.postings = {k: array("i", v) for k, v in lists.items()}
        self.dates = [record.dates_of_birth for record in people]
        self.counts = {k: len(v) for k, v in lists.items()}
        self.population = len(people)
        self.cap = stop_key_cap(self.population)

    def retrieve(
        self, query: PersonQuery, own: int | None, own_remaining: PreparedNames | None
    ) -> tuple[list[int], int, bool]:
        """Shortlist for a query (own person keyed by its remaining names), union size, own in union."""
        keys = prepared_query_keys(query.prepared, self.counts, max_postings=self.cap)
        keys |= fact_query_keys(query.dates_of_birth, query.nationalities, self.counts)
        years = year_keys(query.prepared, query.dates_of_birth)
        keys |= year_query_keys(years, self.counts, max_postings=self.cap)
        weights = key_weights(keys, self.counts, population=self.population)
        postings: dict[str, Iterable[int]] = {
            k: (p for p in self.postings[k] if p != own) if own is not None else self.postings[k]
            for k in keys
        }
        union = set().union(*(self.postings[k] for k in keys)) if keys else set()
        if own is not None:
            union.discard(own)
            assert own_remaining is not None
            own_keys = prepared_blocking_keys(own_remaining) | year_keys(own_remaining, self.dates[own])
            shared = (own_keys | self.facts.get(own, set())) & keys
            if shared:
                postings["own"] = [own]
                weights["own"] = sum(weights[k] for k in shared)
                union.add(own)
        return shortlist(postings, weights, limit=self.limit), len(union), own is not None and own in union


def evaluate(
    label: str,
    index: Index,
    people: list[PersonCandidate],
    indexed: list[Listed],
    absent: list[Listed],
    fresh: list[PersonCandidate],
    *,
    with_facts: bool,
    head: int = SHORTLIST_HEAD,
) -> None:
    """Run every query of one setting and print its figures (``head``: see ``scored_positions``)."""
    n_listed = len(indexed)

    in_union: list[bool] = []

    def run(query: PersonQuery, own: int | None, remaining: PreparedNames | None) -> tuple[Ranked, int, int]:
        found, union, own_in_union = index.retrieve(query, own, remaining)
        if own is not None:
            in_union.append(own_in_union)
        scorer = Scorer(query, key_counts=index.counts, population=index.population)
        ranked: Ranked = []
        # As the database look-up does: the shortlist's head, then the persons whose facts back them.
        kept = scored_positions(
            query.dates_of_birth,
            [people[n].dates_of_birth for n in found],
            head=head,
            query_nationalities=query.nationalities,
            candidate_nationalities=[people[n].nationalities for n in found],
        )
        for number in (found[i] for i in kept):
            candidate = people[number]
            if number == own:
                candidate = PersonCandidate(
                    names=[],
                    dates_of_birth=candidate.dates_of_birth,
                    nationalities=candidate.nationalities,
                    prepared=remaining,
                )
            result = scorer.score(candidate)
            lead = any(f["factor"] == "facts_lead" for f in result.explanation["factors"])
            ranked.append((result.score, number, lead))
        ranked.sort(key=lambda r: -r[0])
        return ranked, union, len(kept)

    def make_query(text: str, person: Listed) -> PersonQuery:
        if not with_facts:
            return PersonQuery(names=[text])
        return PersonQuery(names=[text], dates_of_birth=person.dobs, nationalities=person.nationalities)

    rows: list[dict[str, object]] = []
    unions: list[float] = []
    scored = 0
    started = time.perf_counter()
    for number, person in enumerate(indexed):
        normal = {tuple(p.text for p in n.parts): n for n in person.prepared.names}
        if len(normal) < 2:
            continue
        for vtype, text in person.variants:
            qprep = prepare([text])
            if not qprep.names:
                continue
            qparts = {tuple(p.text for p in n.parts) for n in qprep.names}
            remaining = PreparedNames(tuple(n for k, n in normal.items() if k not in qparts))
            if not remaining.names:
                continue
            ranked, union, count = run(make_query(text, person), number, remaining)
            unions.append(union)
            scored += count
            own = next((s for s, n, _ in ranked if n == number), None)
            rank = None if own is None else sum(1 for s, n, _ in ranked if n != number and s >= own) + 1
            impostors = [(s, lead) for s, n, lead in ranked if n != number]
            shown_leads = [lead for s, lead in impostors[:10] if s >= CANDIDATE_THRESHOLD]
            rows.append(
                {
                    "type": vtype,
                    "findable": shares_a_part(qprep, remaining),
                    "specific": with_facts and specific_facts(person),
                    "rank": rank,
                    "own": own or 0.0,
                    "own_lead": next((lead for _, n, lead in ranked if n == number), False),
                    "impostor": max((s for s, _ in impostors), default=0.0),
                    "crowd_hit": any(s >= HIT_THRESHOLD for s, n, _ in ranked if n >= n_listed),
                    "others_shown": len(shown_leads),
                    "leads_shown": sum(shown_leads),
                    "text": text,
                }
            )
    wall = time.perf_counter() - started
    if dump := os.environ.get("NAMES_BENCH_DUMP"):  # one JSON line per present query, to compare two runs
        with open(f"{dump}.{'facts' if with_facts else 'names'}.jsonl", "w", encoding="utf-8") as out:
            out.writelines(json.dumps(row) + "\n" for row in rows)
    show_false = bool(os.environ.get("NAMES_BENCH_FALSE_HITS"))
    absent_best: list[float] = []
    for person in absent:
        for _, text in person.variants:
            query = make_query(text, person)
            if query.prepared.names:
                ranked, _, _ = run(query, None, None)
                absent_best.append(ranked[0][0] if ranked else 0.0)
                if show_false and ranked and ranked[0][0] >= HIT_THRESHOLD:
                    print(
                        "   false hit (absent)",
                        f"{ranked[0][0]:.3f}",
                        repr(text),
                        "->",
                        people[ranked[0][1]].names,
                    )
    fresh_best: list[float] = []
    fresh_leads = 0
    for stranger in fresh:
        query = PersonQuery(
            names=stranger.names[:1],
            dates_of_birth=stranger.dates_of_birth if with_facts else (),
            nationalities=stranger.nationalities if with_facts else (),
        )
        ranked, _, _ = run(query, None, None)
        fresh_best.append(ranked[0][0] if ranked else 0.0)
        if show_false and ranked and ranked[0][0] >= HIT_THRESHOLD:
            print(
                "   false hit (fresh)", f"{ranked[0][0]:.3f}", query.names, "->", people[ranked[0][1]].names
            )
        fresh_leads += any(lead and s >= CANDIDATE_THRESHOLD for s, _, lead in ranked[:10])

    def recall(subset: list[dict[str, object]], k: int, *, shown: bool = False) -> str:
        if not subset:
            return "n/a"
        hits = sum(
            1
            for r in subset
            if r["rank"] is not None
            and int(str(r["rank"])) <= k
            and (not shown or float(str(r["own"])) >= CANDIDATE_THRESHOLD)
        )
        return f"{hits / len(subset):.4f}"

    def line(name: str, subset: list[dict[str, object]]) -> None:
        retrieved = sum(1 for r in subset if r["rank"] is not None) / max(len(subset), 1)
        print(
            f"  {name:<36} n={len(subset):<5} shown@10 {recall(subset, 10, shown=True)}  "
            f"r@1 {recall(subset, 1)}  r@10 {recall(subset, 10)}  r@50 {recall(subset, 50)}  "
            f"retrieved {retrieved:.4f}"
        )

    print(f"\n== {label}: {len(rows)} present queries, {len(absent_best)} absent, {len(fresh_best)} fresh")
    print(
        f"  shown@10 = what an officer sees: the true person among the top 10 AND scored >= "
        f"CANDIDATE_THRESHOLD={CANDIDATE_THRESHOLD}; r@k = rank only"
    )
    line("all variants (headline)", rows)
    findable_union = [u for u, r in zip(in_union, rows, strict=True) if r["findable"]]
    print(
        f"  own person in the key union (before the shortlist): all {statistics.mean(in_union):.4f}, "
        f"findable {statistics.mean(findable_union):.4f}"
    )
    for vtype in ("primary", "original_script", "alias_good", "alias_low"):
        line(f"  {vtype}", [r for r in rows if r["type"] == vtype])
    line("findable by names (shares a part)", [r for r in rows if r["findable"]])
    line("not findable by names", [r for r in rows if not r["findable"]])
    line("  findable primary+script+good", [r for r in rows if r["findable"] and r["type"] != "alias_low"])
    if with_facts:
        # What names and facts can reach at all: a variant sharing no part with the person's other names is
        # found only by the facts lead, which needs a full date of birth and a nationality on both sides.
        reachable = [r for r in rows if r["findable"] or r["specific"]]
        line("reachable (shares a part, or full DOB+nat.)", reachable)
        neither = [r for r in rows if not (r["findable"] or r["specific"])]
        line("neither (found only by a joined or stem match)", neither)
    print(
        f"  candidate union: mean {statistics.mean(unions):.1f} median {quantile(unions, 0.5):.0f} "
        f"p95 {quantile(unions, 0.95):.0f} max {max(unions):.0f}; "
        f"scored per query (the head + those their facts back) mean {scored / len(rows):.1f}"
    )
    own_scores = [float(str(r["own"])) for r in rows]
    shown = [int(str(r["others_shown"])) for r in rows]
    leads = [int(str(r["leads_shown"])) for r in rows]
    own_leads = sum(bool(r["own_lead"]) and float(str(r["own"])) >= CANDIDATE_THRESHOLD for r in rows)
    print(
        f"  other persons shown (top 10, >= CANDIDATE_THRESHOLD) per present query: mean "
        f"{statistics.mean(shown):.2f}, median {quantile([float(x) for x in shown], 0.5):.0f}; of them facts "
        f"leads (same full "
        f"DOB + nationality, name not matching): mean {statistics.mean(leads):.3f}, max {max(leads)}, in "
        f"{sum(x > 0 for x in leads) / len(rows):.4f} of queries; true person shown as a facts lead "
        f"{own_leads / len(rows):.4f}"
    )
    print(f"  fresh crowd-like queries showing a facts lead: {fresh_leads / max(len(fresh_best), 1):.4f}")
    print(
        f"  false hits at HIT_THRESHOLD={HIT_THRESHOLD}: absent-person queries "
        f"{sum(s >= HIT_THRESHOLD for s in absent_best) / len(absent_best):.4f}; fresh crowd-like queries "
        f"{sum(s >= HIT_THRESHOLD for s in fresh_best) / len(fresh_best):.4f}; present queries with a crowd "
        f"member >= threshold {sum(bool(r['crowd_hit']) for r in rows) / len(rows):.4f}"
    )
    print(
        f"  true person >= HIT_THRESHOLD {sum(s >= HIT_THRESHOLD for s in own_scores) / len(rows):.4f}, "
        f">= CANDIDATE_THRESHOLD={CANDIDATE_THRESHOLD} "
        f"{sum(s >= CANDIDATE_THRESHOLD for s in own_scores) / len(rows):.4f}"
    )
    print("  sweep t: true>=t | absent best>=t | fresh best>=t | present impostor>=t")
    for t in (0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.95):
        print(
            f"    {t:.2f}: {sum(s >= t for s in own_scores) / len(rows):.4f} | "
            f"{sum(s >= t for s in absent_best) / len(absent_best):.4f} | "
            f"{sum(s >= t for s in fresh_best) / len(fresh_best):.4f} | "
            f"{sum(float(str(r['impostor'])) >= t for r in rows) / len(rows):.4f}"
        )
    print(
        f"  speed: {len(rows) / wall:.1f} queries/s single core (keys + look-up + shortlist + scoring), "
        f"{1e3 * wall / len(rows):.2f} ms/query"
    )
    if os.environ.get("NAMES_BENCH_MISSES"):
        for r in rows:
            rank = None if r["rank"] is None else int(str(r["rank"]))
            if r["findable"] and (rank is None or rank > 10 or float(str(r["own"])) < CANDIDATE_THRESHOLD):
                print("   miss", r["type"], rank, f"{float(str(r['own'])):.3f}", repr(r["text"]))


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--crowd", type=int, default=200_000)
    parser.add_argument("--fresh", type=int, default=2000, help="crowd-like queries of absent persons")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--holdout", type=float, default=0.10)
    parser.add_argument("--name-only", action="store_true", help="skip the name + DOB pass")
    parser.add_argument("--facts-only", action="store_true", help="skip the name-only pass")
    parser.add_argument("--shortlist", type=int, default=SHORTLIST, help="persons shortlisted by key weight")
    parser.add_argument(
        "--head",
        type=int,
        default=SHORTLIST_HEAD,
        help=(
            "of them, scored whatever their facts (the rest only when their date of birth agrees with the "
            "query's, or, without one, a nationality)"
        ),
    )
    args = parser.parse_args()

    print("machine:", machine())
    rng = random.Random(args.seed)
    started = time.perf_counter()
    listed = load_listed(args.data / "un_sc_consolidated_2018-10-29" / "name_variants.csv")
    rng.shuffle(listed)
    n_out = round(len(listed) * args.holdout)
    absent, indexed = listed[:n_out], listed[n_out:]
    maker = CrowdMaker(listed, args.data, rng)
    crowd = [maker.person(i) for i in range(args.crowd)]
    fresh = [maker.person(args.crowd + i) for i in range(args.fresh)]
    print(
        f"listed individuals: {len(listed)} (indexed {len(indexed)}, held out {len(absent)}); "
        f"crowd {len(crowd)} ({sum(len(c.names) for c in crowd)} names); built in "
        f"{time.perf_counter() - started:.1f}s"
    )
    print("  crowd sample:", [c.names for c in crowd[:6]])
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
    t0 = time.perf_counter()
    index = Index(people, limit=args.shortlist)
    sizes = sorted(index.counts.values(), reverse=True)
    print(
        f"index: {len(people)} persons, {len(sizes)} distinct keys, {index.rows} key rows "
        f"({index.rows / len(people):.1f}/person), largest postings {sizes[:5]}, "
        f"stop-key cap {index.cap}, built in "
        f"{time.perf_counter() - t0:.1f}s; peak RSS {peak_rss_gb():.2f} GB"
    )
    passes = [f for f in (False, True) if not (args.name_only and f) and not (args.facts_only and not f)]
    for with_facts in passes:
        label = "name + DOB + nationality" if with_facts else "name only"
        evaluate(label, index, people, indexed, absent, fresh, with_facts=with_facts, head=args.head)
    print(f"\ntotal run time {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
