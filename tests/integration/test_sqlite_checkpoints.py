"""SQLite writer connections leave WAL checkpoints to a background thread, off the commit path."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from peacelink.db import dialect
from peacelink.db.engine import build_engine


def test_checkpoints_run_in_the_background(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with engine.begin() as connection:
            assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        for i in range(50):
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": i})
        checkpointer = dialect.CHECKPOINTERS[engine]
        deadline = time.monotonic() + 5
        while checkpointer.runs == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert checkpointer.runs >= 1
        with engine.begin() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 50
    finally:
        engine.dispose()


def _wal_frames(path: Path) -> int:
    """Frames in the WAL now (a PASSIVE checkpoint's second number)."""
    with sqlite3.connect(path) as connection:
        return int(connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])


def test_a_long_wal_is_restarted_under_the_writer_gate(tmp_path: Path) -> None:
    path = tmp_path / "grow.db"
    engine = build_engine(f"sqlite:///{path}")
    dialect.CHECKPOINTERS[engine].stop()  # replaced by one with a tiny threshold
    checkpointer = dialect.WalCheckpointer(str(path), 0.05, gate=dialect.GATES[engine], restart_frames=10)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        for i in range(50):
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": i})
        assert _wal_frames(path) >= 50  # a frame or more per transaction, never started over so far
        checkpointer.start()
        deadline = time.monotonic() + 5
        while checkpointer.restarts == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert checkpointer.restarts >= 1
        checkpointer.stop()
        with engine.begin() as connection:  # the gate was given back: writers carry on...
            connection.execute(text("INSERT INTO t VALUES (50)"))
            assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 51
        assert _wal_frames(path) <= 5  # ... from the start of the WAL file again
    finally:
        checkpointer.stop()
        engine.dispose()


def test_restart_waits_briefly_for_older_readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader of an older snapshot keeps the WAL's newest frames from the database file: RESTART waits
    for it (bounded), and only then does the next writer start the WAL over."""
    path = tmp_path / "readers.db"
    engine = build_engine(f"sqlite:///{path}")
    dialect.CHECKPOINTERS[engine].stop()
    checkpointer = dialect.WalCheckpointer(str(path), gate=dialect.GATES[engine])
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection = sqlite3.connect(path, check_same_thread=False)
    try:
        with engine.begin() as db:
            db.execute(text("CREATE TABLE t (x INTEGER)"))

        def write(rows: int) -> None:
            for i in range(rows):
                with engine.begin() as db:
                    db.execute(text("INSERT INTO t VALUES (:x)"), {"x": i})

        write(30)
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 30  # an old snapshot, held
        write(30)
        # The reader outlasts the wait: the gate is given back within about RESTART_WAIT_MS, no restart.
        started = time.monotonic()
        assert checkpointer.restart(connection) is False
        assert time.monotonic() - started < 0.5
        assert checkpointer.restarts == 0
        write(1)  # writers carry on, the WAL goes on growing
        assert _wal_frames(path) >= 60
        # With a longer wait, the reader finishing during it lets the restart through.
        monkeypatch.setattr(dialect.WalCheckpointer, "RESTART_WAIT_MS", 5000)
        threading.Timer(0.2, lambda: reader.execute("COMMIT")).start()
        assert checkpointer.restart(connection) is True
        assert checkpointer.restarts == 1
        write(1)
        assert _wal_frames(path) <= 5
    finally:
        reader.close()
        connection.close()
        engine.dispose()


def test_connections_read_through_a_memory_map_of_the_configured_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peacelink.db.engine import build_reader_engine
    from peacelink.settings import Settings

    monkeypatch.setenv("PEACELINK_SQLITE_MMAP_MB", "256")
    assert Settings().sqlite_mmap_mb == 256
    monkeypatch.delenv("PEACELINK_SQLITE_MMAP_MB")
    assert Settings().sqlite_mmap_mb == dialect.DEFAULT_MMAP_MB == 0
    url = f"sqlite:///{tmp_path / 'mapped.db'}"
    for mmap_mb in (0, 64):
        writer = build_engine(url, mmap_mb=mmap_mb)
        reader = build_reader_engine(writer.url, mmap_mb=mmap_mb)
        try:
            for engine in (writer, reader):
                with engine.connect() as connection:
                    assert connection.execute(text("PRAGMA mmap_size")).scalar() == mmap_mb * 2**20
        finally:
            reader.dispose()
            writer.dispose()
    engine = build_engine(url)  # the default: no memory map
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA mmap_size")).scalar() == 0
    finally:
        engine.dispose()


def test_the_writer_gate_opens_only_once_the_transaction_has_ended(tmp_path: Path) -> None:
    """The next writer (or the checkpointer's RESTART) must not get in while COMMIT is still writing."""
    from sqlalchemy import event

    engine = build_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    gate = dialect.GATES[engine]
    seen: list[tuple[bool, bool]] = []

    def after_the_gate(connection: Connection) -> None:  # runs after the gate's own listener
        seen.append((gate._lock.locked(), dialect._driver(connection).in_transaction))

    event.listen(engine, "commit", after_the_gate)
    event.listen(engine, "rollback", after_the_gate)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        with engine.connect() as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
            connection.rollback()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 0
        # Gate open, and no transaction left open on the connection: committed, then rolled back.
        assert seen[:2] == [(False, False), (False, False)]
    finally:
        engine.dispose()


def test_a_failed_commit_is_rolled_back_and_opens_the_gate(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'failed.db'}")
    gate = dialect.GATES[engine]
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
            connection.execute(
                text(
                    "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id)"
                    " DEFERRABLE INITIALLY DEFERRED)"
                )
            )
        # A deferred foreign key is checked at COMMIT, so this COMMIT fails.
        with pytest.raises(Exception, match="FOREIGN KEY"), engine.begin() as connection:
            connection.execute(text("INSERT INTO child VALUES (7)"))
        assert not gate._lock.locked()
        with engine.begin() as connection:  # the next writer gets in, and nothing of the failed one is kept
            assert connection.execute(text("SELECT count(*) FROM child")).scalar() == 0
            connection.execute(text("INSERT INTO parent VALUES (1)"))
            connection.execute(text("INSERT INTO child VALUES (1)"))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM child")).scalar() == 1
    finally:
        engine.dispose()
