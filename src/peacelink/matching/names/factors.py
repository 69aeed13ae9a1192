"""Evidence besides the name: date of birth, nationality and sex, each a signed weight with a reason.

Weights are additive adjustments to the name score, kept small on purpose: the name decides whether a
record is a candidate, the other facts reorder and confirm (yente issue #245: DOB over-weighted hurts).
A clear conflict counts more against than an agreement counts for, because a wrong year of birth is
strong evidence of a different person while a shared year is shared by ~2% of any crowd.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from peacelink.translatable import Translatable

__all__ = ["Factor", "compare_dates", "compare_nationalities", "compare_sex", "parse_date"]

# Agreement at each precision: full date, year and month, year only.
DOB_FULL = 0.10
DOB_MONTH = 0.07
DOB_YEAR = 0.04
# Day and month swapped (01-02 vs 02-01): a classic data-entry error, weak evidence for.
DOB_SWAPPED = 0.03
# Same year and month, different day: likely a typing error, mildly against.
DOB_DAY_CONFLICT = -0.03
# Same year, different month.
DOB_MONTH_CONFLICT = -0.06
# Years one apart: estimated birth years often are, so it is only mildly against.
DOB_NEAR_YEAR = -0.03
# Years two or more apart: a clear conflict.
DOB_CONFLICT = -0.15
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


def parse_date(text: str) -> tuple[int, int | None, int | None] | None:
    """Parse 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (ISO 8601 reduced precision); None if malformed.

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
    )
}


def _reason(name: str) -> Translatable:
    return _DATE_REASONS[name]


def _compare_date(
    q: tuple[int, int | None, int | None], c: tuple[int, int | None, int | None]
) -> tuple[float, Translatable, float]:
    """Compare two parsed dates at the precision both have: weight, reason, coincidence."""
    if q[0] != c[0]:
        if abs(q[0] - c[0]) == 1:
            return DOB_NEAR_YEAR, _reason("years_one_apart"), 1.0
        return DOB_CONFLICT, _reason("different_years"), 1.0
    if q[1] is None or c[1] is None:
        return DOB_YEAR, _reason("same_year"), COINCIDENCE_YEAR
    if q[1] != c[1]:
        if q[2] is not None and c[2] is not None and (q[1], q[2]) == (c[2], c[1]):
            return DOB_SWAPPED, _reason("swapped"), COINCIDENCE_YEAR
        return DOB_MONTH_CONFLICT, _reason("different_month"), 1.0
    if q[2] is None or c[2] is None:
        return DOB_MONTH, _reason("same_month"), COINCIDENCE_MONTH
    if q[2] != c[2]:
        return DOB_DAY_CONFLICT, _reason("different_day"), 1.0
    return DOB_FULL, _reason("same_date"), COINCIDENCE_FULL


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
