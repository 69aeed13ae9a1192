"""Owner changes every record database shares: find the owned record, check that it may still change (not
cancelled, version current), check the envelope fields (visibility, review date), apply a change (the version
moves once; a patch that changes nothing leaves it), cancel.

The owner owns the record (ARCHITECTURE, rules of the domain): nobody else, the central agency included,
changes it. An agency that may not see a record gets NotFound, never a trace that it exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import can_see
from peacelink.access.actor import Actor
from peacelink.access.visibility import RecordStatus, Visibility, decode_agencies, encode_agencies
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.db.base import utcnow
from peacelink.errors import Conflict, Forbidden, Invalid, NotFound
from peacelink.records.envelope import RecordEnvelope, review_due_from
from peacelink.typed_input import DATE_RULE, date_from_text

# Persons, travel documents and vehicles: 5 years unless the owner sets an earlier date (the most allowed).
REVIEW_YEARS = 5

R = TypeVar("R", bound=RecordEnvelope)


def visibility_codes(session: Session, codes: list[str]) -> str:
    """Check that every listed agency exists and encode the list."""
    cleaned = sorted({c.strip().upper() for c in codes if c.strip()})
    if cleaned:
        known = set(session.scalars(select(Agency.code).where(Agency.code.in_(cleaned))))
        unknown = [c for c in cleaned if c not in known]
        if unknown:
            raise Invalid(f"unknown agencies: {', '.join(unknown)}", field="visibility_agencies")
    return encode_agencies(cleaned)


def visibility_columns(session: Session, mode: Visibility | str | None, codes: list[str]) -> dict[str, str]:
    """The checked visibility columns of any record: the mode and its encoded agency list (each must exist).

    "all" takes no list: agencies listed with it would restrict nothing and mislead a reader of the record
    into thinking they were excluded (or the only ones let in). "only" and "all_except" take at least one:
    "all_except" nobody is "all", and "only" nobody hides the record from every other agency, which is what
    cancelling it is for. The mode is checked before the agencies are looked up.
    """
    if mode not in set(Visibility):
        allowed = ", ".join(v.value for v in Visibility)
        raise Invalid(f"visibility must be one of {allowed}", field="visibility")
    visibility = Visibility(str(mode))
    listed = [c for c in codes if c.strip()]
    if visibility is Visibility.ALL and listed:
        raise Invalid(
            "visibility 'all' lets every agency see the record, so visibility_agencies must be empty "
            "(list agencies with 'only' or 'all_except')",
            field="visibility_agencies",
        )
    if visibility is not Visibility.ALL and not listed:
        raise Invalid(
            f"visibility '{visibility.value}' needs at least one agency in visibility_agencies",
            field="visibility_agencies",
        )
    return {"visibility": visibility.value, "visibility_agencies": visibility_codes(session, listed)}


def future_review(value: dt.date | None, *, today: dt.date, years: int = REVIEW_YEARS) -> dt.date:
    """The review date: as given, or by default ``years`` (5) from today, the longest period allowed.

    Records expire unless reviewed: INTERPOL keeps a record at most 5 years before its source must review
    it (RPD, 15 for crime-scene traces and remains; DOMAIN.md), so a date after that is refused, not kept
    as a record that never expires. The owner renews the record before its date to keep it longer.
    """
    latest = review_due_from(today, years)
    if value is None:
        return latest
    if value <= today:
        raise Invalid("review_due must be in the future", field="review_due")
    if value > latest:
        raise Invalid(
            f"review_due must be at most {years} years from today (on or before {latest.isoformat()}); "
            "renew the record before then to keep it longer",
            field="review_due",
        )
    return value


def iso_date(value: Any, field: str) -> dt.date | None:
    """A date as the API's request shapes take it in text, YYYY-MM-DD (None when blank), or Invalid.

    An import line's dates are text (a CSV cell, a JSON string), read by the rule the request bodies'
    ``IsoDate`` follows (``typed_input.date_from_text``): ``date.fromisoformat`` alone reads more since
    Python 3.11, so "20240101" and the ISO week date "2024-W01-1" (a Monday) were stored where the create
    refuses them.

    >>> iso_date("2024-02-29", "reported_at"), iso_date("", "reported_at")
    (datetime.date(2024, 2, 29), None)
    """
    if value is None or value == "":
        return None
    if type(value) is dt.date:  # a request body's, already read (not a datetime, which is a date too)
        return value
    found = date_from_text(value) if isinstance(value, str) else None
    if found is None:
        raise Invalid(f"{field} must be {DATE_RULE}", field=field)
    return found


def visible(session: Session, table: type[R], *, actor: Actor, record_id: str, noun: str) -> R:
    """The record if the actor's agency may see it, else NotFound ("no {noun} {id}")."""
    record = session.get(table, record_id)
    if record is None or not can_see(actor, record):
        raise NotFound(f"no {noun} {record_id}")
    return record


