"""What create_app wires once and every request shares."""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def limits(self) -> SessionLimits:
        """Sign-in policy from settings."""
        return SessionLimits(
            lockout_threshold=self.settings.lockout_threshold,
            lockout_minutes=self.settings.lockout_minutes,
            session_minutes=self.settings.session_minutes,
        )
