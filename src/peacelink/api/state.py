"""What create_app wires once and every request shares."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from peacelink.settings import Settings
from peacelink.users.signin import SessionLimits


@dataclass
class AppState:
    """Settings, database handles and derived secrets of one running app."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    secret_key: bytes
    _gate: asyncio.Semaphore | None = field(default=None, repr=False)

    @property
    def request_gate(self) -> asyncio.Semaphore:
        """How many requests may hold a database session at once.

        SQLite has one writer, and nearly every request writes (its audit event), so requests take turns:
        waiting here costs no worker thread. Without it, requests waiting for the database inside worker
        threads can starve the thread the current writer needs to finish. On PostgreSQL the limit is the
        connection pool's size, for the same reason.
        """
        if self._gate is None:
            slots = 1
            if self.engine.dialect.name != "sqlite":
                pool = self.engine.pool
                size = getattr(pool, "size", None)
                slots = int(size() if callable(size) else 10) + int(getattr(pool, "_max_overflow", 0))
            self._gate = asyncio.Semaphore(max(1, slots))
        return self._gate

    @property
    def limits(self) -> SessionLimits:
        """Sign-in policy from settings."""
        return SessionLimits(
            lockout_threshold=self.settings.lockout_threshold,
            lockout_minutes=self.settings.lockout_minutes,
            session_minutes=self.settings.session_minutes,
        )
