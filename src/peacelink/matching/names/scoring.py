"""Scoring a person query against a candidate record, with an explanation of every step.

score = clamp(name score x few-parts factor + sum of factor weights (DOB, nationality, sex), 0, 1)

The name score is the best alignment (``alignment.align``) over every query name x candidate name pair,
or over the candidate's pooled parts (parts matched across aliases, scaled by ``POOLED_FACTOR``). With
key counts (``Scorer(query, key_counts=..., population=...)``) parts are IDF-weighted and a name that many
persons share gets the ``common_name`` factor against it.
The result is a ranking score calibrated on the UN list benchmark (``benchmarks/names_accuracy.py``),
not a probability.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from peacelink.matching.names.alignment import Alignment, AlignmentBound, _kind_weight, align
from peacelink.matching.names.blocking import FACT_PREFIX, SINGLE_PREFIX, fact_keys, fact_query_keys
from peacelink.matching.names.factors import Factor, compare_dates, compare_nationalities, compare_sex
from peacelink.matching.names.nasab import NASAB_ORDER, crossed
from peacelink.matching.names.parts import Part, PartKind, PreparedName, PreparedNames, prepare, shown_name
from peacelink.translatable import Translatable

__all__ = [
    "CANDIDATE_THRESHOLD",
    "HIT_THRESHOLD",
    "MatchResult",
    "PersonCandidate",
    "PersonQuery",
    "Scorer",
    "score",
]

# Calibrated with benchmarks/names_accuracy.py (see docs/names.md for the figures behind them).
# Candidates at or above this are shown to the officer, ranked.
CANDIDATE_THRESHOLD = 0.50
# At or above this a candidate becomes a hit for the owner to confirm.
HIT_THRESHOLD = 0.90
# A query of a single name part ("Khattab") is matched by many people; its name score is scaled down so
# that the name alone cannot make a hit.
SINGLE_PART_FACTOR = 0.85
# Commonness (needs key counts, see ``Scorer``): the expected number of other persons in the database
# whose name has the matched parts, population x product(rows of the part's key / population), assuming
# parts independent. A name shared by ~1 other person cannot prove identity alone ("Mohamed Ali"), so
# the score loses COMMON_NAME_STEP per factor of ten above COMMON_NAME_FREE expected namesakes.
COMMON_NAME_FREE = 0.1
# Parts of a query matched across several names of one person (first name in one alias, family name in
# another: "Abdallah al-Harbi" against "Azzam Abdullah al-Subhi" and "Mansur al-Harbi") count, but only
# as POOLED_FACTOR x query coverage: a match within one name is stronger evidence, and the pooled name
# alone stays below HIT_THRESHOLD (a date of birth or nationality can lift it).
POOLED_FACTOR = 0.85
POOLED_NAME = Translatable("(parts of several names)", "persons.explanation.pooled_name")
MAX_POOLED_PARTS = 16
# IDF weighting of parts (with key counts): weight = kind weight x max(IDF_FLOOR, ln(N / rows)) / IDF_SCALE.
# The floor keeps a very common part (Mohammed: ln ~ 2) from counting for nothing.
IDF_FLOOR = 1.0
IDF_SCALE = 5.0
COMMON_NAME_STEP = 0.05
COMMON_NAME_MAX = 0.2
# Facts lead (needs key counts): a candidate sharing a specific full date of birth + nationality with the
# query (a fact key held by at most blocking.FACT_KEY_MAX_ROWS persons) is shown even when its names do
# not match (a cover name, a kunya, a nickname), at FACTS_LEAD_SCORE + FACTS_LEAD_NAME_SHARE x name score:
# above CANDIDATE_THRESHOLD, below any good name match, and at most 0.80, so facts alone never make a hit.
FACTS_LEAD_SCORE = 0.55
FACTS_LEAD_NAME_SHARE = 0.25


@dataclass(slots=True)
class PersonQuery:
    """What the officer asks about: names in any script and the optional facts."""

    names: Sequence[str]
    dates_of_birth: Sequence[str] = ()
    nationalities: Sequence[str] = ()
    sex: str | None = None
    prepared: PreparedNames = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.prepared = prepare(list(self.names))


@dataclass(slots=True)
class PersonCandidate:
    """A person record, prepared once so that scoring it is cheap; pass ``prepared`` to reuse one."""

    names: Sequence[str]
    dates_of_birth: Sequence[str] = ()
    nationalities: Sequence[str] = ()
    sex: str | None = None
    id: str | None = None
    prepared: PreparedNames | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.prepared is None:
            self.prepared = prepare(list(self.names))


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A score in [0, 1] and a JSON-ready explanation of how it was reached."""

    score: float
    name_score: float
    explanation: dict[str, Any]


