"""Person record use cases: create, read, update, cancel, list, photo. Only the owner agency changes one."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from peacelink.access import OPERATIONAL_ROLES, Role, can_see, require_role, visible_clause
from peacelink.access.actor import Actor
from peacelink.access.visibility import RecordStatus, decode_agencies
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.documents.models import TravelDocument
from peacelink.errors import Conflict, Forbidden, Invalid, NotFound
from peacelink.persons import keys as person_keys
from peacelink.persons import photos
from peacelink.persons.models import (
    Person,
    PersonDocumentLink,
    PersonName,
    PersonPhoto,
    PersonVehicleLink,
)
from peacelink.persons.schemas import NameOut, PersonCreate, PersonOut, PersonUpdate
from peacelink.persons.values import NameValue, decode_list, person_values
from peacelink.records.changes import (
    apply,
    check_cancellable,
    check_changeable,
    envelope_values,
    future_review,
    touch,
    unchanged,
    visibility_columns,
)
from peacelink.translatable import Translatable
from peacelink.vehicles.models import StolenVehicle

REPORTING_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR)
MAX_PHOTO_BYTES = photos.MAX_PHOTO_BYTES
# The columns a person's keys are made of besides the names: a change to one rebuilds the keys.
_KEYED_COLUMNS = frozenset({"identifiers", "dates_of_birth", "nationalities", "crime_areas", "warnings"})
_LINKS: dict[str, tuple[type[Any], type[Any], str]] = {
    "travel_document_ids": (TravelDocument, PersonDocumentLink, "document_id"),
    "vehicle_ids": (StolenVehicle, PersonVehicleLink, "vehicle_id"),
}
_LOOKUP_CHUNK = 500  # ids per IN list: far below SQLite's and PostgreSQL's limits on bound parameters


def _row(data: PersonCreate | PersonUpdate, person: Person | None = None) -> dict[str, Any]:
    """The import-style row of a create (or of an update merged onto the stored record)."""
    fields = data.model_dump(mode="json", exclude_unset=person is not None)
    if person is None:
        return fields
    current: dict[str, Any] = {
        "reference": person.reference,
        "sex": person.sex,
        "dates_of_birth": decode_list(person.dates_of_birth),
        "place_of_birth": person.place_of_birth,
        "nationalities": decode_list(person.nationalities),
        "identifiers": json.loads(person.identifiers),
        "description": person.description,
        "crime_areas": decode_list(person.crime_areas),
        "warnings": decode_list(person.warnings),
        "action": person.action,
    }
    current.update({k: v for k, v in fields.items() if k in current or k == "names"})
    return current


def _save_names(session: Session, person: Person, names: list[NameValue]) -> None:
    """Replace the person's names and keys (counts adjusted) in the session's transaction."""
    connection = session.connection()
    person_keys.remove_keys(session, [person.number])
    connection.execute(delete(PersonName).where(PersonName.person_id == person.id))
    connection.execute(
        insert(PersonName),
        [
            {
                "person_id": person.id,
                "position": i,
                "name": n.name,
                "kind": n.kind,
                "script": n.script,
                "parts": n.parts,
                "prepared": person_keys.stored_form(n.name, n.parts),
            }
            for i, n in enumerate(names)
        ],
    )
    keys = person_keys.person_keys(
        [(n.name, n.parts) for n in names],
        person.identifiers,
        dates_of_birth=person.dates_of_birth,
        nationalities=person.nationalities,
        crime_areas=person.crime_areas,
        warnings=person.warnings,
    )
    person_keys.add_keys(connection, {person.number: keys})


def visible_links(session: Session, *, actor: Actor, field: str, ids: Collection[str]) -> set[str]:
    """Of ``ids`` (records of one kind of link), those that exist and ``actor`` may see: the rule every link
    is held to, by the create, the update and the import alike (the import asks for a whole batch's ids)."""
    model = _LINKS[field][0]
    wanted = sorted({i.strip() for i in ids if i.strip()})
    seen: set[str] = set()
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        records = session.scalars(select(model).where(model.id.in_(chunk)))
        seen.update(record.id for record in records if can_see(actor, record))
    return seen


def checked_links(field: str, ids: Sequence[str], visible: set[str]) -> list[str]:
    """One kind of link's ids, blanks dropped and each once; Invalid naming the first not in ``visible``
    by its place in ``ids`` (a record that does not exist and one hidden from the actor alike: no trace)."""
    for index, record_id in enumerate(ids):
        if record_id.strip() and record_id.strip() not in visible:
            raise Invalid(f"no such record {record_id.strip()}", field=f"{field}.{index}")
    return list(dict.fromkeys(i.strip() for i in ids if i.strip()))


def _checked_links(session: Session, actor: Actor, field: str, ids: list[str]) -> list[str]:
    """One kind of link's ids, deduplicated; each linked record must exist and the actor see it."""
    return checked_links(field, ids, visible_links(session, actor=actor, field=field, ids=ids))


def _stored_links(session: Session, person: Person, field: str) -> set[str]:
    """The ids the person is linked to now, of one kind (every one, visible to the actor or not)."""
    _, link, column = _LINKS[field]
    return set(session.scalars(select(getattr(link, column)).where(link.person_id == person.id)))


def _save_links(session: Session, person: Person, field: str, wanted: list[str]) -> None:
    """Replace links of one kind with ``wanted`` (checked by ``_checked_links``)."""
    _, link, column = _LINKS[field]
    connection = session.connection()
    connection.execute(delete(link).where(link.person_id == person.id))
    if wanted:
        connection.execute(insert(link), [{"person_id": person.id, column: i} for i in wanted])


def create(session: Session, *, actor: Actor, data: PersonCreate, today: dt.date | None = None) -> Person:
    """Create a person record for the actor's agency."""
    require_role(actor, *REPORTING_ROLES)
    day = today or dt.date.today()
    values = person_values(_row(data), today=day)
    existing = session.scalar(
        select(Person.id).where(
            Person.owner_agency_id == actor.agency_id, Person.reference == values.columns["reference"]
        )
    )
    if existing is not None:
        raise Conflict(
            f"your agency already has a person with this reference (id {existing})", field="reference"
        )
    (number,) = person_keys.allocate_numbers(session.connection(), 1)
    person = Person(
        **values.columns,
        number=number,
        owner_agency_id=actor.agency_id,
        created_by=actor.user_id,
        updated_by=actor.user_id,
        review_due=future_review(data.review_due, today=day),
        **visibility_columns(session, data.visibility, data.visibility_agencies),
    )
    links = {field: _checked_links(session, actor, field, getattr(data, field)) for field in _LINKS}
    session.add(person)
    session.flush()
    _save_names(session, person, values.names)
    for field, wanted in links.items():
        _save_links(session, person, field, wanted)
    audit.record(
        session,
        actor=actor,
        action="person.create",
        object_type="person",
        object_id=person.id,
        query={"reference": person.reference},
    )
    return person


def _visible(session: Session, actor: Actor, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None or not can_see(actor, person):
        raise NotFound(Translatable(f"no person {person_id}", "persons.error.not_found", id=person_id))
    return person


def get_owned(session: Session, *, actor: Actor, person_id: str) -> Person:
    """A person the actor's agency owns; NotFound if it may not see it, Forbidden if it only sees it."""
    person = _visible(session, actor, person_id)
    if person.owner_agency_id != actor.agency_id:
        raise Forbidden("only the owner agency changes this person record")
    require_role(actor, *REPORTING_ROLES)
    return person


def update(
    session: Session, *, actor: Actor, person_id: str, data: PersonUpdate, today: dt.date | None = None
) -> Person:
    """Change a person record (owner only); a stale version or a cancelled record is a Conflict.

    Every value is checked before any is set, then only what differs is written: the version moves once
    for a change (of columns, names or links) and not at all for a patch that changes nothing.
    """
    day = today or dt.date.today()
    person = get_owned(session, actor=actor, person_id=person_id)
    check_changeable(person, data.version, noun="person")
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    # Checked before anything is set: its agency look-up would otherwise autoflush a first UPDATE.
    envelope = envelope_values(session, person, changes, today=day)
    # The reference as it will be stored (person_values strips it): " UTO-2 " is UTO-2, and taken if
    # another record holds UTO-2 (else the unique index refused it with a 409 naming nothing).
    reference = changes["reference"].strip() if isinstance(changes.get("reference"), str) else None
    if reference and reference != person.reference:
        taken = session.scalar(
            select(Person.id).where(Person.owner_agency_id == actor.agency_id, Person.reference == reference)
        )
        if taken is not None:
            raise Conflict(
                f"your agency already has a person with this reference (id {taken})", field="reference"
            )
    row = _row(data, person)
    stored = names_of(session, [person.id])[person.id]
    if "names" not in changes:
        row["names"] = [{"name": n.name, "kind": n.kind, "script": n.script} for n in stored]
    values = person_values(row, today=day)
    names_changed = [(n.name, n.kind, n.script, n.parts) for n in values.names] != [
        (n.name, n.kind, n.script, n.parts) for n in stored
    ]
    links = {
        field: _checked_links(session, actor, field, changes[field] or [])
        for field in _LINKS
        if field in changes
    }
    links = {field: ids for field, ids in links.items() if set(ids) != _stored_links(session, person, field)}
    changed = apply(person, {**values.columns, **envelope})
    if not (changed or names_changed or links):
        unchanged(
            session,
            person,
            actor=actor,
            noun="person",
            patch=data.model_dump(mode="json", exclude_unset=True),
        )
        return person
    touch(person, actor=actor)  # an UPDATE of the person row even when only names or links changed
    session.flush()
    if names_changed or any(c in _KEYED_COLUMNS for c in changed):
        _save_names(session, person, values.names)
    for field, wanted in links.items():
        _save_links(session, person, field, wanted)
    audit.record(
        session,
        actor=actor,
        action="person.update",
        object_type="person",
        object_id=person.id,
        query=data.model_dump(mode="json", exclude_unset=True),
    )
    return person


def cancel(session: Session, *, actor: Actor, person_id: str, version: int) -> Person:
    """Withdraw a record (owner only): it stops being served at once and leaves the key index.

    Cancelling a cancelled record is refused (Conflict), so the version moves once, on the real change.
    """
    person = get_owned(session, actor=actor, person_id=person_id)
    check_cancellable(person, version, noun="person")
    person.status = RecordStatus.CANCELLED.value
    touch(person, actor=actor)
    person_keys.remove_keys(session, [person.number])
    audit.record(session, actor=actor, action="person.cancel", object_type="person", object_id=person.id)
    session.flush()
    return person


def read(session: Session, *, actor: Actor, person_id: str) -> Person:
    """One person the actor's agency may see, audited; for the operational roles, as the API's route, the
    record page, its photo and ``persons show`` alike (an agency administrator read records on the web page
    that the API refused them)."""
    require_role(actor, *OPERATIONAL_ROLES)
    person = _visible(session, actor, person_id)
    audit.record(session, actor=actor, action="person.read", object_type="person", object_id=person.id)
    return person


def list_own(session: Session, *, actor: Actor, limit: int = 100, offset: int = 0) -> list[Person]:
    """The actor's agency's own records, newest first (operational roles, as ``read``)."""
    require_role(actor, *OPERATIONAL_ROLES)
    stmt = (
        select(Person)
        .where(Person.owner_agency_id == actor.agency_id)
        .order_by(Person.created_at.desc(), Person.id)
        .limit(limit)
        .offset(offset)
    )
    persons = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="person.list",
        object_type="person",
        query={"limit": limit, "offset": offset},
        result_ids=[p.id for p in persons],
    )
    return persons


def set_photo(
    session: Session, *, actor: Actor, person_id: str, data: bytes, content_type: str, version: int
) -> Person:
    """Store (replace) the person's photo at ``version`` (owner only): a whole JPEG or PNG image.

    The photo is part of the record: a stale version is a Conflict, a cancelled record is refused, and the
    change moves the record's version like a PATCH does.
    """
    person = get_owned(session, actor=actor, person_id=person_id)
    check_changeable(person, version, noun="person")
    detected, data, stripped = photos.checked_photo(data, content_type)
    session.execute(delete(PersonPhoto).where(PersonPhoto.person_id == person.id))
    session.add(PersonPhoto(person_id=person.id, content_type=detected, size=len(data), data=data))
    touch(person, actor=actor)  # an UPDATE of the person row: the version moves
    audit.record(
        session,
        actor=actor,
        action="person.photo",
        object_type="person",
        object_id=person.id,
        query={"content_type": detected, "size": len(data), "version": version, "metadata_removed": stripped},
    )
    session.flush()
    return person


def get_photo(session: Session, *, actor: Actor, person_id: str) -> PersonPhoto:
    """The photo of a person the actor may see, audited (operational roles, as ``read``)."""
    require_role(actor, *OPERATIONAL_ROLES)
    person = _visible(session, actor, person_id)
    photo = session.get(PersonPhoto, person.id)
    if photo is None:
        raise NotFound(f"person {person_id} has no photo")
    audit.record(session, actor=actor, action="person.photo.read", object_type="person", object_id=person.id)
    return photo


def names_of(session: Session, person_ids: list[str]) -> dict[str, list[PersonName]]:
    """Names per person, in their stored order."""
    out: dict[str, list[PersonName]] = {p: [] for p in person_ids}
    if person_ids:
        stmt = select(PersonName).where(PersonName.person_id.in_(person_ids)).order_by(PersonName.position)
        for name in session.scalars(stmt):
            out[name.person_id].append(name)
    return out


def linked_ids(session: Session, *, actor: Actor, person: Person) -> tuple[list[str], list[str]]:
    """The ids of the travel documents and vehicles linked to ``person`` that ``actor`` may see."""
    links = links_of(session, [person.id], actor=actor)[person.id]
    return links[0], links[1]


def links_of(
    session: Session, person_ids: list[str], *, actor: Actor
) -> dict[str, tuple[list[str], list[str]]]:
    """Per person, the ids of its linked travel documents and vehicles that ``actor`` may see (sorted).

    A link is a trace of the linked record: an agency the document's or vehicle's owner excludes must not
    learn its id through a person (the same ``visible_clause`` the documents and vehicles reads apply).
    Two statements for any number of persons.
    """
    out: dict[str, tuple[list[str], list[str]]] = {p: ([], []) for p in person_ids}
    if not person_ids:
        return out
    documents = session.execute(
        select(PersonDocumentLink.person_id, PersonDocumentLink.document_id)
        .join(TravelDocument, TravelDocument.id == PersonDocumentLink.document_id)
        .where(PersonDocumentLink.person_id.in_(person_ids), visible_clause(TravelDocument, actor))
    )
    for person_id, document_id in documents:
        out[person_id][0].append(document_id)
    vehicles = session.execute(
        select(PersonVehicleLink.person_id, PersonVehicleLink.vehicle_id)
        .join(StolenVehicle, StolenVehicle.id == PersonVehicleLink.vehicle_id)
        .where(PersonVehicleLink.person_id.in_(person_ids), visible_clause(StolenVehicle, actor))
    )
    for person_id, vehicle_id in vehicles:
        out[person_id][1].append(vehicle_id)
    for documents_of, vehicles_of in out.values():
        documents_of.sort()
        vehicles_of.sort()
    return out


def to_out(
    session: Session, person: Person, names: list[PersonName] | None = None, *, actor: Actor | None = None
) -> PersonOut:
    """The API shape of a person as ``actor`` sees it.

    Linked document and vehicle ids are those the reader may see; without an ``actor`` none are listed
    (fail closed), so every read path passes its reader.
    """
    stored = {person.id: names} if names is not None else None
    return to_out_many(session, [person], actor=actor, names=stored)[0]


def to_out_many(
    session: Session,
    persons: Sequence[Person],
    *,
    actor: Actor | None,
    names: dict[str, list[PersonName]] | None = None,
) -> list[PersonOut]:
    """The API shapes of ``persons`` as ``actor`` sees them (see ``to_out``), in a fixed number of statements.

    Names, visible links, photo flags and owner codes are each read for all the persons at once (a list of
    1,000 persons read them one person at a time: 4,000 statements, 3.7 s on PostgreSQL). ``names`` may
    hold names already read.
    """
    ids = [p.id for p in persons]
    stored = names if names is not None else names_of(session, ids)
    links = links_of(session, ids, actor=actor) if actor else {}
    with_photo = (
        set(session.scalars(select(PersonPhoto.person_id).where(PersonPhoto.person_id.in_(ids))))
        if ids
        else set()
    )
    owner_ids = {p.owner_agency_id for p in persons}
    owners: dict[int, str] = {}
    if owner_ids:
        rows = session.execute(select(Agency.id, Agency.code).where(Agency.id.in_(owner_ids)))
        owners = dict(rows.all())
    return [
        PersonOut(
            id=person.id,
            reference=person.reference,
            names=[NameOut(name=n.name, kind=n.kind, script=n.script) for n in stored.get(person.id, [])],
            sex=person.sex,
            dates_of_birth=decode_list(person.dates_of_birth),
            place_of_birth=person.place_of_birth,
            nationalities=decode_list(person.nationalities),
            identifiers=json.loads(person.identifiers or "[]"),
            description=person.description,
            crime_areas=decode_list(person.crime_areas),
            warnings=decode_list(person.warnings),
            action=person.action,
            has_photo=person.id in with_photo,
            travel_document_ids=links.get(person.id, ([], []))[0],
            vehicle_ids=links.get(person.id, ([], []))[1],
            record_status=person.status,
            owner_agency=owners.get(person.owner_agency_id, "?"),
            visibility=person.visibility,
            visibility_agencies=decode_agencies(person.visibility_agencies),
            review_due=person.review_due,
            version=person.version,
        )
        for person in persons
    ]
