"""Order-free alignment of two names, and its cheap upper bound.

Two names are aligned without regard to order: every query part may take at most one candidate part
and vice versa, and we take pairs greedily by decreasing similarity. For names of a handful of parts the
greedy assignment equals the optimal (Hungarian) one in practice and is ~50x cheaper than building a
matrix for ``scipy.optimize.linear_sum_assignment`` for every candidate, which matters at 500 candidates
per check.

A part on one side may also meet two neighbouring parts of the other written as one word (method
``joined``: Kakazada / Kaka Zada, Aghajani / Agha-Jani), compared by ``similarity.compare_parts`` and
scaled by ``JOINED_FACTOR``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import mul

from peacelink.matching.names.parts import Part, PartKind, PreparedName, make_part
from peacelink.matching.names.phonetics import skeleton
from peacelink.matching.names.similarity import PHONETIC_COARSE, compare_parts

__all__ = ["Alignment", "AlignmentBound", "PartMatch", "align"]

# A part that is two neighbouring parts of the other side glued loses a little (the split is a guess).
JOINED_FACTOR = 0.95


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
    # Weighted share of each side's parts that found a partner, times the similarity.
    query_coverage: float = 0.0
    candidate_coverage: float = 0.0


# Share of the name score given to covering the query's parts; the rest rewards covering the candidate's.
# Asymmetric on purpose: a query part the record lacks is strong evidence against ("Mohamed Smith" is not
# "Mohamed"), while a record part the query lacks is normal (records carry full nasab chains, officers type
# two names).
QUERY_SHARE = 0.75


def _compare(a: Part, b: Part, cache: dict[tuple[str, str], tuple[float, str]]) -> tuple[float, str]:
    """Memoised ``compare_parts``."""
    key = (a.text, b.text)
    found = cache.get(key)
    if found is None:
        found = compare_parts(a, b)
        cache[key] = found
    return found


def _glued(parts: Sequence[Part]) -> list[tuple[int, Part]]:
    """Each pair of neighbouring full parts written as one word, with the index of the first."""
    return [
        (i, make_part(a.text + b.text))
        for i, (a, b) in enumerate(pairwise(parts))
        if a.kind is not PartKind.INITIAL and b.kind is not PartKind.INITIAL
    ]


def _kind_weight(part: Part) -> float:
    """Default weight of a part: by its kind only (``parts.PART_WEIGHTS``)."""
    return part.weight


class AlignmentBound:
    """Upper bounds of ``align`` scores of one query against any candidate name, without aligning.

    Each query part counts with the best similarity any single match could give it in that name, and so
    does each candidate part: a direct comparison, a glued candidate pair (``JOINED_FACTOR``) or a glued
    query pair. The alignment pairs each part at most once, so neither side can be covered more, and
    QUERY_SHARE x query bound + (1 - QUERY_SHARE) x candidate bound is never below the alignment's score.
    A candidate part's (and a glued pair's) similarities to the query parts are memoised for the check.
    """

    def __init__(
        self,
        queries: Sequence[PreparedName],
        cache: dict[tuple[str, str], tuple[float, str]],
        weigh: Callable[[Part], float] = _kind_weight,
    ) -> None:
        """Prepare the query names (their parts in one flat list, each name a span of it)."""
        self._flat = [p for q in queries for p in q.parts]
        self._spans: list[tuple[int, int, float, list[float]]] = []
        self._query_glued: list[tuple[int, Part]] = []
        start = 0
        for query in queries:
            weights = [weigh(p) for p in query.parts]
            self._spans.append((start, start + len(weights), sum(weights) or 1.0, weights))
            self._query_glued.extend((start + i, g) for i, g in _glued(query.parts))
            start += len(weights)
        self._initials = frozenset(p.initial for p in self._flat if p.kind is not PartKind.INITIAL)
        self._cache = cache
        self._weigh = weigh
        self._vectors: dict[str, tuple[list[float], float]] = {}
        self._glued_vectors: dict[str, list[float] | None] = {}
        # (initial class, skeleton length) of a glued part that some query part may meet (``_plausible``).
        self._glued_shapes = frozenset(
            (p.initial, len(p.skeleton) + d)
            for p in self._flat
            if p.kind is not PartKind.INITIAL
            for d in (-1, 0, 1)
        )

    def _vector(self, part: Part) -> tuple[list[float], float]:
        """Best similarity of a candidate part with each query part, directly or via a glued query pair,
        and the part's weight."""
        found = self._vectors.get(part.text)
        if found is None:
            vector = [_compare(q, part, self._cache)[0] for q in self._flat]
            if part.kind is not PartKind.INITIAL:
                for j, glued in self._query_glued:
                    if _plausible(part, glued):
                        similarity = _compare(glued, part, self._cache)[0] * JOINED_FACTOR
                        vector[j] = max(vector[j], similarity)
                        vector[j + 1] = max(vector[j + 1], similarity)
            found = (vector, self._weigh(part))
            self._vectors[part.text] = found
        return found

    def _glued_vector(self, first: Part, second: Part) -> list[float] | None:
        """Similarity of two neighbouring candidate parts, glued, with each query part (as ``align``
        computes it); None when no query part can meet the glued part (``_plausible``), which the
        skeleton's length tells before the glued part is built."""
        text = first.text + second.text
        if text in self._glued_vectors:
            return self._glued_vectors[text]
        vector: list[float] | None = None
        if (first.initial, len(skeleton(text))) in self._glued_shapes:
            glued = make_part(text)
            vector = [
                _compare(q, glued, self._cache)[0] * JOINED_FACTOR
                if q.kind is not PartKind.INITIAL and _plausible(q, glued)
                else 0.0
                for q in self._flat
            ]
        self._glued_vectors[text] = vector
        return vector

    def bound(self, name: PreparedName, *, pooled: bool = False) -> float:
        """Upper bound of ``align(q, name).score`` over the query names q; with ``pooled``, of
        ``align(q, name).query_coverage`` instead (the scorer's pooled alignment scores by that alone)."""
        parts = name.parts
        if not parts:
            return 0.0
        found = [self._vector(p) for p in parts]
        vectors = [v for v, _w in found]
        initials = self._initials
        joins = [
            (i, vector)
            for i, (a, b) in enumerate(pairwise(parts))
            if a.initial in initials
            and a.kind is not PartKind.INITIAL
            and b.kind is not PartKind.INITIAL
            and (vector := self._glued_vector(a, b)) is not None
        ]
        # Best similarity of each query part in this name (elementwise maximum over the part vectors).
        q_tops = (
            list(map(max, *vectors, *(v for _, v in joins))) if len(vectors) + len(joins) > 1 else vectors[0]
        )
        whole = len(self._spans) == 1
        best = 0.0
        for start, end, q_total, q_weights in self._spans:
            q_coverage = sum(map(mul, q_weights, q_tops if whole else q_tops[start:end])) / q_total
            if pooled:
                best = max(best, q_coverage)
                continue
            # Best similarity of each candidate part with this query name's parts.
            c_tops = list(map(max, vectors)) if whole else [max(v[start:end]) for v in vectors]
            for i, vector in joins:
                joined = max(vector) if whole else max(vector[start:end])
                if joined > c_tops[i]:
                    c_tops[i] = joined
                if joined > c_tops[i + 1]:
                    c_tops[i + 1] = joined
            c_covered = c_total = 0.0
            for (_v, weight), top in zip(found, c_tops, strict=True):
                c_covered += weight * top
                c_total += weight
            c_coverage = c_covered / (c_total or 1.0)
            best = max(best, QUERY_SHARE * q_coverage + (1.0 - QUERY_SHARE) * c_coverage)
        return best


