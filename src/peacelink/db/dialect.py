"""Dialect quirks live here and only here (SQLite vs PostgreSQL)."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import Connection


def sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection SQLite settings: WAL for concurrent readers, enforced foreign keys."""
    # pysqlite's own transaction handling is switched off so that sqlite_on_begin controls BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def sqlite_on_connect_reader(dbapi_connection: Any, record: Any) -> None:
    """Reader connections: the same settings, and the database refuses any write through them."""
    sqlite_on_connect(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def sqlite_on_begin_reader(connection: Connection) -> None:
    """A deferred transaction: a consistent snapshot that never takes the write lock."""
    connection.exec_driver_sql("BEGIN")


class SQLiteWriterGate:
    """Lets one transaction at a time into an SQLite database from this process.

    Almost every PeaceLink transaction writes (at least its audit event), and SQLite has one writer at a
    time. Left to SQLite, waiting writers poll with sleeps that grow to 100 ms (busy_timeout), which puts
    seconds on the tail latency of concurrent checks. Queueing on a lock in-process hands the database over
    at once. Other processes (a CLI import beside the server) still wait on busy_timeout.
    """

    def __init__(self, timeout: float = 30.0) -> None:
        self._lock = threading.Lock()  # a plain Lock: FastAPI may end a transaction on another thread
        self._timeout = timeout

    def on_begin(self, connection: Connection) -> None:
        """Take the gate, then start the transaction as IMMEDIATE (the write lock at BEGIN).

        IMMEDIATE also keeps the audit hash chain strictly sequential: no deferred transaction can read the
        chain's head and then lose the race to write after it.
        """
        if not self._lock.acquire(timeout=self._timeout):
            raise sqlite3.OperationalError("database is locked (waited for the writer gate)")
        connection.info[_GATE_KEY] = self
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self.on_end(connection)
            raise

    def on_end(self, connection: Connection) -> None:
        """Open the gate after COMMIT or ROLLBACK, if this connection holds it (never someone else's)."""
        if connection.info.pop(_GATE_KEY, None) is self:
            self._lock.release()


_GATE_KEY = "peacelink_writer_gate"


def is_sqlite(connection_or_dialect_name: str) -> bool:
    """True when the dialect name is SQLite."""
    return connection_or_dialect_name == "sqlite"


def append_only_sql(dialect_name: str, table: str) -> list[str]:
    """DDL that makes ``table`` append-only: UPDATE and DELETE are refused by the database itself.

    The hash chain detects tampering after the fact; the trigger stops the application (or a careless
    operator) from changing history in the first place.
    """
    if dialect_name == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        ]
    return [
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{table} is append-only'; END $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
    ]


def drop_append_only_sql(dialect_name: str, table: str) -> list[str]:
    """DDL that removes the append-only triggers (downgrade only)."""
    if dialect_name == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_append_only()",
    ]


def dialect_insert(table: Any, dialect_name: str) -> Any:
    """The engine's own INSERT construct, which has ``on_conflict_do_nothing/do_update`` and ``excluded``.

    SQLite (3.24+) and PostgreSQL share the ON CONFLICT syntax; SQLAlchemy exposes it per dialect only.
    """
    if dialect_name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    from sqlalchemy.dialects.postgresql import insert as postgresql_insert

    return postgresql_insert(table)


def insert_ignoring_duplicates(table: Any, dialect_name: str) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` on ``table``: bulk imports skip rows whose natural key exists.

    Both SQLite and PostgreSQL accept the clause without a conflict target, so any unique index (the natural
    key) makes a repeated row a no-op instead of an error.
    """
    return dialect_insert(table, dialect_name).on_conflict_do_nothing()
