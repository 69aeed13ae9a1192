"""A Latin name that writes the Arabic article as a word (El Amine, Al-Arbi, El Hassen) is also read with it
elided as in the Maghreb (lamine, larbi, lhassen: ``arabic_reading.maghrebi_readings``), so that it meets the
French spellings Lemine, Larbi and Lahcen of the same name, both ways. All names are made up for these tests.
"""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import (
    HIT_THRESHOLD,
    PersonCandidate,
    PersonQuery,
    blocking_keys,
    query_keys,
    score,
)
from peacelink.matching.names.parts import MAGHREBI_READING, prepare


@pytest.mark.parametrize(
    ("elided", "article"),
    [
        # Before: 0.67 (the part met nothing: lmn / mn), or 0.50 and no key shared.
        ("Mohamed Lemine Ould Salem", "Mohamed El Amine Ould Salem"),
        ("Mohamed Lemine Ould Salem", "Mohamed el-Amine Ould Salem"),
        ("Lahcen Ouali Idrissi", "El Hassan Ouali Idrissi"),
        ("Lahcen Ouali Idrissi", "Al Hassan Ouali Idrissi"),
        ("Lahcen Ouali", "El Hassen Ouali"),
        ("Lahoucine Tazi", "El Houssine Tazi"),
        # Before: a hit by score (larbi / arbi as a typing error) that no key led to.
        ("Ahmed Larbi", "Ahmed El Arbi"),
        ("Ahmed Larbi", "Ahmed Al-Arbi"),
        ("Lahbib Tazi", "El Habib Tazi"),
        ("Laid Mansouri", "El Aid Mansouri"),
    ],
)
def test_the_article_as_a_word_meets_the_elided_spelling(elided: str, article: str) -> None:
    assert min(_both_ways(elided, article)) >= HIT_THRESHOLD
    assert blocking_keys([article]) & query_keys([elided])
    assert blocking_keys([elided]) & query_keys([article])


def test_the_reading_is_labelled_and_made_one_word_at_a_time() -> None:
    names = prepare(["Mohamed El Amine El Idrissi"]).names
    assert [[p.text for p in n.parts] for n in names if n.reading == "maghrebi"] == [
        ["mohamed", "lamine", "idrissi"],
        ["mohamed", "amine", "lidrissi"],
    ]
    result = score(PersonQuery(names=["Mohamed Lemine"]), PersonCandidate(names=["Mohamed El Amine"]))
    assert result.explanation["name"]["candidate_name"] == "Mohamed El Amine" + MAGHREBI_READING


@pytest.mark.parametrize(
    "name",
    [
        # Compounds read whole: Abd El Aziz is abdaziz, Abou El Hassan abuhassan.
        "Abd El Aziz Karim",
        "Abd-el-Aziz Karim",
        "Abdel Aziz Karim",
        "Abou El Hassan Tazi",
        # The pilgrim's title, a particle or the French ou for w after the article; an initial.
        "El Hadj Omar Tall",
        "El Hadji Malick Sy",
        "Al Haji Musa",
        "El Ouali Mansour",
        "Ahmed El A. Tazi",
        # The Urdu article, other languages' particles, a name that only opens with el or al.
        "Zia ul Haq",
        "Juan del Amo",
        "Maria de la Osa",
        "Elena Alvarez",
        "Alan Ellis",
        "Ali Elamin",
        # Before a consonant other than h.
        "Ahmed El Khatib",
        "Mohamed Al Sharif",
    ],
)
def test_names_without_an_elidable_article_get_no_reading(name: str) -> None:
    assert [n.reading for n in prepare([name]).names] == [""]


@pytest.mark.parametrize(
    ("query", "record"),
    [
        # Hasan and Husayn stay two names with the article elided too (their vowel after the h).
        ("Lahcen Ouali Idrissi", "El Hussein Ouali Idrissi"),
        ("Lahcen Ouali Idrissi", "El Houssine Ouali Idrissi"),
        ("Lhoussine Ouali Idrissi", "El Hassan Ouali Idrissi"),
        ("El Hassan Ouali Idrissi", "El Hussein Ouali Idrissi"),
        ("Lahcen Ouali Idrissi", "Lhoussine Ouali Idrissi"),
        # Abdel Aziz is not Laziz; Amine without the article is not read as Lemine; Lina is not El Amine.
        ("Laziz Karim Tazi", "Abdel Aziz Karim Tazi"),
        ("Mohamed Lemine Salem", "Mohamed Amine Salem"),
        ("Lina Amrani Tazi", "El Amine Amrani Tazi"),
    ],
)
def test_other_names_stay_apart(query: str, record: str) -> None:
    assert max(_both_ways(query, record)) < HIT_THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Unchanged: a record with the article against one without, the same name.
        ("Mohamed Amine Salem", "Mohamed El Amine Salem"),
        ("Hadj Omar Tall", "El Hadj Omar Tall"),
        ("Abdelaziz Karim", "Abd El Aziz Karim"),
    ],
)
def test_the_spelling_with_the_article_still_meets_the_one_without(first: str, second: str) -> None:
    assert _both_ways(first, second) == [1.0, 1.0]
