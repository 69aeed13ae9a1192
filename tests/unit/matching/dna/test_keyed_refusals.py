"""The DNA core's refusals are keyed for the pages (``Translatable``): a French, Spanish or Arabic page said
"locus TH01 given twice", "a profile needs at least one typed autosomal locus" and the pedigree errors in
English. Each text is still the English the API and the CLI say, byte for byte (written out below), its
English catalogue entry filled with its values is that text, and fr, es and ar have their own entry."""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest

from peacelink.matching.dna import Profile, Relationship, family_pedigree
from peacelink.matching.dna.errors import DNAError
from peacelink.matching.dna.frequencies import FrequencyTable, LocusFrequencies
from peacelink.matching.dna.kinship import pairwise_kinship_lr
from peacelink.matching.dna.kinship_search import FamilyIndex
from peacelink.matching.dna.loci import normalise_locus
from peacelink.matching.dna.pedigree import Member, Pedigree, predict_genotype
from peacelink.matching.dna.profiles import ProfileKind
from peacelink.translatable import Translatable
from peacelink.web import i18n

TYPED = {"D8S1179": ["12", "13"]}


def _relative(relationship: Relationship | None, loci: dict[str, tuple[str, ...]] | None = None) -> Profile:
    return Profile(
        loci=loci or {"D8S1179": ("12", "13")}, kind=ProfileKind.RELATIVE, relationship=relationship
    )


def _pairwise_mixture() -> object:
    frequencies = {"D8S1179": LocusFrequencies({"12": 0.3, "13": 0.3, "14": 0.4}, 0.01)}
    unidentified = Profile(
        loci={"D8S1179": ("12", "13", "14")}, kind=ProfileKind.STAIN, mixture_loci=("D8S1179",)
    )
    return pairwise_kinship_lr(
        _relative(Relationship.PARENT), unidentified, FrequencyTable("test", frequencies)
    )


def _search_mixture() -> object:
    index = FamilyIndex(FrequencyTable("test", {}))
    mixture = Profile(loci={"D8S1179": ("12", "13", "14")}, kind=ProfileKind.STAIN, mixture_loci=("D8S1179",))
    return index.search(mixture)


def _inconsistent() -> object:
    father = Member("F", genotypes={"D8S1179": ("12",)})
    mother = Member("M", genotypes={"D8S1179": ("12",)})
    child = Member("C", "F", "M", genotypes={"D8S1179": ("14",)})
    missing = Member("MP", "F", "M")
    frequencies = LocusFrequencies({"12": 0.5, "13": 0.25, "14": 0.25}, 0.01)
    return predict_genotype(Pedigree((father, mother, child, missing)), "MP", "D8S1179", frequencies)


def _mixed_member() -> object:
    member = Member("F", genotypes={"D8S1179": ("12", "13", "14")})
    frequencies = LocusFrequencies({"12": 0.5, "13": 0.25, "14": 0.25}, 0.01)
    return predict_genotype(Pedigree((member, Member("MP"))), "MP", "D8S1179", frequencies)


# (what is refused, the English the API and the CLI said before the texts were keyed, byte for byte)
REFUSALS: list[tuple[Callable[[], object], str]] = [
    (lambda: Profile.from_mapping(TYPED, kind="alien"), "unknown profile kind 'alien'"),
    (
        lambda: Profile.from_mapping(TYPED, kind="relative", relationship="cousin"),
        "unknown relationship 'cousin'",
    ),
    (
        lambda: Profile.from_mapping(TYPED, kind="relative"),
        "a relative's profile needs its relationship to the missing person",
    ),
    (
        lambda: Profile.from_mapping(TYPED, kind="reference", relationship="parent"),
        "only relative profiles carry a relationship",
    ),
    (
        lambda: Profile.from_mapping({"TH01": ["6"], "HUMTH01": ["7"]}),
        "locus TH01 given twice (as 'HUMTH01' and another spelling)",
    ),
    (
        lambda: Profile.from_mapping({"TH01": "6"}),  # type: ignore[dict-item]
        "TH01: alleles must be a list of strings, not one string",
    ),
    (
        lambda: Profile.from_mapping({"AMEL": ["X", "Y"]}),
        "a profile needs at least one typed autosomal locus",
    ),
    (lambda: normalise_locus("D8$1179"), "invalid locus name 'D8$1179'"),
    (
        lambda: family_pedigree([_relative(Relationship.PARENT)] * 3),
        "at most two parents, two grandparents and one spouse per family",
    ),
    (
        lambda: family_pedigree([_relative(None)]),
        "relative 0 has no relationship to the missing person",
    ),
    (
        lambda: Pedigree((Member("A"), Member("A"))),
        "member id 'A' appears twice",
    ),
    (lambda: Pedigree((Member("A", "B"),)), "A: give both parents or neither"),
    (lambda: Pedigree((Member("A", "B", "C"),)), "A: parent 'B' is not in the pedigree"),
    (
        lambda: Pedigree((Member("B"), Member("A", "B", "B"))),
        "A: father and mother are the same member",
    ),
    (
        lambda: Pedigree((Member("A", "B", "C"), Member("B", "A", "C"), Member("C"))),
        "the pedigree has a cycle (someone is their own ancestor)",
    ),
    (lambda: Pedigree((Member("A"),)).member("Z"), "no member 'Z' in the pedigree"),
    (_mixed_member, "F D8S1179: a mixture cannot be used in a pedigree"),
    (_inconsistent, "D8S1179: the typed relatives are genetically inconsistent"),
    (
        lambda: pairwise_kinship_lr(
            Profile(loci={"D8S1179": ("12", "13")}),
            Profile(loci={"D8S1179": ("12", "13")}),
            FrequencyTable("test", {}),
        ),
        "the relationship of the relative to the missing person is not given",
    ),
    (_pairwise_mixture, "D8S1179: kinship needs single-source profiles, not mixtures"),
    (_search_mixture, "kinship search needs a single-source profile, not a mixture"),
]


def _names(entry: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(entry) if name}


@pytest.mark.parametrize(("refuse", "english"), REFUSALS, ids=[english for _, english in REFUSALS])
def test_a_dna_core_refusal_is_keyed_and_its_english_as_before(
    refuse: Callable[[], object], english: str
) -> None:
    with pytest.raises((DNAError, ValueError)) as raised:
        refuse()
    text = raised.value.args[0]
    assert text == english and str(raised.value) == english  # the API's and the CLI's text
    assert isinstance(text, Translatable), f"not keyed for the pages: {text!r}"
    assert text.key.startswith("dna.error."), text.key
    entry = i18n.own_catalogue("en")[text.key]
    assert entry.format(**text.params) == english, (entry, text.params)
    for language in ("fr", "es", "ar"):
        translated = i18n.own_catalogue(language)[text.key]
        assert translated != entry and _names(translated) <= set(text.params), (language, text.key)
    page = i18n.own_catalogue(i18n.PAGE_ENGLISH).get(text.key)
    assert page is None or _names(page) <= set(text.params), text.key
