"""Migrations 0019's and 0021's rules on a real database: a Latin name written by the German rules for
Cyrillic (Sergej Worobjow, Juri Schukow, Iwan Iwanow) is also read the English way, so the English and
passport spellings find it and it finds them; and the migrations, which key the persons stored before them
under that reading. All names are made up."""

from __future__ import annotations

from tests.conftest import World
from tests.integration.test_person_readings_0015 import _hits
from tests.integration.test_person_readings_0018 import check_reading_hits, check_reading_migration

from peacelink.matching.names.parts import GERMAN_READING

# The records, and a query that was no hit before 0019 (Worobjow / Vorobyov 0.42, Schukow / Zhukov 0).
_RECORDS = {
    "worobjow": ("DEU-1", "Sergej Worobjow", "Sergei Vorobyov"),
    "schukow": ("DEU-2", "Juri Schukow", "Yuri Zhukov"),
    "tschernow": ("AUT-1", "Pjotr Tschernow", "Pyotr Chernov"),
    # The other way round: the record spelled the English way, the query the German way.
    "reverse": ("UKR-1", "Yulia Tymoshenko", "Julija Tymoschenko"),
}
# Records without a German spelling: 0019 changes none of their keys.
_UNCHANGED = frozenset({"reverse"})


def test_the_german_and_the_english_spellings_find_each_other(world: World) -> None:
    officer, ids = check_reading_hits(world, _RECORDS, kind="german", label=GERMAN_READING)
    # Ж and Ш are both sch in German: Schukow is read both ways, and Shukov is not Zhukov's only spelling.
    assert _hits(world, officer, "Yuri Shukov") == [ids["schukow"]]
    # A different surname is not made alike: Sergei Vorontsov is not Worobjow.
    assert _hits(world, officer, "Sergei Vorontsov") == []


def test_migration_0019_keys_the_persons_stored_before_it(world: World) -> None:
    check_reading_migration(world, _RECORDS, kind="german", previous="0018", unchanged=_UNCHANGED)


# Read since 0021: one long part with a Slavic ending written with w is enough (Ivanov / Iwanow was 0.50).
_ENDING_ALONE = {
    "iwanow": ("DEU-3", "Iwan Iwanow", "Ivan Ivanov"),
    "kadyrow": ("DEU-4", "Ramsan Kadyrow", "Ramzan Kadyrov"),
    "reverse": ("RUS-1", "Andrei Sakharov", "Andrei Sacharow"),
}


def test_migration_0021_keys_the_long_slavic_endings_stored_before_it(world: World) -> None:
    check_reading_migration(world, _ENDING_ALONE, kind="german", previous="0020", unchanged=_UNCHANGED)
