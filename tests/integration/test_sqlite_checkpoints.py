"""SQLite writer connections leave WAL checkpoints to a background thread, off the commit path."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

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


def test_a_large_wal_is_truncated_under_the_writer_gate(tmp_path: Path) -> None:
    path = tmp_path / "grow.db"
    engine = build_engine(f"sqlite:///{path}")
    dialect.CHECKPOINTERS[engine].stop()  # replaced by one with a tiny threshold
    checkpointer = dialect.WalCheckpointer(str(path), 0.05, gate=dialect.GATES[engine], truncate_bytes=1)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        for i in range(50):
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": i})
        assert Path(f"{path}-wal").stat().st_size > 0
        checkpointer.start()
        deadline = time.monotonic() + 5
        while checkpointer.truncations == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert checkpointer.truncations >= 1
        assert Path(f"{path}-wal").stat().st_size == 0
        with engine.begin() as connection:  # the gate was given back: writers carry on
            connection.execute(text("INSERT INTO t VALUES (50)"))
            assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 51
    finally:
        checkpointer.stop()
        engine.dispose()
