"""Evidence besides the name: date of birth, nationality and sex, each a signed weight with a reason.

Weights are additive adjustments to the name score, kept small on purpose: the name decides whether a
record is a candidate, the other facts reorder and confirm (yente issue #245: DOB over-weighted hurts).
A clear conflict counts more against than an agreement counts for, because a wrong year of birth, or a
full date whose month and day both disagree, is strong evidence of a different person while a shared year
is shared by ~2% of any crowd. What one slip of the pen explains (a typed digit, day and month swapped,
a placeholder 1 January for an unknown date) is not a conflict.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from peacelink.translatable import Translatable

__all__ = ["Factor", "compare_dates", "compare_nationalities", "compare_sex", "parse_date"]

# Agreement at each precision: full date, year and month, year only.
DOB_FULL = 0.10
DOB_MONTH = 0.07
DOB_YEAR = 0.04
# Day and month swapped (01-02 vs 02-01): a classic data-entry error, weak evidence for.
DOB_SWAPPED = 0.03
# Same day and month, the year one apart (a year reckoned from an age) or one typed digit or two swapped
# digits off (1972 / 1982 / 1927): one slip, and a namesake shares the day and month only 1 time in 365, so
# it is weak evidence for, like a swap.
DOB_YEAR_SLIP = 0.03
# Same year and month, the day one typed digit or two swapped digits off (12/13, 12/21, 13/18), or the two
# dates one day apart (calendar conversions and births near midnight): likely one slip, mildly against as
# before. A third of all pairs of days are one such slip apart, so the rule tolerates much; the year and
# month agreeing is what makes it likely the same person.
DOB_DAY_SLIP = -0.03
# One of month and day agreeing, the other plainly different (same month, 03 vs 27; or same day, different
# month). No digit rule for the month: two months in three are one typed digit or a swap apart (01/07,
# 03/08, 10/01), so a typed month cannot be told from a different one; the agreeing field keeps this mild.
# A day no slip explains costs as much as a month (it cost -0.03 when every day difference did).
DOB_DAY_CONFLICT = -0.06
DOB_MONTH_CONFLICT = -0.06
# Years one apart: estimated birth years often are, so it is only mildly against.
DOB_NEAR_YEAR = -0.03
# Years two or more apart: a clear conflict.
DOB_CONFLICT = -0.15
# Two full dates whose month and day both disagree (not swapped, no placeholder), in the same year or
# years one apart: no single slip explains them, so they count as a clear conflict, as much as years two
# apart. At least 0.15 is needed anyway: a name scoring 1.0 with nationality (+0.03) and sex (+0.01)
# agreeing must not reach HIT_THRESHOLD (0.90) on a different birthday (the audit's "Sergey Ivanov" born
# 1972-11-20 against the one born 1972-03-03).
DOB_DATE_CONFLICT = DOB_CONFLICT
NATIONALITY_MATCH = 0.03
NATIONALITY_CONFLICT = -0.05
SEX_MATCH = 0.01
SEX_CONFLICT = -0.12
# Chance that two unrelated adults agree on a date of birth at each precision (birth years spread over at
# least ~30 years, then 12 months, then ~30 days): how much an agreement narrows the persons a name could
# be (``scoring.Scorer.commonness``). Conservative, not fitted: a real population spreads wider.
COINCIDENCE_YEAR = 1 / 30
COINCIDENCE_MONTH = COINCIDENCE_YEAR / 12
COINCIDENCE_FULL = COINCIDENCE_MONTH / 30

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Day and month that registries write when only the year is known (refugee and asylum documents, some
# civil registries of the mission areas: 1 January, also 1 July, the middle of the year, and 31 December).
# A full date holding one is compared as its year alone: its agreement says no more than the year, and a
# real date of that year is no conflict. A person really born on one of these days loses the day: a
# stranger's full date of that year is then only "same year" (3 days in 365, under 1% of real births).
PLACEHOLDER_DAYS = frozenset({(1, 1), (7, 1), (12, 31)})


@dataclass(frozen=True, slots=True)
class Factor:
    """One piece of evidence for (positive weight) or against (negative weight) a match; its ``detail`` is
    English, keyed for the web pages (``Translatable``)."""

    factor: str
    weight: float
    detail: str
    # For an agreement: the chance that unrelated persons agree this well (1.0: says nothing).
    coincidence: float = 1.0

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form used in explanations."""
        return {
            "factor": self.factor,
            "effect": "for" if self.weight > 0 else "against",
            "weight": round(self.weight, 4),
            "detail": self.detail,
        }


@lru_cache(maxsize=65536)
def parse_date(text: str) -> tuple[int, int | None, int | None] | None:
    """Parse 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (ISO 8601 reduced precision); None if malformed. Cached:
    a check compares its dates with those of every shortlisted person, and dates of birth repeat.

    >>> parse_date("1978"), parse_date("1978-03"), parse_date("1978-03-01"), parse_date("03/1978")
    ((1978, None, None), (1978, 3, None), (1978, 3, 1), None)
    """
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    return int(year), (int(month) if month else None), (int(day) if day else None)


