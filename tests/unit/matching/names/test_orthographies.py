"""One name in two Latin orthographies (``phonetics.orthography_fold``): Central European, Balkan and
Scandinavian spellings write j where English writes y, and German and Polish w where English writes v (Juri /
Yuri, Jusuf / Yusuf, Wiktor / Viktor). The skeleton keeps j and v and drops y and w, so Juri Gagarin and Yuri
Gagarin met on their surname only (0.50). Now the parts match as a phonetic match, and a query looks up the
keys of its other spelling, so that a pair key leads to the record. Names are common names, or made up."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import HIT_THRESHOLD, blocking_keys, query_keys
from peacelink.matching.names.parts import make_part
from peacelink.matching.names.similarity import PHONETIC, compare_parts


def _pair_keys_met(query: str, record: str) -> set[str]:
    return {k for k in blocking_keys([record]) & query_keys([query]) if k.startswith("2:")}


@pytest.mark.parametrize(
    ("first", "second", "before"),
    [
        ("Juri Gagarin", "Yuri Gagarin", 0.50),
        ("Jusuf Ahmeti", "Yusuf Ahmeti", 0.89),
        ("Jelena Petrovic", "Yelena Petrovic", 0.87),
        ("Jakub Hoxha", "Yakub Hoxha", 0.89),
        ("Jahja Ahmeti", "Yahya Ahmeti", 0.50),
        ("Wiktor Orlow", "Viktor Orlov", 0.83),
        ("Alexej Nawalny", "Alexei Navalny", 0.84),
    ],
)
def test_the_two_orthographies_meet(first: str, second: str, before: float) -> None:
    # Before: a hit on none of them (0.50 when the given names met not at all).
    assert min(_both_ways(first, second)) >= HIT_THRESHOLD > before


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Juri Gagarin", "Yuri Gagarin"),
        ("Jusuf Ahmeti", "Yusuf Ahmeti"),
        ("Jelena Petrovic", "Yelena Petrovic"),
        ("Wiktor Orlow", "Viktor Orlov"),
        ("Alexej Nawalny", "Alexei Navalny"),
    ],
)
def test_a_pair_key_leads_to_the_other_orthography(first: str, second: str) -> None:
    # Either way: a common surname alone is a stop key in a large population.
    assert _pair_keys_met(first, second)
    assert _pair_keys_met(second, first)


def test_short_pair_keys_of_the_other_orthography_are_not_looked_up() -> None:
    # Jahja read Yahya is keyed h|hmt with Ahmeti: too short to be worth its holders (Jani read Yani: n).
    assert not _pair_keys_met("Jahja Ahmeti", "Yahya Ahmeti")
    assert _pair_keys_met("Yahya Ahmeti", "Jahja Ahmeti")  # the other way: khk|hmt
    assert "2:n|sm" not in query_keys(["Azim Agha-Jani"])


def test_the_parts_are_a_phonetic_match() -> None:
    for first, second in (("juri", "yuri"), ("jurij", "yuriy"), ("dmitrij", "dmitry"), ("wiktor", "viktor")):
        assert compare_parts(make_part(first), make_part(second)) == (PHONETIC, "phonetic")


def test_one_syllable_parts_keep_their_letters() -> None:
    # The Korean Jang (장) and Yang (양) are two surnames.
    assert max(_both_ways("Jang Min", "Yang Min")) < HIT_THRESHOLD
    assert compare_parts(make_part("jang"), make_part("yang"))[0] < PHONETIC


def test_stored_keys_do_not_change() -> None:
    # Only the query looks up the other spelling's keys: a stored Juri holds none of Yuri's.
    yuri = blocking_keys(["Yuri Gagarin"]) - blocking_keys(["Gagarin"])
    assert yuri
    assert not blocking_keys(["Juri Gagarin"]) & yuri
