"""Demo records so a fresh demo shows hits: the ICAO specimen passport, a blank range, a stolen vehicle."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from peacelink.documents import service as documents
from peacelink.documents.models import DocumentStatus, DocumentType
from peacelink.documents.schemas import DocumentCreate
from peacelink.users import service as users
from peacelink.vehicles import service as vehicles
from peacelink.vehicles.schemas import VehicleCreate

DEMO_HINT = (
    "Try a check as 'officer': MRZ of the ICAO specimen passport (P<UTOERIKSSON<<ANNA<MARIA..., number "
    "L898902C3, stolen), UTO blank passport UB0001234, VIN WBA71DC010CH14720 or plate RCA 482 AB (CAF)."
)


def seed(session: Session, *, uto_user: str, caf_user: str) -> str:
    """Report the demo records as the named NCB-UTO and NCB-CAF users; return a hint to print."""
    uto = users.actor_for_username(session, username=uto_user)
    caf = users.actor_for_username(session, username=caf_user)
    documents.create(
        session,
        actor=uto,
        data=DocumentCreate(
            issuing_country="UTO",
            document_type=DocumentType.PASSPORT,
            number="L898902C3",
            status=DocumentStatus.STOLEN,
            reported_at=dt.date(2025, 3, 14),
            place="Utopia City",
            holder_name="ERIKSSON ANNA MARIA",
            holder_birth_date=dt.date(1974, 8, 12),
            action="Seize the passport; hold the bearer for identification; call NCB Utopia",
        ),
    )
    documents.create(
        session,
        actor=uto,
        data=DocumentCreate(
            issuing_country="UTO",
            document_type=DocumentType.PASSPORT,
            number="UB0001000",
            range_end="UB0001999",
            status=DocumentStatus.STOLEN_BLANK,
            reported_at=dt.date(2025, 6, 1),
            place="Passport printing works",
            action="Seize the document: it was stolen blank",
        ),
    )
    vehicles.create(
        session,
        actor=caf,
        data=VehicleCreate(
            vin="WBA71DC010CH14720",
            plate="RCA 482 AB",
            plate_country="CAF",
            make="BMW",
            model="X1",
            year=2017,
            colour="black",
            reported_at=dt.date(2025, 9, 2),
            place="Bangui",
            action="Stop the vehicle, hold the driver, call NCB Bangui",
        ),
    )
    return DEMO_HINT
