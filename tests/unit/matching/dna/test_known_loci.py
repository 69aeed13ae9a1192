"""Which locus names a profile or a check may use: the loci PeaceLink knows, in every spelling it normalises;
any other name ("FOO", a SNP, a Y-STR it does not read, an X-STR) is refused, naming it (it was kept as
spelled, so a profile "of 4 loci" could hold one nothing could ever compare)."""

from __future__ import annotations

import pytest

from peacelink.matching.dna import (
    CODIS_CORE_20,
    EUROPEAN_STANDARD_SET,
    InvalidProfileError,
    Profile,
    UnknownLocusError,
    known_locus,
    normalise_locus,
)
from peacelink.matching.dna.loci import SEX_LOCI, is_known_locus
from peacelink.translatable import Translatable

# Every locus of the data the project reads (NIST 1036, UK DNA17, FBI 2015, EuroForMix, dvir), as spelled.
SPELLED_IN_THE_DATA = [
    "AMEL", "CSF1PO", "D10S1248", "D12S391", "D13S317", "D16S539", "D17S1301", "D18S51", "D19S433",
    "D1S1656", "D20S482", "D21S11", "D22S1045", "D2S1338", "D2S441", "D3S1358", "D4S2408", "D5S818",
    "D6S1043", "D7S820", "D8S1179", "D9S1122", "DYS391", "DYS570", "DYS576", "F13A01", "F13B", "FESFPS",
    "FGA", "LPL", "Penta_C", "PENTA D", "Penta D", "Penta_D", "PENTA E", "Penta_E", "Penta E", "SE33",
    "TH01", "TH 01", "TPOX", "Y indel", "Yindel", "VWA", "vWA",
]  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        *CODIS_CORE_20,
        *EUROPEAN_STANDARD_SET,
        *sorted(SEX_LOCI),
        *SPELLED_IN_THE_DATA,
        "vWA ", "PentaD", "penta-e", "D21", "d3s1358", "THO1", "Amelogenin", "ACTBP2", "F13A1", "D19S253",
        "HUMTH01", "HUMVWA31A", "HUMCSF1PO", "HUMTPOX", "HUMFIBRA",
    ],
)  # fmt: skip
def test_a_known_locus_is_taken_in_every_spelling_the_system_normalises(name: str) -> None:
    canonical = known_locus(name)
    assert canonical == normalise_locus(name) and is_known_locus(canonical)


@pytest.mark.parametrize(
    "name", ["FOO", "rs1004357", "DYS19", "DYS389I", "DXS10135", "D0S1", "D23S1", "D99S12", "Penta F", "TH02"]
)
def test_an_unknown_locus_is_refused_naming_it(name: str) -> None:
    with pytest.raises(UnknownLocusError) as refused:
        known_locus(name)
    assert refused.value.locus == name and f"unknown locus '{name}'" in str(refused.value)
    message = refused.value.args[0]
    assert isinstance(message, Translatable) and message.key == "dna.error.unknown_locus"
    assert message.params == {"locus": name}


def test_a_profile_with_one_unknown_locus_among_known_ones_is_refused() -> None:
    with pytest.raises(InvalidProfileError, match="unknown locus 'FOO'") as refused:
        Profile.from_mapping({"D3S1358": ["15"], "vWA": ["17"], "TH01": ["9.3"], "FOO": ["1"]})
    assert isinstance(refused.value.args[0], Translatable)  # keyed, so a page says it in its language


def test_normalising_alone_still_keeps_an_unknown_name_for_frequency_tables_and_stored_rows() -> None:
    assert normalise_locus(" Foo  bar ") == "Foo bar"
