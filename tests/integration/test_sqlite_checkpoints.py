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
