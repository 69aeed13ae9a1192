"""A Latin name written by the German rules for Cyrillic is also read the English way (``german_reading``):
the pairs below met at 0 to 0.5 before. Names without those rules, and Somali ones, are not read. All names
are made up or common given names and surnames."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import HIT_THRESHOLD
from peacelink.matching.names.german_reading import german_readings
from peacelink.matching.names.parts import prepare

# (German spelling, English spelling, score before the reading).
PAIRS = [
    ("Sergej Worobjow", "Sergei Vorobyov", 0.42),
    ("Juri Schukow", "Yuri Zhukov", 0.0),
    ("Juri Schukow", "Yuri Shukov", 0.39),
    ("Jewgeni Prigoschin", "Yevgeny Prigozhin", 0.42),
    ("Julija Tymoschenko", "Yulia Tymoshenko", 0.46),
    ("Nikita Chruschtschow", "Nikita Khrushchev", 0.5),
    ("Pjotr Iljitsch Tschaikowski", "Pyotr Ilyich Tchaikovsky", 0.92),
    ("Jelena Issinbajewa", "Yelena Isinbayeva", 0.5),
]


@pytest.mark.parametrize(("german", "english", "before"), PAIRS, ids=[p[0] for p in PAIRS])
def test_a_german_spelling_meets_the_english_one_both_ways(german: str, english: str, before: float) -> None:
    assert min(_both_ways(english, german)) >= HIT_THRESHOLD


def test_the_reading_is_a_further_name_marked_as_such() -> None:
    names = prepare(["Juri Schukow"]).names
    assert [(n.reading, [p.text for p in n.parts]) for n in names] == [
        ("", ["juri", "schukow"]),
        ("german", ["yuri", "shukov"]),
        ("german", ["yuri", "zhukov"]),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "Jamal Marwan",  # a j opening a part: one sign
        "Jean-Pierre Mwamba",  # the Bantu mw is not the German w
        "Kwame Nkwanga Jules",
        "Andrew Jackson",  # English -ew
        "Anna Schmidt",  # a German name: sch alone
        "Ahmed Gurow",  # the Somali -ow alone
        "Khadija Hassan",
        "Vladimir Ivanov",  # already English
    ],
)
def test_names_without_the_german_rules_are_not_read(name: str) -> None:
    assert [n.reading for n in prepare([name]).names if n.reading == "german"] == []


def test_a_somali_name_is_read_as_somali_not_german() -> None:
    # Jaamac (j before a vowel) and Gurow (-ow) are two signs, but the name is Somali (ayn c, long vowel).
    assert german_readings(("cabdullaahi", "jaamac", "gurow"))
    assert [n.reading for n in prepare(["Cabdullaahi Jaamac Gurow"]).names] == ["", "somali"]


def test_only_a_latin_name_is_read() -> None:
    # A Cyrillic name is romanised by the English rules already: its romanisation is never read again.
    assert [n.reading for n in prepare(["Сергей Воробьёв"]).names if n.reading == "german"] == []


def test_a_different_surname_stays_apart() -> None:
    # The reading makes the German spelling score as the English one would: Vorobyov / Vorontsov is 0.90.
    assert max(_both_ways("Sergei Vorontsov", "Sergej Worobjow")) < HIT_THRESHOLD
    assert max(_both_ways("Yuri Shchukin", "Juri Schukow")) < HIT_THRESHOLD
