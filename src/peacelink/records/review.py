"""Review dates: which of an agency's records are due for review, across every database.

Records stop being served to other agencies after their review date (access.visibility.can_see). This is
the reminder side: the owner lists what falls due within a window (INTERPOL's rules prompt the source six
months ahead) and renews each record by updating its ``review_due``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import Actor, RecordStatus, Role, require_role
from peacelink.audit import service as audit
from peacelink.db.base import Base
from peacelink.errors import Invalid
from peacelink.records.envelope import RecordEnvelope

DEFAULT_WINDOW_DAYS = 183  # about six months, as INTERPOL's RPD Art. 50 reminder
MAX_WINDOW_DAYS = 3660
REVIEWER_ROLES = (Role.SUPERVISOR, Role.INVESTIGATOR, Role.AGENCY_ADMIN)


@dataclass(frozen=True)
class DueRecord:
    """One record of the caller's agency whose review date falls inside the window (or has passed)."""

    database: str
    record_id: str
    review_due: dt.date
    expired: bool
    version: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "database": self.database,
            "record_id": self.record_id,
            "review_due": self.review_due.isoformat(),
            "expired": self.expired,
            "version": self.version,
        }


def record_tables() -> list[type[Any]]:
    """Every mapped table that uses the record envelope, whichever databases are installed."""
    return sorted(
        (m.class_ for m in Base.registry.mappers if issubclass(m.class_, RecordEnvelope)),
        key=lambda cls: str(cls.__tablename__),
    )


def database_name(table: type[Any]) -> str:
    """The name a record table goes by in checks and hits (``DATABASE``), else its table name."""
    return str(getattr(table, "DATABASE", table.__tablename__))


def due_for_review(
    session: Session,
    *,
    actor: Actor,
    within_days: int = DEFAULT_WINDOW_DAYS,
    limit: int = 500,
    today: dt.date | None = None,
) -> list[DueRecord]:
    """The actor's agency's active records due for review within ``within_days`` (expired ones first)."""
    require_role(actor, *REVIEWER_ROLES)
    if not 0 <= within_days <= MAX_WINDOW_DAYS:
        raise Invalid(f"within_days must be between 0 and {MAX_WINDOW_DAYS}", field="within_days")
    day = today or dt.date.today()
    horizon = day + dt.timedelta(days=within_days)
    found: list[DueRecord] = []
    for table in record_tables():
        rows = session.execute(
            select(table.id, table.review_due, table.version)
            .where(table.owner_agency_id == actor.agency_id)
            .where(table.status == RecordStatus.ACTIVE.value)
            .where(table.review_due <= horizon)
            .order_by(table.review_due)
            .limit(limit)
        )
        database = database_name(table)
        found.extend(DueRecord(database, r.id, r.review_due, r.review_due < day, r.version) for r in rows)
    found.sort(key=lambda d: (d.review_due, d.database, d.record_id))
    found = found[:limit]
    audit.record(
        session,
        actor=actor,
        action="records.due_for_review",
        object_type="record",
        query={"within_days": within_days},
        result_ids=[f"{d.database}:{d.record_id}" for d in found],
    )
    return found
