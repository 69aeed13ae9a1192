"""The investigators' person search: a name (scored, through the blocking keys) and/or filters.

Visibility is applied with ``access.visibility`` (``visible_clause`` in SQL, ``can_see`` on scored
results), so a record hidden from the searcher's agency never appears. Every search is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from peacelink.access import Actor, RecordStatus, Role, can_see, require_role, visible_clause
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.checks.pipeline import Query
from peacelink.checks.reader import READER, Reader
from peacelink.documents.rows import country
from peacelink.errors import Invalid
from peacelink.matching.names import SHORTLIST
from peacelink.persons import keys as person_keys
from peacelink.persons.check_input import normalise
from peacelink.persons.lookup import PERSONS
from peacelink.persons.models import CrimeArea, OfficerWarning, Person, PersonNameKey, table_of
from peacelink.persons.schemas import PersonCheck
from peacelink.persons.values import MIN_BIRTH_YEAR, decode_list
from peacelink.request_body import refusal, refused_character

SEARCH_ROLES = (Role.INVESTIGATOR, Role.ANALYST, Role.SUPERVISOR)
MAX_RESULTS = 100
# A search without a name never reads every person. A filter (nationality, crime area, warning) held by at
# most DRIVE_MAX persons drives it: its key rows are read, and the other filters are probed per person.
# When every filter given is more common than that (or only birth years or the owner are given), the
# persons are walked newest first (ix_persons_created_at) until the page is full: with a filter held by c
# of N persons, that reads about limit x N / c rows, at most limit x N / DRIVE_MAX for independent filters.
DRIVE_MAX = 20_000
# The bounds of the search's name and birth years (the API route declares the same).
MAX_NAME_LENGTH = 300
MAX_BIRTH_YEAR = 2100


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
    session: Session,
    *,
    actor: Actor,
    filters: SearchFilters,
    today: dt.date | None = None,
    notes: list[str] | None = None,
) -> list[tuple[Person, float | None]]:
    """Persons the actor's agency may see matching the filters; scored and ranked when a name is given.

    ``notes`` receives what a check of the name would warn about: the name read (only a title or a
    particle) and the look-up's own notes (the pipeline Reader's: a name of initials only, a name too
    common to look up alone).
    """
    require_role(actor, *SEARCH_ROLES)
    for field, value in filters.__dict__.items():
        if isinstance(value, str) and (refused := refused_character(value)) is not None:
            raise Invalid(f"{field}: {refusal(*refused)}", field=field)
    day = today or dt.date.today()
    filters = SearchFilters(
        **{
            **filters.__dict__,
            "name": filters.name.strip(),
            "nationality": filters.nationality.strip().upper(),
            "crime_area": filters.crime_area.strip().lower(),
            "warning": filters.warning.strip().lower(),
            "owner": filters.owner.strip().upper(),
        }
    )
    # The API route's bounds (its Query declarations), here for every caller: the CLI passed a year
    # of 20 digits on to the database (an OverflowError) and a 400-character name to PersonCheck (a
    # ValidationError), both as tracebacks, and took born_from -5 without a word.
    if len(filters.name) > MAX_NAME_LENGTH:
        raise Invalid(f"name has at most {MAX_NAME_LENGTH} characters", field="name")
    for field in ("born_from", "born_to"):
        year = getattr(filters, field)
        if year is not None and not MIN_BIRTH_YEAR <= year <= MAX_BIRTH_YEAR:
            raise Invalid(f"{field} is a year from {MIN_BIRTH_YEAR} to {MAX_BIRTH_YEAR}", field=field)
    if not any(v not in ("", None) for k, v in filters.__dict__.items() if k != "limit"):
        raise Invalid("give a name or at least one filter", field="name")
    if filters.nationality:
        filters = SearchFilters(
            **{**filters.__dict__, "nationality": country(filters.nationality, "nationality")}
        )
    for field, value, allowed in (
        ("crime_area", filters.crime_area, {c.value for c in CrimeArea}),
        ("warning", filters.warning, {w.value for w in OfficerWarning}),
    ):
        if value and value not in allowed:
            raise Invalid(
                f"unknown {field.replace('_', ' ')} {value!r}: one of {', '.join(sorted(allowed))}",
                field=field,
            )
    if filters.born_from is not None and filters.born_to is not None and filters.born_from > filters.born_to:
        raise Invalid(
            f"born_from {filters.born_from} is later than born_to {filters.born_to}: nobody can match",
            field="born_from",
        )
    owner_id: int | None = None
    if filters.owner:
        owner_id = session.scalar(select(Agency.id).where(Agency.code == filters.owner))
        if owner_id is None:
            raise Invalid(f"unknown agency {filters.owner}", field="owner")
    limit = max(1, min(filters.limit, MAX_RESULTS))
    found: list[tuple[Person, float | None]] = []
    if filters.name.strip():
        try:
            check = normalise(PersonCheck(names=[filters.name]))
        except Invalid as exc:  # the check's field is "names"; the search's is "name"
            raise Invalid(exc.message, field="name") from exc
        # The filter keys restrict the shortlist itself, so persons matching them are ranked among
        # themselves, not cut by a page of others with the same name. Birth years and the owner are tested
        # on the scored candidates: all of them are kept for that (up to the shortlist's size).
        later = filters.born_from is not None or filters.born_to is not None or owner_id is not None
        query = Query(
            values={
                **check.values,
                "required_keys": _filter_keys(filters),
                "max_candidates": SHORTLIST if later else limit,
                # A page of up to MAX_RESULTS: every shortlisted person is scored, not only the head.
                "scored_head": SHORTLIST,
                # Records hidden from the searcher are left out before the page is cut, not after it.
                READER: (reader := Reader(actor, day, tells_owner=False)),
            },
            summary=check.summary,
            warnings=check.warnings,
        )
        candidates = PERSONS.look_up(session, query)
        if notes is not None:  # the warnings a check of this name would answer with
            notes.extend([*check.warnings, *reader.notes])
        # The candidates' records in one read (up to the shortlist's size), not one query each.
        ids = [c.record.id for c in candidates]
        # Active ones only: the owner may see its cancelled records (can_see), yet they are never served,
        # and on PostgreSQL a cancel may commit after the shortlist was read (persons.lookup._ACTIVE).
        active = Person.status == RecordStatus.ACTIVE.value
        records = (
            {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids), active))}
            if ids
            else {}
        )
        for candidate in candidates:
            person = records.get(candidate.record.id)
            if (
                person is not None
                and can_see(actor, person, today=day)
                and _matches(person, filters, owner_id)
            ):
                found.append((person, candidate.score))
    else:
        found = [(p, None) for p in _filtered(session, actor, filters, owner_id, day, limit)]
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


def _filter_keys(filters: SearchFilters) -> list[str]:
    """The key rows (``persons.keys.facet_key``) of the nationality, crime area and warning asked for."""
    return [
        person_keys.facet_key(kind, value)
        for kind, value in (
            ("nationality", filters.nationality),
            ("crime_area", filters.crime_area),
            ("warning", filters.warning),
        )
        if value
    ]


def _filtered(
    session: Session, actor: Actor, filters: SearchFilters, owner_id: int | None, day: dt.date, limit: int
) -> list[Person]:
    """The search without a name: active persons the actor may see matching every filter, newest first.

    Driven by the rarest filter's key rows (``persons.keys.facet_keys``), or a walk of the persons newest
    first when every filter is common (DRIVE_MAX); a filter no person has answers at once, reading nothing.
    """
    wanted = _filter_keys(filters)
    stmt = select(Person).where(
        Person.status == RecordStatus.ACTIVE.value, visible_clause(Person, actor, today=day)
    )
    if owner_id is not None:
        stmt = stmt.where(Person.owner_agency_id == owner_id)
    # Birth years: a person born by ``born_to`` (its earliest year) and by ``born_from`` (its latest).
    ranges: list[tuple[Any, Any]] = []  # (column, condition on it) of each year bound given
    if filters.born_to is not None:
        ranges.append((Person.birth_year_min, lambda c: c <= filters.born_to))
    if filters.born_from is not None:
        ranges.append((Person.birth_year_max, lambda c: c >= filters.born_from))
    # The driver: the filter held by the fewest persons, if at most DRIVE_MAX hold it.
    fewest = DRIVE_MAX + 1
    drive_key: str | None = None
    table = table_of(PersonNameKey)
    if wanted:
        counts = person_keys.counts_for(session.connection(), wanted)
        if any(counts.get(key, 0) == 0 for key in wanted):
            return []
        rarest = min(wanted, key=lambda key: (counts[key], key))
        if counts[rarest] < fewest:
            fewest, drive_key = counts[rarest], rarest
    drive_column: Any = None
    for column, condition in ranges:
        # How many persons the year bound holds, counted in its index (ix_persons_birth_year,
        # ix_persons_birth_year_max: the column alone, never the rows) up to DRIVE_MAX + 1 at most.
        held = select(column).where(condition(column)).limit(DRIVE_MAX + 1).subquery()
        count = session.scalar(select(func.count()).select_from(held)) or 0
        if count < fewest:
            fewest, drive_key, drive_column = count, None, column
    for column, condition in ranges:
        # The bound that does not drive is written ``column + 0`` (same values, NULL stays NULL), so that
        # SQLite, which cannot tell the two ranges' sizes apart, reads the driving bound's index.
        stmt = stmt.where(condition(column if column is drive_column else column + 0))
    for position, key in enumerate(wanted):
        if key != drive_key:
            probe = table.alias(f"filter_{position}")  # its own name: it must not correlate to the join
            stmt = stmt.where(exists().where(probe.c.key == key, probe.c.person_number == Person.number))
    newest: list[ColumnElement[Any]] = [Person.created_at.desc(), Person.id.desc()]
    if drive_key is not None:
        stmt = stmt.join(table, and_(table.c.key == drive_key, table.c.person_number == Person.number))
    elif drive_column is not None:
        # SQLite's planner would walk ix_persons_created_at for the LIMIT and test every person against
        # the narrow range. Ordering by an expression no index holds leaves it the range's index: it reads
        # the range, then sorts those rows. (PostgreSQL's planner sees the range's size in its statistics.)
        newest = [func.coalesce(Person.created_at, Person.created_at).desc(), Person.id.desc()]
    stmt = stmt.order_by(*newest).limit(limit)
    return list(session.scalars(stmt))
