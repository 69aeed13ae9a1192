"""Migration 0018's rule on a real database: a Latin name that writes the Arabic article as a word (El Amine,
el-Amine, El Hassan) is also read with it elided as in the Maghreb, so the French spellings Lemine and Lahcen
find it and it finds them; and the migration, which keys the persons stored before it under that reading. All
names are made up."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_person_readings import _keys
from tests.integration.test_person_readings_0015 import _hits, create_records

from peacelink.access import Actor
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import prepared_blocking_keys, query_keys
from peacelink.matching.names.parts import MAGHREBI_READING, READINGS
from peacelink.persons.keys import prepared_from_parts
from peacelink.persons.lookup import check_person
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonKeyCount, PersonName, PersonNameKey
from peacelink.persons.schemas import PersonCheck

# The records, and a query that was no hit before 0018 (0.67: one part of three met nothing).
_RECORDS = {
    "amine": ("MRT-1", "Mohamed El Amine Ould Salem", "Mohamed Lemine Ould Salem"),
    "hyphen": ("TUN-1", "Habib el-Amine Trabelsi", "Habib Lemine Trabelsi"),
    "hassan": ("MAR-1", "El Hassan Ouali Idrissi", "Lahcen Ouali Idrissi"),
    "husayn": ("MAR-2", "El Hussein Ouali Idrissi", "Lahoucine Ouali Idrissi"),
    # The other way round: the record spelled elided, the query with the article (read on the query's side).
    "reverse": ("MAR-3", "Lahcen Bennani Fassi", "El Hassen Bennani Fassi"),
}
# Records without such an article: 0018 changes none of their keys.
_UNCHANGED = frozenset({"reverse"})


def check_reading_hits(
    world: World, records: dict[str, tuple[str, str, str]], *, kind: str, label: str
) -> tuple[Actor, dict[str, str]]:
    """Store ``records``: each record's query must hit it alone, and the first record's query must be
    explained by the reading ``kind`` of its name (the name as given + ``label``). Return the officer who
    checked and the records' ids by kind."""
    officer, ids = create_records(world, records)
    for name, (_ref, _given, query) in records.items():
        assert _hits(world, officer, query) == [ids[name]], query
    _ref, given, query = next(iter(records.values()))
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=[query]))
    explanation = (found.candidates or [])[0].explanation
    assert explanation["name"]["candidate_name"] == given + label
    assert kind in READINGS
    return officer, ids


def test_the_article_as_a_word_and_the_elided_spelling_find_each_other(world: World) -> None:
    # Each query finds its record only: Lahcen (Hasan) is not El Hussein, Lahoucine (Husayn) not El Hassan.
    check_reading_hits(world, _RECORDS, kind="maghrebi", label=MAGHREBI_READING)


def _reading_keys(session: Session, person_id: str, kind: str) -> set[str]:
    """The keys a person holds only through the readings of ``kind`` (what a migration adding them adds)."""
    held = session.execute(select(PersonName.name, PersonName.parts).where(PersonName.person_id == person_id))
    names = [(name, parts) for name, parts in held]
    every = prepared_blocking_keys(prepared_from_parts(names))
    without = prepared_blocking_keys(prepared_from_parts(names, readings=READINGS - {kind}))
    return {k[:48] for k in every} - {k[:48] for k in without}


def _held(session: Session, person_id: str) -> set[str]:
    return set(
        session.scalars(
            select(PersonNameKey.key)
            .join(Person, Person.number == PersonNameKey.person_number)
            .where(Person.id == person_id)
        )
    )


def drop_keys(session: Session, person_id: str, keys: set[str]) -> None:
    """Take ``keys`` from a person, their counts moved with them (as the code before a migration keyed it)."""
    for key in keys:
        session.execute(
            delete(PersonNameKey).where(
                PersonNameKey.key == key,
                PersonNameKey.person_number
                == select(Person.number).where(Person.id == person_id).scalar_subquery(),
            )
        )
        session.execute(
            update(PersonKeyCount).where(PersonKeyCount.key == key).values(count=PersonKeyCount.count - 1)
        )


def check_reading_migration(
    world: World,
    records: dict[str, tuple[str, str, str]],
    *,
    kind: str,
    previous: str,
    unchanged: frozenset[str],
) -> tuple[Actor, dict[str, str]]:
    """Store ``records``, go down to the revision ``previous`` and take from their persons the keys of the
    readings of ``kind`` (as the code before the migration keyed them, the ``unchanged`` records holding
    none), then upgrade: the migration must give them back, and each record's query must hit it alone.
    Return the officer who checked and the records' ids by kind."""
    officer, ids = create_records(world, records)
    with unit_of_work(world.state.sessions) as session:
        before, stored_before, _ = _keys(session)
    downgrade_to(world.state.engine, previous)
    stale: dict[str, set[str]] = {}
    with unit_of_work(world.state.sessions) as session:
        for name, pid in ids.items():
            stale[name] = _reading_keys(session, pid, kind)
            if name in unchanged:
                assert not stale[name]
                continue
            assert stale[name] and {(k, pid) for k in stale[name]} <= before, name
            drop_keys(session, pid, stale[name])
        # The query looks those keys up; the person held none of them. (It may be shortlisted all the same
        # here, through its other parts, and scored through the reading, which the scorer makes from the name
        # as given; in a large population, where its common parts are stop keys, only these keys lead to it.)
        for name, (_ref, _given, query) in records.items():
            looked_up = query_keys([query]) & stale[name]
            assert bool(looked_up) is (name not in unchanged), query
            assert not looked_up & _held(session, ids[name])
    upgrade_again(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys(session)
        for name, (_ref, _given, query) in records.items():
            assert query_keys([query]) & stale[name] <= _held(session, ids[name])
    assert rows == before
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    assert stored == stored_before
    for name, (_ref, _given, query) in records.items():
        assert _hits(world, officer, query) == [ids[name]], query
    return officer, ids


def test_migration_0018_keys_the_persons_stored_before_it(world: World) -> None:
    check_reading_migration(world, _RECORDS, kind="maghrebi", previous="0017", unchanged=_UNCHANGED)
