"""Engine and session factory. Built by the caller from Settings; nothing is created at import time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from peacelink.db import dialect


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _on_connect(listener: Callable[[Any, Any, int], None], mmap_mb: int) -> Callable[[Any, Any], None]:
    """A connect listener with the engine's memory-map size."""

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        listener(dbapi_connection, record, mmap_mb)

    return on_connect


def build_engine(url: str, *, mmap_mb: int = dialect.DEFAULT_MMAP_MB, **kwargs: Any) -> Engine:
    """Create an engine for ``url``, creating the SQLite file's folder if needed.

    ``mmap_mb``: SQLite only, how much of the file is read through a memory map
    (``dialect.sqlite_on_connect``).
    """
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database if parsed.database and parsed.database != ":memory:" else None
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        gate = dialect.SQLiteWriterGate(str(Path(path).resolve()) if path else None)
        dialect.GATES[engine] = gate
        if path:
            event.listen(engine, "connect", _on_connect(dialect.sqlite_writer_on_connect, mmap_mb))
            checkpointer = dialect.WalCheckpointer(path, gate=gate)
            event.listen(engine, "engine_disposed", checkpointer.stop)
            dialect.CHECKPOINTERS[engine] = checkpointer
            checkpointer.start()
        else:
            event.listen(engine, "connect", _on_connect(dialect.sqlite_on_connect, mmap_mb))
        event.listen(engine, "begin", gate.on_begin)
        event.listen(engine, "commit", gate.on_commit)
        event.listen(engine, "rollback", gate.on_rollback)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def build_reader_engine(url: str | URL, *, mmap_mb: int = dialect.DEFAULT_MMAP_MB) -> Engine:
    """A query-only SQLite engine on the same file: deferred read transactions, no writer gate."""
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _on_connect(dialect.sqlite_on_connect_reader, mmap_mb))
    event.listen(engine, "begin", dialect.sqlite_on_begin_reader)
    return engine


# Every session of one factory finds the same dict under this key in ``session.info``: a memo for facts that
# never change once written (an agency's code by id), so hot paths read them once per factory, not per
# request. A factory is one database, so a test that empties and refills a database starts a new memo.
FACTORY_MEMO_KEY = "peacelink_factory_memo"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True, info={FACTORY_MEMO_KEY: {}})
