"""What create_app wires once and every request shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from peacelink.db.engine import build_reader_engine, session_factory
from peacelink.settings import Settings
from peacelink.users.signin import SessionLimits


@dataclass
class AppState:
    """Settings, database handles and derived secrets of one running app."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    secret_key: bytes
    _readers: sessionmaker[Session] | None = field(default=None, repr=False)

    @property
    def read_sessions(self) -> sessionmaker[Session]:
        """Sessions for read-only work on the request path (token and cookie look-ups).

        On SQLite they come from a second, query-only engine whose transactions are plain deferred reads:
        with WAL they run beside the one writer instead of queueing for the write lock. On PostgreSQL
        they are the ordinary sessions.
        """
        if self._readers is None:
            if self.engine.dialect.name == "sqlite":
                self._readers = session_factory(build_reader_engine(self.engine.url))
            else:
                self._readers = self.sessions
        return self._readers

    @property
    def limits(self) -> SessionLimits:
        """Sign-in policy from settings."""
        return SessionLimits(
            lockout_threshold=self.settings.lockout_threshold,
            lockout_minutes=self.settings.lockout_minutes,
            session_minutes=self.settings.session_minutes,
        )
