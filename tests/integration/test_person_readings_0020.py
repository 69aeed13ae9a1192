"""Migration 0020's rules on a real database: a name written the Polish way (Jurij Żukow, Siergiej Ławrow) or
with carons (Jurij Žukov, Andrij Ševčenko) is also read the English way, so the English and passport spellings
find it and it finds them; and the migration, which keys the persons stored before it under those readings.
All names are made up."""

from __future__ import annotations

from tests.conftest import World
from tests.integration.test_person_readings_0015 import _hits, create_records
from tests.integration.test_person_readings_0018 import check_reading_migration

from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names.parts import CARON_READING, POLISH_READING
from peacelink.persons.lookup import check_person
from peacelink.persons.schemas import PersonCheck

# The records, and a query that was no hit before 0020 (Żukow / Zhukov 0.43, Ševčenko / Shevchenko 0.88).
_POLISH = {
    "zukow": ("POL-1", "Jurij Żukow", "Yuri Zhukov"),
    "lawrow": ("POL-2", "Siergiej Ławrow Kuzniecow", "Sergey Lavrov Kuznetsov"),
    "szewczenko": ("POL-3", "Taras Szewczenko", "Taras Shevchenko"),
    # The other way round: the record spelled the English way, the query the Polish way.
    "reverse": ("UKR-2", "Nikita Khrushchev", "Nikita Chruszczow"),
}
_CARON = {
    "zukov": ("CZE-1", "Jurij Žukov", "Yuri Zhukov"),
    "sevcenko": ("CZE-2", "Andrij Ševčenko", "Andrii Shevchenko"),
    "reverse": ("UKR-3", "Nikita Khrushchev", "Nikita Chruščov"),
}
_UNCHANGED = frozenset({"reverse"})


def test_the_polish_and_caron_spellings_meet_the_english_ones(world: World) -> None:
    officer, ids = create_records(world, {f"polish-{k}": v for k, v in _POLISH.items() if k != "reverse"})
    for kind, (_ref, _name, query) in _POLISH.items():
        if kind != "reverse":
            assert _hits(world, officer, query) == [ids[f"polish-{kind}"]], query
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=["Yuri Zhukov"]))
    candidates = found.candidates or []
    assert candidates[0].explanation["name"]["candidate_name"] == "Jurij Żukow" + POLISH_READING
    # A different surname is not made alike: Taras Shevtsov is no hit on Szewczenko.
    assert _hits(world, officer, "Taras Shevtsov") == []


def test_migration_0020_keys_the_polish_spellings_stored_before_it(world: World) -> None:
    check_reading_migration(world, _POLISH, kind="polish", previous="0019", unchanged=_UNCHANGED)


def test_migration_0020_keys_the_caron_spellings_stored_before_it(world: World) -> None:
    officer, _ids = check_reading_migration(
        world, _CARON, kind="caron", previous="0019", unchanged=_UNCHANGED
    )
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=["Yuri Zhukov"]))
    names = [c.explanation["name"]["candidate_name"] for c in found.candidates or []]
    assert "Jurij Žukov" + CARON_READING in names
