"""Travel document use cases: report, read, update, cancel, list, and the document check."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import AgencyKind, Role, require_role
from peacelink.access.actor import Actor
from peacelink.access.visibility import decode_agencies
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.documents.models import DocumentStatus, TravelDocument
from peacelink.documents.rows import country, document_values
from peacelink.documents.schemas import DocumentCreate, DocumentOut, DocumentUpdate
from peacelink.errors import Conflict, Forbidden, Invalid
from peacelink.records import changes
from peacelink.records.changes import future_review as future_review
from peacelink.records.changes import visibility_codes as visibility_codes
from peacelink.records.changes import visibility_columns

# Reporting staff; field officers and analysts check but do not report.
REPORTING_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR)


def may_report(actor: Actor, issuing_country: str) -> None:
    """Only an NCB of the issuing country reports, edits or cancels (not central, not a mission)."""
    require_role(actor, *REPORTING_ROLES)
    if actor.agency_kind is not AgencyKind.NCB or actor.agency_country != issuing_country:
        raise Forbidden(f"only the national central bureau of {issuing_country} may report its documents")


def create(
    session: Session, *, actor: Actor, data: DocumentCreate, today: dt.date | None = None
) -> TravelDocument:
    """Report a document (or a blank range) for the actor's NCB."""
    day = today or dt.date.today()
    values = document_values(data.model_dump(), today=day)
    may_report(actor, values["issuing_country"])
    duplicate = session.scalar(
        select(TravelDocument.id).where(
            TravelDocument.issuing_country == values["issuing_country"],
            TravelDocument.number == values["number"],
            TravelDocument.document_type == values["document_type"],
            TravelDocument.owner_agency_id == actor.agency_id,
        )
    )
    if duplicate is not None:
        raise Conflict(f"this document is already reported (id {duplicate})", field="number")
    document = TravelDocument(
        **values,
        owner_agency_id=actor.agency_id,
        created_by=actor.user_id,
        updated_by=actor.user_id,
        review_due=future_review(data.review_due, today=day),
        **visibility_columns(session, data.visibility, data.visibility_agencies),
    )
    session.add(document)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="document.create",
        object_type="document",
        object_id=document.id,
        query={
            "issuing_country": document.issuing_country,
            "number": document.number,
            "range_end": document.range_end,
        },
    )
    return document


def get_owned(session: Session, *, actor: Actor, document_id: str) -> TravelDocument:
    """A document the actor's agency owns; NotFound if it may not see it, Forbidden if it only sees it."""
    document = changes.owned(session, TravelDocument, actor=actor, record_id=document_id, noun="document")
    may_report(actor, document.issuing_country)
    return document


def update(
    session: Session, *, actor: Actor, document_id: str, data: DocumentUpdate, today: dt.date | None = None
) -> TravelDocument:
    """Change a report (owner NCB only); a stale version or a cancelled record is a Conflict."""
    day = today or dt.date.today()
    document = get_owned(session, actor=actor, document_id=document_id)
    changes.check_changeable(document, data.version, noun="document")
    changed = data.model_dump(exclude_unset=True, exclude={"version"})
    # Every value is checked before any is set (changes.envelope_values: an autoflush would move the
    # version twice), then only those that differ are: a patch that changes nothing leaves the version.
    values = changes.envelope_values(session, document, changed, today=day)
    status = changed.pop("status", None)
    if status is not None:
        if document.range_prefix is not None and status != DocumentStatus.STOLEN_BLANK:
            raise Invalid("a blank range stays stolen_blank", field="status")
        values["document_status"] = DocumentStatus(status).value
    for key, value in changed.items():
        values[key] = "" if value is None and key in {"place", "holder_name", "action"} else value
    patch = data.model_dump(mode="json", exclude_unset=True)
    if not changes.apply(document, values):
        changes.unchanged(session, document, actor=actor, noun="document", patch=patch)
        return document
    changes.touch(document, actor=actor)
    audit.record(
        session,
        actor=actor,
        action="document.update",
        object_type="document",
        object_id=document.id,
        query=patch,
    )
    session.flush()
    return document


def cancel(session: Session, *, actor: Actor, document_id: str, version: int) -> TravelDocument:
    """Withdraw a report (owner NCB only): it stops being served at once. A second cancel is a Conflict."""
    document = get_owned(session, actor=actor, document_id=document_id)
    changes.cancel(session, document, actor=actor, version=version, noun="document")
    return document


def read(session: Session, *, actor: Actor, document_id: str) -> TravelDocument:
    """One document the actor's agency may see, audited."""
    return changes.read(session, TravelDocument, actor=actor, record_id=document_id, noun="document")


def list_own(
    session: Session,
    *,
    actor: Actor,
    issuing_country: str | None = None,
    number: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[TravelDocument]:
    """The actor's agency's own reports, newest first (the owner's management view)."""
    stmt = select(TravelDocument).where(TravelDocument.owner_agency_id == actor.agency_id)
    if issuing_country:
        stmt = stmt.where(TravelDocument.issuing_country == country(issuing_country.strip().upper()))
    if number:
        stmt = stmt.where(TravelDocument.number == number.strip().upper())
    stmt = stmt.order_by(TravelDocument.created_at.desc(), TravelDocument.id).limit(limit).offset(offset)
    documents = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="document.list",
        object_type="document",
        query={"issuing_country": issuing_country, "number": number, "limit": limit, "offset": offset},
        result_ids=[d.id for d in documents],
    )
    return documents


def to_out(session: Session, document: TravelDocument) -> DocumentOut:
    """The API shape of a document."""
    owner = session.get(Agency, document.owner_agency_id)
    return DocumentOut(
        id=document.id,
        issuing_country=document.issuing_country,
        document_type=document.document_type,
        number=document.number,
        range_end=document.range_end,
        status=document.document_status,
        record_status=document.status,
        reported_at=document.reported_at,
        place=document.place,
        holder_name=document.holder_name,
        holder_birth_date=document.holder_birth_date,
        action=document.action,
        owner_agency=owner.code if owner else "?",
        visibility=document.visibility,
        visibility_agencies=decode_agencies(document.visibility_agencies),
        review_due=document.review_due,
        version=document.version,
    )
