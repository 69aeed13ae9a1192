"""An "O." between two parts, as Mauritanian papers abbreviate Ould. All names are made up for these tests."""

from __future__ import annotations

from peacelink.matching.names import PersonCandidate, PersonQuery, normalise, score


def test_o_between_two_parts_is_the_ould_link_not_an_initial() -> None:
    assert normalise("Mohamed O. Salem") == normalise("Mohamed Ould Salem") == ["mohamed", "salem"]
    # An initial O met any part opening with a vowel: "Mohamed Vall O. Bouh" was a hit (0.92) on a record
    # whose Ahmed took the O.
    result = score(
        PersonQuery(names=["Mohamed Vall O. Bouh"]), PersonCandidate(names=["Mohamed Ould Ahmed Vall"])
    )
    assert result.score < 0.8, result.explanation


def test_o_at_either_end_stays_an_initial() -> None:
    assert normalise("O. Salem") == ["o", "salem"]
    assert normalise("Salem O") == ["salem", "o"]
