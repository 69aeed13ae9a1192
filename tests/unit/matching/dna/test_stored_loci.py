"""Reading a stored profile's loci as searches compare them (profiles stored before the known-locus rule)."""

from __future__ import annotations

from peacelink.matching.dna import read_stored_loci


def test_unknown_names_are_ignored_and_old_spellings_read_as_their_locus() -> None:
    read = read_stored_loci(
        {"D3S1358": ["15"], "HUMTH01": ["6"], "FOO": ["1"], "DYS19": ["14"], "rs1": ["A"]}
    )
    assert read.loci == {"D3S1358": ["15"], "TH01": ["6"]}
    assert read.respelled == {"HUMTH01": "TH01"}
    assert read.ignored == ("DYS19", "FOO", "rs1")


def test_a_second_spelling_gives_way_to_the_canonical_name() -> None:
    read = read_stored_loci({"HUMTH01": ["6"], "TH01": ["7"], "AMEL": ["X"]})
    assert read.loci == {"TH01": ["7"], "AMEL": ["X"]}
    assert read.respelled == {} and read.ignored == ("HUMTH01",)


def test_a_profile_stored_since_the_rule_is_read_unchanged() -> None:
    stored = {"D3S1358": ["15", "16"], "vWA": ["17"], "Penta D": ["9"], "Y indel": ["1"]}
    read = read_stored_loci(stored)
    assert read.loci == stored and not read.respelled and not read.ignored
