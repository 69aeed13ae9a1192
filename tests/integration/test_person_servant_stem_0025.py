"""Migration 0025's rule on a real database: the stem of a glued Abd (Abdul Sattar: Sattar) is paired with the
other parts in the keys, so a query naming the man by the stem finds him even where his single-part keys are
stop keys; and the migration, which keys the persons stored before it that way. All names are made up."""

from __future__ import annotations

from functools import partial

from tests.conftest import World
from tests.integration.test_person_glued_article_0022 import check_key_rule_migration

from peacelink.access import Actor
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import CANDIDATE_THRESHOLD
from peacelink.matching.names.parts import make_part
from peacelink.persons.lookup import check_person
from peacelink.persons.schemas import PersonCheck

# The records, their compound's stem, and a query naming the man by the stem.
_RECORDS = {
    "sattar": ("AFG-1", "Haji Abdul Sattar Barakzai", "Haji Satar Barakzai"),
    "karim": ("TCD-1", "Abdelkerim Mahamat Nour", "Kerim Mahamat Nour"),
    "somali": ("SOM-1", "Cabdiraxmaan Cali Warsame", "Rahman Ali Warsame"),
    # The other way round: the record named by the stem, the query with Abd (keyed on the query's side).
    "reverse": ("PAK-1", "Rashid Qureshi", "Abdul Rashid Qureshi"),
}
_STEMS = {"sattar": "sattar", "karim": "kerim", "somali": "rahman"}


def _candidates(world: World, officer: Actor, name: str) -> list[str]:
    """The records a check shows as candidates (a name without Abd is a weaker match: a candidate, at most a
    hit when the rest agrees)."""
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=[name]))
    return [c.record_id for c in found.candidates or [] if c.score >= CANDIDATE_THRESHOLD]


def _stem_pairs(stem: str, keys: set[str]) -> set[str]:
    """The pair keys among ``keys`` made of the stem."""
    prefix = make_part(stem).coarse[:4]
    return {k for k in keys if k[:2] == "2:" and prefix in k[2:].split("|")}


def test_migration_0025_pairs_the_stems_stored_before_it(world: World) -> None:
    added = {kind: partial(_stem_pairs, stem) for kind, stem in _STEMS.items()}
    check_key_rule_migration(world, _RECORDS, added, previous="0024", found=_candidates)
