"""Many rows into one table, the fastest way each engine offers.

SQLite: one prepared ``INSERT`` run with ``executemany`` (in-process, so there is no round trip to save).
PostgreSQL: ``COPY ... FROM STDIN``, the bulk-load path its manual recommends ("Populating a Database"),
instead of an ``executemany`` of single-row inserts that each pass through the parser, planner and
executor. A load that must skip rows whose natural key exists copies into a temporary table first and moves
the rows over with one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``, because ``COPY`` has no conflict
clause. Either way the call runs inside the caller's transaction: when it fails, nothing of it stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Column, Connection, Engine, Table, insert

from peacelink.db.dialect import insert_ignoring_duplicates, is_sqlite
from peacelink.db.direct import driver_error

_STAGE_PREFIX = "pl_stage_"


def insert_rows(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], *, ignore_duplicates: bool = False
) -> int:
    """Insert ``rows`` (dicts of column values) into ``table``; return how many rows went in.

    With ``ignore_duplicates`` a row that collides with a unique index (already stored, or earlier in the
    same call) is skipped instead of failing the transaction, and is not counted. A key that is no column of
    the table is a KeyError, not silently dropped. A column left out of a row
    gets its column's scalar default, as with SQLAlchemy's own ``INSERT``; every row must name the same
    columns (as SQLAlchemy's executemany requires), else ValueError and nothing is written.
    """
    if not rows:
        return 0
    _check_rows(table, rows)
    if is_sqlite(connection.dialect.name):
        stmt = insert_ignoring_duplicates(table, "sqlite") if ignore_duplicates else insert(table)
        # sqlite3's executemany reports the rows it really inserted (conflicts excluded).
        return max(connection.execute(stmt, list(rows)).rowcount, 0)
    columns = _copy_columns(table, rows)
    if columns is None:  # a column default computed in Python: let SQLAlchemy's INSERT run it
        if not ignore_duplicates:
            connection.execute(insert(table), list(rows))
            return len(rows)
        stmt = insert_ignoring_duplicates(table, connection.dialect.name)
        return len(connection.execute(stmt.returning(*table.primary_key.columns), list(rows)).all())
    counted = _copy(connection, table, rows, columns, ignore_duplicates=ignore_duplicates)
    assert isinstance(counted, int)
    return counted


def insert_new(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], *, returning: str
) -> list[Any]:
    """Insert the ``rows`` that collide with no unique index (already stored, or earlier in this call) and
    return the ``returning`` column of those that went in.

    The unique index decides, in the same statement as the insert: no "which of these exist?" query
    first, whose plan PostgreSQL chooses from table statistics that a long import leaves stale (an IN
    list of 5,000 references was scanned against every row, 24 s per query at 140,000 persons).
    Same checks as ``insert_rows``.
    """
    if not rows:
        return []
    _check_rows(table, rows)
    column = table.c[returning]
    columns = None if is_sqlite(connection.dialect.name) else _copy_columns(table, rows)
    if columns is None:  # SQLite (in-process), or a column default computed in Python
        stmt = insert_ignoring_duplicates(table, connection.dialect.name).returning(column)
        return list(connection.execute(stmt, list(rows)).scalars())
    inserted = _copy(connection, table, rows, columns, ignore_duplicates=True, returning=returning)
    assert isinstance(inserted, list)
    return inserted


def _check_rows(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Every row names the same columns of ``table`` (ValueError, KeyError otherwise)."""
    named = rows[0].keys()
    if any(row.keys() != named for row in rows):
        raise ValueError(f"rows for {table.name} must all name the same columns")
    unknown = set(named) - set(table.c.keys())
    if unknown:
        raise KeyError(f"{table.name} has no column(s) {sorted(unknown)}")


def _copy_columns(table: Table, rows: Sequence[dict[str, Any]]) -> list[tuple[Column[Any], Any]] | None:
    """The columns to copy, each with the value every row gets; None if a default needs Python.

    A column the rows leave out gets its scalar default (``default=""``); one whose default is computed in
    Python (``default=new_id``) cannot be filled here, so the caller falls back to SQLAlchemy's INSERT.
    A column with no default that the rows leave out is left to the database (server default or NULL).
    """
    named = set(rows[0])
    columns: list[tuple[Column[Any], Any]] = []
    for column in table.columns:
        default = column.default
        if column.name in named:
            columns.append((column, None))
        elif default is not None:
            if not default.is_scalar:
                return None
            columns.append((column, default.arg))  # type: ignore[attr-defined]
    return columns


def _copy(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    columns: list[tuple[Column[Any], Any]],
    *,
    ignore_duplicates: bool,
    returning: str | None = None,
) -> int | list[Any]:
    """COPY the rows in; return their number, or with ``returning`` (and ``ignore_duplicates``) that
    column of the rows that went in."""
    dialect = connection.dialect
    processors: list[Callable[[Any], Any] | None] = [
        c.type.dialect_impl(dialect).bind_processor(dialect) for c, _ in columns
    ]
    names = sql.SQL(", ").join(sql.Identifier(c.name) for c, _ in columns)
    target = _identifier(table)
    stage = sql.Identifier(_STAGE_PREFIX + table.name)
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor:
            if ignore_duplicates:
                # The copied columns with the table's types, no constraints and no indexes; dropped at the
                # end of this call, so a second call in the same transaction starts clean.
                cursor.execute(
                    sql.SQL(
                        "CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA"
                    ).format(stage, names, target)
                )
            into = stage if ignore_duplicates else target
            with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(into, names)) as copy:
                for row in rows:
                    record = []
                    for (column, filler), process in zip(columns, processors, strict=True):
                        value = row.get(column.name, filler)
                        record.append(process(value) if process is not None else value)
                    copy.write_row(record)
            if not ignore_duplicates:
                return len(rows)
            moved = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} ON CONFLICT DO NOTHING").format(
                target, names, names, stage
            )
            if returning is not None:
                moved = sql.SQL("{} RETURNING {}").format(moved, sql.Identifier(returning))
            cursor.execute(moved)
            inserted: int | list[Any] = (
                [row[0] for row in cursor.fetchall()] if returning is not None else max(cursor.rowcount, 0)
            )
            cursor.execute(sql.SQL("DROP TABLE {}").format(stage))
    except psycopg.Error as exc:
        raise driver_error(connection, f"COPY into {table.name}", exc) from exc
    return inserted


def vacuum_analyze(engine: Engine, tables: Sequence[Table]) -> None:
    """``VACUUM (ANALYZE)`` the ``tables`` after a bulk load (PostgreSQL; SQLite needs neither here).

    PostgreSQL's manual ("Populating a Database") asks for ANALYZE after loading: until the tables are
    analysed the planner guesses, and right after a first import it chose a sequential scan of every person
    name over the name index (29 ms instead of under 1 ms at 100,000 persons). VACUUM sets the pages'
    visibility bits, without which an index-only scan still reads every row from the table: at 1,000,000
    persons the check's shortlist read its ~8,000 key rows from as many table pages (person check p95
    151 ms; 60 ms after VACUUM). Autovacuum would get there in time, if it is on; an import should not
    leave the next checks to chance. VACUUM cannot run in a transaction: this takes a connection of its
    own, in autocommit, after the import's last batch has committed.
    """
    if is_sqlite(engine.dialect.name) or not tables:
        return
    names = sql.SQL(", ").join(_identifier(t) for t in tables)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor:
            cursor.execute(sql.SQL("VACUUM (ANALYZE) {}").format(names))


def _identifier(table: Table) -> sql.Identifier:
    return sql.Identifier(table.schema, table.name) if table.schema else sql.Identifier(table.name)
