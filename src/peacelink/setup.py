"""First-run set-up: migrate, create the central agency and the first system admin."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from peacelink.access import AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.models import Agency
from peacelink.agencies.schemas import AgencyCreate, AgencyOut
from peacelink.audit import service as audit
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import Conflict
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate, UserOut


@dataclass
class Initialised:
    """What ``init`` created; the token and TOTP secret are shown once."""

    agency: AgencyOut
    user: UserOut
    token: str
    totp_secret: str | None
    totp_uri: str | None


def initialise(
    sessions: sessionmaker[Session],
    *,
    secret_key: bytes,
    token_days: int,
    agency_code: str = "CENTRAL",
    agency_name: str = "PeaceLink Central Secretariat",
    admin_username: str = "admin",
    admin_password: str | None = None,
) -> Initialised:
    """Create the central agency and its first system admin; Conflict if already done."""
    with unit_of_work(sessions) as session:
        if session.scalar(select(Agency.id).where(Agency.kind == AgencyKind.CENTRAL.value)) is not None:
            raise Conflict("this database is already initialised (a central agency exists)")
        agency = agencies.create_unchecked(
            session, data=AgencyCreate(code=agency_code, name=agency_name, kind=AgencyKind.CENTRAL)
        )
        created = users.create_unchecked(
            session,
            data=UserCreate(
                username=admin_username,
                agency=agency.code,
                roles=[Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN],
                full_name="System administrator",
                password=admin_password,
            ),
            secret_key=secret_key,
            token_days=token_days,
        )
        actor = users.actor_for(created.user)
        audit.record(session, actor=None, action="system.init", object_type="agency", object_id=agency.code)
        audit.record(
            session,
            actor=actor,
            action="user.create",
            object_type="user",
            object_id=actor.username,
            query={"agency": agency.code, "roles": sorted(created.user.roles)},
        )
        return Initialised(
            agency=AgencyOut.model_validate(agency),
            user=users.to_out(created.user),
            token=created.token,
            totp_secret=created.totp_secret,
            totp_uri=created.totp_uri,
        )
