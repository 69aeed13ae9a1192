"""Locus names, allele labels and profiles."""

import pytest

from peacelink.matching.dna import (
    CODIS_CORE_20,
    EUROPEAN_STANDARD_SET,
    InvalidAlleleError,
    InvalidLocusError,
    InvalidProfileError,
    Profile,
    normalise_locus,
    parse_allele,
    sort_alleles,
)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("vWA", "vWA"),
        ("VWA", "vWA"),
        ("vWA ", "vWA"),
        ("Penta D", "Penta D"),
        ("PENTA_D", "Penta D"),
        ("PentaD", "Penta D"),
        ("penta-e", "Penta E"),
        ("D21S11", "D21S11"),
        ("D21", "D21S11"),
        ("d3s1358", "D3S1358"),
        ("TH01", "TH01"),
        ("THO1", "TH01"),
        ("AMEL", "AMEL"),
        ("Amelogenin", "AMEL"),
        ("SE33", "SE33"),
        ("ACTBP2", "SE33"),
        ("F13A1", "F13A01"),
    ],
)
def test_normalise_locus(raw: str, canonical: str) -> None:
    assert normalise_locus(raw) == canonical


def test_core_sets() -> None:
    assert len(CODIS_CORE_20) == len(set(CODIS_CORE_20)) == 20
    assert len(EUROPEAN_STANDARD_SET) == 12
    assert set(EUROPEAN_STANDARD_SET) <= set(CODIS_CORE_20)
    assert all(normalise_locus(locus) == locus for locus in CODIS_CORE_20)


@pytest.mark.parametrize("raw", ["", "  ", "vWA;drop", None])
def test_invalid_locus(raw: str) -> None:
    with pytest.raises(InvalidLocusError):
        normalise_locus(raw)


@pytest.mark.parametrize(
    ("raw", "locus", "canonical"),
    [
        ("9", "TH01", "9"),
        ("09", "TH01", "9"),
        ("9.0", "TH01", "9"),
        ("9.3", "TH01", "9.3"),
        ("<8", "FGA", "<8"),
        ("> 30", "FGA", ">30"),
        ("ol", "FGA", "OL"),
        ("x", "AMEL", "X"),
        ("Y", "Amelogenin", "Y"),
    ],
)
def test_parse_allele(raw: str, locus: str, canonical: str) -> None:
    assert parse_allele(raw, locus=locus) == canonical


@pytest.mark.parametrize(
    ("raw", "locus"), [("A", "TH01"), ("9.34", "TH01"), ("0", "TH01"), ("9", "AMEL"), ("", "FGA")]
)
def test_invalid_allele_names_the_locus(raw: str, locus: str) -> None:
    with pytest.raises(InvalidAlleleError) as error:
        parse_allele(raw, locus=locus)
    assert normalise_locus(locus) in str(error.value)


def test_sort_alleles() -> None:
    assert sort_alleles(["OL", "10", ">11", "9.3", "<8", "9", "8"]) == (
        "<8",
        "8",
        "9",
        "9.3",
        "10",
        ">11",
        "OL",
    )


def test_profile_parsing_and_kinds() -> None:
    profile = Profile.from_mapping({"VWA": ["17", "15", "15"], "th01": ["9.3"], "AMEL": ["X"]}, kind="stain")
    assert profile.loci == {"AMEL": ("X",), "TH01": ("9.3",), "vWA": ("15", "17")}
    assert profile.sex == "F"
    assert not profile.is_mixture
    mixture = Profile.from_mapping({"vWA": ["14", "15", "17"]}, kind="stain")
    assert mixture.is_mixture and mixture.mixture_loci == ("vWA",)
    relative = Profile.from_mapping({"vWA": ["15"]}, kind="relative", relationship="full_sibling")
    assert relative.relationship is not None and relative.relationship.value == "full_sibling"
    assert relative.to_mapping() == {"vWA": ["15"]}


@pytest.mark.parametrize(
    ("loci", "kind", "relationship", "message"),
    [
        ({"vWA": ["14", "15", "17"]}, "reference", None, "only stains"),
        ({"vWA": ["15"], "VWA": ["16"]}, "reference", None, "twice"),
        ({"AMEL": ["X"]}, "reference", None, "autosomal"),
        ({"vWA": ["15"]}, "relative", None, "relationship"),
        ({"vWA": ["15"]}, "stain", "parent", "only relative"),
        ({"vWA": ["fifteen"]}, "stain", None, "vWA"),
        ({"vWA": "15"}, "stain", None, "list"),
        ({"vWA": ["15"]}, "suspect", None, "kind"),
    ],
)
def test_invalid_profiles(
    loci: dict[str, list[str]], kind: str, relationship: str | None, message: str
) -> None:
    with pytest.raises(InvalidProfileError, match=message):
        Profile.from_mapping(loci, kind=kind, relationship=relationship)