# Said of a query name whose parts weigh less than one and a half full parts: one part, one part and
# initials ("M. Al-Hashimi"), or a part and a patronymic.
_SINGLE_PART_DETAIL = Translatable(
    "the query name has only one full name part (initials and patronymics count little)",
    "persons.factor.name_parts",
)


_COMMON_DETAIL = Translatable(
    "common name: many persons could bear the matched name parts", "persons.factor.common_name"
)
_COMMON_BORN_DETAIL = Translatable(
    "common name: many persons could bear the matched name parts, even among those born then",
    "persons.factor.common_name.born",
)
_NASAB_DETAIL = Translatable(
    "the own name of one is the father's name of the other (son of: bin, ould, ag): a relative, not the same "
    "person",
    "persons.factor.nasab_order",
)
# How much of the name a facts lead shares (FACTS_LEAD_SCORE).
_PART_OF_NAME = Translatable("only part of the name matches", "persons.factor.facts_lead.part_of_name")
_NO_NAME_PART = Translatable("no name part matches", "persons.factor.facts_lead.no_name_part")


def _explain_alignment(best: Alignment | None) -> dict[str, Any]:
    """JSON-ready account of which parts met and how."""
    if best is None:
        return {"score": 0.0, "query_name": None, "candidate_name": None, "parts": []}
    return {
        "score": round(best.score, 4),
        "query_name": shown_name(best.query),
        "candidate_name": shown_name(best.candidate),
        "parts": [
            {
                "query": m.query.text,
                "candidate": m.candidate.text,
                "method": m.method,
                "similarity": round(m.similarity, 4),
            }
            for m in best.matches
        ],
        "unmatched_query_parts": [p.text for p in best.unmatched_query],
        "unmatched_candidate_parts": [p.text for p in best.unmatched_candidate],
    }


def _pooled(candidate: PreparedNames) -> PreparedName:
    """All the distinct parts of a person's names as one name (for parts matched across aliases)."""
    seen: set[str] = set()
    parts: list[Part] = []
    for name in candidate.names:
        for part in name.parts:
            if part.skeleton not in seen and part.kind is not PartKind.INITIAL:
                seen.add(part.skeleton)
                parts.append(part)
    return PreparedName(original=POOLED_NAME, parts=tuple(parts[:MAX_POOLED_PARTS]))


class _IdfWeights:
    """Weight of a part in name coverage: its kind weight x the IDF of its single-part key, memoised.

    A separate object, not a bound method of the Scorer: a Scorer holding its own bound method is a
    reference cycle, so each check's scorer (and its part-comparison cache, thousands of objects) was freed
    only by the cyclic garbage collector, in full collections that took 200-320 ms at 1M persons.
    """

    __slots__ = ("_counts", "_memo", "_population")

    def __init__(self, counts: Mapping[str, int], population: int) -> None:
        self._counts = counts
        self._population = population
        self._memo: dict[tuple[str, float], float] = {}

    def __call__(self, part: Part) -> float:
        # Keyed by the part's weight too: the same letters as a given name and as a patronymic weigh
        # differently, and the memo must not make a score depend on which candidate came first.
        memo = (part.coarse, part.weight)
        weight = self._memo.get(memo)
        if weight is None:
            rows = self._counts.get(f"1:{part.coarse[:SINGLE_PREFIX]}", 1)
            idf = math.log(max(self._population, 2) / min(max(rows, 1), self._population))
            weight = part.weight * max(IDF_FLOOR, idf) / IDF_SCALE
            self._memo[memo] = weight
        return weight


