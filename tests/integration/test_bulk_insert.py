"""db/bulk.insert_rows on both engines: values round-trip exactly, defaults, duplicates, all-or-nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import (
    Column,
    Date,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    select,
)
from sqlalchemy.exc import IntegrityError

from peacelink.db.base import UTCDateTime
from peacelink.db.bulk import insert_new, insert_rows

metadata = MetaData()
SAMPLE = Table(
    "bulk_sample",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(40), nullable=False),
    Column("owner", Integer, nullable=False),
    Column("label", String(200), nullable=False, default="none"),
    Column("day", Date),
    Column("at", UTCDateTime),
    UniqueConstraint("code", "owner"),
)
COMPUTED = Table(
    "bulk_computed",
    metadata,
    Column("id", String(8), primary_key=True, default=lambda: "made"),
    Column("code", String(40), nullable=False, unique=True),
)


@pytest.fixture
def tables(engine: Engine) -> Iterator[Engine]:
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)


def _stored(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        query = select(SAMPLE.c.code, SAMPLE.c.owner, SAMPLE.c.label, SAMPLE.c.day, SAMPLE.c.at)
        return [tuple(row) for row in connection.execute(query.order_by(SAMPLE.c.id))]


AWKWARD = "tab\there, new\nline, back\\slash, quote \" ' , comma; \\N and Ω ሰላም مرحبا"


def test_values_round_trip_and_missing_columns_get_their_default(tables: Engine) -> None:
    at = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    rows = [
        {"code": "A1", "owner": 1, "label": AWKWARD, "day": dt.date(2024, 1, 2), "at": at},
        {"code": "", "owner": 2, "label": "", "day": None, "at": None},  # "" stays "", not NULL
    ]
    with tables.begin() as connection:
        assert insert_rows(connection, SAMPLE, rows) == 2
        # no label: the column's default; no "at", which has no default: NULL
        assert insert_rows(connection, SAMPLE, [{"code": "A2", "owner": 1, "day": None}]) == 1
    assert _stored(tables) == [
        ("A1", 1, AWKWARD, dt.date(2024, 1, 2), at),
        ("", 2, "", None, None),
        ("A2", 1, "none", None, None),
    ]


def test_duplicates_are_skipped_and_not_counted(tables: Engine) -> None:
    with tables.begin() as connection:
        assert insert_rows(connection, SAMPLE, [{"code": "A", "owner": 1}], ignore_duplicates=True) == 1
    rows = [
        {"code": "A", "owner": 1, "label": "already stored"},
        {"code": "B", "owner": 1, "label": "first"},
        {"code": "B", "owner": 1, "label": "same key later in the call"},
        {"code": "A", "owner": 2, "label": "other owner"},
    ]
    with tables.begin() as connection:
        assert insert_rows(connection, SAMPLE, rows, ignore_duplicates=True) == 2
        # a second call in the same transaction works too (the staging table does not linger)
        assert insert_rows(connection, SAMPLE, [{"code": "C", "owner": 1}], ignore_duplicates=True) == 1
    assert [(code, owner, label) for code, owner, label, _, _ in _stored(tables)] == [
        ("A", 1, "none"),
        ("B", 1, "first"),
        ("A", 2, "other owner"),
        ("C", 1, "none"),
    ]


def test_a_failing_call_leaves_nothing(tables: Engine) -> None:
    def load() -> None:
        with tables.begin() as connection:
            insert_rows(connection, SAMPLE, [{"code": "Y", "owner": 1}])
            # no ignore_duplicates: the repeated unique key fails the call and the transaction
            insert_rows(connection, SAMPLE, [{"code": "X", "owner": 1}, {"code": "X", "owner": 1}])

    with pytest.raises(IntegrityError):
        load()
    assert _stored(tables) == []
    with pytest.raises(ValueError, match="same columns"), tables.begin() as connection:
        insert_rows(connection, SAMPLE, [{"code": "Z", "owner": 1}, {"code": "W", "owner": 1, "label": "x"}])
    with pytest.raises(KeyError, match="no_such"), tables.begin() as connection:
        insert_rows(connection, SAMPLE, [{"code": "Z", "owner": 1, "no_such": 1}])
    assert _stored(tables) == []


def test_a_python_computed_default_still_runs(tables: Engine) -> None:
    with tables.begin() as connection:
        assert insert_rows(connection, COMPUTED, [{"code": "K"}], ignore_duplicates=True) == 1
        assert insert_rows(connection, COMPUTED, [{"id": "given", "code": "K"}], ignore_duplicates=True) == 0
        assert insert_rows(connection, COMPUTED, []) == 0
    with tables.connect() as connection:
        assert connection.execute(select(COMPUTED.c.id, COMPUTED.c.code)).all() == [("made", "K")]


def test_insert_new_returns_what_went_in(tables: Engine) -> None:
    with tables.begin() as connection:
        assert insert_new(connection, SAMPLE, [{"id": 1, "code": "A", "owner": 1}], returning="id") == [1]
    rows = [
        {"id": 2, "code": "A", "owner": 1},  # the unique (code, owner) is stored already
        {"id": 3, "code": "B", "owner": 1},
        {"id": 4, "code": "B", "owner": 1},  # the same key earlier in this call
        {"id": 5, "code": "A", "owner": 2},
    ]
    with tables.begin() as connection:
        assert sorted(insert_new(connection, SAMPLE, rows, returning="code")) == ["A", "B"]
        assert insert_new(connection, SAMPLE, [], returning="id") == []
        # a Python-computed default takes the other path, with the same answer
        assert insert_new(connection, COMPUTED, [{"code": "K"}, {"code": "K"}], returning="id") == ["made"]
    assert [(code, owner) for code, owner, *_ in _stored(tables)] == [("A", 1), ("B", 1), ("A", 2)]
    with pytest.raises(KeyError, match="no_such"), tables.begin() as connection:
        insert_new(connection, SAMPLE, [{"code": "Z", "owner": 1, "no_such": 1}], returning="id")
