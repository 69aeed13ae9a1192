"""db/direct.DirectStatement on both engines: values and types as Connection.execute writes them, the
transaction it joins, errors as SQLAlchemy's classes, and no silently skipped column default."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    insert,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError

from peacelink.db.base import UTCDateTime
from peacelink.db.direct import DirectStatement

metadata = MetaData()
ROWS = Table(
    "direct_sample",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("label", String(100), nullable=False, default="none"),
    Column("doc", JSON),
    Column("at", UTCDateTime),
)
INSERT = DirectStatement(insert(ROWS))
RENAME = DirectStatement(update(ROWS).where(ROWS.c.id == bindparam("key")).values(label=bindparam("new")))
READ = DirectStatement(select(ROWS.c.label, ROWS.c.id).where(ROWS.c.id >= 2).order_by(ROWS.c.id))


@pytest.fixture
def tables(engine: Engine) -> Iterator[Engine]:
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)


def test_writes_read_back_as_core_wrote_them(tables: Engine) -> None:
    at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    doc = {"a": [1, "é"], "b": None}
    with tables.begin() as connection:
        INSERT.execute(connection, {"id": 1, "label": "x", "doc": doc, "at": at})
        INSERT.execute_many(
            connection,
            [{"id": 2, "label": "y", "doc": [], "at": None}, {"id": 3, "label": "z", "doc": None, "at": at}],
        )
        RENAME.execute(connection, {"key": 3, "new": "renamed"})
        assert READ.execute(connection) == [("y", 2), ("renamed", 3)]
        # rows(): named tuples with values as SQLAlchemy's own rows give them (JSON parsed, UTC datetimes)
        typed = DirectStatement(select(ROWS).where(ROWS.c.id == bindparam("id")))
        row = typed.rows(connection, {"id": 1})[0]
        assert (row.id, row.label, row.doc, row.at) == (1, "x", doc, at)
        assert row == tuple(connection.execute(select(ROWS).where(ROWS.c.id == 1)).one())
        both = DirectStatement(
            union_all(
                select(select(ROWS.c.id, ROWS.c.at).where(ROWS.c.id == 1).limit(5).subquery()),
                select(select(ROWS.c.id, ROWS.c.at).where(ROWS.c.id == 3).limit(5).subquery()),
            )
        )
        assert both.rows(connection) == [(1, at), (3, at)]
        with pytest.raises(TypeError):
            RENAME.rows(connection, {"key": 3, "new": "x"})
    with tables.connect() as connection:
        stored = connection.execute(select(ROWS).order_by(ROWS.c.id)).all()
    assert [tuple(r) for r in stored] == [(1, "x", doc, at), (2, "y", [], None), (3, "renamed", None, at)]


def test_it_joins_the_transaction_and_fails_as_sqlalchemy_does(tables: Engine) -> None:
    def load() -> None:
        with tables.begin() as connection:
            INSERT.execute(connection, {"id": 7, "label": "x", "doc": None, "at": None})
            INSERT.execute(connection, {"id": 7, "label": "again", "doc": None, "at": None})

    with pytest.raises(IntegrityError):
        load()
    with tables.connect() as connection:
        assert connection.execute(select(ROWS.c.id)).all() == []  # the first insert was rolled back too


def test_a_defaulted_column_must_be_given(tables: Engine) -> None:
    with tables.begin() as connection:
        with pytest.raises(ValueError, match="label"):
            INSERT.execute(connection, {"id": 1, "doc": None, "at": None})
        with pytest.raises(ValueError, match="same parameters"):
            INSERT.execute_many(
                connection,
                [{"id": 1, "label": "a", "doc": None, "at": None}, {"id": 2, "label": "b", "doc": None}],
            )
        INSERT.execute_many(connection, [])
    with tables.connect() as connection:
        assert connection.execute(select(ROWS.c.id)).all() == []
