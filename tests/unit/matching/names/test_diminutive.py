"""An Arabic diminutive (fuʿayl) and its base form are two names, though they share their skeleton
(``similarity.diminutive_form``): Sulayman is not Salman, Umayr not Umar, Khulayf not Khalaf. Each pair
below met at 0.96 with one more part alike before, a hit; the spellings of one of them still meet."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import HIT_THRESHOLD
from peacelink.matching.names.parts import make_part
from peacelink.matching.names.similarity import compare_parts, diminutive_form


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Sulaiman Ali", "Salman Ali"),
        ("Souleymane Diallo", "Salman Diallo"),  # the West African Sulayman
        ("Sleiman Haddad", "Salman Haddad"),  # the Lebanese one, its u dropped
        ("Suleyman Ali", "Selman Ali"),  # both Turkish
        ("Umair Khan", "Umar Khan"),  # 0.95 alike as letters: no typing error either
        ("Khulaif Ali", "Khalaf Ali"),
        ("Khlaif Ali", "Khalaf Ali"),
        ("Obaidullah Khan", "Abdullah Khan"),
        ("Ubaid Ali", "Abd Ali"),
        ("Umeyir Khan", "Umar Khan"),  # the Turkish Umeyr, its diphthong written eyi
        ("Huseyin Kaya", "Hasan Kaya"),
    ],
)
def test_a_diminutive_is_not_its_base(first: str, second: str) -> None:
    assert max(_both_ways(first, second)) < HIT_THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Sulaiman Ali", "Suleiman Ali"),
        ("Sulaiman Ali", "Sulayman Ali"),
        ("Sulaiman Ali", "Souleymane Ali"),
        ("Sulaiman Ali", "Sleiman Ali"),
        ("Sulaiman Ali", "Soliman Ali"),  # Egypt: the diphthong written i, judged neither way
        ("Sulaiman Ali", "Slimane Ali"),  # the Maghreb
        ("Sulaiman Ali", "Selemani Ali"),  # Swahili: an e, but a vowel after the l
        ("Umair Khan", "Omair Khan"),
        ("Humaid Ali", "Humayd Ali"),
        ("Hamid Ali", "Hameed Ali"),
        ("Umar Khan", "Oumar Khan"),
        ("Husain Ali", "Hussein Ali"),
        ("Salman Ali", "Selman Ali"),
        ("Hussayn Ali", "Hassayn Ali"),  # the UN list writes one person both ways: an a before the diphthong
        ("Abdulrahman Omair", "Abd al-Rahman Amir"),  # the UN list writes one person both ways
        # Turkish and Azerbaijani write the diphthong ey with an i after it: Uzeyir is Uzayr, Huseyin Husayn.
        ("Uzeyir Hajiyev", "Uzair Hajiyev"),
        ("Uzeyir Hajiyev", "Uzayr Hajiyev"),
        ("Zubeyir Kaya", "Zubair Kaya"),
    ],
)
def test_spellings_of_one_still_meet(first: str, second: str) -> None:
    assert min(_both_ways(first, second)) >= HIT_THRESHOLD


@pytest.mark.parametrize("text", ["uzeyir", "huseyin", "zubeyir", "umeyir"])
def test_the_turkish_diphthong_with_its_i_is_a_diminutive(text: str) -> None:
    assert diminutive_form(text) == "d"


@pytest.mark.parametrize("text", ["culley", "oday", "faisal", "zain", "muhammad", "yousef", "abydallah"])
def test_no_diphthong_before_a_last_consonant_is_no_diminutive(text: str) -> None:
    assert diminutive_form(text) != "d"


def test_a_vowelless_rendering_is_not_judged() -> None:
    """سليمان renders slyman (one vowel: not ``Part.vowelled``): the Arabic script does not write the u."""
    assert compare_parts(make_part("slyman"), make_part("salman"))[0] > 0.0
