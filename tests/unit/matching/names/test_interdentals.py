"""The Arabic ث, ذ and ض in Arabic romanisations (th, dh, d) and in Persian, Urdu and Turkish ones (s, z, z).
All names are made up for these tests."""

from __future__ import annotations

import pytest

from peacelink.matching.names import (
    HIT_THRESHOLD,
    PersonCandidate,
    PersonQuery,
    blocking_keys,
    query_keys,
    score,
)
from peacelink.matching.names.parts import PERSIAN_READING, make_part, prepare
from peacelink.matching.names.similarity import PHONETIC_COARSE, compare_parts


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Usman Ghani Khan", "Uthman Ghani Khan"),
        ("Osman Nuri Kaya", "Uthman Nuri Kaya"),
        ("Zakir Hussain Bhatti", "Dhakir Husayn Bhatti"),
        ("Kazem Jafari Rad", "Kadhim Jafari Rad"),
        ("Saqib Ali Mirza", "Thaqib Ali Mirza"),
        ("Haysam Nouri Saleh", "Haitham Nouri Saleh"),
    ],
)
def test_th_and_dh_spellings_meet_their_s_and_z_spellings(query: str, record: str) -> None:
    # The part alone scored 0 (th read t, dh read d): the names were candidates at best, never a hit.
    for first, second in ((query, record), (record, query)):
        result = score(PersonQuery(names=[first]), PersonCandidate(names=[second]))
        assert result.score >= HIT_THRESHOLD, result.explanation
        assert blocking_keys([second]) & query_keys([first])


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("عثمان غني", "Usman Ghani"),
        ("ذاكر حسين", "Zakir Hussain"),
        ("رضا محمدي", "Reza Mohammadi"),
        ("ثاقب علي", "Saqib Ali"),
    ],
)
def test_the_arabic_script_is_also_read_the_persian_way(arabic: str, latin: str) -> None:
    result = score(PersonQuery(names=[latin]), PersonCandidate(names=[arabic]))
    assert result.score >= HIT_THRESHOLD, result.explanation
    assert result.explanation["name"]["candidate_name"] == arabic + PERSIAN_READING
    assert blocking_keys([arabic]) & query_keys([latin])
    assert blocking_keys([latin]) & query_keys([arabic])


def test_the_arabic_reading_stays_and_other_scripts_get_none() -> None:
    # عثمان still meets Uthman through its Arabic romanisation; Latin and Cyrillic names get no Persian
    # reading (Усман Гани gets its Ukrainian one, г read as h: test_cyrillic_alphabets).
    assert score(PersonQuery(names=["Uthman"]), PersonCandidate(names=["عثمان"])).score >= 0.7
    assert [n.reading for n in prepare(["عثمان غني"]).names] == ["", "persian"]
    readings = [n.reading for n in prepare(["Uthman Ghani", "Усман Гани", "محمود علي"]).names]
    assert readings == ["", "", "ukrainian", ""]


@pytest.mark.parametrize(("first", "second"), [("fathi", "fasi"), ("adham", "azam"), ("mathew", "masi")])
def test_a_t_or_d_before_h_in_a_short_part_is_not_read_as_s_or_z(first: str, second: str) -> None:
    # Fathi is t+h (فتحي), Adham d+h (أدهم): the alternative key of such short parts is too short to
    # compare by, so they meet Fasi and Azam no more than before.
    assert compare_parts(make_part(first), make_part(second))[0] < PHONETIC_COARSE
