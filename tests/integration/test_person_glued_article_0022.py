"""Migration 0022's rule on a real database: a Latin part with the Arabic article glued to its front
(Elkhatib, Alhashimi) is also keyed without it, so "El Khatib", "Al-Hashimi" and the Arabic script find it;
and the migration, which keys the persons stored before it that way. All names are made up."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from sqlalchemy import select, update
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_person_readings import _keys
from tests.integration.test_person_readings_0015 import _hits, create_records
from tests.integration.test_person_readings_0018 import drop_keys

from peacelink.access import Actor
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import query_keys
from peacelink.matching.names.parts import make_part
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonName, PersonNameKey

# The records, their glued part's name without the article, and a query spelled without it.
_RECORDS = {
    "khatib": ("SDN-1", "Ahmed Elkhatib Mansour", "Ahmed El Khatib Mansour"),
    "hashimi": ("IRQ-1", "Salem Alhashimi Yunis", "سالم الهاشمي يونس"),
    # The other way round: the record written apart, the query glued (keyed on the query's side).
    "reverse": ("EGY-1", "Omar El-Sayed Farouk", "Omar Elsayed Farouk"),
}
_BARE = {"khatib": "khatib", "hashimi": "hashimi"}


def _bare_keys(bare: str, keys: set[str]) -> set[str]:
    """The single and pair keys among ``keys`` made of the name without its article."""
    coarse = make_part(bare).coarse
    single = f"1:{coarse[:6]}"
    return {k for k in keys if k == single or (k[:2] == "2:" and coarse[:4] in k[2:].split("|"))}


def check_key_rule_migration(
    world: World,
    records: dict[str, tuple[str, str, str]],
    added: Mapping[str, Callable[[set[str]], set[str]]],
    *,
    previous: str,
    found: Callable[[World, Actor, str], list[str]] = _hits,
    at_least: int = 1,
    old_parts: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Store ``records``, each of which its query must find (``found``); go down to the revision ``previous``
    and take from each record named in ``added`` the keys ``added[name]`` picks among its own (as the code
    before the migration keyed it: ``at_least`` of them, and its query must look one of them up); upgrade: the
    migration must give them back, the key rows and counts must be as before, and each query must find its
    record again. A migration that normalises names anew is given the parts the code before it stored
    (``old_parts``, by record name), which are written back before the upgrade. Returns the records' ids."""
    officer, ids = create_records(world, records)
    for name, (_ref, _given, query) in records.items():
        assert found(world, officer, query) == [ids[name]], query
    with unit_of_work(world.state.sessions) as session:
        before, stored_before, _ = _keys(session)
    downgrade_to(world.state.engine, previous)
    stale: dict[str, set[str]] = {}
    with unit_of_work(world.state.sessions) as session:
        for name, pick in added.items():
            pid = ids[name]
            stale[name] = pick({k for k, p in before if p == pid})
            assert len(stale[name]) >= at_least, stale[name]
            assert stale[name] & query_keys([records[name][2]]), name  # what the query looks up
            drop_keys(session, pid, stale[name])
        for name, parts in (old_parts or {}).items():
            session.execute(update(PersonName).where(PersonName.person_id == ids[name]).values(parts=parts))
    upgrade_again(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys(session)
        for name in added:
            held = set(
                session.scalars(
                    select(PersonNameKey.key)
                    .join(Person, Person.number == PersonNameKey.person_number)
                    .where(Person.id == ids[name])
                )
            )
            assert stale[name] <= held
    assert rows == before
    assert stored == stored_before
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    for name, (_ref, _given, query) in records.items():
        assert found(world, officer, query) == [ids[name]], query
    return ids


def test_migration_0022_keys_the_glued_article_stored_before_it(world: World) -> None:
    # 1: of the bare name, 2: with each other part.
    added = {kind: partial(_bare_keys, bare) for kind, bare in _BARE.items()}
    check_key_rule_migration(world, _RECORDS, added, previous="0021", at_least=3)