# How two dates of birth compare, in an explanation: the catalogue key's last part -> the English words.
_DATE_REASONS = {
    name: Translatable(text, f"persons.factor.date_of_birth.{name}")
    for name, text in (
        ("years_one_apart", "years one apart"),
        ("different_years", "different years"),
        ("same_year", "same year"),
        ("swapped", "day and month swapped"),
        ("different_month", "same year, different month"),
        ("same_month", "same year and month"),
        ("different_day", "same year and month, different day"),
        ("same_date", "same full date"),
        ("different_date", "same year, different month and day"),
        ("years_one_apart_different_date", "years one apart, different month and day"),
        ("day_slip", "same year and month, day mistyped (one digit wrong or two digits swapped)"),
        ("one_day_apart", "one day apart"),
        ("year_slip", "same day and month, year one apart or mistyped"),
        (
            "placeholder_same_year",
            "same year (1 January, 1 July or 31 December may stand for an unknown date)",
        ),
        (
            "placeholder_years_one_apart",
            "years one apart (1 January, 1 July or 31 December may stand for an unknown date)",
        ),
    )
}


def _reason(name: str) -> Translatable:
    return _DATE_REASONS[name]


_Date = tuple[int, int | None, int | None]


def _digit_slip(a: str, b: str) -> bool:
    """Whether two digit strings of one length differ by one typed digit or two neighbours swapped."""
    if len(a) != len(b) or a == b:
        return False
    differ = [i for i in range(len(a)) if a[i] != b[i]]
    if len(differ) == 1:
        return True
    i = differ[0]
    return len(differ) == 2 and differ[1] == i + 1 and (a[i], a[i + 1]) == (b[i + 1], b[i])


def _one_day_apart(q: _Date, c: _Date) -> bool:
    """Whether two full dates are consecutive days (across a month or a year end too)."""
    try:
        days = dt.date(q[0], q[1] or 0, q[2] or 0) - dt.date(c[0], c[1] or 0, c[2] or 0)
    except ValueError:  # not a calendar date: parse_date checks the shape only
        return False
    return abs(days.days) == 1


def _placeholder(date: _Date) -> bool:
    """Whether a full date's day and month are a registry's placeholder for an unknown date."""
    return (date[1], date[2]) in PLACEHOLDER_DAYS


def _compare_year(q: int, c: int, placeholder: bool) -> tuple[float, Translatable, float]:
    """Compare dates known (or, with a placeholder day, taken) to the year only."""
    if q == c:
        name = "placeholder_same_year" if placeholder else "same_year"
        return DOB_YEAR, _reason(name), COINCIDENCE_YEAR
    if abs(q - c) == 1:
        return (
            DOB_NEAR_YEAR,
            _reason("placeholder_years_one_apart" if placeholder else "years_one_apart"),
            1.0,
        )
    return DOB_CONFLICT, _reason("different_years"), 1.0


def _compare_same_year(q: _Date, c: _Date) -> tuple[float, Translatable, float]:
    """Compare two dates of one year, at the precision both have (month at least on both sides)."""
    if q[1] != c[1]:
        if q[2] is None or c[2] is None:
            return DOB_MONTH_CONFLICT, _reason("different_month"), 1.0
        if (q[1], q[2]) == (c[2], c[1]):
            return DOB_SWAPPED, _reason("swapped"), COINCIDENCE_YEAR
        if q[2] == c[2]:
            return DOB_MONTH_CONFLICT, _reason("different_month"), 1.0
        return DOB_DATE_CONFLICT, _reason("different_date"), 1.0
    if q[2] is None or c[2] is None:
        return DOB_MONTH, _reason("same_month"), COINCIDENCE_MONTH
    if q[2] == c[2]:
        return DOB_FULL, _reason("same_date"), COINCIDENCE_FULL
    if _digit_slip(f"{q[2]:02d}", f"{c[2]:02d}"):
        return DOB_DAY_SLIP, _reason("day_slip"), 1.0
    return DOB_DAY_CONFLICT, _reason("different_day"), 1.0


