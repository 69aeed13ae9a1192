"""ISO 3779 VINs."""

from __future__ import annotations

import random
from datetime import date

import pytest

from peacelink.identifiers import vin
from peacelink.identifiers.checkdigits import vin_check_digit
from peacelink.identifiers.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

TODAY = date(2025, 6, 1)
ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _make(prefix: str, rng: random.Random, *, year_code: str = "K", seventh: str = "1") -> str:
    body = prefix + "".join(rng.choice(ALPHABET) for _ in range(17 - len(prefix)))
    body = body[:6] + seventh + body[7:9] + year_code + body[10:]
    return body[:8] + vin_check_digit(body[:8] + "0" + body[9:]) + body[9:]


def test_domain_vectors() -> None:
    result = vin.decode("1M8GDM9AXKP042788", today=TODAY)
    assert result.valid
    assert result.check_digit_required
    assert result.check_digit_ok
    assert result.wmi == "1M8"
    assert result.country == "United States"
    assert result.model_years == [1989]  # position 7 is numeric: 1980-2009 per 49 CFR 565.15
    assert vin.is_valid("WBA71DC010CH14720")


def test_european_vin_with_bad_check_digit_is_valid() -> None:
    result = vin.decode("WBA71DC0X0CH14720", today=TODAY)
    assert result.valid
    assert result.errors == []
    assert not result.check_digit_ok
    assert not result.check_digit_required
    assert result.model_years == []
    assert vin.validate("wba71dc0x0ch14720") == "WBA71DC0X0CH14720"


@pytest.mark.parametrize("prefix", ["1G1", "2T1", "3VW", "4T1", "5YJ", "LSV"])
def test_mandatory_check_digit(prefix: str) -> None:
    rng = random.Random(prefix)
    number = _make(prefix, rng)
    assert vin.is_valid(number)
    wrong = number[:8] + ("1" if number[8] != "1" else "2") + number[9:]
    result = vin.decode(wrong, today=TODAY)
    assert not result.valid
    assert result.check_digit_required
    assert "position 9" in result.errors[0]
    with pytest.raises(InvalidChecksum):
        vin.validate(wrong)


def test_north_american_year_refinement() -> None:
    rng = random.Random(565)
    assert vin.decode(_make("1G1", rng, year_code="A", seventh="5"), today=TODAY).model_years == [1980]
    assert vin.decode(_make("1G1", rng, year_code="A", seventh="C"), today=TODAY).model_years == [2010]
    # 'Y' with a letter in position 7 would be 2030: beyond next year, so fall back to every candidate.
    assert vin.decode(_make("1G1", rng, year_code="Y", seventh="C"), today=TODAY).model_years == [2000]
    # Outside North America both cycles are returned.
    assert vin.decode(_make("VF1", rng, year_code="A"), today=TODAY).model_years == [2010, 1980]
    assert vin.model_years("VF1AB000", today=TODAY) == []


def test_north_american_year_code_required() -> None:
    rng = random.Random(10)
    result = vin.decode(_make("1G1", rng, year_code="U"), today=TODAY)
    assert not result.valid
    assert "model-year code" in result.errors[0]
    # China requires the check digit but we do not enforce the year code there.
    assert vin.decode(_make("LSV", rng, year_code="0"), today=TODAY).valid


def test_unknown_manufacturer_and_country() -> None:
    rng = random.Random(3)
    result = vin.decode(_make("9ZZ", rng), today=TODAY)
    assert result.valid
    assert result.manufacturer is None or isinstance(result.manufacturer, str)
    assert vin.decode(_make("1N4", rng), today=TODAY).manufacturer == "Nissan"  # an object entry in vininfo
    assert vin.decode(_make("WBA", rng), today=TODAY).manufacturer == "BMW"
    assert vin.decode(_make("AAA", rng), today=TODAY).manufacturer is None


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [("1M8GDM9AXKP04278", InvalidLength, "17 characters"), ("1M8GDM9AXKP04278O", InvalidFormat, "never I")],
)
def test_malformed(value: str, error: type[Exception], message: str) -> None:
    result = vin.decode(value)
    assert not result.valid
    assert message in result.errors[0]
    assert result.to_dict()["manufacturer"] is None
    with pytest.raises(error):
        vin.validate(value)
    assert not vin.is_valid(value)


def test_to_dict_keys() -> None:
    data = vin.decode("1M8-GDM9AXKP042788", today=TODAY).to_dict()
    assert list(data) == [
        "vin",
        "valid",
        "errors",
        "wmi",
        "manufacturer",
        "country",
        "check_digit_required",
        "check_digit_ok",
        "model_years",
    ]
    assert data["vin"] == "1M8GDM9AXKP042788"


def test_default_today() -> None:
    assert 1989 in vin.model_years("1M8GDM9AXKP042788")
