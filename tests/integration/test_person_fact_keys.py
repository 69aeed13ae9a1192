"""Fact keys (full date of birth x nationality) on a real database: the facts lead and migration 0008."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from tests.conftest import World

from peacelink.access import Actor, Role
from peacelink.db.migrate import alembic_config, upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import CANDIDATE_THRESHOLD, HIT_THRESHOLD
from peacelink.persons import service
from peacelink.persons.lookup import check_person
from peacelink.persons.models import PERSONS_COUNT_KEY, PersonKeyCount, PersonName, PersonNameKey
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


def _keys_and_counts(session: Session) -> tuple[set[tuple[str, str]], dict[str, int], dict[str, int]]:
    rows = {(k, p) for k, p in session.execute(select(PersonNameKey.key, PersonNameKey.person_id))}
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
    command.downgrade(alembic_config(engine), "0007")
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys_and_counts(session)
        # As the previous normaliser stored it (the rank kept as a part).
        old_parts = update(PersonName).where(PersonName.person_id == ids["titled"])
        session.execute(old_parts.values(parts="commandant jerome kakwavu"))
    # Downgrading to 0007 also drops 0009's search-filter keys ("s:").
    assert rows == {r for r in before if not r[0].startswith(("f:", "s:"))}
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    upgrade(engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys_and_counts(session)
        parts = session.scalar(select(PersonName.parts).where(PersonName.person_id == ids["titled"]))
    assert parts == "jerome kakwavu"
    assert rows == before and stored == stored_before
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    assert stored[PERSONS_COUNT_KEY] == 4
