"""One given name in two languages, and a short form against its name (``forms.same_form``, from rigour's
person-name symbols): Iosif is Joseph, Zeynep is Zainab, Bob is Robert. No spelling rule joined them; with
one more part alike they were no candidate (0.50). Stray labels of the Wikidata items and the readings of
Chinese and Korean surnames do not join."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import HIT_THRESHOLD, PersonCandidate, PersonQuery, score
from peacelink.matching.names.forms import form_symbols, same_form
from peacelink.matching.names.parts import make_part
from peacelink.matching.names.similarity import FORM, NICKNAME, compare_parts


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Iosif Stalin", "Joseph Stalin"),  # Russian / English
        ("Boris Jelzin", "Boris Yeltsin"),  # the German transliteration of Ельцин
        ("Zeynep Kaya", "Zainab Kaya"),  # Turkish / Arabic
        ("Hatice Yilmaz", "Khadija Yilmaz"),
        ("Hocine Ait Ahmed", "Hussein Ait Ahmed"),  # Algerian French / English
        ("Chaouki Ben Ali", "Shawqi Ben Ali"),
        ("Omer Haddad", "Umar Haddad"),
        ("Youcef Benali", "Yusuf Benali"),
        ("Isaac Levi", "Yitzhak Levi"),  # English / Hebrew
    ],
)
def test_forms_of_one_name_in_two_languages_meet(first: str, second: str) -> None:
    assert min(_both_ways(first, second)) >= HIT_THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Bob Smith", "Robert Smith"),
        ("Bill Jones", "William Jones"),
        ("Dick Turner", "Richard Turner"),
        ("Ted Brown", "Edward Brown"),
        ("Ted Brown", "Theodore Brown"),
        ("Mike Ross", "Michael Ross"),
    ],
)
def test_a_short_form_meets_its_name(first: str, second: str) -> None:
    assert min(_both_ways(first, second)) >= HIT_THRESHOLD


def test_the_explanation_names_how_they_met() -> None:
    assert compare_parts(make_part("bob"), make_part("robert")) == (NICKNAME, "nickname")
    assert compare_parts(make_part("iosif"), make_part("joseph")) == (FORM, "form")
    result = score(PersonQuery(names=["Bill Jones"]), PersonCandidate(names=["William Jones"]))
    methods = {(p["query"], p["candidate"]): p["method"] for p in result.explanation["name"]["parts"]}
    assert methods == {("bill", "william"): "nickname", ("jones", "jones"): "exact"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Stray labels: each pair shares a Wikidata item but almost no letter (Jaro < 0.5).
        ("Ahmad Nabi", "Kristian Nabi"),
        ("Fatima Diallo", "Mother Diallo"),
        ("Juan Garcia", "Pablo Garcia"),
        # One-syllable parts: Chinese and Korean readings of several characters share items.
        ("Jang Min", "Yang Min"),
        ("Chen Wei", "Tran Wei"),
        # Two names that share only a short form: Ted is Edward's and Theodore's, not one symbol.
        ("Edward Brown", "Theodore Brown"),
        # Names the tagger does not join stay apart as before.
        ("Hassan Ali", "Hussein Ali"),
        ("Umair Khan", "Umar Khan"),
    ],
)
def test_other_names_stay_apart(first: str, second: str) -> None:
    assert max(_both_ways(first, second)) < HIT_THRESHOLD


def test_symbols_of_one_part() -> None:
    assert "nick:BOB" in form_symbols("robert")
    assert "nick:BOB" in form_symbols("bob")
    assert form_symbols("r") == frozenset()
    assert same_form("ahmad", "kristian") is None  # they share an item: only the letters part them
    assert form_symbols("ahmad") & form_symbols("kristian")
