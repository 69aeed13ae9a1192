"""A name in the Arabic script with ه or ح after a letter read s, z, k, t or d is also read with the two
letters apart (``arabic_reading.separate_h_reading``): ICU's romanisation glued them into a digraph (سهيل
shyl, read as ش), so the Latin spellings that write the vowel between (Suhail, Zuhair) met nothing. The glued
romanisation stays the name, which the Latin spellings that glue the letters too still meet (Adham, Ishaq).
Names are common names, or made up."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import HIT_THRESHOLD, blocking_keys, query_keys
from peacelink.matching.names.arabic_reading import separate_h_reading
from peacelink.matching.names.parts import prepare


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("Suhail Ahmed", "سهيل أحمد"),
        ("Zuhair Ahmed", "زهير أحمد"),
        ("Suhaib Ahmed", "صهيب أحمد"),
        ("Sahar Ahmed", "سحر أحمد"),
        ("Kahlan Ahmed", "كهلان أحمد"),
        ("Tuhami Ahmed", "تهامي أحمد"),
        ("Hassan Al-Zahrani", "حسن الزهراني"),
    ],
)
def test_a_latin_spelling_with_the_vowel_between_meets_the_arabic_script(latin: str, arabic: str) -> None:
    # Before: 0.46 (one part of two) or 0.88, and no key but the other part's.
    assert min(_both_ways(latin, arabic)) >= HIT_THRESHOLD
    assert blocking_keys([arabic]) & query_keys([latin])
    assert blocking_keys([latin]) & query_keys([arabic])


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [("Adham Ahmed", "أدهم أحمد"), ("Ishaq Ahmed", "إسحاق أحمد"), ("Fathi Ahmed", "فتحي أحمد")],
)
def test_a_latin_spelling_that_glues_the_letters_still_meets_it(latin: str, arabic: str) -> None:
    assert min(_both_ways(latin, arabic)) >= HIT_THRESHOLD


def test_only_the_arabic_script_with_such_a_pair_is_read() -> None:
    assert [n.reading for n in prepare(["سهيل أحمد"]).names] == ["", "separate_h"]
    # The digraph letters themselves (ش خ), no pair, or another script: no reading, no further keys.
    for name in ("شاكر خالد", "محمد علي", "Suhail Ahmed", "Сухейль"):
        assert separate_h_reading(name) is None
        assert [n.reading for n in prepare([name]).names if n.reading == "separate_h"] == []


def test_a_shin_is_not_read_apart() -> None:
    # شاكر (Shakir) and سحر (Sahar) stay different names.
    assert max(_both_ways("Sahar Ahmed", "شاكر أحمد")) < HIT_THRESHOLD
