"""Migration 0026's rule on a real database: Abd al-Rahman written without its h (Abderamane, Abdel Ramane,
as in Chad, Mali and Niger) is normalised as abdrahman, so it meets Abdelrahman and the Arabic script by its
keys; and the migration, which re-normalises and re-keys the persons stored before it. All names are made
up."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, update
from tests.conftest import World
from tests.integration.test_person_readings import _keys
from tests.integration.test_person_readings_0015 import _hits, create_records
from tests.integration.test_person_readings_0018 import drop_keys

from peacelink.db.migrate import alembic_config, upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import prepared_blocking_keys
from peacelink.persons.keys import prepared_from_parts
from peacelink.persons.models import PERSONS_COUNT_KEY, PersonName, PersonNameKey

# The records, and a query in another spelling of Abd al-Rahman.
_RECORDS = {
    "chad": ("TCD-1", "Abderamane Haroun Mahamat", "Abdelrahman Haroun Mahamat"),
    "mali": ("MLI-1", "Abdel Ramane Ali Sylla", "عبد الرحمن علي سيلا"),
    # The other way round: the record in the usual spelling, the query without the h.
    "reverse": ("NER-1", "Abdourahmane Idrissa Moussa", "Abdramane Idrissa Moussa"),
}
# The parts the code before 0026 stored for the records written without the h.
_OLD_PARTS = {"chad": "abderamane haroun mahamat", "mali": "abdramane ali sylla"}


def test_migration_0026_renormalises_rahman_without_h(world: World) -> None:
    check_renormalising_migration(
        world, _RECORDS, _OLD_PARTS, before="0025", stale_key=("rhmn", "bdrh"), fresh=("abdrahman ", "1:rhmn")
    )


def check_renormalising_migration(
    world: World,
    records: dict[str, tuple[str, str, str]],
    old_parts: dict[str, str],
    *,
    before: str,
    stale_key: tuple[str, ...],
    fresh: tuple[str, str],
) -> None:
    """A migration that re-normalises names: each record's query hits it; stored as the code before it
    stored them (``old_parts``, without the keys only the new parts give: one of them holds a ``stale_key``
    fragment), the records are brought back by the migration (parts opening with ``fresh[0]``, key
    ``fresh[1]`` held), with every key row and count as before, and hit again."""
    officer, ids = create_records(world, records)
    for kind, (_ref, _name, query) in records.items():
        assert _hits(world, officer, query) == [ids[kind]], query
    with unit_of_work(world.state.sessions) as session:
        rows_before, stored_before, _ = _keys(session)

    command.downgrade(alembic_config(world.state.engine), before)
    with unit_of_work(world.state.sessions) as session:
        for kind, old in old_parts.items():
            pid, name = ids[kind], records[kind][1]
            old_keys = prepared_blocking_keys(prepared_from_parts([(name, old)]))
            stale = {k for k, p in rows_before if p == pid} - old_keys
            assert any(fragment in k for k in stale for fragment in stale_key), stale
            drop_keys(session, pid, stale)
            session.execute(update(PersonName).where(PersonName.person_id == pid).values(parts=old))
    upgrade(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys(session)
        for kind in old_parts:
            parts = session.scalar(select(PersonName.parts).where(PersonName.person_id == ids[kind]))
            assert parts is not None and parts.startswith(fresh[0]), parts
            held = set(session.scalars(select(PersonNameKey.key).where(PersonNameKey.person_id == ids[kind])))
            assert fresh[1] in held
    assert rows == rows_before
    assert stored == stored_before
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    for kind, (_ref, _name, query) in records.items():
        assert _hits(world, officer, query) == [ids[kind]], query
