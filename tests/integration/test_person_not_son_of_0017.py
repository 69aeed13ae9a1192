"""Migration 0017: a given name that begins with ben or bin (Benjamin) loses the stem keys that made "Benjamin
Smith" a hit on "Jamin Smith"; a glued "son of" (Benali) keeps its own. All names are made up."""

from __future__ import annotations

from sqlalchemy import select, update
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_person_readings import _create, _keys
from tests.integration.test_person_readings_0015 import _hits, unrelated_persons

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names.parts import make_part
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonKeyCount, PersonNameKey


def test_migration_0017_drops_the_stem_keys_of_given_names(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        benjamin = _create(session, owner, "BEN-1", "Benjamin Smith")
        jamin = _create(session, owner, "JAM-1", "Jamin Smith")
        benali = _create(session, owner, "DZA-1", "Hocine Benali Kaci")
        unrelated_persons(session, owner)
        before, stored_before, _ = _keys(session)
    assert _hits(world, officer, "Jamin Smith") == [jamin]
    assert _hits(world, officer, "Benjamin Smith") == [benjamin]
    assert _hits(world, officer, "Hocine Ben Ali Kaci") == [benali]

    # As the code before 0017 keyed Benjamin Smith: also by the stem jamin, alone and paired with smith.
    downgrade_to(world.state.engine, "0016")
    stem, smith = make_part("jamin").coarse, make_part("smith").coarse
    stale = {f"1:{stem[:6]}", f"2:{min(stem[:4], smith[:4])}|{max(stem[:4], smith[:4])}"}
    with unit_of_work(world.state.sessions) as session:
        for key in stale:
            assert (key, jamin) in before  # Jamin Smith holds them; Benjamin Smith no longer does
            assert (key, benjamin) not in before
            session.add(
                PersonNameKey(
                    key=key, person_number=session.scalar(select(Person.number).where(Person.id == benjamin))
                )
            )
            session.execute(
                update(PersonKeyCount).where(PersonKeyCount.key == key).values(count=PersonKeyCount.count + 1)
            )
    upgrade_again(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys(session)
        held = set(
            session.scalars(
                select(PersonNameKey.key)
                .join(Person, Person.number == PersonNameKey.person_number)
                .where(Person.id == benali)
            )
        )
    assert rows == before
    assert stored == stored_before
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    ali, kaci = make_part("ali").coarse[:4], make_part("kaci").coarse[:4]
    assert f"2:{min(ali, kaci)}|{max(ali, kaci)}" in held  # Benali keeps its stem's pair keys
    assert _hits(world, officer, "Jamin Smith") == [jamin]
