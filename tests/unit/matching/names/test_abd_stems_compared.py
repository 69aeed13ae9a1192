"""Two Abd compounds are compared by the names of God they are the servants of (``similarity._both_abd``):
Abdelkarim and Abdelkader shared their opening letters and met as a typing error, a hit with another part
alike. All names are made up or common given names and surnames."""

from __future__ import annotations

import pytest
from tests.unit.matching.names.test_cyrillic_alphabets import _both_ways

from peacelink.matching.names import CANDIDATE_THRESHOLD, HIT_THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Abdelkarim Ali", "Abdelkader Ali"),  # 0.91 before
        ("Abdelhamid Mansour", "Abdelmajid Mansour"),  # 0.93 before
        ("Abdul Rahman", "Abd al-Muhsin"),
    ],
)
def test_different_names_after_abd_do_not_meet(first: str, second: str) -> None:
    assert max(_both_ways(first, second)) <= CANDIDATE_THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Abdulkadir Ali", "Abdelkader Ali"),
        ("Abdelkerim Ali", "Abdulkarim Ali"),
        ("Abdussalam Ali", "Abdul Salaam Ali"),
        ("Abdulmajid Ali", "Abdelmadjid Ali"),
        ("عبد الكريم علي", "Abdelkarim Ali"),
        ("عبد الحق وثيق", "Abdul-Haq Wassiq"),  # the Arabic script keeps the article of short names: alhq
        ("Abdirahman Ali", "Abdurahman Ali"),
    ],
)
def test_spellings_of_one_name_still_meet(first: str, second: str) -> None:
    assert min(_both_ways(first, second)) >= HIT_THRESHOLD
