"""Migration 0029 on a real database: a date of birth stored as typed in Arabic-Indic digits (١٩٧٨-٠٥-٠٢,
as the code before d05a1bf stored it) is converted to ASCII digits and its person re-keyed, so that a check
giving 1978-05-02 and the nationality finds the record by its fact key again. Names are made up."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_person_fact_keys import _keys_and_counts, _setup
from tests.integration.test_person_readings_0018 import drop_keys

from peacelink.db.unit_of_work import unit_of_work
from peacelink.persons.keys import person_keys
from peacelink.persons.lookup import check_person
from peacelink.persons.models import Person, PersonKeyCount, PersonName, PersonNameKey
from peacelink.persons.schemas import PersonCheck
from peacelink.persons.values import encode_list

ARABIC = "١٩٧٨-٠٥-٠٢"


def _keys_of(session: Session, pid: str, dates: str) -> set[str]:
    """The keys the code keys a person with by its names and these stored dates."""
    person = session.get(Person, pid)
    assert person is not None
    names = session.execute(select(PersonName.name, PersonName.parts).where(PersonName.person_id == pid))
    return person_keys(
        [(n, p) for n, p in names],
        person.identifiers,
        dates_of_birth=dates,
        nationalities=person.nationalities,
        crime_areas=person.crime_areas,
        warnings=person.warnings,
    )


def _store_as_before(session: Session, pid: str) -> set[str]:
    """The person's dates as the code before d05a1bf stored them, and its keys as it keyed them; returns the
    keys it had then that it has not now."""
    ascii_keys = _keys_of(session, pid, encode_list(["1978-05-02"]))
    typed = encode_list([ARABIC])
    old_keys = _keys_of(session, pid, typed)
    session.execute(update(Person).where(Person.id == pid).values(dates_of_birth=typed))
    drop_keys(session, pid, ascii_keys - old_keys)
    stale = old_keys - ascii_keys
    for key in stale:
        session.execute(
            insert(PersonNameKey).values(
                key=key, person_number=select(Person.number).where(Person.id == pid).scalar_subquery()
            )
        )
        session.execute(insert(PersonKeyCount).values(key=key, count=1))
    return stale


def _lead(world: World, officer: object) -> list[str]:
    """The candidates of a check that only the date of birth and the nationality lead to."""
    with unit_of_work(world.state.sessions) as session:
        answer = check_person(
            session,
            actor=officer,  # type: ignore[arg-type]
            data=PersonCheck(names=["Abu Jandal"], date_of_birth="1978-05-02", nationality="UTO"),
        )
    return [c.fields["person"]["id"] for c in answer.candidates or []]


def test_migration_0029_stores_and_keys_the_dates_typed_in_other_digits(world: World) -> None:
    _owner, officer, ids = _setup(world)
    target = ids["target"]
    assert _lead(world, officer) == [target]
    with unit_of_work(world.state.sessions) as session:
        before = _keys_and_counts(session)
    downgrade_to(world.state.engine, "0028")
    with unit_of_work(world.state.sessions) as session:
        stale = _store_as_before(session, target)
    assert stale == {f"f:{ARABIC}|UTO"}
    assert _lead(world, officer) == []  # what the stored dates cost: the check's fact key misses them
    upgrade_again(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys_and_counts(session)
        dates = session.scalar(select(Person.dates_of_birth).where(Person.id == target))
    assert dates == encode_list(["1978-05-02"])
    assert rows == before[0]
    assert stored == before[1]
    assert {k: v for k, v in stored.items() if k in actual} == actual
    assert _lead(world, officer) == [target]
