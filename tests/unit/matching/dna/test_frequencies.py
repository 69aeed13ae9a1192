"""Frequency tables, the 5/2N minimum, and the CSV readers."""

import pytest

from peacelink.matching.dna import (
    FrequencyTable,
    InvalidFrequencyTableError,
    MissingLocusError,
    list_populations,
    read_frequency_csv,
)


def test_minimum_allele_frequency_is_five_over_2n() -> None:
    table = FrequencyTable.from_rows("p", [("TH01", "6", 0.5, 100), ("TH01", "7", 0.01, 100)])
    assert table.frequency("TH01", "6") == 0.5
    assert table.frequency("TH01", "7") == pytest.approx(5 / 100)  # floored
    assert table.frequency("THO1", "99") == pytest.approx(5 / 100)  # unseen allele, locus alias
    with pytest.raises(MissingLocusError):
        table.frequency("FGA", "20")


def test_minimum_without_sample_size() -> None:
    table = FrequencyTable.from_rows("p", [("TH01", "6", 0.7, None), ("TH01", "7", 0.3, None)])
    assert table.frequency("TH01", "8") == 0.3
    explicit = FrequencyTable.from_rows("p", [("TH01", "6", 0.7, None)], minimum_frequency=0.01)
    assert explicit.frequency("TH01", "8") == 0.01


def test_long_format_with_populations_and_counts() -> None:
    text = "population,locus,allele,count,n_alleles\nA,vWA,16,50,200\nA,vWA,17,150,200\nB,vWA,16,10,100\n"
    assert list_populations(text) == ("A", "B")
    with pytest.raises(InvalidFrequencyTableError, match="choose a population"):
        read_frequency_csv(text)
    table = read_frequency_csv(text, population="A")
    assert table.frequency("VWA", "16") == 0.25
    assert table.loci["vWA"].minimum == pytest.approx(5 / 200)


def test_wide_format_with_n_row_and_semicolons() -> None:
    text = "Allele;TH01;FGA;AMEL\n6;0,2;;\n9.3;0,8;;\n20;;1,0;\nN;400;300;\n"
    table = read_frequency_csv(text)
    assert table.frequency("TH01", "9.3") == 0.8
    assert table.loci["FGA"].n_alleles == 300
    assert "AMEL" not in table.loci


@pytest.mark.parametrize(
    "text",
    ["", "locus,allele,frequency\nvWA,16,abc\n", "locus,allele,frequency\nvWA,16,1.5\n", "foo,bar\n1,2\n"],
)
def test_bad_tables(text: str) -> None:
    with pytest.raises(InvalidFrequencyTableError):
        read_frequency_csv(text)
