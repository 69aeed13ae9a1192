"""Migration 0028's rule on a real database: a Polish patronymic surname (Abramowicz) is read the English way
on its own, so its record meets the English and Cyrillic spellings by its keys; and the migration, which adds
those keys to the persons stored before it. All names are made up."""

from __future__ import annotations

from functools import partial

from tests.conftest import World
from tests.integration.test_person_glued_article_0022 import check_key_rule_migration

from peacelink.matching.names.parts import make_part

# The records, and a query in another spelling of the same name.
_RECORDS = {
    "polish": ("POL-1", "Roman Abramowicz Tarasenko", "Roman Abramovich Tarasenko"),
    "cyrillic": ("BLR-1", "Wiktor Łukaszewicz Zaremba", "Виктор Лукашевич Заремба"),
    # The other way round: the record in the English spelling, the query the Polish way.
    "reverse": ("UKR-1", "Pavel Mitskevich Horodenko", "Paweł Mickiewicz Horodenko"),
}
# The English reading of each Polish surname stored before 0028.
_READ = {"polish": "abramovich", "cyrillic": "lukashevich"}


def _reading_keys(read: str, keys: set[str]) -> set[str]:
    """The keys among ``keys`` that the reading's surname gives: its single-part key and its pair keys."""
    prefix = make_part(read).coarse[:4]
    return {k for k in keys if k[:2] in ("1:", "2:") and any(p.startswith(prefix) for p in k[2:].split("|"))}


def test_migration_0028_reads_the_patronymics_stored_before_it(world: World) -> None:
    added = {kind: partial(_reading_keys, read) for kind, read in _READ.items()}
    check_key_rule_migration(world, _RECORDS, added, previous="0027")
