"""Migration 0023's rule on a real database: a name in the Arabic script with ه or ح after a letter read s, z,
k, t or d (سهيل, زهير) is also read with the two letters apart, so the Latin spellings that write the vowel
between (Suhail, Zuhair) find it and it finds them; and the migration, which keys the persons stored before it
under that reading. All names are made up."""

from __future__ import annotations

from tests.conftest import World
from tests.integration.test_person_readings_0015 import _hits
from tests.integration.test_person_readings_0018 import check_reading_hits, check_reading_migration

from peacelink.matching.names.parts import SEPARATE_H_READING

# The records, and a query that was no hit before 0023 (0.46: one part of two met nothing).
_RECORDS = {
    "suhail": ("YEM-1", "سهيل عبد الله الكحلاني", "Suhail Abdullah Al-Kahlani"),
    "zuhair": ("SDN-1", "زهير بشير", "Zuhair Bashir"),
    "sahar": ("LBY-1", "سحر مختار", "Sahar Mukhtar"),
    # The other way round: the record in Latin letters, the query in the Arabic script.
    "reverse": ("SAU-1", "Suhaib Al-Zahrani", "صهيب الزهراني"),
}
_UNCHANGED = frozenset({"reverse"})


def test_the_latin_spellings_with_the_vowel_between_meet_the_arabic_script(world: World) -> None:
    officer, _ids = check_reading_hits(world, _RECORDS, kind="separate_h", label=SEPARATE_H_READING)
    # شاكر (Shakir) is not سحر (Sahar): no hit.
    assert _hits(world, officer, "شاكر مختار") == []


def test_migration_0023_keys_the_arabic_script_stored_before_it(world: World) -> None:
    check_reading_migration(world, _RECORDS, kind="separate_h", previous="0022", unchanged=_UNCHANGED)
