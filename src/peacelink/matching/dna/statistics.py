"""Match statistics: random match probability (RMP) and likelihood ratio (LR) of a DNA match.

**Single-source genotypes** use the NRC II (1996) recommendation 4.2 formulas 4.10a/4.10b,
the Balding-Nichols conditional match probability with a population-structure correction
theta (F_ST)::

    homozygote aa:   [2θ + (1−θ)p][3θ + (1−θ)p] / [(1+θ)(1+2θ)]
    heterozygote ab: 2[θ + (1−θ)p][θ + (1−θ)q] / [(1+θ)(1+2θ)]

With θ = 0 they reduce to the Hardy-Weinberg p² and 2pq. The default θ = 0.01 is the value
NRC II suggests for most populations (0.03 for small, isolated ones). For a single-source
match the LR is 1/RMP (both propositions: the candidate is the source / an unrelated person is).

**Moderate matches** (one profile's alleles contained in the other's: partial profiles with
drop-out, single sources inside mixtures) are weighed with the probability of inclusion of the
larger allele set S at the locus, PI = (Σ_{a∈S} p_a)² (no θ), and the combined probability of
inclusion CPI = Π PI. The reported LR is 1/CPI. CPI ignores peak heights and drop-out
modelling, so it is a screening statistic for ranking, not a replacement for a probabilistic
genotyping report (e.g. EuroForMix).

**Low-stringency loci** (alleles shared but neither set contains the other) and a tolerated
mismatching locus contribute a factor of 1 and are flagged: the figure then covers only the
loci that support the match.

>>> from peacelink.matching.dna.frequencies import FrequencyTable
>>> t = FrequencyTable.from_rows('x', [('TH01', '6', 0.2, 1000), ('TH01', '7', 0.1, 1000)])
>>> round(genotype_probability(('6', '7'), t.at('TH01'), theta=0.0), 6)
0.04
>>> round(inclusion_probability(('6', '7'), t.at('TH01')), 6)
0.09
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from peacelink.matching.dna.comparison import Comparison, LocusOutcome
from peacelink.matching.dna.frequencies import FrequencyTable, LocusFrequencies

__all__ = [
    "DEFAULT_THETA",
    "LocusStatistic",
    "MatchStatistics",
    "genotype_probability",
    "inclusion_probability",
    "match_statistics",
]

# NRC II (1996) p. 5-29/recommendation 4.2: θ = 0.01 for general populations.
DEFAULT_THETA = 0.01


@dataclass(frozen=True)
class LocusStatistic:
    """The factor one locus contributes to the RMP and how it was computed."""

    locus: str
    probability: float
    # 'genotype' (NRC II 4.10), 'inclusion' (PI), 'two_p' (2p rule), 'uninformative'
    # (low-stringency or tolerated mismatch: factor 1), 'no_frequencies' (table lacks the locus).
    method: str


@dataclass(frozen=True)
class MatchStatistics:
    """RMP and LR of a match over the compared loci, with the per-locus factors."""

    rmp: float
    lr: float
    loci: tuple[LocusStatistic, ...]

    @property
    def log10_lr(self) -> float:
        """Return log10 of the LR (convenient for display and ranking)."""
        return -math.log10(self.rmp) if self.rmp > 0 else math.inf


def genotype_probability(alleles: tuple[str, ...], frequencies: LocusFrequencies, *, theta: float) -> float:
    """Return the NRC II 4.10 match probability of a one- or two-allele genotype (one allele = homozygote)."""
    if not 1 <= len(alleles) <= 2:
        raise ValueError(f"a single-source genotype has one or two alleles, not {len(alleles)}")
    denominator = (1 + theta) * (1 + 2 * theta)
    if len(alleles) == 1 or alleles[0] == alleles[1]:
        p = frequencies.frequency(alleles[0])
        return (2 * theta + (1 - theta) * p) * (3 * theta + (1 - theta) * p) / denominator
    p, q = (frequencies.frequency(a) for a in alleles)
    return 2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q) / denominator


def inclusion_probability(alleles: tuple[str, ...], frequencies: LocusFrequencies) -> float:
    """Return the probability that a random person is included in an allele set: (Σ p)², capped at 1."""
    total = sum(frequencies.frequency(a) for a in set(alleles))
    return min(1.0, total) ** 2


def _locus_factor(
    query: tuple[str, ...],
    candidate: tuple[str, ...],
    frequencies: LocusFrequencies,
    *,
    theta: float,
    dropout_possible: bool,
) -> tuple[float, str]:
    q, c = set(query), set(candidate)
    if q == c and len(q) <= 2:
        if len(q) == 1 and dropout_possible:
            # NRC II 4.4 "2p rule": a single allele in a degraded sample may hide a drop-out.
            return min(1.0, 2 * frequencies.frequency(query[0])), "two_p"
        return genotype_probability(tuple(sorted(q)), frequencies, theta=theta), "genotype"
    if q <= c or c <= q:
        larger = query if c <= q else candidate
        return inclusion_probability(larger, frequencies), "inclusion"
    return 1.0, "uninformative"


def match_statistics(
    comparison: Comparison,
    frequencies: FrequencyTable,
    *,
    theta: float = DEFAULT_THETA,
    dropout_possible: bool = False,
) -> MatchStatistics:
    """Return the RMP and LR of a match from its per-locus comparison and a population's frequencies."""
    factors: list[LocusStatistic] = []
    rmp = 1.0
    for result in comparison.loci:
        if result.outcome is LocusOutcome.NOT_COMPARED:
            continue
        if result.locus not in frequencies.loci:
            factors.append(LocusStatistic(result.locus, 1.0, "no_frequencies"))
            continue
        if result.outcome is LocusOutcome.MISMATCH:
            factors.append(LocusStatistic(result.locus, 1.0, "uninformative"))
            continue
        probability, method = _locus_factor(
            result.query,
            result.candidate,
            frequencies.loci[result.locus],
            theta=theta,
            dropout_possible=dropout_possible,
        )
        factors.append(LocusStatistic(result.locus, probability, method))
        rmp *= probability
    return MatchStatistics(rmp=rmp, lr=1.0 / rmp if rmp > 0 else math.inf, loci=tuple(factors))
