"""The scorer's upper bound (``Scorer.name_bound`` / ``may_reach``): never below the real score, and tight
enough to rule out unrelated names, so the database look-up may skip their alignment."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacelink.matching.names import CANDIDATE_THRESHOLD, PersonCandidate, PersonQuery, Scorer, prepare

# Parts chosen to reach every kind of match: exact, phonetic (skeleton / coarse), fuzzy, initials,
# patronymics, compound stems (abd-/abu-/-lah/-din) and glued neighbours (Kaka Zada / Kakazada).
VOCABULARY = [
    "mohamed",
    "muhammad",
    "mhmd",
    "ahmed",
    "hamid",
    "ali",
    "aly",
    "hashimi",
    "hashemi",
    "al-hashimi",
    "jamal",
    "gamal",
    "qasmi",
    "gasmi",
    "abu",
    "jamal",
    "abujamal",
    "abdrahman",
    "rahman",
    "abd",
    "al-rahman",
    "habiblah",
    "habib",
    "saif",
    "saifdin",
    "al-din",
    "kaka",
    "zada",
    "kakazada",
    "agha",
    "jani",
    "aghajani",
    "yusuf",
    "yousef",
    "youssef",
    "ibrahim",
    "ebrahim",
    "osama",
    "usama",
    "khalid",
    "kaled",
    "ivanovich",
    "ivanov",
    "petrovna",
    "petrova",
    "m.",
    "a.",
    "k.",
    "h.",
    "salman",
    "abbasin",
    "abasyn",
    "shams",
    "ur-rahman",
    "shamsrahman",
    "zubeidi",
    "barakat",
    "karim",
    "qasim",
    "ould",
    "bin",
    "ibn",
]
COUNTS = {f"1:{k}": n for k, n in (("mhmd", 90_000), ("hsm", 400), ("kml", 2_000), ("rhmn", 5_000))}

names = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=5).map(" ".join)


def _scorers(query: PersonQuery) -> list[Scorer]:
    return [Scorer(query), Scorer(query, key_counts=COUNTS, population=1_000_000)]


@settings(max_examples=400, deadline=None)
@given(
    query=st.lists(names, min_size=1, max_size=2),
    record=st.lists(names, min_size=1, max_size=4),
    born=st.sampled_from([[], ["1978"], ["1978-05-02"]]),
    sex=st.sampled_from([None, "male", "female"]),
)
def test_the_bound_is_never_below_the_score(
    query: list[str], record: list[str], born: list[str], sex: str | None
) -> None:
    person_query = PersonQuery(names=query, dates_of_birth=["1978-05-02"], nationalities=["UTO"], sex="male")
    candidate = PersonCandidate(names=record, dates_of_birth=born, nationalities=["UTO"], sex=sex)
    assert candidate.prepared is not None
    for scorer in _scorers(person_query):
        best = scorer.name_alignment(candidate.prepared)
        assert scorer.name_bound(candidate.prepared) >= (best.score if best else 0.0) - 1e-9
        score = scorer.score(candidate).score
        for threshold in (0.3, CANDIDATE_THRESHOLD, 0.7, 0.9, score):
            if score >= threshold:
                assert scorer.may_reach(candidate, threshold), (query, record, threshold)


def test_random_crowds_keep_every_candidate_above_the_threshold() -> None:
    """The look-up's use: of many random persons, the bound keeps each that scores >= the threshold
    and rules out most of the others (a bound of 1.0 for everybody would pass the property above)."""
    rng = random.Random(5)
    kept = pruned = 0
    for _ in range(60):
        query = PersonQuery(names=[" ".join(rng.sample(VOCABULARY, rng.randint(2, 3)))])
        for scorer in _scorers(query):
            for _ in range(40):
                record = [
                    " ".join(rng.sample(VOCABULARY, rng.randint(2, 4))) for _ in range(rng.randint(1, 3))
                ]
                candidate = PersonCandidate(names=record)
                passes = scorer.may_reach(candidate, CANDIDATE_THRESHOLD)
                if scorer.score(candidate).score >= CANDIDATE_THRESHOLD:
                    assert passes, (query.names, record)
                    kept += 1
                elif not passes:
                    pruned += 1
    assert kept > 100
    assert pruned > 1000  # of about 4,800 - kept


@pytest.mark.parametrize(
    ("query", "record"),
    [
        (["Kakazada Ahmed"], ["Kaka Zada Ahmed"]),  # a glued candidate pair
        (["Kaka Zada Ahmed"], ["Kakazada Ahmed"]),  # a glued query pair
        (["Abdallah al-Harbi"], ["Azzam Abdullah al-Subhi", "Mansur al-Harbi"]),  # pooled parts
        (["M. Al-Hashimi"], ["Mohamed Hashemi"]),  # an initial
    ],
)
def test_joined_pooled_and_initial_matches_pass(query: list[str], record: list[str]) -> None:
    scorer = Scorer(PersonQuery(names=query))
    candidate = PersonCandidate(names=record)
    result = scorer.score(candidate)
    assert result.score >= CANDIDATE_THRESHOLD
    assert scorer.may_reach(candidate, result.score)
    assert scorer.name_bound(prepare(record)) >= result.name_score - 1e-9


def test_unrelated_names_are_ruled_out_and_facts_only_lift_the_bound_a_little() -> None:
    scorer = Scorer(PersonQuery(names=["Ivan Petrov"], dates_of_birth=["1978-05-02"], nationalities=["UTO"]))
    stranger = PersonCandidate(names=["Khalid Zubeidi"], dates_of_birth=["1978-05-02"], nationalities=["UTO"])
    assert scorer.name_bound(prepare(["Khalid Zubeidi"])) == 0.0
    assert not scorer.may_reach(stranger, 0.2)
    assert scorer.may_reach(stranger, 0.1)  # the agreeing date of birth and nationality alone give 0.13
