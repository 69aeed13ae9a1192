"""Registration plates."""

from __future__ import annotations

import pytest

from peacelink.identifiers import plates
from peacelink.identifiers.exceptions import InvalidComponent, InvalidFormat, InvalidLength


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("А 123 ВС 77", "RU", "A123BC77"),  # Cyrillic
        ("a123bc77", "RUS", "A123BC77"),  # the same plate typed in Latin
        ("АА 1234 ІХ", "UA", "AA1234IX"),
        ("ΙΚΝ-1234", "GR", "IKN1234"),
        ("BG-ŠA.123", None, "BGSA123"),
        ("م ١٢٣", None, "م123"),
        ("ÐØ 1", None, "DO1"),
        ("ＡＢ１２", None, "AB12"),  # full-width forms, NFKC
    ],
)
def test_compact(raw: str, country: str | None, expected: str) -> None:
    assert plates.compact(raw, country) == expected


def test_confusable_key() -> None:
    assert plates.confusable_key("B0-1S") == plates.confusable_key("8O I5") == "8015"


def test_validate() -> None:
    assert plates.validate("CA 1234 AB", "BG") == "CA1234AB"
    assert plates.is_valid("ab 12")
    with pytest.raises(InvalidLength):
        plates.validate(" - ")
    with pytest.raises(InvalidLength):
        plates.validate("ABCDEFGHJKLMN")
    with pytest.raises(InvalidFormat) as caught:
        plates.validate("ЖЖ 123")
    assert "Ж" in str(caught.value)
    assert not plates.is_valid("ЖЖ 123")
    with pytest.raises(InvalidComponent):
        plates.compact("AB 12", country="XX")
