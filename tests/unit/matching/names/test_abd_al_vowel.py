"""Abd followed by a name of God opening with al and a vowel (Alim, Aleem, Ali): its al is no article.
Normalisation dropped it from Abdul Aleem (abdeem), and the comparison of two Abd stems dropped it from
Alim and Aly (im, y), so Abdul Aleem / Abdul Alim and Abdul Ali / Abdul Aliy, one name each, met at 0.50.
All names are common given names and surnames."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import HIT_THRESHOLD, normalise


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Abdul Aleem Khan", ["abdaleem", "khan"]),
        ("Abdul Alim Khan", ["abdalim", "khan"]),
        ("Abdul Alhakim Khan", ["abdhakim", "khan"]),  # an article glued to the name: dropped
        ("Abd al-Alim Khan", ["abdalim", "khan"]),
        ("Abdelaleem Khan", ["abdaleem", "khan"]),
    ],
)
def test_an_al_before_a_vowel_is_kept(name: str, parts: list[str]) -> None:
    assert normalise(name) == parts


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Abdul Aleem Ali", "Abdul Alim Ali"),
        ("Abdul Aleem Ali", "عبد العليم علي"),
        ("Abdul Alim Ali", "عبد العليم علي"),
        ("Abdul Ali Hassan", "Abdul Aliy Hassan"),
        ("Abdul Ali Hassan", "عبد العلي حسن"),
        ("Abdul Haq Ali", "عبد الحق علي"),  # the Arabic script's article before a consonant still goes
    ],
)
def test_spellings_of_one_name_meet(first: str, second: str) -> None:
    assert min(_both_ways(first, second)) >= HIT_THRESHOLD
