"""Demo data: a small network of agencies and users with web sign-ins, built on a fresh database."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy.orm import Session, sessionmaker

from peacelink.access import AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.checks import demo_data
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import demo_data as dna_demo
from peacelink.fingerprints import demo_data as fingerprint_demo
from peacelink.messaging import demo_data as messaging_demo
from peacelink.persons import demo_data as persons_demo
from peacelink.setup import initialise
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate

DEMO_AGENCIES = [
    AgencyCreate(code="NCB-UTO", name="NCB Utopia", kind=AgencyKind.NCB, country="UTO"),
    AgencyCreate(code="NCB-CAF", name="NCB Bangui", kind=AgencyKind.NCB, country="CAF"),
    AgencyCreate(
        code="MINUSCA",
        name="MINUSCA Police Component",
        kind=AgencyKind.MISSION,
        area=["CAF"],
        mandate_end=dt.date(2027, 11, 15),
    ),
    AgencyCreate(code="UNODC", name="UN Office on Drugs and Crime", kind=AgencyKind.INTERNATIONAL),
]

DEMO_USERS = [
    ("officer", "MINUSCA", [Role.FIELD_OFFICER], "fr", "Field officer, checkpoint"),
    ("supervisor", "NCB-CAF", [Role.SUPERVISOR, Role.INVESTIGATOR], "fr", "NCB supervisor"),
    ("investigator", "NCB-UTO", [Role.INVESTIGATOR, Role.ANALYST], "en", "Investigator"),
    ("uto-admin", "NCB-UTO", [Role.AGENCY_ADMIN], "en", "NCB Utopia administrator"),
    ("analyst", "UNODC", [Role.ANALYST], "es", "Analyst"),
]


def _password() -> str:
    return "demo-" + secrets.token_urlsafe(9)


def build_demo(sessions: sessionmaker[Session], *, secret_key: bytes, token_days: int) -> str:
    """Create the demo network on a migrated, empty database; return the sign-in sheet to print."""
    admin_password = _password()
    init = initialise(sessions, secret_key=secret_key, token_days=token_days, admin_password=admin_password)
    rows = [("admin", "CENTRAL", "system_admin", admin_password, init.totp_secret or "", init.token)]
    with unit_of_work(sessions) as session:
        admin = users.actor_for_username(session, username="admin")
        for data in DEMO_AGENCIES:
            agencies.create(session, actor=admin, data=data)
        for username, agency, roles, language, name in DEMO_USERS:
            password = _password()
            created = users.create(
                session,
                actor=admin,
                data=UserCreate(
                    username=username,
                    agency=agency,
                    roles=roles,
                    language=language,
                    full_name=name,
                    password=password,
                ),
                secret_key=secret_key,
                token_days=token_days,
            )
            rows.append(
                (
                    username,
                    agency,
                    ",".join(r.value for r in roles),
                    password,
                    created.totp_secret or "",
                    created.token,
                )
            )
        hint = demo_data.seed(session, uto_user="investigator", caf_user="supervisor")
        hint += "\n" + persons_demo.seed(session, uto_user="investigator", caf_user="supervisor")
        hint += "\n" + fingerprint_demo.seed(session, owner_user="supervisor", officer_user="officer")
        hint += "\n" + dna_demo.seed(
            session, admin_user="admin", owner_user="investigator", family_owner_user="supervisor"
        )
        codes = ["CENTRAL", *(a.code for a in DEMO_AGENCIES)]
        messaging_demo.seed_messages(session, secret_key=secret_key, agencies=codes)
    lines = [
        hint,
        "",
        "Demo sign-ins (web: password, then the 6-digit code from the TOTP secret;",
        "get a code with: .venv/bin/peacelink totp code SECRET)",
        "",
    ]
    lines.append(f"{'user':<13} {'agency':<9} {'password':<18} {'TOTP secret':<34} API token")
    for username, agency, _roles, password, secret, token in rows:
        lines.append(f"{username:<13} {agency:<9} {password:<18} {secret:<34} {token}")
    return "\n".join(lines)
