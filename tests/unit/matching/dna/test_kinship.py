"""Kinship LRs checked against hand calculations; the pedigree engine against closed forms."""

import numpy as np
import pytest

from peacelink.matching.dna import FamilyIndex, FrequencyTable, Member, Pedigree, Profile, predict_genotype
from peacelink.matching.dna.errors import InvalidPedigreeError
from peacelink.matching.dna.kinship import (
    FULL_SIBLING,
    HALF_SIBLING,
    PARENT_CHILD,
    pairwise_kinship_lr,
    pairwise_locus_lr,
    stepwise_mutation_matrix,
)

P = {"6": 0.1, "7": 0.2, "8": 0.3, "9": 0.15, "9.3": 0.25}
TABLE = FrequencyTable.from_rows("test", [("TH01", a, f, 10_000) for a, f in P.items()])
TH01 = TABLE.at("TH01")


def relative(alleles: list[str], relationship: str) -> Profile:
    return Profile.from_mapping({"TH01": alleles}, kind="relative", relationship=relationship)


def remains(alleles: list[str]) -> Profile:
    return Profile.from_mapping({"TH01": alleles}, kind="unidentified_remains")


@pytest.mark.parametrize(
    ("parent", "child", "expected"),
    [
        (("6", "7"), ("6", "8"), 1 / (4 * P["6"])),  # het-het sharing a: 1/(4 p_a)
        (("6", "7"), ("6", "6"), 1 / (2 * P["6"])),  # het parent, homozygous child: 1/(2 p_a)
        (("6", "6"), ("6", "8"), 1 / (2 * P["6"])),  # homozygous parent, het child: 1/(2 p_a)
        (("6", "6"), ("6", "6"), 1 / P["6"]),  # both homozygous: 1/p_a
        (
            ("6", "7"),
            ("6", "7"),
            (P["6"] + P["7"]) / (4 * P["6"] * P["7"]),
        ),  # same het: (p_a+p_b)/(4 p_a p_b)
        (("6", "7"), ("8", "9"), 0.0),  # exclusion without mutation
    ],
)
def test_parent_child_by_hand(parent: tuple[str, str], child: tuple[str, str], expected: float) -> None:
    assert pairwise_locus_lr(parent, child, TH01, PARENT_CHILD) == pytest.approx(expected)


def test_full_and_half_siblings_by_hand() -> None:
    pa, pb = P["6"], P["7"]
    # Full siblings with the same heterozygous genotype: (1 + p_a + p_b + 2 p_a p_b) / (8 p_a p_b).
    expected = (1 + pa + pb + 2 * pa * pb) / (8 * pa * pb)
    assert pairwise_locus_lr(("6", "7"), ("6", "7"), TH01, FULL_SIBLING) == pytest.approx(expected)
    # Sharing one allele a (het-het): full siblings 1/4 + 1/(8 p_a); half siblings 1/2 + 1/(8 p_a).
    assert pairwise_locus_lr(("6", "7"), ("6", "8"), TH01, FULL_SIBLING) == pytest.approx(0.25 + 1 / (8 * pa))
    assert pairwise_locus_lr(("6", "7"), ("6", "8"), TH01, HALF_SIBLING) == pytest.approx(0.5 + 1 / (8 * pa))
    # No shared allele: k0 only.
    assert pairwise_locus_lr(("6", "7"), ("8", "9"), TH01, FULL_SIBLING) == pytest.approx(0.25)


def test_one_step_mutation_keeps_parent_child_lr_positive() -> None:
    mu = 0.002
    # Parent (6,7), child (8,9.3): 8 must come from 7 by a +1 step (prob mu/2, parent allele 7 chosen
    # with 1/2), 9.3 from the other parent (p_9.3): LR = 1/2 · mu/2 · p_9.3 / (2 p_8 p_9.3) = mu / (8 p_8).
    result = pairwise_kinship_lr(
        relative(["6", "7"], "parent"), remains(["8", "9.3"]), TABLE, mutation_rate=mu
    )
    assert result.lr == pytest.approx(mu / (8 * P["8"]))
    assert (
        pairwise_kinship_lr(relative(["6", "7"], "parent"), remains(["8", "9.3"]), TABLE, mutation_rate=0).lr
        == 0
    )


