"""Dates of birth that conflict, and the slips that do not (``factors.compare_dates``).

A black-box audit found a conflicting full date of birth in the same year costing only 0.06, so "Sergey
Ivanov" born 1972-11-20 was a hit on the one born 1972-03-03. Two full dates whose month and day both
disagree are now a clear conflict; a swap, a typed digit, dates a day apart and a placeholder 1 January
(a registry's "only the year is known") stay mild or count for.
"""

from __future__ import annotations

import itertools

import pytest

from peacelink.matching.names import PersonCandidate, PersonQuery, score
from peacelink.matching.names.factors import (
    _DATE_REASONS,
    COINCIDENCE_FULL,
    COINCIDENCE_YEAR,
    DOB_CONFLICT,
    DOB_YEAR,
    compare_dates,
)
from peacelink.matching.names.scoring import HIT_THRESHOLD
from peacelink.web import i18n


def _score(query_dob: str, record_dob: str, **facts: object) -> float:
    """The full score of "Sergey Ivanov" against the same name, born as given."""
    nationalities = ["RUS"] if facts.get("nationality") else []
    sex = "M" if facts.get("sex") else None
    query = PersonQuery(
        names=["Sergey Ivanov"], dates_of_birth=[query_dob], nationalities=nationalities, sex=sex
    )
    record = PersonCandidate(
        names=["Sergey Ivanov"], dates_of_birth=[record_dob], nationalities=nationalities, sex=sex
    )
    return score(query, record).score


def _compare(query: str, record: str) -> tuple[float, str]:
    """The date factor's weight and reason key (its last part)."""
    factor = compare_dates([query], [record])
    assert factor is not None
    reason = factor.detail.params["reason"]  # type: ignore[attr-defined]
    return factor.weight, reason.key.rsplit(".", 1)[1]


# --- the audit's case: a different birthday is not a hit ---------------------------------------------------


def test_a_different_full_date_in_the_same_year_is_no_hit() -> None:
    assert _score("1972-11-20", "1972-03-03") < HIT_THRESHOLD
    # Not even when nationality and sex agree too (+0.04 together).
    assert _score("1972-11-20", "1972-03-03", nationality=True, sex=True) < HIT_THRESHOLD
    assert _compare("1972-11-20", "1972-03-03") == (DOB_CONFLICT, "different_date")


def test_years_one_apart_and_a_different_birthday_is_no_hit() -> None:
    assert _score("1972-03-03", "1973-11-20", nationality=True, sex=True) < HIT_THRESHOLD
    assert _compare("1972-03-03", "1973-11-20") == (DOB_CONFLICT, "years_one_apart_different_date")


# --- what one slip explains stays a hit -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "record", "reason"),
    [
        ("1972-03-03", "1972-03-03", "same_date"),
        ("1972-03-03", "1972", "same_year"),  # a record known to the year only
        ("1972-03-03", "1972-03", "same_month"),
        ("1972-02-05", "1972-05-02", "swapped"),
        ("1972-03-12", "1972-03-21", "day_slip"),  # two digits swapped
        ("1972-03-13", "1972-03-18", "day_slip"),  # one digit mistyped (3 and 8 look alike)
        ("1972-03-03", "1972-03-30", "day_slip"),
        ("1972-03-09", "1972-03-10", "one_day_apart"),
        ("1972-03-31", "1972-04-01", "one_day_apart"),  # a calendar conversion a day off, over a month end
        ("1972-03-03", "1973-03-03", "year_slip"),  # a year reckoned from an age, or typed one off
        ("1972-03-03", "1982-03-03", "year_slip"),  # one typed digit
        ("1972-03-03", "1927-03-03", "year_slip"),  # two digits swapped
        ("1972-05-17", "1972-01-01", "placeholder_same_year"),
        ("1972-01-01", "1972-05-17", "placeholder_same_year"),
        ("1972-05-17", "1972-07-01", "placeholder_same_year"),
        ("1972-05-17", "1972-12-31", "placeholder_same_year"),
        ("1972-01-01", "1972-01-01", "placeholder_same_year"),
        ("1972-01-01", "1972-05", "placeholder_same_year"),
    ],
)
def test_a_slip_or_a_placeholder_keeps_the_same_name_a_hit(query: str, record: str, reason: str) -> None:
    assert _compare(query, record)[1] == reason
    assert _score(query, record) >= HIT_THRESHOLD
    assert _score(record, query) >= HIT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "record", "weight"),
    [
        ("1972-02-05", "1972-05-02", 0.03),  # swapped: as before
        ("1972-03-12", "1972-03-13", -0.03),  # a day apart: as before
        ("1972-03-12", "1972-03-21", -0.03),  # a mistyped day: as before
        ("1972-03-03", "1973-03-03", 0.03),  # was -0.03 (years one apart, whatever the day)
        ("1972-05-17", "1972-01-01", DOB_YEAR),  # was -0.06 (same year, different month)
    ],
)
def test_tolerated_slips_cost_no_more_than_before(query: str, record: str, weight: float) -> None:
    assert _compare(query, record)[0] == pytest.approx(weight)


