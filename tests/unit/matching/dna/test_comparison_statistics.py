"""CODIS stringency comparison and match statistics, checked by hand."""

import math

import pytest

from peacelink.matching.dna import (
    FrequencyTable,
    LocusOutcome,
    Profile,
    Stringency,
    compare_profiles,
    match_statistics,
)
from peacelink.matching.dna.statistics import genotype_probability

FREQS = FrequencyTable.from_rows(
    "test",
    [
        ("vWA", "15", 0.1, 1000),
        ("vWA", "16", 0.2, 1000),
        ("vWA", "17", 0.3, 1000),
        ("TH01", "6", 0.25, 1000),
        ("TH01", "9.3", 0.05, 1000),
        ("FGA", "20", 0.15, 1000),
        ("FGA", "22", 0.2, 1000),
    ],
)


def profile(loci: dict[str, list[str]], kind: str = "reference") -> Profile:
    return Profile.from_mapping(loci, kind=kind)


@pytest.mark.parametrize(
    ("query", "candidate", "high", "moderate", "low"),
    [
        (["15", "16"], ["15", "16"], True, True, True),
        (["15"], ["15", "16"], False, True, True),  # drop-out: contained
        (["15", "16", "17"], ["15", "17"], False, True, True),  # single source inside a mixture
        (["15", "16"], ["16", "17"], False, False, True),  # one shared allele
        (["15", "16"], ["17"], False, False, False),
    ],
)
def test_stringency_per_locus(
    query: list[str], candidate: list[str], high: bool, moderate: bool, low: bool
) -> None:
    q, c = profile({"vWA": query}, "stain"), profile({"vWA": candidate}, "stain")
    for level, expected in ((Stringency.HIGH, high), (Stringency.MODERATE, moderate), (Stringency.LOW, low)):
        outcome = compare_profiles(q, c, stringency=level).loci[0].outcome
        assert outcome is (LocusOutcome.MATCH if expected else LocusOutcome.MISMATCH)


def test_min_loci_mismatch_tolerance_and_not_compared() -> None:
    q = profile({"vWA": ["15", "16"], "TH01": ["6"], "FGA": ["20", "22"], "AMEL": ["X"]})
    c = profile({"vWA": ["15", "16"], "TH01": ["9.3"], "D3S1358": ["15"], "AMEL": ["X", "Y"]})
    comparison = compare_profiles(q, c, stringency="moderate")
    outcomes = {r.locus: r.outcome for r in comparison.loci}
    assert outcomes == {
        "D3S1358": LocusOutcome.NOT_COMPARED,
        "FGA": LocusOutcome.NOT_COMPARED,
        "TH01": LocusOutcome.MISMATCH,
        "vWA": LocusOutcome.MATCH,
    }  # AMEL never compared
    assert (comparison.compared, comparison.matched, comparison.mismatched) == (2, 1, 1)
    assert not comparison.is_match(min_loci=2)
    assert comparison.is_match(min_loci=2, allow_mismatch=True)
    assert not comparison.is_match(min_loci=3, allow_mismatch=True)


def test_nrc2_formula_4_10_by_hand() -> None:
    theta = 0.01
    p, q = 0.1, 0.2
    homozygote = (
        (2 * theta + (1 - theta) * p) * (3 * theta + (1 - theta) * p) / ((1 + theta) * (1 + 2 * theta))
    )
    heterozygote = 2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q) / ((1 + theta) * (1 + 2 * theta))
    assert genotype_probability(("15",), FREQS.at("vWA"), theta=theta) == pytest.approx(homozygote)
    assert genotype_probability(("15", "16"), FREQS.at("vWA"), theta=theta) == pytest.approx(heterozygote)
    assert genotype_probability(("15", "16"), FREQS.at("vWA"), theta=0.0) == pytest.approx(2 * p * q)


def test_single_source_rmp_and_lr() -> None:
    q = profile({"vWA": ["15", "16"], "TH01": ["6"]})
    stats = match_statistics(compare_profiles(q, q, stringency="high"), FREQS, theta=0.0)
    assert stats.rmp == pytest.approx((2 * 0.1 * 0.2) * 0.25**2)
    assert stats.lr == pytest.approx(1 / stats.rmp)
    assert stats.log10_lr == pytest.approx(-math.log10(stats.rmp))


def test_moderate_match_into_mixture_uses_cpi() -> None:
    stain = profile({"vWA": ["15", "16", "17"], "TH01": ["6", "9.3"]}, "stain")
    suspect = profile({"vWA": ["15", "17"], "TH01": ["6", "9.3"]})
    stats = match_statistics(compare_profiles(stain, suspect, stringency="moderate"), FREQS, theta=0.0)
    methods = {s.locus: s.method for s in stats.loci}
    assert methods == {"vWA": "inclusion", "TH01": "genotype"}
    assert stats.rmp == pytest.approx((0.1 + 0.2 + 0.3) ** 2 * (2 * 0.25 * 0.05))


def test_two_p_rule_and_mismatch_factor() -> None:
    q = profile({"vWA": ["15"], "TH01": ["6"]}, "stain")
    c = profile({"vWA": ["15"], "TH01": ["9.3"]})
    comparison = compare_profiles(q, c, stringency="moderate")
    stats = match_statistics(comparison, FREQS, theta=0.0, dropout_possible=True)
    assert stats.rmp == pytest.approx(2 * 0.1)
    assert [s.method for s in stats.loci] == ["uninformative", "two_p"]
