"""A list of persons is read in a fixed number of statements, whatever its length, and shows each person as
the single read does (names in order, the links the reader may see, photo flag, owner), on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session
from tests.conftest import World

from peacelink.access import Actor, Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.documents import service as documents
from peacelink.documents.schemas import DocumentCreate
from peacelink.persons import service
from peacelink.persons.models import PersonPhoto
from peacelink.persons.schemas import NameIn, PersonCreate
from peacelink.vehicles import service as vehicles
from peacelink.vehicles.schemas import VehicleCreate


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` inside the block."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _people(session: Session, owner: Actor, caf: Actor, count: int) -> list[str]:
    """``count`` persons of ``owner``; every third linked to a document CAF hides from MINUSCA and an open
    vehicle, with a photo."""
    hidden = documents.create(
        session,
        actor=caf,
        data=DocumentCreate(
            issuing_country="CAF",
            document_type="passport",
            number=f"CAF{count:06d}",
            status="stolen",
            visibility="all_except",
            visibility_agencies=["MINUSCA"],
        ),
    )
    vehicle = vehicles.create(
        session, actor=owner, data=VehicleCreate(plate=f"UTO {count}", plate_country="UTO")
    )
    ids = []
    for i in range(count):
        linked = i % 3 == 0
        person = service.create(
            session,
            actor=owner,
            data=PersonCreate(
                reference=f"L-{count}-{i}",
                names=[NameIn(name=f"Ivan Petrov {i}"), NameIn(name="Иван Петров", kind="original_script")],
                travel_document_ids=[hidden.id] if linked else [],
                vehicle_ids=[vehicle.id] if linked else [],
            ),
        )
        if linked:
            session.add(PersonPhoto(person_id=person.id, content_type="image/png", size=1, data=b"x"))
        ids.append(person.id)
    return ids


def test_the_listing_reads_in_a_fixed_number_of_statements(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    caf = world.user("NCB-CAF", Role.INVESTIGATOR).actor
    engine = world.state.engine
    runs = []
    for count in (2, 30):
        with unit_of_work(world.state.sessions) as session:
            _people(session, owner, caf, count)
        with unit_of_work(world.state.sessions) as session, counted(engine) as statements:
            found = service.list_own(session, actor=owner, limit=count)
            shown = service.to_out_many(session, found, actor=owner)
        runs.append(len(statements))
        assert len(shown) == count
    assert runs[0] == runs[1] <= 7, runs  # persons, names, two kinds of links, photos, owners


def test_a_listed_person_is_shown_as_the_single_read_shows_it(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    caf = world.user("NCB-CAF", Role.INVESTIGATOR).actor
    mission = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        ids = _people(session, owner, caf, 6)
    with unit_of_work(world.state.sessions) as session:
        found = service.list_own(session, actor=owner, limit=10)
        assert sorted(p.id for p in found) == sorted(ids)
        for reader in (owner, mission, None):
            listed = service.to_out_many(session, found, actor=reader)
            assert listed == [service.to_out(session, p, actor=reader) for p in found]
        by_id = {p.id: p for p in service.to_out_many(session, found, actor=owner)}
        first = by_id[ids[0]]
        assert [n.name for n in first.names] == ["Ivan Petrov 0", "Иван Петров"]
        assert first.has_photo and len(first.travel_document_ids) == 1 and len(first.vehicle_ids) == 1
        assert first.owner_agency == "NCB-UTO" and not by_id[ids[1]].has_photo
        # MINUSCA may not learn of the hidden document through the person; the vehicle is open to it.
        seen = {p.id: p for p in service.to_out_many(session, found, actor=mission)}[ids[0]]
        assert seen.travel_document_ids == [] and seen.vehicle_ids == first.vehicle_ids
        assert service.to_out_many(session, [], actor=owner) == []
