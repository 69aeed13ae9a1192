"""A Cyrillic name written the Polish way or with carons is also read the English way (``slavic_reading``):
the pairs below met at 0.41 to 0.89 before. Names without those spellings are not read; a Croatian name
keeps meeting its spelling without diacritics. All names are made up or common given names and surnames."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import HIT_THRESHOLD
from peacelink.matching.names.parts import prepare

# (spelling read, English spelling, kind of reading).
PAIRS = [
    ("Jurij Żukow", "Yuri Zhukov", "polish"),
    ("Siergiej Ławrow", "Sergey Lavrov", "polish"),
    ("Nikita Chruszczow", "Nikita Khrushchev", "polish"),
    ("Julia Tymoszenko", "Yulia Tymoshenko", "polish"),
    ("Aleksandr Kuzniecow", "Aleksandr Kuznetsov", "polish"),
    ("Taras Szewczenko", "Taras Shevchenko", "polish"),
    ("Roman Abramowicz", "Roman Abramovich", "polish"),  # the patronymic ending alone (0.92 before)
    ("Viktor Lukaszewicz", "Viktor Lukashevich", "polish"),  # sz and cz: read before too
    ("Jurij Žukov", "Yuri Zhukov", "caron"),
    ("Andrij Ševčenko", "Andrii Shevchenko", "caron"),
    ("Nikita Chruščov", "Nikita Khrushchev", "caron"),
]


@pytest.mark.parametrize(("read", "english", "kind"), PAIRS, ids=[p[0] for p in PAIRS])
def test_the_spelling_meets_the_english_one_both_ways(read: str, english: str, kind: str) -> None:
    assert kind in [n.reading for n in prepare([read]).names]
    assert min(_both_ways(english, read)) >= HIT_THRESHOLD


@pytest.mark.parametrize(
    "name",
    [
        "Szabo Ferenc",  # Hungarian sz alone
        "Antonio Injai",  # a soft i and a j: no w
        "Muhammad Jibriel",
        "Julius Mashauri",
        "Emir Abdić",  # the Croatian and Bosnian -ić: not Polish
        "Ivan Petrov",
        "Adam Lewicz",  # the ending in a part shorter than seven letters is no sign alone
    ],
)
def test_names_without_those_spellings_are_not_read(name: str) -> None:
    assert [n.reading for n in prepare([name]).names if n.reading in ("polish", "caron")] == []


def test_a_croatian_name_keeps_meeting_its_spelling_without_diacritics() -> None:
    assert [n.reading for n in prepare(["Ivica Čović"]).names] == ["", "caron"]
    assert _both_ways("Ivica Covic", "Ivica Čović") == [1.0, 1.0]
    assert _both_ways("Slobodan Milosevic", "Slobodan Milošević") == [1.0, 1.0]


def test_a_reading_equal_to_another_is_not_added_twice() -> None:
    # Polish letters and carons in one name give one reading each only when they read differently.
    texts = [tuple(p.text for p in n.parts) for n in prepare(["Jurij Žukow"]).names]
    assert len(texts) == len(set(texts))
