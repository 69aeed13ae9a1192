"""Similarity of name parts and order-free alignment of two names.

A part pair is compared in decreasing order of strength, and the first test that holds says how it
matched (the ``method`` shown in explanations):

* ``exact``: same normalised ASCII text;
* ``phonetic``: same consonant skeleton (``phonetics.skeleton``), e.g. ``mohamed``/``muhammad``/``mhmd``;
* ``fuzzy``: Jaro-Winkler similarity of the texts, or of skeletons about as long, high enough (typing
  errors, ``abbasin``/``abasyn``);
* ``initial``: one side is a single letter of the same initial class as the other side's first letter;
* ``joined``: a part on one side is two neighbouring parts of the other written as one word
  (Kakazada / Kaka Zada, Aghajani / Agha-Jani), compared by the tests above.

The ``phonetic`` test also accepts equal *coarse* keys (``phonetics.coarse_key``: Jamal/Gamal,
Qasmi/Gasmi), equal coarse keys once th is read as s, dh as z and a soft c hard
(``phonetics.coarse_alternative``: Uthman/Usman, Dhakir/Zakir, Cemal/Jamal), skeletons one but for a closing
d written t (``phonetics.devoiced``: Mahamat/Muhammad, Ahmet/Ahmad, at the skeleton's similarity) and, for
one-syllable parts, equal *syllable* keys (``phonetics.syllable_key``:
the romanisations of Korean and Chinese names, Chang/Jang, Cho/Jo, To/Do) at a lower similarity, since
those folds are less certain than the skeleton's.

Two names are aligned without regard to order: every query part may take at most one candidate part
and vice versa, and we take pairs greedily by decreasing similarity. For names of a handful of parts the
greedy assignment equals the optimal (Hungarian) one in practice and is ~50x cheaper than building a
matrix for ``scipy.optimize.linear_sum_assignment`` for every candidate, which matters at 500 candidates
per check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import mul

from rigour.text.distance import jaro_winkler

from peacelink.matching.names.parts import Part, PartKind, PreparedName, make_part
from peacelink.matching.names.phonetics import (
    SYLLABLE_MAX,
    alternative_reading,
    devoiced,
    shapes_conflict,
    skeleton,
    syllable_key,
)

__all__ = ["Alignment", "AlignmentBound", "PartMatch", "align", "compare_parts"]

EXACT = 1.0
PHONETIC = 0.92
# Same coarse key only (g/j/k/q, s/z, b/f folded): Jamal/Gamal. Below a good fuzzy match.
PHONETIC_COARSE = 0.84
# A part that is two neighbouring parts of the other side glued loses a little (the split is a guess).
JOINED_FACTOR = 0.95
# Spelling closeness (Jaro-Winkler) required besides an equal short skeleton or an equal coarse key.
SHORT_SKELETON_MIN_JW = 0.75
# A skeleton of at most this many consonants is "short": shared by unrelated names when both are written
# with their vowels (Ramis/Ermes "rms", Hasukawa/Hisaaki "hsk"), so those need SHORT_SKELETON_MIN_JW too.
SHORT_SKELETON = 3
# The skeletons' own Jaro-Winkler stands in for the texts' only for skeletons about as long (at most this
# many consonants apart) and, for two vowelled spellings, texts at least SKELETON_MIN_TEXT_JW alike:
# otherwise a short skeleton that begins a long one scores like a typing error (Mather/Mitroglou
# "mtr"/"mtrgl" 0.91, Maurice/Mabrouk, Hiroshi/Haraguchi).
SKELETON_LENGTH_GAP = 1
SKELETON_MIN_TEXT_JW = 0.8
COARSE_MIN_JW = 0.7
# Skeletons that two common, different names share, told apart by where the vowels stand
# (``phonetics.vowel_shape``): mhmd is Muhammad (mu-ham-mad) and Mahmud (mah-mud); hmd is Ahmad (an opening
# alif) and Hamid, Hamad, Hamed. Only these: transliterations add and drop vowels too freely (Abdul Satar /
# Abdulasattar, Ibrahim / Barahim) for the shape to be judged on every skeleton (it cost 2.4 points of true
# persons at a hit on the benchmark).
CONFUSABLE_SKELETONS = frozenset({"mhmd", "hmd"})
# A skeleton two different names share with the same vowel pattern, told apart by their first vowel: hsn is
# Hasan (حسن, Hassan, Hassen) and Husayn (حسين, Hussein, Hosein, Houssein).
FIRST_VOWEL_SKELETONS = frozenset({"hsn"})
_VOWEL_LETTERS = frozenset("aeiou")
# Romanisations of the Arabic script (vowelless but for the long vowels) of these names, and the vowel
# shape of their Latin spellings: محمد mhmd is Muhammad's (c111), محمود mhmwd Mahmud's (c101), أحمد ahmd
# Ahmad's (v01); حسين hsyn is Husayn's (first vowel u), حسن hsn Hasan's (a).
_ARABIC_SHAPES = {"mhmd": "c111", "mhmwd": "c101", "ahmd": "v01"}
_ARABIC_FIRST_VOWELS = {"hsyn": "u", "hsn": "a"}
_VOWEL_CLASS = str.maketrans({"e": "a", "o": "u"})
# A compound against its bare stem (Abu Jamal / Jamal).
STEM_FACTOR = 0.8
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
    # Weighted share of each side's parts that found a partner, times the similarity.
    query_coverage: float = 0.0
    candidate_coverage: float = 0.0


def compare_parts(query: Part, candidate: Part) -> tuple[float, str]:
    """Return the similarity in [0, 1] of two parts and the method that found it."""
    similarity, method = _compare_plain(query, candidate)
    if similarity > 0.0 or query.kind is PartKind.INITIAL or candidate.kind is PartKind.INITIAL:
        return similarity, method
    # A glued compound against its bare stem: the kunya "Abu Jamal" and "Jamal", "A. Rahman" written
    # for Abd al-Rahman, "Saif" for Saif al-Din. Weaker than any direct match: the head carries meaning.
    for long, short in ((query, candidate), (candidate, query)):
        if long.stem and len(short.text) >= 3:
            similarity, _ = _compare_plain(make_part(long.stem), short)
            if similarity >= PHONETIC_COARSE:
                return round(similarity * STEM_FACTOR, 4), "stem"
    return 0.0, "none"


_SEMIVOWELS = str.maketrans({"w": "ou", "y": "i"})


def _skeleton_is_evidence(query: Part, candidate: Part, text_jw: float) -> bool:
    """Whether equal skeletons mean the same name.

    A short skeleton is shared by unrelated names (Amir/Moore "mr", Ramis/Ermes "rms"): when both
    parts are written with their vowels (``Part.vowelled``), their spelling must also be close. A vowelless
    rendering of the Arabic script (mhmd, amr) is compared by its skeleton alone, which is what the
    skeleton is for.
    """
    if len(query.skeleton) == 1:
        if text_jw >= SHORT_SKELETON_MIN_JW + 0.05:
            return True
        # The French ou and the English w, an i and a y are one sound: Ouali / Wali / والي (waly).
        folded = jaro_winkler(query.text.translate(_SEMIVOWELS), candidate.text.translate(_SEMIVOWELS))
        return folded >= SHORT_SKELETON_MIN_JW + 0.05
    if len(query.skeleton) <= SHORT_SKELETON and query.vowelled and candidate.vowelled:
        return text_jw >= SHORT_SKELETON_MIN_JW
    return True


def _skeleton_jw(query: Part, candidate: Part, text_jw: float) -> float:
    """The skeletons' Jaro-Winkler similarity where it may stand for the parts' (0.0 where it may not).

    Only for skeletons of three or more consonants, at most ``SKELETON_LENGTH_GAP`` apart in length, and,
    when both parts are written with their vowels, spellings at least ``SKELETON_MIN_TEXT_JW`` alike; a
    vowelless Arabic-script rendering (mhmd) has only its skeleton to compare. The spelling test is made
    last, for the few pairs whose skeletons are alike enough to matter.
    """
    a, b = query.skeleton, candidate.skeleton
    if len(a) < 3 or len(b) < 3 or abs(len(a) - len(b)) > SKELETON_LENGTH_GAP:
        return 0.0
    similarity = jaro_winkler(a, b)
    if similarity <= text_jw or similarity < FUZZY_FLOOR:
        return 0.0  # it would not change the result
    if text_jw >= SKELETON_MIN_TEXT_JW or not (query.vowelled and candidate.vowelled):
        return similarity
    return 0.0


def _first_vowel(text: str) -> str:
    """The class of a part's first vowel: a (a, e), u (o, u) or i; "" for none."""
    for letter in text:
        if letter in "aeiou":
            return letter.translate(_VOWEL_CLASS)
    return ""


