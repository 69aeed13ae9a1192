"""Check entry points: one per database, all through the same pipeline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from peacelink.access import Actor
from peacelink.checks import pipeline
from peacelink.documents.lookup import DocumentLookup
from peacelink.documents.lookup import normalise as normalise_document
from peacelink.documents.schemas import DocumentCheck
from peacelink.vehicles.lookup import VehicleLookup
from peacelink.vehicles.lookup import normalise as normalise_vehicle
from peacelink.vehicles.schemas import VehicleCheck

DOCUMENTS = DocumentLookup()
VEHICLES = VehicleLookup()


def check_document(
    session: Session, *, actor: Actor, data: DocumentCheck, today: dt.date | None = None
) -> pipeline.CheckResult:
    """Check a travel document (issuing country + number, or MRZ)."""
    return pipeline.run(session, actor=actor, lookup=DOCUMENTS, query=normalise_document(data), today=today)


def check_vehicle(
    session: Session, *, actor: Actor, data: VehicleCheck, today: dt.date | None = None
) -> pipeline.CheckResult:
    """Check a vehicle (VIN, or plate + registration country)."""
    return pipeline.run(session, actor=actor, lookup=VEHICLES, query=normalise_vehicle(data), today=today)


def evaluate_document(
    session: Session, *, actor: Actor, data: DocumentCheck, today: dt.date | None = None
) -> pipeline.PendingCheck:
    """The reading half of a document check (the API persists it through the group-commit writer)."""
    return pipeline.evaluate(
        session, actor=actor, lookup=DOCUMENTS, query=normalise_document(data), today=today
    )


def evaluate_vehicle(
    session: Session, *, actor: Actor, data: VehicleCheck, today: dt.date | None = None
) -> pipeline.PendingCheck:
    """The reading half of a vehicle check."""
    return pipeline.evaluate(
        session, actor=actor, lookup=VEHICLES, query=normalise_vehicle(data), today=today
    )