class Scorer:
    """Scores many candidates for one query, sharing the part-comparison cache between them."""

    def __init__(
        self,
        query: PersonQuery,
        *,
        key_counts: Mapping[str, int] | None = None,
        population: int | None = None,
    ) -> None:
        """Keep the query; ``key_counts`` (rows per blocking key) and ``population`` enable commonness."""
        self.query = query
        self._cache: dict[tuple[str, str], tuple[float, str]] = {}
        self._counts = key_counts
        self._population = population
        self._weigh: Callable[[Part], float] = (
            _IdfWeights(key_counts, population) if key_counts and population else _kind_weight
        )
        # The query's specific fact keys and their rows (see FACTS_LEAD_SCORE); none without counts.
        self._facts: dict[str, int] = {}
        if key_counts and population:
            specific = fact_query_keys(query.dates_of_birth, query.nationalities, key_counts)
            self._facts = {k: key_counts[k] for k in specific}
        self._fact_dates = {k[len(FACT_PREFIX) :].split("|", 1)[0] for k in self._facts}
        self._bound = AlignmentBound(query.prepared.names, self._cache, self._weigh)

    def commonness(self, best: Alignment, date_of_birth: Factor | None = None) -> Factor | None:
        """Penalty for a name whose matched parts many persons share (needs key counts).

        An agreeing date of birth narrows the namesakes the name could be to those born then too (its
        ``coincidence``), so "Salman, born 1979" is less common than "Salman".
        """
        if self._counts is None or not self._population or not best.matches:
            return None
        population = self._population
        log_expected = math.log10(population)
        born = date_of_birth is not None and date_of_birth.coincidence < 1.0
        if born:
            assert date_of_birth is not None
            log_expected += math.log10(date_of_birth.coincidence)
        for match in best.matches:
            if match.query.kind is PartKind.INITIAL:
                log_expected += math.log10(1 / 20)  # an initial: one letter class of about twenty
                continue
            rows = self._counts.get(f"1:{match.candidate.coarse[:SINGLE_PREFIX]}", 1)
            log_expected += math.log10(min(max(rows, 1), population) / population)
        excess = log_expected - math.log10(COMMON_NAME_FREE)
        if excess <= 0:
            return None
        penalty = min(COMMON_NAME_MAX, COMMON_NAME_STEP * excess)
        # No count in the words: the counts cover every record, also those the reader may not see.
        return Factor("common_name", -penalty, _COMMON_BORN_DETAIL if born else _COMMON_DETAIL)

    def shared_facts(self, candidate: PersonCandidate) -> set[str]:
        """The query's specific fact keys that the candidate holds too (empty for most candidates).

        A candidate holding one may reach CANDIDATE_THRESHOLD whatever its name score (``facts_lead``), so
        anything that skips candidates by a bound on their name score must keep these.
        """
        if not self._fact_dates.intersection(candidate.dates_of_birth):
            return set()  # cheap test first: most candidates share no full date with the query
        return fact_keys(candidate.dates_of_birth, candidate.nationalities).intersection(self._facts)

    def facts_lead(self, candidate: PersonCandidate, best: Alignment | None, total: float) -> Factor | None:
        """Lift to a low-confidence candidate for shared specific facts (see FACTS_LEAD_SCORE), or None."""
        shared = self.shared_facts(candidate)
        if not shared:
            return None
        name_score = best.score if best is not None else 0.0
        lead = FACTS_LEAD_SCORE + FACTS_LEAD_NAME_SHARE * min(name_score, 1.0)
        if lead <= total:
            return None
        key = min(shared, key=lambda k: (self._facts[k], k))
        date, nationality = key[len(FACT_PREFIX) :].split("|", 1)
        names = _PART_OF_NAME if best is not None and best.matches else _NO_NAME_PART
        detail = Translatable(
            f"same date of birth and nationality ({date}, {nationality}), which very few persons share; "
            f"{names}",
            "persons.factor.facts_lead",
            date=date,
            nationality=nationality,
            names=names,
        )
        return Factor("facts_lead", lead - total, detail)

    def name_alignment(self, candidate: PreparedNames) -> Alignment | None:
        """Best alignment over all query-name x candidate-name pairs, and over the pooled parts; an
        alignment crossing a nasab order (``nasab.crossed``) competes with ``NASAB_ORDER`` off its score."""
        best: Alignment | None = None
        best_score = -1.0
        for qname in self.query.prepared.names:
            for cname in candidate.names:
                current = align(qname, cname, self._cache, self._weigh)
                score = current.score
                if qname.own and cname.own and score > best_score and crossed(current):
                    score -= NASAB_ORDER
                if score > best_score:
                    best, best_score = current, score
        if len(candidate.names) < 2 or best is None or not best.matches or not best.unmatched_query:
            return best
        pooled = _pooled(candidate)
        for qname in self.query.prepared.names:
            current = align(qname, pooled, self._cache, self._weigh)
            pooled_score = POOLED_FACTOR * current.query_coverage
            if len(current.matches) >= 2 and pooled_score > best_score:
                best, best_score = replace(current, score=pooled_score), pooled_score
        return best

    def name_bound(self, candidate: PreparedNames, target: float = math.inf) -> float:
        """An upper bound of ``name_alignment(candidate).score`` (``alignment.AlignmentBound``); stops
        at the first name whose bound reaches ``target``."""
        best = 0.0
        for name in candidate.names:
            best = max(best, self._bound.bound(name))
            if best >= target:
                return best
        if len(candidate.names) >= 2:
            best = max(best, POOLED_FACTOR * self._bound.bound(_pooled(candidate), pooled=True))
        return best

    def may_reach(self, candidate: PersonCandidate, threshold: float) -> bool:
        """False only when ``score(candidate).score`` is surely below ``threshold`` (a cheap, exact test).

        The bound is ``name_bound`` plus the date of birth, nationality and sex factors (computed exactly;
        the common-name factor and the single-part scaling only lower a score, so they are left out). A
        candidate sharing a specific fact key with the query may be a facts lead whatever its name, so it
        always passes. Used by the database look-up to skip the full alignment and explanation of the
        shortlisted persons that cannot be shown (tests/unit/matching/names/test_bound.py).
        """
        if threshold <= 0.0 or (self._facts and self.shared_facts(candidate)):
            return True  # a score is never below 0 (clamped), and facts alone may lead
        prepared = candidate.prepared if candidate.prepared is not None else prepare(list(candidate.names))
        query = self.query
        facts = 0.0
        for factor in (
            compare_dates(query.dates_of_birth, candidate.dates_of_birth),
            compare_nationalities(query.nationalities, candidate.nationalities),
            compare_sex(query.sex, candidate.sex),
        ):
            if factor is not None:
                facts += factor.weight
        needed = threshold - facts - 1e-9
        return self.name_bound(prepared, needed) >= needed

    def score(self, candidate: PersonCandidate) -> MatchResult:
        """Score one candidate and explain it."""
        prepared = candidate.prepared if candidate.prepared is not None else prepare(list(candidate.names))
        best = self.name_alignment(prepared)
        name_score = best.score if best is not None else 0.0
        factors: list[Factor] = []
        if name_score > 0 and best is not None and sum(p.weight for p in best.query.parts) < 1.5:
            penalty = name_score * (SINGLE_PART_FACTOR - 1.0)
            factors.append(Factor("name_parts", penalty, _SINGLE_PART_DETAIL))
        if best is not None and crossed(best):
            factors.append(Factor("nasab_order", -NASAB_ORDER, _NASAB_DETAIL))
        query = self.query
        dates = compare_dates(query.dates_of_birth, candidate.dates_of_birth)
        common = self.commonness(best, dates) if best is not None else None
        if common is not None:
            factors.append(common)
        for factor in (
            dates,
            compare_nationalities(query.nationalities, candidate.nationalities),
            compare_sex(query.sex, candidate.sex),
        ):
            if factor is not None:
                factors.append(factor)
        total = min(1.0, max(0.0, name_score + sum(f.weight for f in factors)))
        if self._facts and not any(f.factor == "sex" and f.weight < 0 for f in factors):
            lead = self.facts_lead(candidate, best, total)
            if lead is not None:
                factors.append(lead)
                total += lead.weight
        explanation: dict[str, Any] = {
            "score": round(total, 4),
            "name": _explain_alignment(best),
            "factors": [f.as_dict() for f in factors],
        }
        return MatchResult(score=total, name_score=name_score, explanation=explanation)


def score(query: PersonQuery, candidate: PersonCandidate) -> MatchResult:
    """Score one candidate against a query (use ``Scorer`` to score many for one query).

    >>> q = PersonQuery(names=["Mohamed Al-Hashimi"], dates_of_birth=["1978"])
    >>> c = PersonCandidate(names=["محمد الهاشمي"], dates_of_birth=["1978-05-02"])
    >>> result = score(q, c)
    >>> round(result.score, 2), [p["method"] for p in result.explanation["name"]["parts"]]
    (0.96, ['phonetic', 'phonetic'])
    """
    return Scorer(query).score(candidate)