def test_mutation_matrix_rows_sum_to_one() -> None:
    matrix = stepwise_mutation_matrix(["6", "7", "8", "9.3", "OL", None], rate=0.01)
    assert np.allclose(matrix.sum(axis=1), 1.0)
    assert matrix[1, 0] == pytest.approx(0.005) and matrix[1, 2] == pytest.approx(0.005)
    assert matrix[3, 3] == 1.0 and matrix[4, 4] == 1.0  # no listed neighbour of 9.3; off-ladder never steps


@pytest.mark.parametrize("relationship", ["parent", "full_sibling", "half_sibling", "child", "uncle_aunt"])
def test_pedigree_engine_equals_pairwise_formula(relationship: str) -> None:
    rng = np.random.default_rng(7)
    alleles = list(P)
    for _ in range(15):
        a = sorted(rng.choice(alleles, size=2).tolist())
        b = sorted(rng.choice(alleles, size=2).tolist())
        family = FamilyIndex(TABLE, mutation_rate=0.0)
        family.add("f", [relative(a, relationship)])
        engine = family.search(remains(b), min_lr=-1.0)[0].lr
        closed = pairwise_kinship_lr(relative(a, relationship), remains(b), TABLE, mutation_rate=0.0).lr
        assert engine == pytest.approx(closed, rel=1e-9)


def test_mutation_in_engine_close_to_pairwise() -> None:
    family = FamilyIndex(TABLE, mutation_rate=0.002)
    family.add("f", [relative(["6", "7"], "parent")])
    # The stepwise model is not stationary, so the engine differs from the closed form by O(mu).
    assert family.search(remains(["8", "9.3"]))[0].lr == pytest.approx(0.002 / (8 * P["8"]), rel=1e-2)


def test_two_parents_by_hand() -> None:
    # Father (6,7), mother (8,9), child (6,8): P(child | parents) = 1/2 · 1/2; P(child) = 2 p_6 p_8.
    family = FamilyIndex(TABLE, mutation_rate=0.0)
    family.add("f", [relative(["6", "7"], "parent"), relative(["8", "9"], "parent")])
    assert family.search(remains(["6", "8"]))[0].lr == pytest.approx(1 / (8 * P["6"] * P["8"]))


def test_parent_and_sibling_by_hand() -> None:
    # Mother (6,6), full sibling (6,7): the sibling's 7 came from the untyped father. The missing
    # child gets 7 from the father with probability (1 + p_7)/2, so for the child (6,7):
    # LR = (1 + p_7) / 2 / (2 p_6 p_7).
    family = FamilyIndex(TABLE, mutation_rate=0.0)
    family.add("f", [relative(["6"], "parent"), relative(["6", "7"], "full_sibling")])
    expected = (1 + P["7"]) / 2 / (2 * P["6"] * P["7"])
    assert family.search(remains(["6", "7"]))[0].lr == pytest.approx(expected)


def test_untyped_family_gives_lr_one_and_inconsistent_family_fails() -> None:
    pedigree = Pedigree((Member("F"), Member("M"), Member("X", "F", "M")))
    prediction = predict_genotype(pedigree, "X", "TH01", TH01)
    assert prediction.lr(("6", "7")) == pytest.approx(1.0)
    assert prediction.lr(("12", "13")) == pytest.approx(1.0)  # alleles the table never saw
    bad = Pedigree(
        (
            Member("F", genotypes={"TH01": ("6",)}),
            Member("M", genotypes={"TH01": ("6",)}),
            Member("X", "F", "M"),
            Member("S", "F", "M", genotypes={"TH01": ("8",)}),
        )
    )
    with pytest.raises(InvalidPedigreeError, match="inconsistent"):
        predict_genotype(bad, "X", "TH01", TH01)


@pytest.mark.parametrize(
    "members",
    [
        (Member("A", "B", None),),
        (Member("A", "B", "C"),),
        (Member("A"), Member("A")),
        (Member("A", "B", "C"), Member("B", "A", "C"), Member("C")),
    ],
)
def test_invalid_pedigrees(members: tuple[Member, ...]) -> None:
    with pytest.raises(InvalidPedigreeError):
        Pedigree(members)
