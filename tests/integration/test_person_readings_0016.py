"""Migration 0016's rules on a real database: Ukrainian, Belarusian and Serbian Cyrillic romanised by their
own rules and read the other way (г as h or g); Maghreb, Sahel and Turkish spellings (the soft c, the elided
article, the closing t, Abdoulaye, a glued ben); and the migration, which brings a database keyed before
them up to date. All names are made up."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_person_readings import _keys, _parts
from tests.integration.test_person_readings_0015 import _hits, create_records

from peacelink.access import Actor
from peacelink.db.unit_of_work import unit_of_work
from peacelink.persons.lookup import check_person
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonKeyCount, PersonName, PersonNameKey
from peacelink.persons.schemas import PersonCheck

# The records, and a query that was no hit before 0016 (a Latin passport or French spelling).
_RECORDS = {
    "ukrainian": ("UKR-1", "Віталій Гордієнко", "Vitalii Hordiienko"),
    "ukrainian_plain": ("UKR-2", "Олександр Гнатюк", "Oleksandr Hnatiuk"),
    "serbian": ("SRB-1", "Ђорђе Петровић", "Djordje Petrovic"),
    "maghreb": ("MRT-1", "محمد الأمين ولد سالم", "Mohamed Lemine Ould Salem"),
    "algeria": ("DZA-1", "Hocine Ben Ali Kaci", "Hocine Benali Kaci"),
    "chad": ("TCD-1", "أحمد حسب الله صبيان", "Ahmat Hassaballah Soubiane"),
    "mali": ("MLI-1", "عبد الله تراوري كيتا", "Abdoulaye Traore Keita"),
}
# Records whose stored parts and keys 0016 does not change (the query side reads them anew).
_UNCHANGED = frozenset({"chad", "mali"})
# What the code before 0016 stored as parts for the two names whose letters it dropped.
_OLD_PARTS = {"ukrainian": "vtaly gordnko", "serbian": "ore petrovi"}


def _setup(world: World) -> tuple[Actor, dict[str, str]]:
    return create_records(world, _RECORDS)


def test_passport_and_french_spellings_find_their_records(world: World) -> None:
    officer, ids = _setup(world)
    for kind, (_ref, _name, query) in _RECORDS.items():
        assert _hits(world, officer, query) == [ids[kind]], query
    with unit_of_work(world.state.sessions) as session:
        assert _parts(session, ids["ukrainian"]) == "vitaliy hordiyenko"
        found = check_person(session, actor=officer, data=PersonCheck(names=["Oleksandr Hnatiuk"]))
    explanation = (found.candidates or [])[0].explanation
    assert explanation["name"]["candidate_name"] == "Олександр Гнатюк (read as Ukrainian)"


def test_migration_0016_rekeys_persons_keyed_before_it(world: World) -> None:
    officer, ids = _setup(world)
    with unit_of_work(world.state.sessions) as session:
        before, stored_before, _ = _keys(session)
    downgrade_to(world.state.engine, "0015")
    # As the code before 0016 left them: the dropped letters' parts, and none of the keys of these persons
    # (a superset of what changed: the migration must find every one of them and key it again). The Chadian
    # and Malian records' keys do not change: the query's closing t and its Abdoulaye find them.
    concerned = [pid for kind, pid in ids.items() if kind not in _UNCHANGED]
    with unit_of_work(world.state.sessions) as session:
        for kind, parts in _OLD_PARTS.items():
            session.execute(update(PersonName).where(PersonName.person_id == ids[kind]).values(parts=parts))
        held = session.execute(
            select(PersonNameKey.key)
            .join(Person, Person.number == PersonNameKey.person_number)
            .where(Person.id.in_(concerned))
        )
        dropped: dict[str, int] = {}
        for (key,) in held:
            dropped[key] = dropped.get(key, 0) + 1
        session.execute(
            delete(PersonNameKey).where(
                PersonNameKey.person_number.in_(select(Person.number).where(Person.id.in_(concerned)))
            )
        )
        for key, count in dropped.items():
            session.execute(
                update(PersonKeyCount)
                .where(PersonKeyCount.key == key)
                .values(count=PersonKeyCount.count - count)
            )
    for kind, (_ref, _name, query) in _RECORDS.items():
        assert _hits(world, officer, query) == ([ids[kind]] if kind in _UNCHANGED else []), query
    upgrade_again(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys(session)
        assert _parts(session, ids["ukrainian"]) == "vitaliy hordiyenko"
        assert _parts(session, ids["serbian"]) == "djordje petrovic"
    assert rows == before
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    assert stored == stored_before
    for kind, (_ref, _name, query) in _RECORDS.items():
        assert _hits(world, officer, query) == [ids[kind]], query