@pytest.mark.parametrize(
    ("query", "record", "reason", "weight"),
    [
        # One of month and day agrees, the other plainly differs: -0.06, still a hit for a perfect name.
        ("1972-03-03", "1972-03-27", "different_day", -0.06),
        ("1972-03-05", "1972-03-19", "different_day", -0.06),  # 05 / 19: two digits, no swap
        ("1972-03-03", "1972-07-03", "different_month", -0.06),  # no digit rule for months
        ("1972-03", "1972-11", "different_month", -0.06),
        ("1972-11-20", "1972-03", "different_month", -0.06),
        # Years one apart never cost less than the same month and day would in one year.
        ("1972-03", "1973-03", "years_one_apart", -0.03),
        ("1972-03", "1973-11", "years_one_apart", -0.06),  # was -0.03, less than 1972-03 vs 1972-11
        ("1972-03-03", "1973-03-27", "years_one_apart", -0.06),
        ("1972-02-05", "1973-05-02", "years_one_apart", -0.03),
        ("1972", "1973", "years_one_apart", -0.03),
        ("1972-05-17", "1973-01-01", "placeholder_years_one_apart", -0.03),
        ("1972-01-01", "1975-01-01", "different_years", DOB_CONFLICT),
        ("1972-03-03", "1985-03-03", "different_years", DOB_CONFLICT),  # no one-digit slip of the year
    ],
)
def test_partial_and_one_field_differences(query: str, record: str, reason: str, weight: float) -> None:
    assert _compare(query, record) == (pytest.approx(weight), reason)


# --- what an agreement says -------------------------------------------------------------------------------


def test_a_placeholder_date_agreeing_says_no_more_than_its_year() -> None:
    placeholder = compare_dates(["1972-01-01"], ["1972-01-01"])
    real = compare_dates(["1972-03-03"], ["1972-03-03"])
    assert placeholder is not None and real is not None
    assert (placeholder.weight, placeholder.coincidence) == (DOB_YEAR, COINCIDENCE_YEAR)
    assert real.coincidence == COINCIDENCE_FULL
    assert "1 January" in placeholder.detail


def test_the_best_pair_of_several_dates_counts() -> None:
    factor = compare_dates(["1972-11-20"], ["1972-03-03", "1972-01-01"])
    assert factor is not None and factor.weight == DOB_YEAR


# --- properties over a grid of dates ---------------------------------------------------------------------

_GRID = [
    f"{year}-{month:02d}-{day:02d}"
    for year in (1972, 1973)
    for month, day in ((1, 1), (2, 5), (3, 3), (3, 12), (3, 13), (3, 21), (3, 31), (4, 1), (5, 2), (11, 20))
] + ["1972", "1972-03", "1972-11", "1973-03"]


def test_the_comparison_is_symmetric() -> None:
    for query, record in itertools.product(_GRID, repeat=2):
        assert _compare(query, record) == _compare(record, query), (query, record)


def test_a_year_apart_costs_at_least_as_much_as_the_same_year_unless_day_and_month_agree() -> None:
    for query, record in itertools.product(_GRID, repeat=2):
        if not (query.startswith("1972") and record.startswith("1972")) or query[4:] == record[4:]:
            continue
        later = "1973" + record[4:]
        assert _compare(query, later)[0] <= _compare(query, record)[0], (query, later)


# --- every reason is said in every language ---------------------------------------------------------------


def test_every_reason_is_reached_and_translated() -> None:
    reached = {_compare(q, r)[1] for q, r in itertools.product([*_GRID, "1975", "1985-03-03"], repeat=2)}
    assert reached == set(_DATE_REASONS)
    english = i18n.own_catalogue("en")
    for reason in _DATE_REASONS.values():
        assert english[reason.key] == reason
        for language in ("fr", "es", "ar"):
            translated = i18n.own_catalogue(language)[reason.key]
            assert translated and translated != reason, (language, reason.key)
