"""Owner-set visibility decided in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from peacelink.access import Actor, AgencyKind, Role, can_see
from peacelink.access.visibility import decode_agencies, encode_agencies, excluded_by_owner

TODAY = dt.date(2026, 1, 1)


@dataclass
class Rec:
    owner_agency_id: int
    visibility: str
    visibility_agencies: str
    status: str = "active"
    review_due: dt.date = dt.date(2030, 1, 1)


def actor(agency_id: int, code: str) -> Actor:
    return Actor(
        user_id=1,
        username="u",
        agency_id=agency_id,
        agency_code=code,
        agency_kind=AgencyKind.NCB,
        agency_country="UTO",
        roles=frozenset({Role.FIELD_OFFICER}),
    )


@pytest.mark.parametrize(
    ("visibility", "listed", "sees"),
    [
        ("all", [], True),
        ("only", ["B"], True),
        ("only", ["C"], False),
        ("all_except", ["B"], False),
        ("all_except", ["C"], True),
    ],
)
def test_non_owner(visibility: str, listed: list[str], sees: bool) -> None:
    record = Rec(1, visibility, encode_agencies(listed))
    assert can_see(actor(2, "B"), record, today=TODAY) is sees
    assert excluded_by_owner(actor(2, "B"), record) is (not sees)


def test_owner_always_sees_even_expired_or_cancelled() -> None:
    record = Rec(1, "only", encode_agencies(["C"]), status="cancelled", review_due=dt.date(2020, 1, 1))
    assert can_see(actor(1, "A"), record, today=TODAY)


def test_expired_and_cancelled_hidden_from_others() -> None:
    assert not can_see(actor(2, "B"), Rec(1, "all", "", review_due=dt.date(2025, 12, 31)), today=TODAY)
    assert not can_see(actor(2, "B"), Rec(1, "all", "", status="cancelled"), today=TODAY)


def test_codes_do_not_match_by_prefix() -> None:
    record = Rec(1, "only", encode_agencies(["NCB-UTO2"]))
    assert not can_see(actor(2, "NCB-UTO"), record, today=TODAY)


def test_encoding_round_trip() -> None:
    assert encode_agencies(["b", " a ", "b"]) == ",A,B,"
    assert decode_agencies(",A,B,") == ["A", "B"]
    assert encode_agencies([]) == "" and decode_agencies("") == []