# Latin spellings whose vowels stand where another name's do: the Turkish Mehmet (Muhammad) is said
# meh-met, as Mahmud is, and would otherwise be told apart from Mohamed and taken for Mahmoud.
_SPELLING_SHAPES = {"mehmet": "c111", "mehmed": "c111"}


def _shape(part: Part) -> str | None:
    """The vowel shape of a vowelled part, or of a known Arabic-script romanisation (``_ARABIC_SHAPES``)."""
    if part.vowelled:
        return _SPELLING_SHAPES.get(part.text, part.shape)
    return _ARABIC_SHAPES.get(part.text)


def _first_vowel_of(part: Part) -> str | None:
    return _first_vowel(part.text) if part.vowelled else _ARABIC_FIRST_VOWELS.get(part.text)


def _other_names(query: Part, candidate: Part, key: str | None = None) -> bool:
    """Whether two parts with one skeleton (or one coarse ``key``: Mahamat / Mahmoud) are different names
    by their vowels (``CONFUSABLE_SKELETONS``, ``FIRST_VOWEL_SKELETONS``); a vowelless rendering is judged
    only when it is a known one."""
    key = query.skeleton if key is None else key
    if key in CONFUSABLE_SKELETONS:
        first, second = _shape(query), _shape(candidate)
        return first is not None and second is not None and shapes_conflict(first, second)
    if key in FIRST_VOWEL_SKELETONS:
        return {_first_vowel_of(query), _first_vowel_of(candidate)} == {"a", "u"}
    return False


