"""A short name that opens with a vowel before one consonant and a vowel is not the name without that vowel,
though they share their skeleton (``similarity._opening_vowel_apart``): Iman is not Mun, Omar not Mar,
Asad (أسعد) not Saad (سعد, rendered sad). Each pair below met at 0.92 as a phonetic match, and with one more
part alike it was a hit (the accuracy benchmark's fresh queries showed Iman Henderson hitting Mun
Henderson). A vowel dropped before two consonants is the Maghreb's spelling of one name: Brahim, Driss,
Smail, Lyas."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import HIT_THRESHOLD
from peacelink.matching.names.parts import make_part
from peacelink.matching.names.similarity import compare_parts


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("iman", "mun"),
        ("omar", "mar"),
        ("amin", "min"),
        ("aman", "man"),
        ("imad", "mad"),
        ("anas", "nas"),
        ("emir", "mir"),
        ("asad", "sad"),
        ("amadou", "madou"),  # Ahmad in West Africa; Madou is short for Mamadou (Muhammad)
    ],
)
def test_a_vowel_before_one_consonant_is_part_of_the_name(first: str, second: str) -> None:
    assert compare_parts(make_part(first), make_part(second))[0] == 0.0
    assert compare_parts(make_part(second), make_part(first))[0] == 0.0


@pytest.mark.parametrize(
    ("first", "second"),
    [("Iman Henderson", "Mun Henderson"), ("Asad Khan", "سعد خان"), ("Omar Diallo", "Mar Diallo")],
)
def test_such_names_are_no_hit(first: str, second: str) -> None:
    assert max(_both_ways(first, second)) < HIT_THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ibrahim Ali", "Brahim Ali"),  # the Maghreb drops the i before two consonants
        ("Idris Ali", "Dris Ali"),
        ("Ismail Ali", "Smail Ali"),
        ("Ilyas Ali", "Lyas Ali"),
        ("Alomari Ali", "Lamri Ali"),  # al-Omari, its article's a elided as in the Maghreb
        ("Ouali Idrissi", "Wali Idrissi"),  # the French ou is w: no opening vowel
        ("Asad Khan", "أسعد خان"),
        ("Omar Khan", "عمر خان"),  # amr: the Arabic script's rendering keeps its opening vowel
        ("Anas Khan", "Anes Khan"),
        ("Eman Ali", "Iman Ali"),
        ("Ivan Petrov", "Yvan Petrov"),  # a y before a consonant is a vowel
        ("Alfred Yekatom", "Alfred Ekatom"),  # a y before a vowel is written or left out
        ("Yelena Petrova", "Elena Petrova"),
        ("Saad Khan", "سعد خان"),
    ],
)
def test_spellings_of_one_still_meet(first: str, second: str) -> None:
    assert min(_both_ways(first, second)) >= HIT_THRESHOLD


def test_an_abd_stem_keeping_the_articles_a_still_meets_its_name() -> None:
    """Abdulasattar (abdasattar: its stem asattar keeps the a of as-Sattar) against Satar: the stem match
    (x 0.8) stays, since the rule looks at the parts as given."""
    assert compare_parts(make_part("abdasattar"), make_part("satar"))[0] > 0.7
    assert compare_parts(make_part("satar"), make_part("abdasattar"))[0] > 0.7
