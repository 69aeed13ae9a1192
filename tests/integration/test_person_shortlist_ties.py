"""A part shared by more persons than the shortlist keeps: the query's year of birth decides who is kept,
not the order of the record ids (an audit's "Cheikh Seck", born 1980, one of 174 Secks, was cut before
scoring although his record was identical)."""

from __future__ import annotations

import itertools
import uuid

import pytest
from tests.conftest import World

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import SHORTLIST
from peacelink.persons import service
from peacelink.persons.lookup import check_person
from peacelink.persons.schemas import NameIn, PersonCheck, PersonCreate

GIVEN = ("Moussa", "Ibrahima", "Abdou", "Mamadou", "Ousmane", "Modou", "Pape", "Aliou", "Babacar", "Lamine")


def test_a_namesake_born_in_the_query_year_is_kept_among_more_holders_than_the_shortlist(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Record ids in creation order, so that the wanted record, created last, loses every tie by id.
    counter = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        for number in range(SHORTLIST + 10):
            data = PersonCreate(
                reference=f"SECK-{number}",
                names=[NameIn(name=f"{GIVEN[number % len(GIVEN)]} Seck")],
                dates_of_birth=[str(1950 + number % 25)],  # never 1980
                nationalities=["SEN"],
            )
            service.create(session, actor=owner, data=data)
        # Created last: its id sorts after the others', which lost it every tie.
        wanted = PersonCreate(
            reference="SECK-WANTED",
            names=[NameIn(name="Cheikh Seck")],
            dates_of_birth=["1980-10-10"],
            nationalities=["SEN"],
        )
        wanted_id = service.create(session, actor=owner, data=wanted).id
    with unit_of_work(world.state.sessions) as session:
        query = PersonCheck(names=["Cheikh Seck"], date_of_birth="1980", nationality="SEN")
        found = check_person(session, actor=officer, data=query)
    ranked = [c.record_id for c in found.candidates or []]
    assert ranked[:1] == [wanted_id], ranked
