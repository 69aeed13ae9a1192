"""Migration 0031's rule on a real database: a name and an alias joined by a word in one field ("dit",
"alias", "он же", "الملقب") are two names of the person, so a check giving either one is a hit; and the
migration, which keys the persons stored before it as this code keys them. All names are made up."""

from __future__ import annotations

from sqlalchemy import select
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_person_fact_keys import _keys_and_counts
from tests.integration.test_person_readings_0015 import _hits, create_records

from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import prepared_blocking_keys
from peacelink.matching.names.parts import PreparedNames, prepare_name
from peacelink.persons.keys import add_keys
from peacelink.persons.lookup import check_person
from peacelink.persons.models import Person, PersonName
from peacelink.persons.schemas import PersonCheck

# Each record's field joins a name and an alias; the query gives the alias alone.
_RECORDS = {
    "dit": ("MLI-1", "Seydou Kanoutebe dit Bakary Diallomba", "Bakary Diallomba"),
    "alias": ("COL-1", "Joaquin Arellanez Loera alias Ernesto Villacruz", "Ernesto Villacruz"),
    "on_zhe": ("RUS-1", "Иванищев Пётр, он же Семён Кравцовский", "Семён Кравцовский"),
    "arabic": ("SDN-1", "أحمد الطيبوني الملقب ب صالح الدرويشي", "صالح الدرويشي"),
}


def test_the_alias_alone_is_a_hit_and_so_is_the_name_alone(world: World) -> None:
    officer, ids = create_records(world, _RECORDS)
    for kind, (_ref, _given, alias) in _RECORDS.items():
        # As one name of all its parts, joining word included, the alias matched under half of it.
        assert _hits(world, officer, alias) == [ids[kind]], alias
    assert _hits(world, officer, "Seydou Kanoutebe") == [ids["dit"]]
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=["Ernesto Villacruz"]))
    best = (found.candidates or [])[0]
    assert best.explanation["name"]["candidate_name"] == "Ernesto Villacruz"
    assert best.explanation["name"]["unmatched_candidate_parts"] == []


def test_a_word_that_only_looks_like_one_joins_nothing(world: World) -> None:
    # Aka is a surname (Aka Kouassi); a field opening or ending with such a word is one name.
    officer, ids = create_records(world, {"aka": ("CIV-1", "Kouassi Aka Brou", "Kouassi Aka Brou")})
    assert _hits(world, officer, "Kouassi Aka Brou") == [ids["aka"]]
    assert _hits(world, officer, "Brou") == []


def test_migration_0031_keys_the_persons_stored_before_it_as_this_code_does(world: World) -> None:
    _officer, ids = create_records(world, _RECORDS)
    with unit_of_work(world.state.sessions) as session:
        before, stored_before, _ = _keys_and_counts(session)
    downgrade_to(world.state.engine, "0030")
    # The code before it keyed each such field as one name: its pairs across the joining word, and the
    # word's own keys. Put those rows back, counted, as that code left them.
    with unit_of_work(world.state.sessions) as session:
        stale: dict[str, set[str]] = {}
        for kind, pid in ids.items():
            field = session.scalars(select(PersonName.name).where(PersonName.person_id == pid)).first()
            assert field is not None
            whole = prepared_blocking_keys(PreparedNames(names=(prepare_name(field),)))
            stale[pid] = whole - {k for k, p in before if p == pid}
            assert stale[pid], kind
        numbers = dict(session.execute(select(Person.id, Person.number)).all())
        add_keys(session.connection(), {numbers[pid]: keys for pid, keys in stale.items()}, new_persons=False)
    upgrade_again(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys_and_counts(session)
    assert rows == before
    assert stored == stored_before
    assert {k: v for k, v in stored.items() if k != "#persons"} == actual
