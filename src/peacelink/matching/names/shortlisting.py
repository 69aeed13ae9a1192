"""Shortlisting: which of the persons found by their blocking keys (``blocking``) are worth scoring.

The database sums, per person, the IDF weights of the keys it shares with the query and keeps the best
``blocking.SHORTLIST``; the functions here say what those weights are and which of the kept persons are
scored, and do the same in memory for tests and small data sets.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence

from peacelink.matching.names.blocking import FACT_PREFIX, SHORTLIST, SHORTLIST_HEAD
from peacelink.matching.names.factors import compare_dates, compare_nationalities

__all__ = ["key_weights", "scored_positions", "shortlist"]


def key_weights(keys: Iterable[str], counts: Mapping[str, int], *, population: int) -> dict[str, float]:
    """IDF weight of each looked-up key, log(population / rows): a rare shared key says more.

    A fact key counts double: the few persons holding one must reach the scorer ahead of persons who
    share only a name key or two, since no name key brings them in.

    >>> {k: round(w, 2) for k, w in key_weights(["1:hsm", "2:hsm|mhmd"], {"1:hsm": 100,
    ...     "2:hsm|mhmd": 10}, population=10_000).items()}
    {'1:hsm': 4.61, '2:hsm|mhmd': 6.91}
    """
    total = max(population, 1)
    return {
        k: (2.0 if k.startswith(FACT_PREFIX) else 1.0) * math.log(total / max(counts.get(k, 1), 1))
        for k in keys
    }


def shortlist(
    postings: Mapping[str, Iterable[int]], weights: Mapping[str, float], *, limit: int = SHORTLIST
) -> list[int]:
    """Persons sharing the most key weight with the query, best first, at most ``limit`` of them.

    This is what a ``SELECT person_id, SUM(weight) ... GROUP BY person_id ORDER BY 2 DESC LIMIT n``
    does in the database.

    >>> shortlist({"1:a": [1, 2], "2:a|b": [2]}, {"1:a": 1.0, "2:a|b": 3.0}, limit=1)
    [2]
    """
    totals: dict[int, float] = {}
    for key, persons in postings.items():
        weight = weights.get(key, 0.0)
        for person in persons:
            totals[person] = totals.get(person, 0.0) + weight
    if len(totals) <= limit:
        return sorted(totals, key=lambda p: (-totals[p], p))
    return [p for _, p in heapq.nsmallest(limit, ((-w, p) for p, w in totals.items()))]


def scored_positions(
    query_dates: Sequence[str],
    candidate_dates: Sequence[Sequence[str]],
    *,
    head: int = SHORTLIST_HEAD,
    query_nationalities: Sequence[str] = (),
    candidate_nationalities: Sequence[Sequence[str]] | None = None,
) -> list[int]:
    """Which shortlisted persons to score, by position in the shortlist: the first ``head``, and after
    them those whose facts back them: their dates of birth agree with the query's (a positive
    date-of-birth factor), or, for a record without any date of birth, a nationality is the query's.

    >>> scored_positions(["1978"], [[], ["1950"], ["1978-05-02"], [], ["1979"]], head=2)
    [0, 1, 2]
    >>> scored_positions([], [["1978"], ["1978"]], head=1)
    [0]
    >>> scored_positions(["1978"], [[], [], ["1950"], []], head=1, query_nationalities=["LBY"],
    ...     candidate_nationalities=[[], ["LBY"], ["LBY"], ["EGY"]])
    [0, 1]
    """
    out = list(range(min(head, len(candidate_dates))))
    by_nationality = bool(query_nationalities) and candidate_nationalities is not None
    if not query_dates and not by_nationality:
        return out
    for position in range(head, len(candidate_dates)):
        dates = candidate_dates[position]
        if dates:
            factor = compare_dates(query_dates, dates) if query_dates else None
        elif by_nationality and candidate_nationalities is not None:
            factor = compare_nationalities(query_nationalities, candidate_nationalities[position])
        else:
            factor = None
        if factor is not None and factor.weight > 0:
            out.append(position)
    return out
