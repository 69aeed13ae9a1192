"""Check digits, confusables, countries and the error hierarchy."""

from __future__ import annotations

import random

import pytest

from peacelink.identifiers import checkdigits, confusables, countries
from peacelink.identifiers.exceptions import (
    IdentifierError,
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)


@pytest.mark.parametrize(
    ("value", "digit"),
    [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("ZE184226B<<<<<", "1"), ("", "0"), ("<<<", "0")],
)
def test_icao_check_digit_specimens(value: str, digit: str) -> None:
    assert checkdigits.icao_check_digit(value) == digit


def test_icao_char_values_follow_doc_9303() -> None:
    assert checkdigits.icao_char_value("A") == 10
    assert checkdigits.icao_char_value("Z") == 35
    assert checkdigits.icao_char_value("<") == 0
    assert checkdigits.icao_char_value("7") == 7
    with pytest.raises(InvalidFormat):
        checkdigits.icao_char_value("a")


def test_icao_check_digit_detects_every_single_substitution() -> None:
    # 7-3-1 weights are coprime to 10, so changing one digit always changes the check digit.
    rng = random.Random(9303)
    for _ in range(200):
        value = "".join(rng.choice("0123456789") for _ in range(9))
        index = rng.randrange(9)
        other = str((int(value[index]) + rng.randrange(1, 10)) % 10)
        changed = value[:index] + other + value[index + 1 :]
        assert checkdigits.icao_check_digit(value) != checkdigits.icao_check_digit(changed)


def test_is_valid_icao() -> None:
    assert checkdigits.is_valid_icao("L898902C36")
    assert not checkdigits.is_valid_icao("L898902C37")
    assert not checkdigits.is_valid_icao("7")
    assert not checkdigits.is_valid_icao("l898902c36")


def test_vin_check_digit() -> None:
    assert checkdigits.vin_check_digit("1M8GDM9AXKP042788") == "X"
    assert checkdigits.vin_check_digit("11111111111111111") == "1"
    assert checkdigits.vin_char_value("S") == 2
    with pytest.raises(InvalidLength):
        checkdigits.vin_check_digit("1M8")
    with pytest.raises(InvalidFormat):
        checkdigits.vin_check_digit("1M8GDM9AXKP04278O")


def test_confusable_key_folds_letters_to_digits() -> None:
    assert confusables.confusable_key("oisbgzqd") == "01586200"
    assert confusables.confusable_key("L8989O2C3") == confusables.confusable_key("L898902C3")


def test_confusable_variants_order_and_limit() -> None:
    variants = confusables.confusable_variants("O1", limit=100)
    assert variants[0] == "O1"
    assert set(variants) == {"O1", "01", "Q1", "D1", "OI", "0I", "QI", "DI"}
    assert len(variants) == len(set(variants))
    assert confusables.confusable_variants("O1", limit=2) == ["O1", "01"]
    assert confusables.confusable_variants("ACE") == ["ACE"]


def test_confusable_variants_all_share_the_key() -> None:
    for variant in confusables.confusable_variants("B5Z0", limit=500):
        assert confusables.confusable_key(variant) == "8520"


def test_countries() -> None:
    assert countries.validate_alpha3(" fra ") == "FRA"
    assert countries.validate_alpha3("XXA") == "XXA"
    assert countries.validate_alpha3("D<<") == "D"
    assert countries.name("UTO").startswith("Utopia")
    assert "Bolivia" in countries.name("BOL")
    assert countries.name("TWN") == "Taiwan"
    assert countries.is_valid_alpha3("RKS")
    for bad in ("ZZZ", "DE", "12A", ""):
        assert not countries.is_valid_alpha3(bad)
    with pytest.raises(InvalidComponent) as caught:
        countries.validate_alpha3("ABC")
    assert caught.value.field == "country"
    assert "ABC" in str(caught.value)


def test_error_hierarchy() -> None:
    for error in (InvalidFormat, InvalidLength, InvalidChecksum, InvalidComponent):
        assert issubclass(error, IdentifierError)
    assert issubclass(IdentifierError, ValueError)
    assert str(InvalidChecksum()) == "The identifier's check digit does not match."
    error = InvalidLength("too short", field="vin")
    assert (str(error), error.message, error.field) == ("vin: too short", "too short", "vin")
