"""Similarity of name parts and order-free alignment of two names.

A part pair is compared in decreasing order of strength, and the first test that holds says how it
matched (the ``method`` shown in explanations):

* ``exact``: same normalised ASCII text;
* ``phonetic``: same consonant skeleton (``phonetics.skeleton``), e.g. ``mohamed``/``muhammad``/``mhmd``;
* ``fuzzy``: Jaro-Winkler similarity of the texts, or of the skeletons, high enough (typing errors,
  ``abbasin``/``abasyn``);
* ``initial``: one side is a single letter of the same initial class as the other side's first letter.

Two names are aligned without regard to order: every query part may take at most one candidate part
and vice versa, and we take pairs greedily by decreasing similarity. For names of a handful of parts the
greedy assignment equals the optimal (Hungarian) one in practice and is ~50x cheaper than building a
matrix for ``scipy.optimize.linear_sum_assignment`` for every candidate, which matters at 500 candidates
per check.
"""

from __future__ import annotations

from dataclasses import dataclass

from rigour.text.distance import jaro_winkler

from peacelink.matching.names.parts import Part, PartKind, PreparedName

__all__ = ["Alignment", "PartMatch", "align", "compare_parts"]

EXACT = 1.0
PHONETIC = 0.92
INITIAL = 0.75
# Below this Jaro-Winkler similarity two parts are different names (Ahmed/Hamid is 0.72; Yusuf/Yousef 0.87).
FUZZY_FLOOR = 0.85
# A fuzzy match is scaled so that it never beats a phonetic one.
FUZZY_SCALE = 0.9


@dataclass(frozen=True, slots=True)
class PartMatch:
    """A query part paired with a candidate part."""

    query: Part
    candidate: Part
    method: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """The best order-free pairing of the parts of two names, with its coverage on both sides."""

    query: PreparedName
    candidate: PreparedName
    matches: tuple[PartMatch, ...]
    unmatched_query: tuple[Part, ...]
    unmatched_candidate: tuple[Part, ...]
    score: float


def compare_parts(query: Part, candidate: Part) -> tuple[float, str]:
    """Return the similarity in [0, 1] of two parts and the method that found it."""
    if query.text == candidate.text:
        return (EXACT if query.kind is not PartKind.INITIAL else INITIAL), "exact"
    if query.kind is PartKind.INITIAL or candidate.kind is PartKind.INITIAL:
        if query.initial == candidate.initial:
            return INITIAL, "initial"
        return 0.0, "none"
    text_jw = jaro_winkler(query.text, candidate.text)
    # A one-letter skeleton (Iyad/Eyad -> "d") is too coarse to prove anything on its own.
    if query.skeleton == candidate.skeleton and (len(query.skeleton) > 1 or text_jw >= 0.7):
        return PHONETIC, "phonetic"
    best = text_jw
    if len(query.skeleton) >= 3 and len(candidate.skeleton) >= 3:
        best = max(best, jaro_winkler(query.skeleton, candidate.skeleton))
    if best >= FUZZY_FLOOR:
        return round(best * FUZZY_SCALE, 4), "fuzzy"
    return 0.0, "none"


# Share of the name score given to covering the query's parts; the rest rewards covering the candidate's.
# Asymmetric on purpose: a query part the record lacks is strong evidence against ("Mohamed Smith" is not
# "Mohamed"), while a record part the query lacks is normal (records carry full nasab chains, officers type
# two names).
QUERY_SHARE = 0.75


def align(
    query: PreparedName, candidate: PreparedName, cache: dict[tuple[str, str], tuple[float, str]]
) -> Alignment:
    """Pair the parts of two names regardless of order and score the pairing in [0, 1].

    ``cache`` memoises part comparisons across candidates of one check, since common parts recur.
    """
    pairs: list[tuple[float, int, int, str]] = []
    for qi, qpart in enumerate(query.parts):
        for ci, cpart in enumerate(candidate.parts):
            key = (qpart.text, cpart.text)
            found = cache.get(key)
            if found is None:
                found = compare_parts(qpart, cpart)
                cache[key] = found
            if found[0] > 0.0:
                pairs.append((found[0], qi, ci, found[1]))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    matches: list[PartMatch] = []
    for similarity, qi, ci, method in pairs:
        if qi in used_q or ci in used_c:
            continue
        used_q.add(qi)
        used_c.add(ci)
        matches.append(PartMatch(query.parts[qi], candidate.parts[ci], method, similarity))
    q_cov = sum(m.query.weight * m.similarity for m in matches) / query.weight
    c_cov = sum(m.candidate.weight * m.similarity for m in matches) / candidate.weight
    return Alignment(
        query=query,
        candidate=candidate,
        matches=tuple(matches),
        unmatched_query=tuple(p for i, p in enumerate(query.parts) if i not in used_q),
        unmatched_candidate=tuple(p for i, p in enumerate(candidate.parts) if i not in used_c),
        score=QUERY_SHARE * q_cov + (1.0 - QUERY_SHARE) * c_cov,
    )
