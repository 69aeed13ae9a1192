"""A father and his son (the same name parts in the other nasab order) on a real database: the son's record
is a candidate for a check of the father's name, with the reason given, never a hit; the person's own
record stays the hit."""

from __future__ import annotations

from tests.conftest import World

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import HIT_THRESHOLD
from peacelink.persons import service
from peacelink.persons.lookup import check_person
from peacelink.persons.schemas import NameIn, PersonCheck, PersonCreate


def test_the_son_is_shown_as_a_relative_and_the_father_is_the_hit(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        son = service.create(
            session,
            actor=owner,
            data=PersonCreate(reference="MRT-S", names=[NameIn(name="Ahmed Ould Mohamed Lemine")]),
        ).id
        father = service.create(
            session,
            actor=owner,
            data=PersonCreate(
                reference="MRT-F",
                names=[NameIn(name="محمد الأمين ولد أحمد"), NameIn(name="Mohamed Lemine Ould Ahmed")],
            ),
        ).id
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=["Mohamed Lemine Ould Ahmed"]))
    candidates = {c.record_id: c for c in found.candidates or []}
    assert set(candidates) == {son, father}
    assert candidates[father].score >= HIT_THRESHOLD
    assert candidates[son].score < HIT_THRESHOLD
    assert [c.record_id for c in found.hits] == [father]
    factors = [f["factor"] for f in candidates[son].explanation["factors"]]
    assert "nasab_order" in factors
    assert not [f for f in candidates[father].explanation["factors"] if f["factor"] == "nasab_order"]
