"""Migration 0014 adds hits.query (what the searching officer asked) on both engines, and drops it."""

from __future__ import annotations

from sqlalchemy import inspect, text
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again

from peacelink.access import Role
from peacelink.checks import service as checks
from peacelink.db.unit_of_work import unit_of_work
from peacelink.documents import service as documents
from peacelink.documents.schemas import DocumentCheck, DocumentCreate
from peacelink.hits import service as hits


def _columns(world: World) -> set[str]:
    return {c["name"] for c in inspect(world.state.engine).get_columns("hits")}


def test_migration_0014_adds_the_query_and_old_hits_get_an_empty_one(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    with unit_of_work(world.state.sessions) as session:
        documents.create(
            session,
            actor=owner.actor,
            data=DocumentCreate(
                issuing_country="UTO", document_type="passport", number="L898902C3", status="stolen"
            ),
        )
    check = DocumentCheck(issuing_country="UTO", number="L898902C3")
    with unit_of_work(world.state.sessions) as session:
        [before] = checks.check_document(session, actor=officer.actor, data=check).hits
    engine = world.state.engine

    downgrade_to(engine, "0013")
    assert "query" not in _columns(world) and "summary" in _columns(world)
    with engine.connect() as connection:  # the hit itself is kept
        assert connection.execute(text("SELECT count(*) FROM hits")).scalar() == 1

    upgrade_again(engine)
    assert "query" in _columns(world)
    with unit_of_work(world.state.sessions) as session:
        [old] = hits.list_hits(session, actor=owner.actor)
        assert old.id == before.hit_id and old.query == {} and old.summary["number"] == "L898902C3"
        assert hits.to_out(session, old).query == {}
        # A check after the upgrade keeps its query; the old hit can still be decided.
        [new] = checks.check_document(session, actor=officer.actor, data=check).hits
        hits.decide(session, actor=owner.actor, hit_id=old.id, confirm=False, note="specimen")
    with unit_of_work(world.state.sessions) as session:
        stored = hits.get(session, actor=owner.actor, hit_id=new.hit_id)
        assert stored.query == {
            "source": "fields",
            "issuing_country": "UTO",
            "number": "L898902C3",
            "document_type": None,
        }