def _compare_date(q: _Date, c: _Date) -> tuple[float, Translatable, float]:
    """Compare two parsed dates at the precision both have: weight, reason, coincidence.

    >>> def compare(q, c):
    ...     weight, reason, _ = _compare_date(parse_date(q), parse_date(c))
    ...     return weight, reason.key.rsplit(".", 1)[1]
    >>> compare("1972-11-20", "1972-03-03"), compare("1972-03-03", "1973-11-20")
    ((-0.15, 'different_date'), (-0.15, 'years_one_apart_different_date'))
    >>> compare("1972-03-12", "1972-03-21"), compare("1972-03-13", "1972-03-18")
    ((-0.03, 'day_slip'), (-0.03, 'day_slip'))
    >>> compare("1972-05-17", "1972-01-01"), compare("1972-03-03", "1973-03-03")
    ((0.04, 'placeholder_same_year'), (0.03, 'year_slip'))
    """
    placeholder = False
    if q[2] is not None and _placeholder(q):
        q, placeholder = (q[0], None, None), True
    if c[2] is not None and _placeholder(c):
        c, placeholder = (c[0], None, None), True
    full = q[2] is not None and c[2] is not None
    same_day = (q[1], q[2]) == (c[1], c[2])
    if full and same_day and (abs(q[0] - c[0]) == 1 or _digit_slip(str(q[0]), str(c[0]))):
        return DOB_YEAR_SLIP, _reason("year_slip"), COINCIDENCE_YEAR
    if full and _one_day_apart(q, c):
        return DOB_DAY_SLIP, _reason("one_day_apart"), 1.0
    if q[1] is None or c[1] is None:
        return _compare_year(q[0], c[0], placeholder)
    if q[0] == c[0]:
        return _compare_same_year(q, c)
    if abs(q[0] - c[0]) == 1:
        # Years one apart at month precision or finer: never better than the same month and day would be in
        # one year (a further slip), nor than DOB_NEAR_YEAR; month and day both wrong is a clear conflict.
        weight = min(DOB_NEAR_YEAR, _compare_same_year((c[0], q[1], q[2]), c)[0])
        if weight == DOB_DATE_CONFLICT:
            return weight, _reason("years_one_apart_different_date"), 1.0
        return weight, _reason("years_one_apart"), 1.0
    return DOB_CONFLICT, _reason("different_years"), 1.0


def compare_dates(query: Sequence[str], candidate: Sequence[str]) -> Factor | None:
    """Best agreement between any query date and any candidate date; None if either side has none."""
    q_dates = [(t, d) for t in query if (d := parse_date(t))]
    c_dates = [(t, d) for t in candidate if (d := parse_date(t))]
    best: Factor | None = None
    for q_text, q in q_dates:
        for c_text, c in c_dates:
            weight, reason, coincidence = _compare_date(q, c)
            if best is None or weight > best.weight:
                detail = Translatable(
                    f"{q_text} vs {c_text}: {reason}",
                    "persons.factor.date_of_birth",
                    query=q_text,
                    candidate=c_text,
                    reason=reason,
                )
                best = Factor("date_of_birth", weight, detail, coincidence)
    return best


# Travel-document codes that name no nationality (ICAO Doc 9303: unspecified, stateless, refugee: a Malian
# refugee holds XXB) count as unknown, and
# Germany's one-letter code is its alpha-3 one.
_UNKNOWN_NATIONALITY = frozenset({"XXX", "XXA", "XXB", "XXC"})
_SAME_NATIONALITY = {"D": "DEU"}


def _nationalities(codes: Sequence[str]) -> set[str]:
    """The known nationalities of ``codes``, each as its alpha-3 code."""
    out = {n.strip().upper().rstrip("<") for n in codes}
    return {_SAME_NATIONALITY.get(n, n) for n in out if n and n not in _UNKNOWN_NATIONALITY}


def compare_nationalities(query: Sequence[str], candidate: Sequence[str]) -> Factor | None:
    """Shared nationality counts for, disjoint known nationalities against; None if either is unknown
    (no code, or XXX, XXA, XXB, XXC: unspecified, stateless, refugee). Germany's MRZ code D is DEU."""
    q = _nationalities(query)
    c = _nationalities(candidate)
    if not q or not c:
        return None
    shared = ", ".join(sorted(q & c))
    if shared:
        detail = Translatable(f"shared: {shared}", "persons.factor.nationality.shared", codes=shared)
        return Factor("nationality", NATIONALITY_MATCH, detail)
    asked, held = ", ".join(sorted(q)), ", ".join(sorted(c))
    detail = Translatable(
        f"{asked} vs {held}", "persons.factor.nationality.different", query=asked, candidate=held
    )
    return Factor("nationality", NATIONALITY_CONFLICT, detail)


def compare_sex(query: str | None, candidate: str | None) -> Factor | None:
    """Same sex counts a little for, a different sex against; None if either is unknown."""
    if not query or not candidate:
        return None
    q, c = query.strip().upper()[:1], candidate.strip().upper()[:1]
    if q not in ("M", "F") or c not in ("M", "F"):
        return None
    return Factor("sex", SEX_MATCH if q == c else SEX_CONFLICT, _SEX_DETAILS[q, c])


# M or F in a detail is said on a page as the sex it stands for (value.sex.male); four details, made once.
_SEXES = {"M": Translatable("M", "value.sex.male"), "F": Translatable("F", "value.sex.female")}
_SEX_DETAILS = {
    (q, c): (
        Translatable(f"both {q}", "persons.factor.sex.same", sex=_SEXES[q])
        if q == c
        else Translatable(f"{q} vs {c}", "persons.factor.sex.different", query=_SEXES[q], candidate=_SEXES[c])
    )
    for q in _SEXES
    for c in _SEXES
}
