"""Scoring a person query against a candidate record, with an explanation of every step.

score = clamp(name score x few-parts factor + sum of factor weights (DOB, nationality, sex), 0, 1)

The name score is the best alignment (``similarity.align``) over every query name x candidate name pair.
The result is a ranking score calibrated on the UN list benchmark (``benchmarks/names_accuracy.py``),
not a probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from peacelink.matching.names.factors import Factor, compare_dates, compare_nationalities, compare_sex
from peacelink.matching.names.parts import PreparedNames, prepare
from peacelink.matching.names.similarity import Alignment, align

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
CANDIDATE_THRESHOLD = 0.70
# At or above this a candidate becomes a hit for the owner to confirm.
HIT_THRESHOLD = 0.90
# A query of a single name part ("Khattab") is matched by many people; its name score is scaled down so
# that the name alone cannot make a hit.
SINGLE_PART_FACTOR = 0.85


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


def _explain_alignment(best: Alignment | None) -> dict[str, Any]:
    """JSON-ready account of which parts met and how."""
    if best is None:
        return {"score": 0.0, "query_name": None, "candidate_name": None, "parts": []}
    return {
        "score": round(best.score, 4),
        "query_name": best.query.original,
        "candidate_name": best.candidate.original,
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


class Scorer:
    """Scores many candidates for one query, sharing the part-comparison cache between them."""

    def __init__(self, query: PersonQuery) -> None:
        self.query = query
        self._cache: dict[tuple[str, str], tuple[float, str]] = {}

    def name_alignment(self, candidate: PreparedNames) -> Alignment | None:
        """Best alignment over all query-name x candidate-name pairs."""
        best: Alignment | None = None
        for qname in self.query.prepared.names:
            for cname in candidate.names:
                current = align(qname, cname, self._cache)
                if best is None or current.score > best.score:
                    best = current
        return best

    def score(self, candidate: PersonCandidate) -> MatchResult:
        """Score one candidate and explain it."""
        prepared = candidate.prepared if candidate.prepared is not None else prepare(list(candidate.names))
        best = self.name_alignment(prepared)
        name_score = best.score if best is not None else 0.0
        factors: list[Factor] = []
        if best is not None and sum(p.weight for p in best.query.parts) < 1.5:
            penalty = name_score * (SINGLE_PART_FACTOR - 1.0)
            factors.append(Factor("name_parts", penalty, "query name has a single part"))
        query = self.query
        for factor in (
            compare_dates(query.dates_of_birth, candidate.dates_of_birth),
            compare_nationalities(query.nationalities, candidate.nationalities),
            compare_sex(query.sex, candidate.sex),
        ):
            if factor is not None:
                factors.append(factor)
        total = min(1.0, max(0.0, name_score + sum(f.weight for f in factors)))
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
