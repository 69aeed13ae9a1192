"""Exact pedigree likelihoods for one STR locus, by variable elimination over allele variables.

Each member has two allele variables (paternal, maternal). Founders draw them from the allele
frequencies (Hardy-Weinberg). A child's paternal allele is one of the father's two alleles,
each with probability 1/2, passed through the mutation matrix T (kinship.stepwise_mutation_matrix);
the same for the maternal allele. A typed member adds an indicator factor "the two alleles are
the typed genotype". The likelihood of the family data is the sum of the product of all
factors over every untyped variable - computed exactly by eliminating variables one at a
time, cheapest first (the "peeling"/Elston-Stewart idea in factor-graph form).

To keep factors small, alleles nobody in the family carries are lumped into one allele
("other") with their summed frequency (exact without mutation; with mutation, steps from a
lumped allele are ignored - see docs/dna.md).

The key result is the **predictive distribution** of the missing person's genotype given the
family: P(G_M = g | family data). For a candidate genotype v::

    LR = P(family data, G_M = v) / (P(family data) · P(v)) = P(G_M = v | family) / P(v)

which is the pedigree LR "the candidate is the missing person" vs "unrelated".
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peacelink.matching.dna.alleles import repeat_number, sort_alleles
from peacelink.matching.dna.errors import InvalidPedigreeError
from peacelink.matching.dna.frequencies import LocusFrequencies
from peacelink.matching.dna.kinship import stepwise_mutation_matrix
from peacelink.translatable import Translatable

__all__ = ["InvalidPedigreeError", "LocusPrediction", "Member", "Pedigree", "predict_genotype"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Member:
    """A pedigree member: parents by id (both or neither) and an optional typed genotype per locus."""

    id: str
    father: str | None = None
    mother: str | None = None
    sex: str | None = None
    genotypes: Mapping[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Pedigree:
    """A family: members in any order, validated to be a proper pedigree (founders have no parents)."""

    members: tuple[Member, ...]

    def __post_init__(self) -> None:
        """Validate ids, parent links and acyclicity, and keep members in parent-before-child order."""
        by_id: dict[str, Member] = {}
        for member in self.members:
            if member.id in by_id:
                said = f"member id {member.id!r} appears twice"
                raise InvalidPedigreeError(Translatable(said, "dna.error.member_twice", member=member.id))
            by_id[member.id] = member
        for member in self.members:
            if (member.father is None) != (member.mother is None):
                said = f"{member.id}: give both parents or neither"
                raise InvalidPedigreeError(Translatable(said, "dna.error.one_parent", member=member.id))
            for parent in (member.father, member.mother):
                if parent is not None and parent not in by_id:
                    said = f"{member.id}: parent {parent!r} is not in the pedigree"
                    keyed = Translatable(said, "dna.error.parent_missing", member=member.id, parent=parent)
                    raise InvalidPedigreeError(keyed)
            if member.father is not None and member.father == member.mother:
                said = f"{member.id}: father and mother are the same member"
                raise InvalidPedigreeError(Translatable(said, "dna.error.same_parents", member=member.id))
        ordered: list[Member] = []
        placed: set[str] = set()
        pending = list(self.members)
        while pending:
            ready = [m for m in pending if m.father is None or {m.father, m.mother} <= placed]
            if not ready:
                said = "the pedigree has a cycle (someone is their own ancestor)"
                raise InvalidPedigreeError(Translatable(said, "dna.error.pedigree_cycle"))
            for member in ready:
                ordered.append(member)
                placed.add(member.id)
            pending = [m for m in pending if m.id not in placed]
        object.__setattr__(self, "members", tuple(ordered))

    def member(self, member_id: str) -> Member:
        """Return the member with this id."""
        for member in self.members:
            if member.id == member_id:
                return member
        said = f"no member {member_id!r} in the pedigree"
        raise InvalidPedigreeError(Translatable(said, "dna.error.no_member", member=member_id))

    def typed_alleles(self, locus: str) -> set[str]:
        """Return every allele typed at a locus in the family."""
        found: set[str] = set()
        for member in self.members:
            if member.genotypes and locus in member.genotypes:
                found.update(member.genotypes[locus])
        return found

    def with_genotypes(self, member_id: str, genotypes: Mapping[str, tuple[str, ...]]) -> Pedigree:
        """Return a copy in which one member is typed with the given genotypes (e.g. an identified victim)."""
        self.member(member_id)
        replaced = tuple(
            Member(m.id, m.father, m.mother, m.sex, genotypes) if m.id == member_id else m
            for m in self.members
        )
        return Pedigree(replaced)


@dataclass(frozen=True)
class LocusPrediction:
    """Predictive genotype distribution of the missing person at one locus, on a lumped allele list."""

    alleles: tuple[str | None, ...]  # None is the lumped "other" allele
    founder: Array  # allele probabilities used for founders (sums to 1)
    ordered: Array  # ordered[i, j] = P(paternal i, maternal j | family data)
    family_likelihood: float

    def lr(self, genotype: tuple[str, ...]) -> float:
        """Return P(G_M = genotype | family) / P(genotype) for a one- or two-allele genotype."""
        i, j = self._index(genotype[0]), self._index(genotype[-1])
        if i == j:
            return float(self.ordered[i, i] / self.founder[i] ** 2)
        numerator = self.ordered[i, j] + self.ordered[j, i]
        return float(numerator / (2 * self.founder[i] * self.founder[j]))

    def _index(self, allele: str) -> int:
        # Alleles nobody in the family carries fall into "other": their share of the lumped
        # class cancels between numerator and denominator (see module docstring).
        try:
            return self.alleles.index(allele)
        except ValueError:
            return self.alleles.index(None)


def _allele_space(
    family_alleles: Iterable[str], frequencies: LocusFrequencies, *, mutation_rate: float
) -> tuple[tuple[str | None, ...], Array]:
    explicit = set(family_alleles)
    if mutation_rate > 0:
        # One-step neighbours present in the table stay explicit so that a single mutation
        # between a typed relative and the candidate is modelled exactly.
        steps = {round(v + s, 1) for a in explicit if (v := repeat_number(a)) is not None for s in (-1, 1)}
        explicit |= {
            a for a in frequencies.observed if (v := repeat_number(a)) is not None and round(v, 1) in steps
        }
    listed = sort_alleles(explicit)
    probs = [frequencies.frequency(a) for a in listed]
    # Every allele outside the list (seen in the population or not) is lumped; it keeps at least
    # the minimum frequency so an unseen allele in a candidate is never impossible.
    other = max(1.0 - sum(probs), frequencies.minimum)
    founder = np.array([*probs, other], dtype=np.float64)
    return (*listed, None), founder / founder.sum()


def _cost(variable: int, factors: list[tuple[tuple[int, ...], Array]]) -> int:
    # Number of variables in the factor created by eliminating `variable` (domains are equal).
    return len({v for names, _ in factors if variable in names for v in names})


def _eliminate(factors: list[tuple[tuple[int, ...], Array]], keep: tuple[int, ...]) -> Array:
    """Sum the product of factors over every variable not in `keep`; return it indexed by `keep`."""
    letters = string.ascii_letters
    work = list(factors)
    while True:
        variables = {v for names, _ in work for v in names} - set(keep)
        if not variables:
            break

        current = work
        target = min(sorted(variables), key=lambda variable: _cost(variable, current))
        used = [f for f in work if target in f[0]]
        work = [f for f in work if target not in f[0]]
        union = sorted({v for names, _ in used for v in names})
        symbol = {v: letters[k] for k, v in enumerate(union)}
        result_vars = tuple(v for v in union if v != target)
        spec = ",".join("".join(symbol[v] for v in names) for names, _ in used)
        spec += "->" + "".join(symbol[v] for v in result_vars)
        work.append((result_vars, np.einsum(spec, *(array for _, array in used), optimize=False)))
    union = sorted({v for names, _ in work for v in names} | set(keep))
    symbol = {v: letters[k] for k, v in enumerate(union)}
    spec = ",".join("".join(symbol[v] for v in names) for names, _ in work)
    spec += "->" + "".join(symbol[v] for v in keep)
    operands = [array for _, array in work]
    if not operands:
        raise InvalidPedigreeError("nothing to compute")
    return np.asarray(np.einsum(spec, *operands), dtype=np.float64)


def predict_genotype(
    pedigree: Pedigree,
    missing_id: str,
    locus: str,
    frequencies: LocusFrequencies,
    *,
    mutation_rate: float = 0.0,
    extra_alleles: Sequence[str] = (),
) -> LocusPrediction:
    """Return the missing person's predictive genotype distribution at one locus given the typed family."""
    alleles, founder = _allele_space(
        [*pedigree.typed_alleles(locus), *extra_alleles], frequencies, mutation_rate=mutation_rate
    )
    size = len(alleles)
    position = {allele: i for i, allele in enumerate(alleles)}
    matrix = stepwise_mutation_matrix(alleles, rate=mutation_rate)
    # transmit[x1, x2, y] = P(child gets y | parent alleles x1, x2) = (T[x1, y] + T[x2, y]) / 2
    transmit = 0.5 * (matrix[:, None, :] + matrix[None, :, :])
    index = {member.id: k for k, member in enumerate(pedigree.members)}
    factors: list[tuple[tuple[int, ...], Array]] = []
    for member in pedigree.members:
        paternal, maternal = 2 * index[member.id], 2 * index[member.id] + 1
        if member.father is None or member.mother is None:
            factors += [((paternal,), founder), ((maternal,), founder)]
        else:
            f, m = index[member.father], index[member.mother]
            factors.append(((2 * f, 2 * f + 1, paternal), transmit))
            factors.append(((2 * m, 2 * m + 1, maternal), transmit))
        typed = member.genotypes.get(locus) if member.genotypes else None
        if typed and member.id != missing_id:
            if len(typed) > 2:
                said = f"{member.id} {locus}: a mixture cannot be used in a pedigree"
                keyed = Translatable(said, "dna.error.pedigree_mixture", member=member.id, locus=locus)
                raise InvalidPedigreeError(keyed)
            evidence = np.zeros((size, size))
            a, b = position[typed[0]], position[typed[-1]]
            evidence[a, b] = evidence[b, a] = 1.0
            factors.append(((paternal, maternal), evidence))
    target = index[pedigree.member(missing_id).id]
    joint = _eliminate(factors, (2 * target, 2 * target + 1))
    total = float(joint.sum())
    if total <= 0.0:
        # Only possible with mutation switched off and a Mendelian inconsistency in the family.
        said = f"{locus}: the typed relatives are genetically inconsistent"
        raise InvalidPedigreeError(Translatable(said, "dna.error.inconsistent", locus=locus))
    return LocusPrediction(alleles=alleles, founder=founder, ordered=joint / total, family_likelihood=total)
