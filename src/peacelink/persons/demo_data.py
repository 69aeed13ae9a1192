"""Demo persons so a fresh demo shows a person hit: a wanted person with Latin and Arabic-script names."""

from __future__ import annotations

from sqlalchemy.orm import Session

from peacelink.persons import service
from peacelink.persons.models import CrimeArea, NameKind, OfficerWarning, Sex
from peacelink.persons.schemas import IdentifierIn, NameIn, PersonCreate
from peacelink.users import service as users

DEMO_HINT = (
    "Person check as 'officer': 'Mohammed al Hashimi' (or محمد الهاشمي) born 1978 is wanted by NCB Utopia; "
    "'Ivan Petrov' / Иван Петров is a known person of NCB Bangui."
)


def seed(session: Session, *, uto_user: str, caf_user: str) -> str:
    """Create the demo persons as the named NCB-UTO and NCB-CAF users; return a hint to print."""
    uto = users.actor_for_username(session, username=uto_user)
    caf = users.actor_for_username(session, username=caf_user)
    service.create(
        session,
        actor=uto,
        data=PersonCreate(
            reference="UTO-W-1978-001",
            names=[
                NameIn(name="Mohamed Al-Hashimi", kind=NameKind.PRIMARY),
                NameIn(name="محمد الهاشمي", kind=NameKind.ORIGINAL_SCRIPT),
                NameIn(name="Abu Khalid", kind=NameKind.ALIAS),
            ],
            sex=Sex.MALE,
            dates_of_birth=["1978-03-14"],
            place_of_birth="Mosul",
            nationalities=["IRQ"],
            identifiers=[IdentifierIn(type="passport", number="A1234567", country="IRQ")],
            description="1.78 m, scar on the left cheek",
            crime_areas=[CrimeArea.TERRORISM],
            warnings=[OfficerWarning.ARMED, OfficerWarning.VIOLENT],
            action="Do not approach alone; hold at a safe distance and call NCB Utopia",
        ),
    )
    service.create(
        session,
        actor=caf,
        data=PersonCreate(
            reference="CAF-2025-17",
            names=[NameIn(name="Ivan Petrov"), NameIn(name="Иван Петров", kind=NameKind.ORIGINAL_SCRIPT)],
            sex=Sex.MALE,
            dates_of_birth=["1966"],
            nationalities=["RUS"],
            crime_areas=[CrimeArea.TRAFFICKING_IN_HUMAN_BEINGS],
            action="Identify and report the sighting to NCB Bangui",
        ),
    )
    service.create(
        session,
        actor=caf,
        data=PersonCreate(
            reference="CAF-2025-21",
            names=[NameIn(name="Fatima Zahra Benali")],
            sex=Sex.FEMALE,
            dates_of_birth=["1985-11"],
            crime_areas=[CrimeArea.DRUGS],
        ),
    )
    return DEMO_HINT
