"""Migration 0027's rule on a real database: Abd followed by a Latin name opening with al and a vowel keeps
that name's letters (Abdul Aleem is abdaleem, no longer abdeem), so it meets Abdul Alim and the Arabic script
by its keys; and the migration, which re-normalises and re-keys the persons stored before it. All names are
made up."""

from __future__ import annotations

from tests.conftest import World
from tests.integration.test_person_rahman_0026 import check_renormalising_migration

# The records, and a query in another spelling of the same name.
_RECORDS = {
    "aleem": ("PAK-1", "Abdul Aleem Qureshi Bakhsh", "Abdul Alim Qureshi Bakhsh"),
    "script": ("AFG-1", "Abdul Aleem Nuristani", "عبد العليم نورستاني"),
    # The other way round: the record in another spelling, the query Abdul Aleem.
    "reverse": ("SDN-1", "Abdelalim Osman Idris", "Abdul Aleem Osman Idris"),
}
# The parts the code before 0027 stored for the records written Abdul Aleem.
_OLD_PARTS = {"aleem": "abdeem qureshi bakhsh", "script": "abdeem nuristani"}


def test_migration_0027_renormalises_abd_al_vowel(world: World) -> None:
    check_renormalising_migration(world, _RECORDS, _OLD_PARTS, previous="0026", fresh=("abdaleem ", "1:bdlm"))
