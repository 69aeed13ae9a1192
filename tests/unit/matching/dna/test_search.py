"""DirectSearchIndex against a brute-force loop, serialisation, overflow alleles; kinship search."""

import numpy as np
import pytest

from peacelink.matching.dna import (
    DirectSearchIndex,
    FamilyIndex,
    FamilyModel,
    FrequencyTable,
    Profile,
    Stringency,
    compare_profiles,
    kinship_search,
)

LOCI = ["CSF1PO", "D3S1358", "D5S818", "D7S820", "D8S1179", "FGA", "TH01", "TPOX", "vWA", "SE33"]
ALLELES = {locus: [str(a) for a in range(5, 15)] + ["9.3", "13.2"] for locus in LOCI}
ALLELES["SE33"] = [str(a) for a in range(1, 81)]  # more than 63 alleles: exercises the overflow bit
FREQS = FrequencyTable.from_rows(
    "synthetic", [(locus, a, 1 / len(alleles), 2000) for locus, alleles in ALLELES.items() for a in alleles]
)


def random_profile(rng: np.random.Generator, *, kind: str = "reference", loci: list[str] = LOCI) -> Profile:
    return Profile.from_mapping(
        {locus: list(rng.choice(ALLELES[locus], size=2)) for locus in loci}, kind=kind
    )


@pytest.fixture(scope="module")
def database() -> tuple[DirectSearchIndex, dict[str, Profile]]:
    rng = np.random.default_rng(42)
    profiles = {f"P{k}": random_profile(rng) for k in range(400)}
    # Relatives of P0 (share one allele per locus) and partial copies make matches likely.
    base = profiles["P0"].loci
    for k in range(20):
        profiles[f"R{k}"] = Profile.from_mapping(
            {locus: [base[locus][0], str(rng.choice(ALLELES[locus]))] for locus in LOCI if rng.random() > 0.1}
        )
    index = DirectSearchIndex(capacity=8)  # tiny capacity: growth is exercised
    for profile_id, profile in profiles.items():
        index.add(profile_id, profile)
    return index, profiles


def brute_force(
    profiles: dict[str, Profile], query: Profile, stringency: str, min_loci: int, tolerate: bool
) -> set[str]:
    return {
        pid
        for pid, p in profiles.items()
        if compare_profiles(query, p, stringency=stringency).is_match(
            min_loci=min_loci, allow_mismatch=tolerate
        )
    }


@pytest.mark.parametrize("stringency", ["high", "moderate", "low"])
@pytest.mark.parametrize("tolerate", [False, True])
def test_index_equals_brute_force(
    database: tuple[DirectSearchIndex, dict[str, Profile]], stringency: str, tolerate: bool
) -> None:
    index, profiles = database
    rng = np.random.default_rng(1)
    base = profiles["P0"].loci
    queries = [
        profiles["P0"],
        profiles["R3"],
        Profile.from_mapping({locus: [base[locus][0]] for locus in LOCI[:7]}, kind="stain"),  # partial
        Profile.from_mapping(
            {locus: sorted(set(base[locus]) | set(profiles["P1"].loci[locus])) for locus in LOCI},
            kind="stain",
        ),  # mixture of P0 and P1
        random_profile(rng, kind="stain"),
    ]
    for query in queries:
        for min_loci in (4, 7):
            hits = index.search(
                query, stringency=stringency, min_loci=min_loci, allow_mismatch=tolerate, limit=None
            )
            assert {h.id for h in hits} == brute_force(profiles, query, stringency, min_loci, tolerate)


