"""Names that begin with ben or bin but are not "son of" a name have no stem (``parts.NOT_SON_OF``)."""

from __future__ import annotations

import pytest

from peacelink.matching.names import HIT_THRESHOLD, PersonCandidate, PersonQuery, blocking_keys, score
from peacelink.matching.names.parts import make_part


def _score(query: str, record: str) -> float:
    return score(PersonQuery(names=[query]), PersonCandidate(names=[record])).score


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Benjamin Smith", "Jamin Smith"),
        ("Bennett Jones", "Nett Jones"),
        ("Benito Rossi", "Ito Rossi"),
        ("Bintou Diallo", "Tou Diallo"),
        ("Benazir Bhutto", "Azir Bhutto"),
        ("Benson Okafor", "Son Okafor"),
    ],
)
def test_a_given_name_is_not_met_through_a_stem(query: str, record: str) -> None:
    # Each pair scored 0.90, a hit, through the stem (jamin, nett, ...); the record now lacks a name.
    assert _score(query, record) < HIT_THRESHOLD
    assert _score(record, query) < HIT_THRESHOLD
    assert make_part(query.split()[0].lower()).stem == ""


def test_a_given_name_gets_no_stem_key() -> None:
    stems = {f"1:{make_part(s).coarse}" for s in ("jamin", "tou", "azir")}
    assert not stems & blocking_keys(["Benjamin Smith", "Bintou Diallo", "Benazir Bhutto"])


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Hocine Benali", "Hocine Ben Ali"),
        ("Karim Benmoussa", "Karim Moussa"),
        ("Abu Jamal Saleh", "Jamal Saleh"),
    ],
)
def test_son_of_and_kunya_stems_still_meet(query: str, record: str) -> None:
    assert _score(query, record) >= HIT_THRESHOLD


def test_benjamin_still_meets_its_own_spellings() -> None:
    assert _score("Benjamin Smith", "Binyamin Smith") >= HIT_THRESHOLD
    assert _score("Benjamin Smith", "Benjamin Smith") == 1.0
