"""What create_app wires once and every request shares."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from peacelink.db import dialect
from peacelink.db.engine import build_reader_engine, session_factory
from peacelink.db.group_commit import GroupCommitWriter
from peacelink.settings import Settings
from peacelink.users.signin import SessionLimits

T = TypeVar("T")


@dataclass
class AppState:
    """Settings, database handles and derived secrets of one running app."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    secret_key: bytes
    _readers: sessionmaker[Session] | None = field(default=None, repr=False)
    _writer: GroupCommitWriter | None = field(default=None, repr=False)
    _read_slots: asyncio.Semaphore | None = field(default=None, repr=False)

    @property
    def read_sessions(self) -> sessionmaker[Session]:
        """Sessions for read-only work on the request path (token and cookie look-ups).

        On SQLite they come from a second, query-only engine whose transactions are plain deferred reads:
        with WAL they run beside the one writer instead of queueing for the write lock. On PostgreSQL
        they are the ordinary sessions.
        """
        if self._readers is None:
            if self.engine.dialect.name == "sqlite":
                self._readers = session_factory(
                    build_reader_engine(self.engine.url, mmap_mb=self.settings.sqlite_mmap_mb)
                )
            else:
                self._readers = self.sessions
        return self._readers

    @property
    def writer(self) -> GroupCommitWriter:
        """The group-commit writer for the request path's small writes (checks, token last-use times)."""
        if self._writer is None:
            # SQLite: batches commit on the event loop when the writer gate is free (db.group_commit).
            self._writer = GroupCommitWriter(self.sessions, inline_gate=dialect.GATES.get(self.engine))
        return self._writer

    @property
    def inline_reads(self) -> bool:
        """Whether short indexed reads run on the event loop itself.

        On SQLite a read is a local call of well under a millisecond that never waits for the writer (WAL),
        so a trip through the worker-thread pool, with its thread switches under the GIL, costs more than
        the read. PostgreSQL reads go over a socket and wait on the server: they keep to the thread pool.
        """
        return self.engine.dialect.name == "sqlite"

    async def read(self, work: Callable[[Session], T], *, short: bool = True) -> T:
        """Run ``work`` on a read-only session: a short read inline on SQLite, else in the thread pool.

        Pass ``short=False`` for work that computes for tens of milliseconds or more (fingerprint and DNA
        searches): on the event loop it would hold up every other request of this worker. A person check
        (a few milliseconds, measured in docs/persons.md) is short enough: the thread hop and the GIL
        hand-offs cost more than the wait they spare.
        """

        def run() -> T:
            with self.read_sessions() as session:
                return work(session)

        if short and self.inline_reads:
            return run()
        # No more reads in flight than the pool keeps connections: beyond that, every read would open a
        # new connection and close it again (PostgreSQL: a new backend process each time).
        if self._read_slots is None:
            bind = self.read_sessions.kw["bind"]
            self._read_slots = asyncio.Semaphore(max(1, getattr(bind.pool, "size", lambda: 5)()))
        async with self._read_slots:
            return await run_in_threadpool(run)

    def close(self) -> None:
        """Stop the background writer (the app's shutdown)."""
        if self._writer is not None:
            self._writer.stop()

    @property
    def limits(self) -> SessionLimits:
        """Sign-in policy from settings."""
        return SessionLimits(
            lockout_threshold=self.settings.lockout_threshold,
            lockout_minutes=self.settings.lockout_minutes,
            session_minutes=self.settings.session_minutes,
        )
