"""Migration 0024's rule on a real database: a name in the Arabic script with a closing ه (وجيه, نبيه, فاطمه)
is also read with that ه as a consonant h, so the Latin spellings that write it (Wajih, Nabih, Fatemeh) find
it and it finds them; and the migration, which keys the persons stored before it under that reading. All names
are made up."""

from __future__ import annotations

from tests.conftest import World
from tests.integration.test_person_readings_0015 import _hits
from tests.integration.test_person_readings_0018 import check_reading_hits, check_reading_migration

from peacelink.matching.names.parts import FINAL_H_READING

# The records, and a query that was no hit before 0024 (0.46: one part of two met nothing; 0.61; 0.88).
_RECORDS = {
    "wajih": ("LBN-1", "وجيه عبد القادر التميمي", "Wajih Abdelkader Al-Tamimi"),
    "nabih": ("SYR-1", "نبيه منصور", "Nabih Mansour"),
    "zohreh": ("IRN-1", "زهره کریمی", "Zohreh Karimi"),
    # The other way round: the record in Latin letters, the query in the Arabic script.
    "reverse": ("IRN-2", "Fatemeh Rahimi", "فاطمه رحیمی"),
}
_UNCHANGED = frozenset({"reverse"})


def test_the_latin_spellings_that_write_the_h_meet_the_arabic_script(world: World) -> None:
    officer, _ids = check_reading_hits(world, _RECORDS, kind="final_h", label=FINAL_H_READING)
    # نبيه (Nabih) is not Nabil: no hit.
    assert _hits(world, officer, "Nabil Mansour") == []


def test_migration_0024_keys_the_arabic_script_stored_before_it(world: World) -> None:
    check_reading_migration(world, _RECORDS, kind="final_h", previous="0023", unchanged=_UNCHANGED)
