"""Which document check a person check at the checkpoint brings with it (``presented_document``)."""

from __future__ import annotations

import pytest
from tests.conftest import passport_mrz

from peacelink.errors import Invalid
from peacelink.persons.checkpoint import presented_document
from peacelink.persons.schemas import PersonCheck


def _check(**fields: object) -> PersonCheck:
    return PersonCheck.model_validate({"names": ["Anna Eriksson"], **fields})


def test_the_document_checked_is_the_mrz_or_the_number_and_country_typed() -> None:
    lines = passport_mrz()
    assert presented_document(_check()) is None
    assert presented_document(_check(document=" ")) is None
    scanned = presented_document(_check(mrz=lines))
    assert scanned is not None and scanned.mrz == lines
    typed = presented_document(_check(document={"number": "l898 902-c3", "country": "uto"}))
    assert typed is not None and (typed.issuing_country, typed.number, typed.mrz) == (
        "UTO",
        "L898902C3",
        None,
    )
    # Germany's one-letter code is DEU, as in a record; look-alike letters are the number they look like.
    german = presented_document(_check(document={"number": "Т22000129", "country": "D"}))
    assert german is not None and (german.issuing_country, german.number) == ("DEU", "T22000129")


def test_a_number_typed_beside_the_mrz_must_be_its_own_document() -> None:
    lines = passport_mrz()
    same = presented_document(_check(mrz=lines, document="L898902C3"))
    assert same is not None and same.mrz == lines
    also_country = presented_document(_check(mrz=lines, document={"number": "L898902C3", "country": "UTO"}))
    assert also_country is not None and also_country.mrz == lines
    # The zone's issuing country is an OCR slip: the country typed gives it.
    slipped = ["P<C0L" + lines[0][5:], lines[1]]
    filled = presented_document(_check(mrz=slipped, document={"number": "L898902C3", "country": "UTO"}))
    assert filled is not None and (filled.issuing_country, filled.number, filled.mrz) == (
        "UTO",
        "L898902C3",
        None,
    )
    for document, field in (
        ("Z1234567", "document"),
        ({"number": "Z1234567", "country": "UTO"}, "document.number"),
        ({"number": "L898902C3", "country": "FRA"}, "document.number"),
    ):
        with pytest.raises(Invalid) as refused:
            presented_document(_check(mrz=lines, document=document))
        assert refused.value.field == field and "check one at a time" in refused.value.message


def test_a_number_without_its_issuing_country_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        presented_document(_check(document="L898902C3"))
    assert refused.value.field == "document.country"
    assert refused.value.message.startswith("give the issuing country of document L898902C3")
