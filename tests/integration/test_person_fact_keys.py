"""Fact keys (full date of birth x nationality) and year keys (name part x year of birth) on a real
database: the facts lead, a common name found by its year, migrations 0008 and 0010."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again

from peacelink.access import Actor, Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import CANDIDATE_THRESHOLD, HIT_THRESHOLD, PersonQuery
from peacelink.persons import service
from peacelink.persons.lookup import check_person
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonKeyCount, PersonName, PersonNameKey
from peacelink.persons.retrieval import retrieve
from peacelink.persons.schemas import NameIn, PersonCheck, PersonCreate, PersonUpdate


def _create(session: Session, actor: Actor, reference: str, name: str, **fields: object) -> str:
    data = PersonCreate(reference=reference, names=[NameIn(name=name)], **fields)  # type: ignore[arg-type]
    return service.create(session, actor=actor, data=data).id


def _setup(world: World) -> tuple[Actor, Actor, dict[str, str]]:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        ids = {
            "target": _create(
                session,
                owner,
                "UTO-1",
                "Mohamed Al-Hashimi",
                dates_of_birth=["1978-05-02"],
                nationalities=["UTO"],
                sex="male",
            ),
            "same_date_other_country": _create(
                session, owner, "UTO-2", "Ivan Petrov", dates_of_birth=["1978-05-02"], nationalities=["CAF"]
            ),
            "other": _create(
                session,
                owner,
                "UTO-3",
                "Ahmed Hassan Ali",
                dates_of_birth=["1990-01-15"],
                nationalities=["UTO"],
            ),
        }
    return owner, officer, ids


def _ids(session: Session, numbers: list[int]) -> list[str]:
    """The ids of the persons of these numbers (a shortlist's), in their order."""
    found = dict(session.execute(select(Person.number, Person.id).where(Person.number.in_(numbers))).all())
    return [found[n] for n in numbers]


def _keys_and_counts(session: Session) -> tuple[set[tuple[str, str]], dict[str, int], dict[str, int]]:
    rows = {
        (k, p)
        for k, p in session.execute(
            select(PersonNameKey.key, Person.id).join(Person, Person.number == PersonNameKey.person_number)
        )
    }
    stored = {k: c for k, c in session.execute(select(PersonKeyCount.key, PersonKeyCount.count)) if c}
    grouped = select(PersonNameKey.key, func.count()).group_by(PersonNameKey.key)
    actual = {k: int(n) for k, n in session.execute(grouped)}
    return rows, stored, actual


def test_same_dob_and_nationality_is_a_low_confidence_candidate_never_a_hit(world: World) -> None:
    _owner, officer, ids = _setup(world)
    with unit_of_work(world.state.sessions) as session:
        cover = check_person(
            session,
            actor=officer,
            data=PersonCheck(names=["Abu Jandal"], date_of_birth="1978-05-02", nationality="UTO", sex="male"),
        ).to_dict()
        no_nationality = check_person(
            session, actor=officer, data=PersonCheck(names=["Abu Jandal"], date_of_birth="1978-05-02")
        ).to_dict()
        other_sex = check_person(
            session,
            actor=officer,
            data=PersonCheck(
                names=["Abu Jandal"], date_of_birth="1978-05-02", nationality="UTO", sex="female"
            ),
        ).to_dict()
    assert cover["result"] == "no_hit" and not cover["hits"]
    [candidate] = cover["candidates"]
    assert candidate["person"]["id"] == ids["target"]
    assert CANDIDATE_THRESHOLD <= candidate["score"] < HIT_THRESHOLD
    [lead] = [f for f in candidate["explanation"]["factors"] if f["factor"] == "facts_lead"]
    assert "same date of birth and nationality" in lead["detail"] and "no name part matches" in lead["detail"]
    # The date alone, or the facts with a conflicting sex, do not make a lead.
    assert not no_nationality["candidates"] and not other_sex["candidates"]


def test_fact_keys_follow_updates(world: World) -> None:
    owner, officer, ids = _setup(world)
    with unit_of_work(world.state.sessions) as session:
        service.update(
            session,
            actor=owner,
            person_id=ids["other"],
            data=PersonUpdate(version=1, dates_of_birth=["1991-02-03"]),
        )
        rows, stored, actual = _keys_and_counts(session)
        assert ("f:1991-02-03|UTO", ids["other"]) in rows
        assert not any(k == "f:1990-01-15|UTO" for k, _ in rows)
        assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
        found = check_person(
            session,
            actor=officer,
            data=PersonCheck(names=["Zebulon"], date_of_birth="1991-02-03", nationality="UTO"),
        )
    assert [c.record_id for c in found.candidates or []] == [ids["other"]]


def test_migration_0008_renormalises_and_rekeys_persons(world: World) -> None:
    owner, _officer, ids = _setup(world)
    with unit_of_work(world.state.sessions) as session:
        ids["titled"] = _create(session, owner, "UTO-4", "Commandant Jerome Kakwavu")
        before, stored_before, _ = _keys_and_counts(session)
    assert any(k.startswith("f:") for k, _ in before)
    engine = world.state.engine
    downgrade_to(engine, "0007")
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys_and_counts(session)
        # As the previous normaliser stored it (the rank kept as a part).
        old_parts = update(PersonName).where(PersonName.person_id == ids["titled"])
        session.execute(old_parts.values(parts="commandant jerome kakwavu"))
    # Downgrading to 0007 also drops 0009's search-filter keys ("s:") and 0010's year keys ("y:").
    assert rows == {r for r in before if not r[0].startswith(("f:", "s:", "y:"))}
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    upgrade_again(engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys_and_counts(session)
        parts = session.scalar(select(PersonName.parts).where(PersonName.person_id == ids["titled"]))
    assert parts == "jerome kakwavu"
    assert rows == before and stored == stored_before
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    assert stored[PERSONS_COUNT_KEY] == 4


def test_a_year_finds_a_person_by_a_part_too_common_to_look_up(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Mohamed" held by more persons than the stop-key cap is not looked up alone; with a year of birth its
    year key (``y:mhmd|1978``) is, and brings the person born that year; the keys and counts follow an
    update of the dates."""
    from peacelink.matching.names import blocking
    from peacelink.matching.names.blocking import year_keys

    owner, _officer, ids = _setup(world)
    with unit_of_work(world.state.sessions) as session:
        for i, family in enumerate(["Qarni", "Zubaidi", "Lamki", "Farsi"]):
            _create(session, owner, f"UTO-M{i}", f"Mohamed {family}", dates_of_birth=[f"19{60 + i}"])
    monkeypatch.setattr(blocking, "MAX_POSTINGS", 3)  # 5 Mohameds: "1:mhmd" is a stop key here
    with unit_of_work(world.state.sessions) as session:
        connection = session.connection()
        born = retrieve(connection, PersonQuery(names=["Mohamed Nuri"], dates_of_birth=["1978"]))
        unborn = retrieve(connection, PersonQuery(names=["Mohamed Nuri"]))
        assert "1:mhmd" not in born.weights and "y:mhmd|1978" in born.weights
        assert _ids(session, born.person_numbers) == [ids["target"]] and unborn.person_numbers == []
        service.update(
            session,
            actor=owner,
            person_id=ids["target"],
            data=PersonUpdate(version=1, dates_of_birth=["1979"]),
        )
        rows, stored, actual = _keys_and_counts(session)
        assert ("y:mhmd|1979", ids["target"]) in rows and ("y:mhmd|1978", ids["target"]) not in rows
        assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
        moved = retrieve(session.connection(), PersonQuery(names=["Mohamed Nuri"], dates_of_birth=["1978"]))
        assert moved.person_numbers == []
    assert year_keys(PersonQuery(names=["Ahmed Hassan Ali"]).prepared, ["1990-01-15"]) <= {k for k, _ in rows}


def test_migration_0010_adds_and_drops_the_year_keys(world: World) -> None:
    _setup(world)
    with unit_of_work(world.state.sessions) as session:
        before, stored_before, _ = _keys_and_counts(session)
    assert any(k.startswith("y:") for k, _ in before)
    engine = world.state.engine
    downgrade_to(engine, "0009")
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys_and_counts(session)
    assert rows == {r for r in before if not r[0].startswith("y:")}
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    upgrade_again(engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys_and_counts(session)
    assert rows == before and stored == stored_before
