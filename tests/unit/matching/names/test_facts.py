"""Fact keys and the facts lead: a specific full date of birth + nationality shown, never a hit."""

from __future__ import annotations

from peacelink.matching.names import (
    CANDIDATE_THRESHOLD,
    HIT_THRESHOLD,
    PersonCandidate,
    PersonQuery,
    Scorer,
    fact_keys,
    fact_query_keys,
    key_weights,
)
from peacelink.matching.names.blocking import FACT_KEY_MAX_ROWS

KEY = "f:1978-05-02|UTO"
RECORD = PersonCandidate(names=["Mohamed Al-Hashimi"], dates_of_birth=["1978-05-02"], nationalities=["UTO"])


def _scorer(query: PersonQuery, rows: int) -> Scorer:
    return Scorer(query, key_counts={KEY: rows, "1:jndl": 3}, population=10_000)


def _factors(scorer: Scorer, candidate: PersonCandidate) -> dict[str, dict[str, object]]:
    return {f["factor"]: f for f in scorer.score(candidate).explanation["factors"]}


def test_fact_keys_need_a_full_date_and_a_nationality() -> None:
    assert fact_keys(["1978-05-02", "1978-05", "1978"], ["uto"]) == {KEY}
    assert fact_keys(["1978-05-02"], []) == set() == fact_keys(["1978"], ["UTO"])
    assert fact_query_keys(["1978-05-02"], ["UTO"], {KEY: FACT_KEY_MAX_ROWS + 1}) == set()
    assert fact_query_keys(["1978-05-02"], ["UTO"], {KEY: FACT_KEY_MAX_ROWS}) == {KEY}
    weights = key_weights([KEY, "1:jndl"], {KEY: 3, "1:jndl": 3}, population=10_000)
    assert weights[KEY] == 2 * weights["1:jndl"]


def test_specific_facts_make_a_low_confidence_candidate() -> None:
    query = PersonQuery(names=["Abu Jandal"], dates_of_birth=["1978-05-02"], nationalities=["UTO"])
    result = _scorer(query, 2).score(RECORD)
    assert CANDIDATE_THRESHOLD <= result.score < HIT_THRESHOLD
    lead = _factors(_scorer(query, 2), RECORD)["facts_lead"]
    assert lead["effect"] == "for"
    assert lead["detail"] == (
        "same date of birth and nationality (1978-05-02, UTO), which very few persons share; "
        "no name part matches"
    )


def test_no_lead_when_facts_are_common_partial_or_contradicted() -> None:
    query = PersonQuery(names=["Abu Jandal"], dates_of_birth=["1978-05-02"], nationalities=["UTO"])
    assert _scorer(query, FACT_KEY_MAX_ROWS + 1).score(RECORD).score < CANDIDATE_THRESHOLD
    year_only = PersonQuery(names=["Abu Jandal"], dates_of_birth=["1978"], nationalities=["UTO"])
    assert _scorer(year_only, 2).score(RECORD).score < CANDIDATE_THRESHOLD
    female = PersonQuery(names=["Abu Jandal"], dates_of_birth=["1978-05-02"], nationalities=["UTO"], sex="F")
    male = PersonCandidate(
        names=["Mohamed Al-Hashimi"], dates_of_birth=["1978-05-02"], nationalities=["UTO"], sex="M"
    )
    assert _scorer(female, 2).score(male).score < CANDIDATE_THRESHOLD
    # Without key counts the scorer cannot tell whether the facts are specific: no lead.
    assert Scorer(query).score(RECORD).score < CANDIDATE_THRESHOLD


def test_partial_name_and_facts_rank_above_facts_alone_and_below_a_hit() -> None:
    query = PersonQuery(names=["Ahmad Hashimi Jandal"], dates_of_birth=["1978-05-02"], nationalities=["UTO"])
    partial = _scorer(query, 2).score(RECORD)
    alone = _scorer(query, 2).score(
        PersonCandidate(names=["Ivan Petrov"], dates_of_birth=["1978-05-02"], nationalities=["UTO"])
    )
    assert CANDIDATE_THRESHOLD <= alone.score < partial.score < HIT_THRESHOLD
    assert "only part of the name matches" in str(partial.explanation["factors"])


def test_an_agreeing_date_of_birth_narrows_a_common_name() -> None:
    counts = {"1:slmn": 400, "1:mlm": 3}
    record = PersonCandidate(names=["Maalim Salman"], dates_of_birth=["1979"])

    def common_name(dob: str | None) -> float:
        query = PersonQuery(names=["Ameer Salman"], dates_of_birth=[dob] if dob else [])
        factors = _factors(Scorer(query, key_counts=counts, population=10_000), record)
        return float(str(factors["common_name"]["weight"])) if "common_name" in factors else 0.0

    same_year, no_date, other_year = common_name("1979"), common_name(None), common_name("1960")
    assert no_date == other_year < same_year <= 0.0


def test_germanys_mrz_code_is_deu_and_unspecified_is_unknown() -> None:
    from peacelink.matching.names.factors import compare_nationalities

    same = compare_nationalities(["DEU"], ["D"])
    assert same is not None and same.weight > 0
    assert compare_nationalities(["D<<"], ["DEU"]) == same
    assert compare_nationalities(["DEU"], ["XXX"]) is None  # unspecified nationality: no evidence either way
    assert compare_nationalities(["MLI"], ["XXB"]) is None  # a refugee's nationality is not given
