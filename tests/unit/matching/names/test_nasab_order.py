"""Nasab order: the own name of one person is the father's name of the other (``nasab``)."""

from __future__ import annotations

import pytest

from peacelink.matching.names import CANDIDATE_THRESHOLD, HIT_THRESHOLD, PersonCandidate, PersonQuery, score
from peacelink.matching.names.nasab import NASAB_ORDER
from peacelink.matching.names.normalisation import own_name_length
from peacelink.matching.names.parts import prepare
from peacelink.persons.keys import prepared_from_parts


def _result(query: str, *records: str, **facts: object) -> tuple[float, list[str]]:
    query_facts = {k: v for k, v in facts.items() if k in ("dates_of_birth", "nationalities", "sex")}
    result = score(
        PersonQuery(names=[query], **query_facts),  # type: ignore[arg-type]
        PersonCandidate(names=list(records), **query_facts),  # type: ignore[arg-type]
    )
    return result.score, [f["factor"] for f in result.explanation["factors"]]


@pytest.mark.parametrize(
    ("name", "own"),
    [
        ("Ahmed Ould Mohamed Lemine", 1),
        ("Mohamed Lemine Ould Ahmed", 2),
        ("Osama bin Mohammed bin Awad bin Laden", 1),
        ("Abd al-Aziz ibn Saud", 1),
        ("Iyad Ag Ghali", 1),
        ("Aicha bent Hassan", 1),
        ("Mohamed Lemine O. Ahmed", 2),
        ("محمد الأمين ولد أحمد", 2),
        ("أسامة بن محمد بن لادن", 1),
        ("Усама бен Ладен", 1),
        # The link opens the name (the family name first), or there is none, or nothing follows it.
        ("Ould Ahmed Mohamed", 0),
        ("Ben Ali", 0),
        ("Ahmed Mohamed Lemine", 0),
        ("Mohamed Ould", 0),
        ("Benjamin Smith", 0),
    ],
)
def test_the_own_name_is_what_stands_before_the_first_link(name: str, own: int) -> None:
    assert own_name_length(name) == own
    assert prepare([name]).names[0].own == own


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Ahmed Ould Mohamed Lemine", "Mohamed Lemine Ould Ahmed"),
        ("Osama bin Mohammed bin Laden", "Mohammed bin Osama bin Laden"),
        ("Iyad Ag Ghali", "Ghali Ag Iyad"),
        ("Ahmed Ould Mohamed Lemine", "محمد الأمين ولد أحمد"),
    ],
)
def test_father_and_son_are_a_candidate_never_a_hit(query: str, record: str) -> None:
    # Order-free, each pair scored 1.0 (or 0.92 across scripts): a hit on a relative.
    total, factors = _result(query, record)
    assert CANDIDATE_THRESHOLD <= total < HIT_THRESHOLD
    assert "nasab_order" in factors
    # Not even with every fact agreeing.
    total, _ = _result(query, record, dates_of_birth=["1970-01-01"], nationalities=["MRT"], sex="male")
    assert total < HIT_THRESHOLD


def test_the_factor_says_why_and_weighs_nasab_order() -> None:
    result = score(
        PersonQuery(names=["Ahmed Ould Mohamed Lemine"]), PersonCandidate(names=["Mohamed Lemine Ould Ahmed"])
    )
    [factor] = result.explanation["factors"]
    assert factor["factor"] == "nasab_order" and factor["effect"] == "against"
    assert factor["weight"] == -NASAB_ORDER
    assert "father" in factor["detail"]
    assert result.score == pytest.approx(1.0 - NASAB_ORDER)


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Ahmed Ould Mohamed Lemine", "Ahmed Ould Mohamed Lemine"),
        ("Ahmed Ould Mohamed Lemine", "أحمد ولد محمد الأمين"),
        # The family name first (the link opens the name) or no link on one side: order says nothing.
        ("Ould Mohamed Lemine Ahmed", "Ahmed Ould Mohamed Lemine"),
        ("Mohamed Lemine Ahmed", "Ahmed Ould Mohamed Lemine"),
        ("Ahmed Ould Mohamed Lemine", "Mohamed Lemine Ahmed"),
        # A longer chain of the same person: own name meets own name.
        ("Ahmed Ould Mohamed", "Ahmed Ould Mohamed Ould Sidi"),
    ],
)
def test_the_same_order_or_no_order_is_matched_as_before(query: str, record: str) -> None:
    total, factors = _result(query, record)
    assert "nasab_order" not in factors
    assert total >= HIT_THRESHOLD


def test_an_alias_without_the_crossing_is_preferred() -> None:
    # The record also holds the name without a link: that alignment, as good and not crossed, is taken.
    total, factors = _result("Ahmed Ould Mohamed", "Mohamed Ould Ahmed", "Ahmed Mohamed")
    assert "nasab_order" not in factors
    assert total >= HIT_THRESHOLD


def test_a_stored_record_knows_its_own_name_without_the_original_parts_reparsed() -> None:
    names = ["Mohamed Lemine Ould Ahmed", "محمد الأمين ولد أحمد", "Ahmed Mohamed"]
    direct = prepare(names)
    given = [n for n in direct.names if not n.reading]
    stored = prepared_from_parts((n.original, " ".join(p.text for p in n.parts)) for n in given)
    assert [(n.original, n.own) for n in stored.names] == [(n.original, n.own) for n in direct.names]
    assert [n.own for n in given] == [2, 2, 0]
    # The Arabic-script name's reading with the article elided (lamyn) keeps its own name too.
    assert [n.own for n in direct.names if n.reading] == [2]
