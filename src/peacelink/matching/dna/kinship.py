"""Pairwise kinship likelihood ratios (IBD coefficients) and the stepwise mutation model.

For two persons A (a typed relative) and B (e.g. unidentified remains), the likelihood ratio
of "A and B have relationship R" against "A and B are unrelated" at one locus is (Thompson
1975; Evett & Weir 1998, ch. 7)::

    LR = k0 + k1 · P(B | A, one allele IBD) / P(B) + k2 · P(B | A, two alleles IBD) / P(B)

with the IBD coefficients (k0, k1, k2) of R: parent-child (0, 1, 0), full siblings
(1/4, 1/2, 1/4), half siblings / grandparent / uncle-aunt (1/2, 1/2, 0). P(B) is the
Hardy-Weinberg genotype probability (no θ: kinship LRs here assume an unstructured population).
Loci multiply (independence across loci; linked loci such as vWA/D12S391 are treated as
unlinked, a known simplification).

**Mutation** (parent-child only): a parent's allele x is passed on as y with probability
``T[x, y]`` from a simple single-step stepwise model: it mutates with rate μ (default 0.002 per
transmission, close to the average STR mutation rate), half to x-1 and half to x+1 repeat
(keeping the microvariant part: 9.3 -> 8.3/10.3). A step to an allele outside the allele list
is kept on x. So a one-step "mismatch" between a true parent and child gives a small LR
instead of zero.

>>> from peacelink.matching.dna.frequencies import FrequencyTable
>>> t = FrequencyTable.from_rows('x', [('TH01', a, 0.1, 1000) for a in '6789'])
>>> round(pairwise_locus_lr(('6', '7'), ('6', '8'), t.at('TH01'), PARENT_CHILD), 6)   # 1/(4p)
2.5
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peacelink.matching.dna.alleles import repeat_number, sort_alleles
from peacelink.matching.dna.frequencies import FrequencyTable, LocusFrequencies
from peacelink.matching.dna.profiles import Profile, Relationship
from peacelink.translatable import Translatable

__all__ = [
    "DEFAULT_MUTATION_RATE",
    "FULL_SIBLING",
    "HALF_SIBLING",
    "PARENT_CHILD",
    "UNRELATED",
    "IBDCoefficients",
    "KinshipResult",
    "coefficients_for",
    "pairwise_kinship_lr",
    "pairwise_locus_lr",
    "stepwise_mutation_matrix",
]

# Average autosomal STR mutation rate per generation is about 1e-3 to 3e-3 (AABB 2008 annual
# report); 0.002 is a conservative middle value.
DEFAULT_MUTATION_RATE = 0.002


@dataclass(frozen=True)
class IBDCoefficients:
    """Probabilities that two relatives share 0, 1 or 2 alleles identical by descent."""

    k0: float
    k1: float
    k2: float


PARENT_CHILD = IBDCoefficients(0.0, 1.0, 0.0)
FULL_SIBLING = IBDCoefficients(0.25, 0.5, 0.25)
HALF_SIBLING = IBDCoefficients(0.5, 0.5, 0.0)
UNRELATED = IBDCoefficients(1.0, 0.0, 0.0)

_COEFFICIENTS: dict[Relationship, IBDCoefficients] = {
    Relationship.PARENT: PARENT_CHILD,
    Relationship.CHILD: PARENT_CHILD,
    Relationship.FULL_SIBLING: FULL_SIBLING,
    Relationship.HALF_SIBLING: HALF_SIBLING,
    Relationship.GRANDPARENT: HALF_SIBLING,
    Relationship.UNCLE_AUNT: HALF_SIBLING,
    Relationship.SPOUSE: UNRELATED,
}


def coefficients_for(relationship: Relationship | str) -> IBDCoefficients:
    """Return the IBD coefficients of a relationship to the missing person."""
    return _COEFFICIENTS[Relationship(relationship)]


def stepwise_mutation_matrix(
    alleles: Sequence[str | None], *, rate: float = DEFAULT_MUTATION_RATE
) -> npt.NDArray[np.float64]:
    """Return T[x, y] = P(pass y | parent allele x) for the single-step model; None marks a lumped allele."""
    size = len(alleles)
    matrix = np.eye(size)
    if rate <= 0.0:
        return matrix
    index: dict[float, int] = {}
    for i, allele in enumerate(alleles):
        value = repeat_number(allele) if allele is not None else None
        if value is not None:
            index[round(value, 1)] = i
    for i, allele in enumerate(alleles):
        value = repeat_number(allele) if allele is not None else None
        if value is None:
            continue  # off-ladder and lumped alleles have no defined neighbour: no mutation
        for step in (-1.0, 1.0):
            # A neighbour outside the list keeps its mass on x. Sending it to a lumped "other"
            # allele would wrongly spread it over every unlisted allele of the population.
            target = index.get(round(value + step, 1))
            if target is not None:
                matrix[i, i] -= rate / 2
                matrix[i, target] += rate / 2
    return matrix


def _half_match(genotype: tuple[str, str], allele_probs: dict[str, float], given: str) -> float:
    # P(genotype | one allele is `given`, the other drawn from the population).
    c, d = genotype
    if c == d:
        return allele_probs[c] if given == c else 0.0
    if given == c:
        return allele_probs[d]
    if given == d:
        return allele_probs[c]
    return 0.0


def pairwise_locus_lr(
    relative: tuple[str, ...],
    unidentified: tuple[str, ...],
    frequencies: LocusFrequencies,
    coefficients: IBDCoefficients,
    *,
    mutation_rate: float = 0.0,
) -> float:
    """Return the one-locus kinship LR of two single-source genotypes (mutation for parent-child only)."""
    a = (relative[0], relative[-1])
    b = (unidentified[0], unidentified[-1])
    alleles = sort_alleles(set(frequencies.observed) | set(a) | set(b))
    probs = {allele: frequencies.frequency(allele) for allele in alleles}
    p_b = probs[b[0]] ** 2 if b[0] == b[1] else 2 * probs[b[0]] * probs[b[1]]
    mutate = mutation_rate > 0.0 and coefficients == PARENT_CHILD
    if mutate:
        matrix = stepwise_mutation_matrix(alleles, rate=mutation_rate)
        position = {allele: i for i, allele in enumerate(alleles)}
        one_ibd = 0.0
        for parental in a:  # each parental allele is transmitted with probability 1/2
            row = matrix[position[parental]]
            one_ibd += 0.5 * sum(row[position[y]] * _half_match(b, probs, y) for y in set(b))
    else:
        one_ibd = 0.5 * (_half_match(b, probs, a[0]) + _half_match(b, probs, a[1]))
    two_ibd = p_b if sorted(a) == sorted(b) else 0.0
    # P(B | A, IBD=2) is 1 when the genotypes are equal; divide every term by P(B).
    two_term = (1.0 / p_b) if two_ibd else 0.0
    return coefficients.k0 + coefficients.k1 * one_ibd / p_b + coefficients.k2 * two_term


@dataclass(frozen=True)
class KinshipResult:
    """A kinship LR and its per-locus factors (loci typed in both profiles and in the table)."""

    lr: float
    loci: tuple[tuple[str, float], ...]


def pairwise_kinship_lr(
    relative: Profile,
    unidentified: Profile,
    frequencies: FrequencyTable,
    *,
    relationship: Relationship | str | None = None,
    mutation_rate: float = DEFAULT_MUTATION_RATE,
) -> KinshipResult:
    """Return the LR that `relative` has `relationship` (default: the profile's own) to `unidentified`."""
    relation = relationship if relationship is not None else relative.relationship
    if relation is None:
        said = "the relationship of the relative to the missing person is not given"
        raise ValueError(Translatable(said, "dna.error.kinship_relationship"))
    coefficients = coefficients_for(relation)
    factors: list[tuple[str, float]] = []
    lr = 1.0
    for locus in relative.autosomal_loci:
        if locus not in unidentified.loci or locus not in frequencies.loci:
            continue
        if len(relative.loci[locus]) > 2 or len(unidentified.loci[locus]) > 2:
            said = f"{locus}: kinship needs single-source profiles, not mixtures"
            raise ValueError(Translatable(said, "dna.error.kinship_mixture", locus=locus))
        value = pairwise_locus_lr(
            relative.loci[locus],
            unidentified.loci[locus],
            frequencies.loci[locus],
            coefficients,
            mutation_rate=mutation_rate,
        )
        factors.append((locus, value))
        lr *= value
    return KinshipResult(lr=lr, loci=tuple(factors))
