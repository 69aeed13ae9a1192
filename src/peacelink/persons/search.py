"""The investigators' person search: a name (scored, through the blocking keys) and/or filters.

Visibility is applied with ``access.visibility`` (``visible_clause`` in SQL, ``can_see`` on scored
results), so a record hidden from the searcher's agency never appears. Every search is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import Actor, Role, can_see, require_role, visible_clause
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.documents.rows import country
from peacelink.errors import Invalid
from peacelink.persons.lookup import PERSONS, normalise
from peacelink.persons.models import Person
from peacelink.persons.schemas import PersonCheck
from peacelink.persons.values import decode_list

SEARCH_ROLES = (Role.INVESTIGATOR, Role.ANALYST, Role.SUPERVISOR)
MAX_RESULTS = 100


@dataclass(frozen=True)
class SearchFilters:
    """What the investigator asks for; every field is optional but at least one must be given."""

    name: str = ""
    born_from: int | None = None
    born_to: int | None = None
    nationality: str = ""
    crime_area: str = ""
    warning: str = ""
    owner: str = ""
    limit: int = 50

    def summary(self) -> dict[str, object]:
        """The audit form of the filters."""
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


def _matches(person: Person, filters: SearchFilters, owner_id: int | None) -> bool:
    """The non-name filters on a loaded record (for scored name results)."""
    if filters.born_from is not None and (person.birth_year_max or 0) < filters.born_from:
        return False
    if filters.born_to is not None and (person.birth_year_min or 9999) > filters.born_to:
        return False
    if filters.nationality and filters.nationality not in decode_list(person.nationalities):
        return False
    if filters.crime_area and filters.crime_area not in decode_list(person.crime_areas):
        return False
    if filters.warning and filters.warning not in decode_list(person.warnings):
        return False
    return owner_id is None or person.owner_agency_id == owner_id


def search(
    session: Session, *, actor: Actor, filters: SearchFilters, today: dt.date | None = None
) -> list[tuple[Person, float | None]]:
    """Persons the actor's agency may see matching the filters; scored and ranked when a name is given."""
    require_role(actor, *SEARCH_ROLES)
    day = today or dt.date.today()
    if not any(v not in ("", None) for k, v in filters.__dict__.items() if k != "limit"):
        raise Invalid("give a name or at least one filter", field="name")
    if filters.nationality:
        filters = SearchFilters(
            **{**filters.__dict__, "nationality": country(filters.nationality.upper(), "nationality")}
        )
    owner_id: int | None = None
    if filters.owner:
        owner_id = session.scalar(select(Agency.id).where(Agency.code == filters.owner.strip().upper()))
        if owner_id is None:
            raise Invalid(f"unknown agency {filters.owner}", field="owner")
    limit = max(1, min(filters.limit, MAX_RESULTS))
    found: list[tuple[Person, float | None]] = []
    if filters.name.strip():
        query = normalise(PersonCheck(names=[filters.name]))
        for candidate in PERSONS.look_up(session, query):
            person = session.get(Person, candidate.record.id)
            if (
                person is not None
                and can_see(actor, person, today=day)
                and _matches(person, filters, owner_id)
            ):
                found.append((person, candidate.score))
    else:
        stmt = select(Person).where(visible_clause(Person, actor, today=day))
        if filters.born_from is not None:
            stmt = stmt.where(Person.birth_year_max >= filters.born_from)
        if filters.born_to is not None:
            stmt = stmt.where(Person.birth_year_min <= filters.born_to)
        for column, value in (
            (Person.nationalities, filters.nationality),
            (Person.crime_areas, filters.crime_area),
            (Person.warnings, filters.warning),
        ):
            if value:
                stmt = stmt.where(column.like(f"%,{value},%"))
        if owner_id is not None:
            stmt = stmt.where(Person.owner_agency_id == owner_id)
        stmt = stmt.order_by(Person.created_at.desc(), Person.id).limit(limit)
        found = [(p, None) for p in session.scalars(stmt)]
    found = found[:limit]
    audit.record(
        session,
        actor=actor,
        action="person.search",
        object_type="person",
        query=filters.summary(),
        result_ids=[p.id for p, _ in found],
    )
    return found