def test_ranking_statistics_and_removal(database: tuple[DirectSearchIndex, dict[str, Profile]]) -> None:
    index, profiles = database
    hits = index.search(profiles["P5"], stringency=Stringency.HIGH, min_loci=8, frequencies=FREQS, theta=0.0)
    assert hits[0].id == "P5"
    assert hits[0].rmp == pytest.approx(
        np.prod(
            [
                2 / len(ALLELES[x]) ** 2
                if len(set(profiles["P5"].loci[x])) == 2
                else 1 / len(ALLELES[x]) ** 2
                for x in LOCI
            ]
        )
    )
    assert hits[0].lr == pytest.approx(1 / hits[0].rmp)
    assert index.genotypes("P5") == dict(profiles["P5"].loci)
    copy = DirectSearchIndex.from_bytes(index.to_bytes())
    copy.remove("P5")
    assert all(h.id != "P5" for h in copy.search(profiles["P5"], stringency="high", min_loci=8))
    assert len(copy) == len(index) - 1
    restored = DirectSearchIndex.from_bytes(copy.to_bytes())
    query = profiles["P7"]
    assert [h.id for h in restored.search(query, min_loci=5)] == [
        h.id for h in copy.search(query, min_loci=5)
    ]


def test_bulk_coded_add() -> None:
    index = DirectSearchIndex()
    codes = {"TH01": np.array([[0, 1], [1, 1], [-1, -1]]), "vWA": np.array([[0, 0], [0, 1], [1, 1]])}
    index.add_coded(["a", "b", "c"], {"TH01": ["6", "9.3"], "vWA": ["15", "16"]}, codes)
    assert index.genotypes("a") == {"TH01": ("6", "9.3"), "vWA": ("15",)}
    assert index.genotypes("c") == {"vWA": ("16",)}
    query = Profile.from_mapping({"TH01": ["9.3"], "vWA": ["15", "16"]})
    assert [h.id for h in index.search(query, stringency="high", min_loci=2)] == ["b"]
    with pytest.raises(ValueError, match="unique"):
        index.add_coded(["a"], {"TH01": ["6"]}, {"TH01": np.array([[0, 0]])})


def child(
    father: dict[str, tuple[str, ...]], mother: dict[str, tuple[str, ...]], rng: np.random.Generator
) -> dict[str, list[str]]:
    return {
        locus: [
            father[locus][rng.integers(len(father[locus]))],
            mother[locus][rng.integers(len(mother[locus]))],
        ]
        for locus in LOCI
    }


def test_kinship_search_ranks_true_family_first() -> None:
    rng = np.random.default_rng(3)
    families: dict[str, list[Profile]] = {}
    missing: dict[str, Profile] = {}
    for k in range(12):
        father, mother = (random_profile(rng).loci for _ in range(2))
        missing[f"F{k}"] = Profile.from_mapping(child(father, mother, rng), kind="unidentified_remains")
        sibling = Profile.from_mapping(
            child(father, mother, rng), kind="relative", relationship="full_sibling"
        )
        parent = Profile.from_mapping(dict(father), kind="relative", relationship="parent")
        families[f"F{k}"] = [parent, sibling] if k % 2 else [parent]
    index = FamilyIndex(FREQS)
    for family_id, relatives in families.items():
        index.add(family_id, relatives)
    for family_id, profile in missing.items():
        hits = kinship_search(profile, index, limit=3)
        assert hits[0].family_id == family_id
        assert hits[0].lr > 100
    # Building on the fly gives the same answer; stored models round-trip.
    assert kinship_search(missing["F1"], families, FREQS, limit=1)[0].family_id == "F1"
    model = FamilyModel.from_dict(index.models["F1"].to_dict())
    assert dict(model.locus_lrs(missing["F1"].loci)) == pytest.approx(
        dict(index.models["F1"].locus_lrs(missing["F1"].loci))
    )
    # The binary form (stored per family by the database) gives bit-identical LRs.
    for family_id, stored in index.models.items():
        back = FamilyModel.from_bytes(stored.to_bytes())
        assert back.locus_lrs(missing[family_id].loci) == stored.locus_lrs(missing[family_id].loci)
    blob = index.models["F1"].to_bytes()
    with pytest.raises(ValueError, match="not a stored family model"):
        FamilyModel.from_bytes(b"X" + blob[1:])
    with pytest.raises(ValueError, match="wrong size"):
        FamilyModel.from_bytes(blob[:-8])
    with pytest.raises(ValueError, match="mixture"):
        index.search(Profile.from_mapping({"TH01": ["6", "7", "8"]}, kind="stain"))
