"""Migration 0022's rule on a real database: a Latin part with the Arabic article glued to its front
(Elkhatib, Alhashimi) is also keyed without it, so "El Khatib", "Al-Hashimi" and the Arabic script find it;
and the migration, which keys the persons stored before it that way. All names are made up."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select
from tests.conftest import World
from tests.integration.test_person_readings import _keys
from tests.integration.test_person_readings_0015 import _hits, create_records
from tests.integration.test_person_readings_0018 import drop_keys

from peacelink.db.migrate import alembic_config, upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import query_keys
from peacelink.matching.names.parts import make_part
from peacelink.persons.models import PERSONS_COUNT_KEY, PersonNameKey

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


def test_migration_0022_keys_the_glued_article_stored_before_it(world: World) -> None:
    officer, ids = create_records(world, _RECORDS)
    for kind, (_ref, _name, query) in _RECORDS.items():
        assert _hits(world, officer, query) == [ids[kind]], query
    with unit_of_work(world.state.sessions) as session:
        before, stored_before, _ = _keys(session)

    # As the code before 0022 keyed them: not by the name without the article.
    command.downgrade(alembic_config(world.state.engine), "0021")
    stale: dict[str, set[str]] = {}
    with unit_of_work(world.state.sessions) as session:
        for kind, bare in _BARE.items():
            pid = ids[kind]
            stale[kind] = _bare_keys(bare, {k for k, p in before if p == pid})
            assert len(stale[kind]) >= 3, stale[kind]  # 1: of the bare name, 2: with each other part
            assert stale[kind] & query_keys([_RECORDS[kind][2]]), kind  # what the query looks up
            drop_keys(session, pid, stale[kind])
    upgrade(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys(session)
        for kind in _BARE:
            held = set(session.scalars(select(PersonNameKey.key).where(PersonNameKey.person_id == ids[kind])))
            assert stale[kind] <= held
    assert rows == before
    assert stored == stored_before
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    for kind, (_ref, _name, query) in _RECORDS.items():
        assert _hits(world, officer, query) == [ids[kind]], query
