"""The stem of a glued Abd (Abdul Sattar: Sattar) is paired with the other parts in the blocking keys
(``blocking.servant_stem``), so a query naming a man by the stem shares a pair key with his record, not only
single-part keys that many namesakes hold. All names are made up or common given names and surnames."""

from __future__ import annotations

import pytest

from peacelink.matching.names import blocking_keys, query_keys


@pytest.mark.parametrize(
    ("record", "query", "pair"),
    [
        ("Haji Abdul Sattar Barakzai", "Haji Satar Barakzai", "2:brks|str"),
        ("Abdelkerim Mahamat Nour", "Kerim Mahamat Nour", "2:krm|nr"),
        ("Abdul Ghafar Qurishi", "Ghaffar Qureshi", "2:kbr|krs"),
        ("عبد الرحيم عثمان", "Rahim Osman", "2:rhm|smn"),
        ("Cabdiraxmaan Cali Warsame", "Rahman Warsame", "2:rhmn|rsm"),  # Somali, read as abdrahman
    ],
)
def test_a_query_naming_the_stem_shares_a_pair_key(record: str, query: str, pair: str) -> None:
    assert pair in blocking_keys([record]) & query_keys([query])
    # And the other way round: the record named by the stem, the query with Abd.
    assert pair in blocking_keys([query]) & query_keys([record])


@pytest.mark.parametrize(
    ("record", "query"),
    [
        ("Abdullah Masri", "Ali Masri"),  # Allah is no name to go by: its key (l) is every Ali's
        ("Abdul Haq Wardak", "Haqqani Wardak"),  # haq (hk): too short to single anybody out
        ("Abdul Hai Motmaen", "Hai Motmaen"),
    ],
)
def test_short_stems_are_not_paired(record: str, query: str) -> None:
    stems = {k for k in blocking_keys([record]) if k.startswith("2:")}
    assert not stems & query_keys([query])


def test_the_stem_pairs_are_added_not_in_place_of_the_compound() -> None:
    assert {"2:bdst|brks", "2:brks|str"} <= blocking_keys(["Abdul Sattar Barakzai"])
