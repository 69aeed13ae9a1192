"""The Arabic article glued to the front of a Latin part (Elkhatib, Alhashimi, ELSHAFEE) is dropped when the
part is keyed and compared against the name written without it (El Khatib, Al-Khateeb, the Arabic script);
Latin and Turkic names that merely begin with al or el (Albert, Alexander, Elchin) are left whole. Names are
common names, or made up."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import HIT_THRESHOLD, PersonCandidate, PersonQuery, blocking_keys, score
from peacelink.matching.names.parts import NOT_ARTICLED, article_stem, make_part
from peacelink.matching.names.similarity import compare_parts


def _shared_keys(first: str, second: str) -> set[str]:
    """The name keys (single and pair) the two names share; the loose ``3:`` keys are left out."""
    return {k for k in blocking_keys([first]) & blocking_keys([second]) if k[0] in "12"}


@pytest.mark.parametrize(
    ("glued", "apart"),
    [
        ("Ahmed Elkhatib", "Ahmed El Khatib"),
        ("Ahmed Elkhatib", "Ahmed Al-Khateeb"),
        ("Omar Elsayed", "Omar El-Sayed"),
        ("Khaled Alqahtani", "Khalid Al-Qahtani"),
        ("NAWAF ELSHAFEE", "Nawaf Al Shafi"),
        ("Salem Alhashimi", "سالم الهاشمي"),
    ],
)
def test_the_glued_article_meets_the_name_written_without_it(glued: str, apart: str) -> None:
    # Before: 0.87-0.91, and no key shared but the given name's, a stop key at scale (1:hmd).
    assert min(_both_ways(glued, apart)) >= HIT_THRESHOLD
    surname = make_part(article_stem(glued.split()[-1].lower())).coarse
    assert f"1:{surname}" in _shared_keys(glued, apart)
    assert any(k.startswith("2:") for k in _shared_keys(glued, apart))


def test_the_explanation_says_the_article_was_dropped() -> None:
    result = score(PersonQuery(names=["Ahmed Elkhatib"]), PersonCandidate(names=["Ahmed El Khatib"]))
    assert [p["method"] for p in result.explanation["name"]["parts"]] == ["exact", "article"]
    assert compare_parts(make_part("elkhatib"), make_part("khatib")) == (0.95, "article")


def test_two_glued_parts_are_compared_without_their_articles() -> None:
    # Elkhatib / Elkhalil were 0.83 alike by their opening letters (a hit on "Ahmed Elkhalil").
    assert max(_both_ways("Ahmed Elkhatib", "Ahmed Elkhalil")) < HIT_THRESHOLD
    assert compare_parts(make_part("elkhatib"), make_part("elkhalil")) == (0.0, "none")
    assert compare_parts(make_part("elkhatib"), make_part("alkhatib"))[0] == 1.0


@pytest.mark.parametrize(
    "text", ["alexander", "elena", "ellis", "allahdad", "elbaz", "albert", "alfredo", "elchin", "elsheikh"]
)
def test_names_that_only_begin_with_al_or_el_keep_their_letters(text: str) -> None:
    # A vowel or l after the letters, a name left of three letters, a listed name, or a title left.
    assert article_stem(text) == ""
    assert make_part(text).bare == ""


def test_a_listed_name_gets_no_key_of_its_tail() -> None:
    assert "albert" in NOT_ARTICLED
    assert not _shared_keys("Albert Smith", "Bert Smith") - _shared_keys("Smith", "Smith")
    # Without the list, Albert would be keyed as bert and score 0.95 against it, as an article match.
    assert compare_parts(make_part("albert"), make_part("bert"))[1] != "article"
