"""Migration 0026's rule on a real database: Abd al-Rahman written without its h (Abderamane, Abdel Ramane,
as in Chad, Mali and Niger) is normalised as abdrahman, so it meets Abdelrahman and the Arabic script by its
keys; and the migration, which re-normalises and re-keys the persons stored before it. All names are made
up."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select
from tests.conftest import World
from tests.integration.test_person_glued_article_0022 import check_key_rule_migration

from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import prepared_blocking_keys
from peacelink.persons.keys import prepared_from_parts
from peacelink.persons.models import PersonName

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
        world, _RECORDS, _OLD_PARTS, previous="0025", fresh=("abdrahman ", "1:rhmn")
    )


def _keys_of_new_parts(name: str, old: str, new_key: str, keys: set[str]) -> set[str]:
    """The keys among a record's ``keys`` that its parts as stored before (``old``) do not give; ``new_key``
    must be one of them."""
    stale = keys - prepared_blocking_keys(prepared_from_parts([(name, old)]))
    assert new_key in stale, stale
    return stale


def check_renormalising_migration(
    world: World,
    records: dict[str, tuple[str, str, str]],
    old_parts: dict[str, str],
    *,
    previous: str,
    fresh: tuple[str, str],
) -> None:
    """A migration that normalises names anew (``check_key_rule_migration``): the records stored before it
    with ``old_parts``, and without the keys only their new parts give (``fresh[1]`` among them), get their
    parts (opening with ``fresh[0]``) and keys back."""
    added = {
        kind: partial(_keys_of_new_parts, records[kind][1], old, fresh[1]) for kind, old in old_parts.items()
    }
    ids = check_key_rule_migration(world, records, added, previous=previous, old_parts=old_parts)
    with unit_of_work(world.state.sessions) as session:
        for kind in old_parts:
            parts = session.scalar(select(PersonName.parts).where(PersonName.person_id == ids[kind]))
            assert parts is not None and parts.startswith(fresh[0]), parts
