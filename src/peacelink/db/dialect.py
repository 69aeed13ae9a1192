"""Dialect quirks live here and only here (SQLite vs PostgreSQL)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

# Default of the ``sqlite_mmap_mb`` setting: off. SQLite caps any value at its build's SQLITE_MAX_MMAP_SIZE
# (2 GiB in the common builds).
DEFAULT_MMAP_MB = 0


def sqlite_on_connect(dbapi_connection: Any, _record: Any, mmap_mb: int = DEFAULT_MMAP_MB) -> None:
    """Per-connection SQLite settings: WAL for concurrent readers, enforced foreign keys, and, when
    ``mmap_mb`` > 0, reads through a memory map of that much of the file.

    A memory map lets SQLite read pages straight from the operating system's page cache instead of copying
    each one with a read() call. Measured at 1M persons (docs/persons.md) it cut the time to load a person
    check's shortlisted rows by about 40%, but not the whole check's time beyond the noise, it did not raise
    HTTP throughput, and it counts the database pages each server process touched in that process's
    resident memory, so it is off by default. Never turn it on for a database on a network file system: an
    I/O error in a mapped page is a signal that ends the process, not an error SQLite can report.
    """
    # pysqlite's own transaction handling is switched off so that our begin listeners (SQLiteWriterGate,
    # sqlite_on_begin_reader) issue BEGIN themselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA mmap_size={int(mmap_mb) * 2**20}")
    cursor.close()


class WalCheckpointer:
    """Checkpoints an SQLite WAL from a background thread, off the request path.

    By default SQLite checkpoints inside whichever commit pushes the WAL past 1,000 pages, so one check in a
    few hundred pays for copying the WAL into the database: that was the whole p99 of a document check
    (about 5 ms against a 0.55 ms median). Writer connections therefore switch automatic checkpoints off
    (``wal_autocheckpoint=0``) and this thread runs a PASSIVE checkpoint every ``interval`` seconds on its
    own connection; PASSIVE never waits for readers or the writer. When the last connection closes, SQLite
    checkpoints and removes the WAL as usual.

    PASSIVE copies pages back but never starts the WAL file over, and under a steady flow of short reads and
    writes SQLite itself rarely finds the moment to: the WAL grew to 1 GB in a few minutes of HTTP checks
    (and 9 GB during a long import), slowing every read. So when the WAL holds more than ``restart_frames``
    frames the thread takes the writer gate (writers queue on it meanwhile), copies the frames written since
    its last PASSIVE, and runs a RESTART checkpoint: it waits for the readers of older snapshots (at most
    ``RESTART_WAIT_MS``; if they do not finish, it gives the gate back and tries again next round) and makes
    the next writer start the WAL file over from its beginning. The file keeps its size on disk and is
    reused. Not TRUNCATE: cutting a 64-256 MiB file took 70-300 ms on this machine's disk, with every
    writer waiting at the gate (the whole HTTP p99); RESTART holds the gate for 0.2-33 ms.
    """

    RESTART_WAIT_MS = 20

    def __init__(
        self,
        path: str,
        interval: float = 1.0,
        *,
        gate: SQLiteWriterGate | None = None,
        restart_frames: int = 16_384,
    ) -> None:
        self._path = path
        self._interval = interval
        self._gate = gate
        self._restart_frames = restart_frames
        self.restarts = 0  # RESTART checkpoints done, for tests and diagnostics
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-wal-checkpoint", daemon=True)
        self.runs = 0  # completed checkpoints, for tests and diagnostics

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self, *_args: Any) -> None:
        """Stop the thread (engine disposed)."""
        self._stop.set()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while not self._stop.wait(self._interval):
                if connection is None:
                    connection = sqlite3.connect(self._path, timeout=1, check_same_thread=False)
                try:
                    busy, frames, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.runs += 1
                    if self._gate is not None and not busy and frames > self._restart_frames:
                        self.restart(connection)
                except sqlite3.Error:
                    continue  # busy or a transient error: the next round catches up
        finally:
            if connection is not None:
                connection.close()

    def restart(self, connection: sqlite3.Connection) -> bool:
        """Under the writer gate: copy the newest frames, then RESTART (waiting briefly for readers).

        Returns whether the WAL will start over; False when readers of older snapshots outlasted the wait.
        """
        assert self._gate is not None
        with self._gate.held():
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            connection.execute(f"PRAGMA busy_timeout={self.RESTART_WAIT_MS}")
            try:
                busy = connection.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()[0]
            finally:
                connection.execute("PRAGMA busy_timeout=1000")
        self.restarts += not busy
        return not busy


# The checkpointer of each SQLite engine (weakly held: it goes with its engine).
CHECKPOINTERS: weakref.WeakKeyDictionary[Any, WalCheckpointer] = weakref.WeakKeyDictionary()


def sqlite_writer_on_connect(dbapi_connection: Any, record: Any, mmap_mb: int = DEFAULT_MMAP_MB) -> None:
    """Writer connections: the shared settings, and no checkpoint inside commits (WalCheckpointer)."""
    sqlite_on_connect(dbapi_connection, record, mmap_mb)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def sqlite_on_connect_reader(dbapi_connection: Any, record: Any, mmap_mb: int = DEFAULT_MMAP_MB) -> None:
    """Reader connections: the same settings, and the database refuses any write through them."""
    sqlite_on_connect(dbapi_connection, record, mmap_mb)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _driver(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy connection."""
    driver: sqlite3.Connection = connection.connection.dbapi_connection  # type: ignore[assignment]
    return driver


