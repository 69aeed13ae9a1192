"""Agency use cases."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import Actor, AgencyKind, Role, require_role
from peacelink.agencies.models import Agency
from peacelink.agencies.schemas import AgencyCreate, AgencyUpdate
from peacelink.audit import service as audit
from peacelink.errors import Conflict, Forbidden, Invalid, NotFound
from peacelink.identifiers.countries import validate_alpha3
from peacelink.identifiers.exceptions import IdentifierError


def _country(code: str, field: str) -> str:
    """Validate an ISO 3166-1 alpha-3 code, naming the field on error."""
    try:
        return validate_alpha3(code)
    except IdentifierError as exc:
        raise Invalid(f"{code!r} is not an ISO 3166-1 alpha-3 country code", field=field) from exc


def validate_new(data: AgencyCreate) -> AgencyCreate:
    """Apply the per-kind rules: NCBs have a country, missions an area and mandate end."""
    country = _country(data.country, "country") if data.country else None
    area = [_country(c, "area") for c in data.area]
    if data.kind is AgencyKind.NCB and not country:
        raise Invalid("a national central bureau needs its country", field="country")
    if data.kind is AgencyKind.MISSION:
        if not area:
            raise Invalid("a mission needs its mandate area (countries)", field="area")
        if data.mandate_end is None:
            raise Invalid("a mission needs its mandate end date", field="mandate_end")
    elif data.mandate_end is not None:
        raise Invalid("only missions have a mandate end", field="mandate_end")
    return data.model_copy(update={"country": country, "area": area})


def create_unchecked(session: Session, *, data: AgencyCreate) -> Agency:
    """Insert an agency without an actor (used by ``init`` to create the central agency)."""
    data = validate_new(data)
    if session.scalar(select(Agency.id).where(Agency.code == data.code)) is not None:
        raise Conflict(f"agency {data.code} already exists", field="code")
    if data.kind is AgencyKind.CENTRAL and session.scalar(
        select(Agency.id).where(Agency.kind == AgencyKind.CENTRAL.value)
    ):
        raise Conflict("there is already a central agency", field="kind")
    agency = Agency(
        code=data.code,
        name=data.name,
        kind=data.kind.value,
        country=data.country,
        area=list(data.area),
        mandate_end=data.mandate_end,
    )
    session.add(agency)
    session.flush()
    return agency


def create(session: Session, *, actor: Actor, data: AgencyCreate) -> Agency:
    """Register an agency on the network (central system_admin only)."""
    require_role(actor, Role.SYSTEM_ADMIN)
    agency = create_unchecked(session, data=data)
    audit.record(
        session,
        actor=actor,
        action="agency.create",
        object_type="agency",
        object_id=agency.code,
        query=data.model_dump(mode="json"),
    )
    return agency


def get_by_code(session: Session, *, code: str) -> Agency:
    """The agency with ``code`` or NotFound."""
    agency = session.scalar(select(Agency).where(Agency.code == code.strip().upper()))
    if agency is None:
        raise NotFound(f"no agency {code!r}")
    return agency


def get_named(session: Session, *, code: str, field: str = "agency") -> Agency:
    """The agency a request body or query names, or Invalid on ``field``: an unknown one there is bad input
    (422), as a message's unknown recipient is; NotFound (404) is for the agency a path names."""
    agency = session.scalar(select(Agency).where(Agency.code == code.strip().upper()))
    if agency is None:
        raise Invalid(f"unknown agency {code.strip().upper()!r}", field=field)
    return agency


def list_all(session: Session, *, actor: Actor, kind: AgencyKind | None = None) -> list[Agency]:
    """Every agency on the network (the directory is visible to all signed-in users)."""
    stmt = select(Agency).order_by(Agency.code)
    if kind is not None:
        stmt = stmt.where(Agency.kind == kind.value)
    agencies = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="agency.list",
        object_type="agency",
        query={"kind": kind.value if kind else None},
        result_ids=[a.code for a in agencies],
    )
    return agencies


def read(session: Session, *, actor: Actor, code: str) -> Agency:
    """One agency, audited."""
    agency = get_by_code(session, code=code)
    audit.record(session, actor=actor, action="agency.read", object_type="agency", object_id=agency.code)
    return agency


def update(session: Session, *, actor: Actor, code: str, data: AgencyUpdate) -> Agency:
    """Change an agency's name, area, mandate or active flag (central system_admin only)."""
    require_role(actor, Role.SYSTEM_ADMIN)
    agency = get_by_code(session, code=code)
    changes = data.model_dump(exclude_unset=True)
    if agency.kind == AgencyKind.CENTRAL and changes.get("active") is False:
        raise Forbidden("the central agency cannot be deactivated")
    if "area" in changes:
        if agency.kind != AgencyKind.MISSION:
            raise Invalid("only missions have a mandate area", field="area")
        changes["area"] = [_country(c, "area") for c in changes["area"] or []]
    if "mandate_end" in changes and agency.kind != AgencyKind.MISSION:
        raise Invalid("only missions have a mandate end", field="mandate_end")
    for key, value in changes.items():
        setattr(agency, key, value)
    audit.record(
        session,
        actor=actor,
        action="agency.update",
        object_type="agency",
        object_id=agency.code,
        query=data.model_dump(mode="json", exclude_unset=True),
    )
    return agency