def _plausible(a: Part, b: Part) -> bool:
    """Cheap filter before comparing a glued pair: the skeletons must be about as long."""
    return abs(len(a.skeleton) - len(b.skeleton)) <= 1 and a.initial == b.initial


def _may_join(qparts: Sequence[Part], qmatched: set[int], cparts: Sequence[Part], cmatched: set[int]) -> bool:
    """Whether a one-word / two-word match may help: a part without a strong partner on one side and two
    such neighbours on the other (checked before building glued parts, for speed)."""

    def lone(parts: Sequence[Part], matched: set[int]) -> bool:
        return any(i not in matched for i in range(len(parts)))

    def neighbours(parts: Sequence[Part], matched: set[int]) -> bool:
        return any(i not in matched and i + 1 not in matched for i in range(len(parts) - 1))

    return (lone(qparts, qmatched) and neighbours(cparts, cmatched)) or (
        lone(cparts, cmatched) and neighbours(qparts, qmatched)
    )


def align(
    query: PreparedName,
    candidate: PreparedName,
    cache: dict[tuple[str, str], tuple[float, str]],
    weigh: Callable[[Part], float] = _kind_weight,
) -> Alignment:
    """Pair the parts of two names regardless of order and score the pairing in [0, 1].

    ``cache`` memoises part comparisons across candidates of one check, since common parts recur.
    ``weigh`` gives each part its weight in the coverage (the scorer passes an IDF weight when it has
    key counts, so that a rare shared part counts more than a shared Mohammed).
    """
    # (similarity, query indices, candidate indices, method, query part, candidate part)
    pairs: list[tuple[float, tuple[int, ...], tuple[int, ...], str, Part, Part]] = []
    for qi, qpart in enumerate(query.parts):
        for ci, cpart in enumerate(candidate.parts):
            found = _compare(qpart, cpart, cache)
            if found[0] > 0.0:
                pairs.append((found[0], (qi,), (ci,), found[1], qpart, cpart))
    # Parts with a strong partner cannot be part of a better glued match.
    matched_q = {p[1][0] for p in pairs if p[0] >= PHONETIC_COARSE}
    matched_c = {p[2][0] for p in pairs if p[0] >= PHONETIC_COARSE}
    if _may_join(query.parts, matched_q, candidate.parts, matched_c):
        # One word on one side, two on the other (Kakazada / Kaka Zada); see the module docstring.
        for ci, glued in _glued(candidate.parts):
            for qi, qpart in enumerate(query.parts):
                if qpart.kind is not PartKind.INITIAL and _plausible(qpart, glued):
                    similarity, method = _compare(qpart, glued, cache)
                    if similarity > 0.0:
                        pairs.append(
                            (similarity * JOINED_FACTOR, (qi,), (ci, ci + 1), "joined", qpart, glued)
                        )
        for qi, glued in _glued(query.parts):
            for ci, cpart in enumerate(candidate.parts):
                if cpart.kind is not PartKind.INITIAL and _plausible(cpart, glued):
                    similarity, method = _compare(glued, cpart, cache)
                    if similarity > 0.0:
                        pairs.append(
                            (similarity * JOINED_FACTOR, (qi, qi + 1), (ci,), "joined", glued, cpart)
                        )
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    q_total = sum(weigh(p) for p in query.parts) or 1.0
    c_total = sum(weigh(p) for p in candidate.parts) or 1.0
    used_q: set[int] = set()
    used_c: set[int] = set()
    matches: list[PartMatch] = []
    q_covered = 0.0
    c_covered = 0.0
    for similarity, qis, cis, method, qpart, cpart in pairs:
        if any(i in used_q for i in qis) or any(i in used_c for i in cis):
            continue
        used_q.update(qis)
        used_c.update(cis)
        matches.append(PartMatch(qpart, cpart, method, similarity))
        q_covered += similarity * sum(weigh(query.parts[i]) for i in qis)
        c_covered += similarity * sum(weigh(candidate.parts[i]) for i in cis)
    return Alignment(
        query=query,
        candidate=candidate,
        matches=tuple(matches),
        unmatched_query=tuple(p for i, p in enumerate(query.parts) if i not in used_q),
        unmatched_candidate=tuple(p for i, p in enumerate(candidate.parts) if i not in used_c),
        score=QUERY_SHARE * q_covered / q_total + (1.0 - QUERY_SHARE) * c_covered / c_total,
        query_coverage=q_covered / q_total,
        candidate_coverage=c_covered / c_total,
    )