def owned(session: Session, table: type[R], *, actor: Actor, record_id: str, noun: str) -> R:
    """A record the actor's agency owns; NotFound if it may not see it, Forbidden if it only sees it."""
    record = visible(session, table, actor=actor, record_id=record_id, noun=noun)
    if record.owner_agency_id != actor.agency_id:
        raise Forbidden(f"only the owner agency changes this {noun}")
    return record


def check_version(record: RecordEnvelope, version: int, *, noun: str) -> None:
    """Refuse a change made from a stale read (optimistic concurrency): a Conflict on ``version``."""
    if record.version != version:
        raise Conflict(
            f"the {noun} is at version {record.version}, not {version}; reload it", field="version"
        )


def envelope_values(
    session: Session, record: RecordEnvelope, changes: dict[str, Any], *, today: dt.date
) -> dict[str, Any]:
    """The checked envelope columns of a patch (visibility and its agencies, review date), popped from it.

    Nothing is set on ``record``: the agency look-up runs a query, and a query autoflushes the session, so
    a change set before it went out in an UPDATE of its own and the version moved twice (1 -> 3). The
    service sets every checked value at once (``apply``). The setting that results is checked as a whole
    (``visibility_columns``): a new mode keeps the stored list unless the patch sends one, except "all",
    which drops it. A ``reported_at`` in the future is refused.
    """
    values: dict[str, Any] = {}
    if "visibility" in changes or "visibility_agencies" in changes:
        mode = changes.pop("visibility", record.visibility)
        if "visibility_agencies" in changes:
            codes = list(changes.pop("visibility_agencies") or [])
        elif mode == Visibility.ALL:
            codes = []
        else:
            codes = decode_agencies(record.visibility_agencies)
        values.update(visibility_columns(session, mode, codes))
    if "review_due" in changes:
        values["review_due"] = future_review(changes.pop("review_due"), today=today)
    if changes.get("reported_at") and changes["reported_at"] > today:
        raise Invalid("reported_at is in the future", field="reported_at")
    return values


def apply(record: RecordEnvelope, values: dict[str, Any]) -> list[str]:
    """Set the values that differ from the record's; return their names (none: the patch changes nothing)."""
    changed = [key for key, value in values.items() if getattr(record, key) != value]
    for key in changed:
        setattr(record, key, values[key])
    return changed


def touch(record: RecordEnvelope, *, actor: Actor) -> None:
    """Mark a real change: who and when. The UPDATE it makes moves the version, once per change."""
    record.updated_by = actor.user_id
    record.updated_at = utcnow()


def unchanged(
    session: Session, record: RecordEnvelope, *, actor: Actor, noun: str, patch: dict[str, Any]
) -> None:
    """Audit a patch that changes nothing: the version stays and no update is claimed.

    The answer shows the record, so it is audited as a read of it (``{noun}.read``), with the patch asked.
    """
    audit.record(
        session,
        actor=actor,
        action=f"{noun}.read",
        object_type=noun,
        object_id=record.id,
        query={"unchanged_patch": patch},
    )


def check_changeable(record: RecordEnvelope, version: int, *, noun: str) -> None:
    """Refuse a change to a cancelled record, then a change made from a stale read (both Conflicts).

    Cancelling is final: a withdrawn record stays for the audit trail and the owner's own list, frozen as it
    was withdrawn (as persons.service does). The cancelled state is tested first so a client retrying with an
    old version learns why, not just that its version is stale.
    """
    if record.status == RecordStatus.CANCELLED.value:
        raise Conflict(f"{noun} {record.id} is cancelled; a cancelled record can no longer be changed")
    check_version(record, version, noun=noun)


def check_cancellable(record: RecordEnvelope, version: int, *, noun: str) -> None:
    """Refuse to cancel a record twice (so the version moves once, on the real change), then a stale read."""
    if record.status == RecordStatus.CANCELLED.value:
        raise Conflict(f"{noun} {record.id} is already cancelled")
    check_version(record, version, noun=noun)


def cancel(session: Session, record: RecordEnvelope, *, actor: Actor, version: int, noun: str) -> None:
    """Withdraw an owned record at ``version``; it stops being served at once. Audited as {noun}.cancel.

    Cancelling a cancelled record is a Conflict, checked before the version.
    """
    check_cancellable(record, version, noun=noun)
    record.status = RecordStatus.CANCELLED.value
    touch(record, actor=actor)
    audit.record(session, actor=actor, action=f"{noun}.cancel", object_type=noun, object_id=record.id)
    session.flush()


def read(session: Session, table: type[R], *, actor: Actor, record_id: str, noun: str) -> R:
    """One record the actor's agency may see, audited as ``{noun}.read``."""
    record = visible(session, table, actor=actor, record_id=record_id, noun=noun)
    audit.record(session, actor=actor, action=f"{noun}.read", object_type=noun, object_id=record.id)
    return record
