"""The allele frequency table's refusals are keyed for the pages (``Translatable``), as the profile's are
(``test_keyed_refusals``): "line 3: frequency 'x' is not a number", "the frequency file is empty" were English
only. Each text is still the English the API and the CLI say, byte for byte (written out below), its English
catalogue entry filled with its values is that text, and fr, es and ar have their own entry."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.unit.matching.dna.test_keyed_refusals import _names

from peacelink.matching.dna.frequencies import FrequencyTable, LocusFrequencies
from peacelink.matching.dna.frequency_formats import read_frequency_csv
from peacelink.translatable import Translatable
from peacelink.web import i18n

POPULATIONS = "population,locus,allele,frequency\nA,TH01,6,0.5\nB,TH01,6,0.4\n"

# (what is refused, the English the API and the CLI said before the texts were keyed, byte for byte)
REFUSALS: list[tuple[Callable[[], object], str]] = [
    (lambda: read_frequency_csv("locus,allele,frequency\n"), "the frequency file is empty"),
    (
        lambda: read_frequency_csv("locus,allele,frequency\nTH01,6,x\n"),
        "line 2: frequency 'x' is not a number",
    ),
    (
        lambda: read_frequency_csv("name,allele,frequency\nTH01,6,0.5\n"),
        "long format needs 'locus' (or 'marker') and 'allele' columns",
    ),
    (
        lambda: read_frequency_csv("locus,allele,count\nTH01,6,3\n"),
        "long format needs 'frequency', or 'count' and 'n_alleles'",
    ),
    (lambda: read_frequency_csv(POPULATIONS), "choose a population: A, B"),
    (lambda: read_frequency_csv(POPULATIONS, population="C"), "no rows for population 'C'"),
    (
        lambda: read_frequency_csv("locus,allele,frequency\nFOO,6,0.5\n"),
        "row 1: unknown locus 'FOO': not a locus PeaceLink compares (the CODIS and ESS loci, Penta C, D and "
        "E, SE33, the other D-number loci of chromosomes 1 to 22, AMEL, DYS391, DYS570, DYS576 or Y indel)",
    ),
    (
        lambda: read_frequency_csv("locus,allele,frequency\nTH01,6,1.5\n"),
        "row 1: TH01 allele 6: frequency 1.5",
    ),
    (
        lambda: read_frequency_csv("locus,allele,frequency\nTH01,x,0.5\n"),
        "TH01: allele 'x' is not a repeat number (9, 9.3), an off-ladder marker (<8, >30, OL)",
    ),
    (
        lambda: read_frequency_csv("locus,allele,frequency\nAMEL,X,0.5\n"),
        "the frequency table lists no autosomal locus",
    ),
    (
        lambda: FrequencyTable("GEN", {"TH01": LocusFrequencies({"6": 1.0}, 0.1)}).at("FGA"),
        "'no allele frequencies for locus FGA in GEN'",  # a KeyError's str(): its repr
    ),
]


@pytest.mark.parametrize(("refuse", "english"), REFUSALS, ids=[english for _, english in REFUSALS])
def test_a_frequency_table_refusal_is_keyed_and_its_english_as_before(
    refuse: Callable[[], object], english: str
) -> None:
    with pytest.raises(ValueError) as raised:  # DNAError (MissingLocusError is a KeyError too)
        refuse()
    text = raised.value.args[0]
    assert str(raised.value) == english  # the API's and the CLI's text
    assert text == (english[1:-1] if isinstance(raised.value, KeyError) else english)
    assert isinstance(text, Translatable), f"not keyed for the pages: {text!r}"
    assert text.key.startswith("dna.error."), text.key
    entry = i18n.own_catalogue("en")[text.key]
    assert entry.format(**text.params) == text, (entry, text.params)
    for language in ("fr", "es", "ar"):
        translated = i18n.own_catalogue(language)[text.key]
        assert translated != entry and _names(translated) <= set(text.params), (language, text.key)


def test_a_keyed_frequency_refusal_is_said_in_the_pages_language() -> None:
    with pytest.raises(ValueError) as raised:
        read_frequency_csv("locus,allele,frequency\nTH01,6,x\n")
    said = {language: i18n.localise(language, raised.value.args[0]) for language in ("fr", "es", "ar")}
    assert "Ligne" in said["fr"] and "Línea" in said["es"] and "السطر" in said["ar"], said
    assert not any("is not a number" in text for text in said.values()), said