def _alternatives_meet(query: Part, candidate: Part) -> bool:
    """Whether two parts meet as the weakest phonetic match once either is read its other way: th as s, dh
    as z, a soft c hard (Uthman / Usman, Dhakir / Zakir, Cemal / Jamal: ``phonetics.coarse_alternative``),
    their spellings so read at least ``COARSE_MIN_JW`` alike."""
    first, second = query.coarse_alt or query.coarse, candidate.coarse_alt or candidate.coarse
    if first != second or len(first) < 3:
        return False
    return jaro_winkler(alternative_reading(query.text), alternative_reading(candidate.text)) >= COARSE_MIN_JW


def _compare_plain(query: Part, candidate: Part) -> tuple[float, str]:
    """``compare_parts`` without the compound-stem test."""
    if query.text == candidate.text:
        return (EXACT if query.kind is not PartKind.INITIAL else INITIAL), "exact"
    if query.kind is PartKind.INITIAL or candidate.kind is PartKind.INITIAL:
        if query.initial == candidate.initial:
            return INITIAL, "initial"
        return 0.0, "none"
    text_jw = jaro_winkler(query.text, candidate.text)
    if query.skeleton == candidate.skeleton and _other_names(query, candidate):
        # Same consonants, vowels elsewhere: Mahmoud / Mohamed, Hassan / Hussein are other names; only the
        # spelling may still meet as a typing error (Mohmed / Mohammed, the Tunisian Hassine / Hussayn). A
        # name opening with a vowel is never one opening with a consonant (Ahmed / Hamed, 0.93 alike).
        same_opening = (query.text[:1] in _VOWEL_LETTERS) == (candidate.text[:1] in _VOWEL_LETTERS)
        if text_jw >= FUZZY_FLOOR and same_opening:
            return round(text_jw * FUZZY_SCALE, 4), "fuzzy"
        return 0.0, "none"
    if query.skeleton == candidate.skeleton and _skeleton_is_evidence(query, candidate, text_jw):
        return PHONETIC, "phonetic"
    if (
        devoiced(query.skeleton) == candidate.skeleton
        and _skeleton_is_evidence(query, candidate, text_jw)
        and not _other_names(query, candidate, min(query.skeleton, candidate.skeleton))
    ):
        # The closing d written t, as it is said in Chad and Turkey: Mahamat / Muhammad, Ahmet / Ahmad.
        return PHONETIC, "phonetic"
    if (
        query.coarse == candidate.coarse
        and len(query.coarse) >= 3
        and (text_jw >= COARSE_MIN_JW or not (query.vowelled and candidate.vowelled))
        and not _other_names(query, candidate, query.coarse)
    ):
        return PHONETIC_COARSE, "phonetic"
    if (query.coarse_alt or candidate.coarse_alt) and _alternatives_meet(query, candidate):
        return PHONETIC_COARSE, "phonetic"
    if (
        len(query.text) <= SYLLABLE_MAX
        and (key := syllable_key(query.text)) is not None
        and key == syllable_key(candidate.text)
    ):
        return PHONETIC_COARSE, "phonetic"
    best = max(text_jw, _skeleton_jw(query, candidate, text_jw))
    if best >= FUZZY_FLOOR:
        return round(best * FUZZY_SCALE, 4), "fuzzy"
    return 0.0, "none"


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
