"""Migration 0035: the blocking-key table names each person by ``persons.number`` (an integer given at
creation) instead of its 32-character id. Every write (create, update, cancel, import) keeps the rows on the
number, a check's shortlist groups by it, and the migration moves the rows of a database keyed before it
without losing or adding one. All names are made up."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session
from tests.conftest import World
from tests.integration.test_person_readings_0015 import _hits, create_records

from peacelink.access import Actor, Role
from peacelink.db.migrate import alembic_config, upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.persons import importer, service
from peacelink.persons import keys as person_keys
from peacelink.persons.lookup import check_person
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonKeyCount, PersonNameKey
from peacelink.persons.schemas import NameIn, PersonCheck, PersonCreate, PersonUpdate

_RECORDS = {
    "plain": ("UTO-1", "Seydou Kanoutebe", "Seydou Kanoutebe"),
    "somali": ("SOM-1", "Xasan Cali Warsame", "Hassan Ali Warsame"),
    "cyrillic": ("RUS-1", "Мохаммед Хашимов", "Mohammed Hashimov"),
}


def _rows_by_id(session: Session) -> set[tuple[str, str]]:
    """Every key row as (key, the person's id)."""
    joined = select(PersonNameKey.key, Person.id).join(Person, Person.number == PersonNameKey.person_number)
    return {(key, pid) for key, pid in session.execute(joined)}


def _counts_agree(session: Session) -> None:
    """The stored counts are the rows per key, and N the keyed active persons."""
    stored = {k: c for k, c in session.execute(select(PersonKeyCount.key, PersonKeyCount.count)) if c}
    grouped = select(PersonNameKey.key, func.count()).group_by(PersonNameKey.key)
    actual = {k: int(n) for k, n in session.execute(grouped)}
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    keyed = session.scalar(select(func.count(func.distinct(PersonNameKey.person_number))))
    assert stored.get(PERSONS_COUNT_KEY, 0) == keyed


def _answers(world: World, officer: Actor, queries: list[str]) -> list[list[tuple[str, float]]]:
    out = []
    with unit_of_work(world.state.sessions) as session:
        for query in queries:
            found = check_person(session, actor=officer, data=PersonCheck(names=[query]))
            out.append([(c.record_id, c.score) for c in found.candidates or []])
    return out


def test_every_write_keys_the_person_by_its_number(world: World) -> None:
    officer, ids = create_records(world, _RECORDS)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    with unit_of_work(world.state.sessions) as session:
        numbers = dict(session.execute(select(Person.id, Person.number)).all())
        # Given at creation, one each, ascending in the order of creation.
        assert len(set(numbers.values())) == len(numbers) and None not in numbers.values()
        created = [numbers[ids[kind]] for kind in ("plain", "somali", "cyrillic")]
        assert created == sorted(created)
        rows = _rows_by_id(session)
        assert {pid for _key, pid in rows} >= set(ids.values())
        _counts_agree(session)
        version = service.read(session, actor=owner, person_id=ids["plain"]).version
        data = PersonUpdate(version=version, names=[NameIn(name="Maxamed Cabdi Nuur")])
        service.update(session, actor=owner, person_id=ids["plain"], data=data)
    assert _hits(world, officer, "Mohamed Abdi Nur") == [ids["plain"]]
    assert _hits(world, officer, "Seydou Kanoutebe") == []
    # An import numbers the persons that go in after every number held, and skips a reference held.
    lines = [
        json.dumps({"reference": "SOM-1", "names": ["Someone Else Entirely"]}),
        json.dumps({"reference": "SOM-9", "names": ["Cabdullaahi Xuseen Faarax"]}),
    ]
    report = importer.import_stream(world.state.sessions, actor=owner, stream=lines, fmt="jsonl", source="t")
    assert (report.inserted, report.duplicates) == (1, 1), report
    with unit_of_work(world.state.sessions) as session:
        imported = session.scalar(select(Person).where(Person.reference == "SOM-9"))
        assert imported is not None and imported.number > max(numbers.values())
        _counts_agree(session)
        service.cancel(session, actor=owner, person_id=imported.id, version=imported.version)
        assert not [r for r in _rows_by_id(session) if r[1] == imported.id]
        _counts_agree(session)
    assert _hits(world, officer, "Abdullahi Hussein Farah") == []


def test_numbers_never_collide_with_concurrent_or_later_writers(world: World) -> None:
    create_records(world, _RECORDS)
    with unit_of_work(world.state.sessions) as session:
        connection = session.connection()
        held = session.scalar(select(func.max(Person.number)))
        first = person_keys.allocate_numbers(connection, 3)
        assert first == sorted(first) and len(set(first)) == 3 and min(first) > held
        assert person_keys.allocate_numbers(connection, 0) == []
    if world.state.engine.dialect.name == "postgresql":
        # The sequence: two drawings never share a number, even before either person is written.
        with unit_of_work(world.state.sessions) as one, unit_of_work(world.state.sessions) as two:
            a = person_keys.allocate_numbers(one.connection(), 2)
            b = person_keys.allocate_numbers(two.connection(), 2)
        assert not set(a) & set(b)


def test_migration_0035_moves_every_key_row_to_the_numbers_and_back(world: World) -> None:
    officer, ids = create_records(world, _RECORDS)
    engine = world.state.engine
    queries = ["Seydou Kanoutebe", "Hassan Ali Warsame", "Mohammed Hashimov", "Ali Hassan"]
    before_answers = _answers(world, officer, queries)
    assert before_answers[0][0][0] == ids["plain"]
    with unit_of_work(world.state.sessions) as session:
        before = _rows_by_id(session)
    command.downgrade(alembic_config(engine), "0034")
    columns = {c["name"] for c in inspect(engine).get_columns("person_name_keys")}
    assert columns == {"key", "person_id"}
    assert "number" not in {c["name"] for c in inspect(engine).get_columns("persons")}
    with engine.connect() as connection:
        as_ids = set(connection.execute(text("SELECT key, person_id FROM person_name_keys")).tuples())
    assert as_ids == before
    upgrade(engine)
    if engine.dialect.name == "postgresql":
        # The rebuilt table has statistics: without them the planner read every key row for each shortlist
        # (0.44 s a check at 1M persons) until autovacuum came by.
        with engine.connect() as connection:
            analysed = connection.execute(
                text("SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = :t"),
                {"t": "person_name_keys"},
            ).scalar_one()
        assert analysed > 0
    with unit_of_work(world.state.sessions) as session:
        assert _rows_by_id(session) == before
        _counts_agree(session)
        # Numbered in the order of the ids (a shortlist's ties fall as before 0035).
        by_id = session.execute(select(Person.number).order_by(Person.id)).scalars().all()
        assert by_id == sorted(by_id) == list(range(1, len(by_id) + 1))
    assert _answers(world, officer, queries) == before_answers
    # A person created after the migration takes a number after the migrated ones (on PostgreSQL, the
    # sequence was moved past them).
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    line = json.dumps({"reference": "UTO-77", "names": ["Ibrahim Sanogo Traore"]})
    importer.import_stream(world.state.sessions, actor=owner, stream=[line], fmt="jsonl", source="t")
    with unit_of_work(world.state.sessions) as session:
        service.create(
            session,
            actor=owner,
            data=PersonCreate(reference="UTO-78", names=[NameIn(name="Awa Coulibaly Diarra")]),
        )
        numbers = session.execute(select(Person.number)).scalars().all()
        assert len(numbers) == len(set(numbers)) == len(by_id) + 2
    assert _hits(world, officer, "Ibrahim Sanogo Traore") and _hits(world, officer, "Awa Coulibaly Diarra")


def test_the_shortlist_groups_the_key_rows_by_number(world: World) -> None:
    """EXPLAIN: the shortlist reads the key table's primary key (key, person_number) and nothing else."""
    create_records(world, _RECORDS)
    engine = world.state.engine
    if engine.dialect.name != "sqlite":
        return
    from peacelink.matching.names import PersonQuery
    from peacelink.persons.retrieval import retrieve, shortlist_statement

    with engine.connect() as connection:
        found = retrieve(connection, PersonQuery(names=["Hassan Ali Warsame"]))
        assert found.person_numbers and all(isinstance(n, int) for n in found.person_numbers)
        compiled = shortlist_statement(found.weights).compile(
            connection, compile_kwargs={"literal_binds": True}
        )
        plan = " | ".join(str(r[-1]) for r in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
    assert "SEARCH person_name_keys USING PRIMARY KEY (key=?)" in plan, plan
    assert "persons" not in plan.replace("person_name_keys", ""), plan
