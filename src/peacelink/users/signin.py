"""Web sign-in: password, then TOTP, with lockout; server-side sessions keyed by a digest of the cookie.

Failures are returned, not raised, so the caller commits the failure count and its audit event.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peacelink.access import Actor
from peacelink.audit import service as audit
from peacelink.db.base import utcnow
from peacelink.users import security
from peacelink.users.models import User, WebSession
from peacelink.users.service import actor_for

STAGE_PASSWORD = "password"  # noqa: S105 - a stage name, not a secret
STAGE_FULL = "full"
# A half-finished sign-in (password accepted, code not yet typed) lives only this long.
SECOND_FACTOR_WINDOW = dt.timedelta(minutes=5)


class Outcome(StrEnum):
    """Result of a sign-in step."""

    OK = "ok"
    FAILED = "failed"
    LOCKED = "locked"


@dataclass
class StepResult:
    """A sign-in step's outcome and, on success, the new session cookie value."""

    outcome: Outcome
    cookie: str | None = None


@dataclass(frozen=True)
class SessionLimits:
    """Lockout and lifetime policy, from Settings."""

    lockout_threshold: int
    lockout_minutes: int
    session_minutes: int


def _locked(user: User, now: dt.datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _fail(session: Session, user: User | None, limits: SessionLimits, step: str, username: str) -> Outcome:
    """Count a failure, lock the account at the threshold, and audit it."""
    now = utcnow()
    outcome = Outcome.FAILED
    if user is not None:
        user.failed_logins += 1
        if user.failed_logins >= limits.lockout_threshold:
            user.locked_until = now + dt.timedelta(minutes=limits.lockout_minutes)
            user.failed_logins = 0
            outcome = Outcome.LOCKED
    audit.record(
        session,
        actor=actor_for(user) if user else None,
        action=f"signin.{step}.failed",
        object_type="user",
        object_id=username[:64],
        query={"locked": outcome is Outcome.LOCKED},
    )
    return outcome


def start(session: Session, *, username: str, password: str, limits: SessionLimits) -> StepResult:
    """First factor: check the password and open a half session awaiting the TOTP code."""
    username = username.strip().lower()[:64]
    user = session.scalar(select(User).where(User.username == username))
    now = utcnow()
    if user is not None and _locked(user, now):
        security.verify_password(None, password)  # same work as a real check
        return StepResult(Outcome.LOCKED)
    usable = user is not None and user.active and user.agency.active and user.totp_secret_sealed is not None
    if not security.verify_password(user.password_hash if usable and user else None, password):
        return StepResult(_fail(session, user, limits, "password", username))
    assert user is not None
    # Expired sessions are cleared here, on a path that writes anyway, so the table does not grow forever.
    purge_expired(session)
    return StepResult(Outcome.OK, _open(session, user, STAGE_PASSWORD, now + SECOND_FACTOR_WINDOW))


def second_factor(
    session: Session, *, cookie: str, code: str, secret_key: bytes, limits: SessionLimits
) -> StepResult:
    """Second factor: check the TOTP code and replace the half session with a full one."""
    half = _lookup(session, cookie, STAGE_PASSWORD)
    if half is None:
        return StepResult(Outcome.FAILED)
    user = half.user
    now = utcnow()
    if _locked(user, now):
        return StepResult(Outcome.LOCKED)
    assert user.totp_secret_sealed is not None
    if not security.verify_totp(security.open_totp(secret_key, user.totp_secret_sealed), code):
        return StepResult(_fail(session, user, limits, "totp", user.username))
    session.delete(half)
    user.failed_logins = 0
    full = _open(session, user, STAGE_FULL, now + dt.timedelta(minutes=limits.session_minutes))
    audit.record(
        session, actor=actor_for(user), action="signin.ok", object_type="user", object_id=user.username
    )
    return StepResult(Outcome.OK, full)


def _open(session: Session, user: User, stage: str, expires: dt.datetime) -> str:
    """Create a session row; return the cookie value (random, only its digest is stored)."""
    cookie = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            session_hash=security.token_digest(cookie),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            stage=stage,
            expires_at=expires,
        )
    )
    session.flush()
    return cookie


def _lookup(session: Session, cookie: str, stage: str) -> WebSession | None:
    row = session.scalar(select(WebSession).where(WebSession.session_hash == security.token_digest(cookie)))
    if row is None or row.stage != stage or row.expires_at <= utcnow():
        return None
    if not row.user.active or not row.user.agency.active:
        return None
    return row


def current(session: Session, *, cookie: str) -> tuple[Actor, WebSession] | None:
    """The signed-in actor and session for a cookie, or None."""
    row = _lookup(session, cookie, STAGE_FULL)
    return (actor_for(row.user), row) if row else None


def pending(session: Session, *, cookie: str) -> WebSession | None:
    """The half session awaiting a TOTP code, or None."""
    return _lookup(session, cookie, STAGE_PASSWORD)


def end(session: Session, *, cookie: str) -> None:
    """Sign out: delete the session row."""
    row = session.scalar(select(WebSession).where(WebSession.session_hash == security.token_digest(cookie)))
    if row is not None:
        audit.record(
            session,
            actor=actor_for(row.user),
            action="signout",
            object_type="user",
            object_id=row.user.username,
        )
        session.delete(row)


def purge_expired(session: Session) -> int:
    """Delete expired sessions; returns how many."""
    result = session.execute(delete(WebSession).where(WebSession.expires_at <= utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)