def sqlite_on_begin_reader(connection: Connection) -> None:
    """A deferred transaction: a consistent snapshot that never takes the write lock."""
    # Straight to the driver: SQLAlchemy's execution path costs more than this statement (every request).
    _driver(connection).execute("BEGIN")


class GateBusy(sqlite3.OperationalError):
    """The writer gate was taken, and the caller had asked not to wait (``without_waiting``)."""


class SQLiteWriterGate:
    """Lets one transaction at a time into an SQLite database, across threads and processes.

    Almost every PeaceLink transaction writes (at least its audit event), and SQLite has one writer at a
    time. Left to SQLite, waiting writers poll with sleeps that grow to 100 ms (busy_timeout), which puts
    tens to hundreds of milliseconds on the tail latency of concurrent checks. Instead, writers queue on an
    in-process lock and then, for the database file on disk, on an exclusive ``flock`` of a lock file beside
    it (``<database>-writer.lock``), so the server's worker processes and a CLI import running beside them
    take turns without SQLite's sleeps. A process waiting for another process's transaction polls the lock
    file with short waits (at most 1 ms apart). Writers that do not use this gate (another program) still
    meet SQLite's busy_timeout.
    """

    def __init__(self, path: str | None = None, timeout: float = 30.0) -> None:
        self._lock = threading.Lock()  # a plain Lock: FastAPI may end a transaction on another thread
        self._timeout = timeout
        self._path = f"{path}-writer.lock" if path else None
        self._file: tuple[int, int] | None = None  # (pid, fd): a forked child opens its own
        self._local = threading.local()

    @contextlib.contextmanager
    def without_waiting(self) -> Iterator[None]:
        """Inside this block, a BEGIN in this thread raises GateBusy at once if the gate is taken."""
        self._local.nowait = True
        try:
            yield
        finally:
            self._local.nowait = False

    def on_begin(self, connection: Connection) -> None:
        """Take the gate, then start the transaction as IMMEDIATE (the write lock at BEGIN).

        IMMEDIATE also keeps the audit hash chain strictly sequential: no deferred transaction can read the
        chain's head and then lose the race to write after it.
        """
        self._take(nowait=getattr(self._local, "nowait", False))
        connection.info[_GATE_KEY] = self
        try:
            _driver(connection).execute("BEGIN IMMEDIATE")
        except BaseException:
            self.on_end(connection)
            raise

    def on_commit(self, connection: Connection) -> None:
        """COMMIT, then open the gate.

        SQLAlchemy fires its "commit" event before it commits. Opening the gate there let the next writer,
        or the checkpointer's RESTART, in while the COMMIT was still writing: at 10M documents an import
        batch's COMMIT takes long enough that every RESTART failed, and the WAL grew to 2.6 GB. So the
        transaction is committed here (pysqlite's own commit, which follows, then has nothing to do). If the
        COMMIT fails the transaction is rolled back before the gate opens, and the error goes to the caller.
        """
        self._finish(connection, "COMMIT")

    def on_rollback(self, connection: Connection) -> None:
        """ROLLBACK, then open the gate (SQLAlchemy's "rollback" event also comes first: see on_commit)."""
        self._finish(connection, "ROLLBACK")

    def _finish(self, connection: Connection, statement: str) -> None:
        if connection.info.get(_GATE_KEY) is not self:
            return
        driver = _driver(connection)
        try:
            if driver.in_transaction:
                driver.execute(statement)
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                if driver.in_transaction:
                    driver.execute("ROLLBACK")
            raise
        finally:
            self.on_end(connection)

    def on_end(self, connection: Connection) -> None:
        """Open the gate, if this connection holds it (never someone else's)."""
        if connection.info.pop(_GATE_KEY, None) is self:
            self._give()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold the gate outside any transaction (the checkpointer's TRUNCATE)."""
        self._take(nowait=False)
        try:
            yield
        finally:
            self._give()

    def _take(self, *, nowait: bool) -> None:
        if nowait:
            if not self._lock.acquire(blocking=False):
                raise GateBusy("the writer gate is taken")
        elif not self._lock.acquire(timeout=self._timeout):
            raise sqlite3.OperationalError("database is locked (waited for the writer gate)")
        try:
            self._lock_file(time.monotonic() + self._timeout, nowait=nowait)
        except BaseException:
            self._lock.release()
            raise

    def _give(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file[1], fcntl.LOCK_UN)
        self._lock.release()

    def _lock_file(self, deadline: float, *, nowait: bool) -> None:
        """Take the lock file (other processes); called with the in-process lock held."""
        if self._path is None:
            return
        if self._file is None or self._file[0] != os.getpid():
            self._file = (os.getpid(), os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600))
        fd, wait = self._file[1], 0.00005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if nowait:
                    raise GateBusy("another process holds the writer gate") from None
                if time.monotonic() > deadline:
                    raise sqlite3.OperationalError(
                        "database is locked (another process held the writer gate)"
                    ) from None
                time.sleep(wait)
                wait = min(wait * 2, 0.001)


_GATE_KEY = "peacelink_writer_gate"

# The writer gate of each SQLite engine (weakly held: it goes with its engine).
GATES: weakref.WeakKeyDictionary[Any, SQLiteWriterGate] = weakref.WeakKeyDictionary()


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
