"""The audit log: hash-chained, append-only, written in the change's transaction, tamper-evident."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from tests.conftest import World

from peacelink.access import AgencyKind
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.audit import service as audit
from peacelink.audit.models import AuditEvent
from peacelink.db.dialect import append_only_sql, drop_append_only_sql
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import Invalid


def _events(world: World) -> list[AuditEvent]:
    with unit_of_work(world.state.sessions) as session:
        return list(session.query(AuditEvent).order_by(AuditEvent.seq))


def _tamper(world: World, statement: str) -> None:
    """Change history the way a database administrator could: triggers off, edit, triggers on."""
    engine = world.state.engine
    with engine.begin() as connection:
        for sql in drop_append_only_sql(engine.dialect.name, "audit_events"):
            connection.execute(text(sql))
        connection.execute(text(statement))
        for sql in append_only_sql(engine.dialect.name, "audit_events"):
            connection.execute(text(sql))


def test_each_change_writes_one_chained_event(world: World) -> None:
    events = _events(world)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    creates = [e for e in events if e.action == "agency.create"]
    assert {e.object_id for e in creates} == {"NCB-UTO", "NCB-CAF", "MINUSCA"}
    assert all(e.username == "admin" and e.agency_code == "CENTRAL" for e in creates)


def test_failed_change_leaves_no_event(world: World) -> None:
    before = len(_events(world))
    with pytest.raises(Invalid), unit_of_work(world.state.sessions) as session:
        agencies.create(
            session,
            actor=world.admin.actor,
            data=AgencyCreate(code="NCB-ZZZ", name="x", kind=AgencyKind.NCB, country="ZZZ"),
        )
    assert len(_events(world)) == before


def test_database_refuses_update_and_delete(world: World) -> None:
    with pytest.raises(DBAPIError), world.state.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET action = 'x' WHERE seq = 1"))
    with pytest.raises(DBAPIError), world.state.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE seq = 1"))


def test_verify_intact(world: World) -> None:
    with unit_of_work(world.state.sessions) as session:
        result = audit.verify(session)
    assert result.ok
    assert result.events == len(_events(world))


def test_verify_detects_altered_event(world: World) -> None:
    _tamper(world, "UPDATE audit_events SET username = 'mallory' WHERE seq = 3")
    with unit_of_work(world.state.sessions) as session:
        result = audit.verify(session)
    assert (result.ok, result.first_bad) == (False, 3)


def test_verify_detects_deleted_event(world: World) -> None:
    _tamper(world, "DELETE FROM audit_events WHERE seq = 2")
    with unit_of_work(world.state.sessions) as session:
        result = audit.verify(session)
    assert (result.ok, result.first_bad) == (False, 2)


def test_verify_detects_deleted_tail(world: World) -> None:
    last = len(_events(world))
    _tamper(world, f"DELETE FROM audit_events WHERE seq = {last}")
    with unit_of_work(world.state.sessions) as session:
        result = audit.verify(session)
    assert not result.ok
    assert result.first_bad == last


def test_verify_detects_reordering(world: World) -> None:
    # Swap the contents of events 2 and 3 (keeping their sequence numbers).
    _tamper(world, "UPDATE audit_events SET seq = -2 WHERE seq = 2")
    _tamper(world, "UPDATE audit_events SET seq = 2 WHERE seq = 3")
    _tamper(world, "UPDATE audit_events SET seq = 3 WHERE seq = -2")
    with unit_of_work(world.state.sessions) as session:
        result = audit.verify(session)
    assert (result.ok, result.first_bad) == (False, 2)


def test_concurrent_writers_keep_one_chain(world: World) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                with unit_of_work(world.state.sessions) as session:
                    audit.record(
                        session,
                        actor=world.admin.actor,
                        action="test.concurrent",
                        object_type="test",
                        object_id=f"{n}-{i}",
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with unit_of_work(world.state.sessions) as session:
        result = audit.verify(session)
    assert result.ok
    assert sum(1 for e in _events(world) if e.action == "test.concurrent") == 40


def _record(session: object, world: World, object_id: str) -> int:
    return audit.record(
        session,  # type: ignore[arg-type]
        actor=world.admin.actor,
        action="test.batch",
        object_type="test",
        object_id=object_id,
    )


def test_a_transaction_reads_the_head_once_and_savepoints_read_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many events in one transaction (a group commit) read the chain's head once; a savepoint reads it
    again, and after a rolled-back savepoint the chain continues from what the database kept."""
    head = audit._statements().head
    read = head.execute
    heads: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        heads.append(1)
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(head, "execute", counted)
    with unit_of_work(world.state.sessions) as session:
        first = _record(session, world, "a")
        assert [_record(session, world, n) for n in "bcd"] == [first + 1, first + 2, first + 3]
        assert len(heads) == 1
        savepoint = session.begin_nested()
        assert _record(session, world, "kept-out") == first + 4
        savepoint.rollback()
        assert len(heads) == 2
        assert _record(session, world, "e") == first + 4  # the rolled-back event's place is free again
        assert len(heads) == 3
        with session.begin_nested():
            assert _record(session, world, "f") == first + 5
        assert _record(session, world, "g") == first + 6
    with unit_of_work(world.state.sessions) as session:
        assert _record(session, world, "h") == first + 7  # a new transaction reads the head
        assert len(heads) == 6
        result = audit.verify(session)
    assert result.ok, result
    assert [e.object_id for e in _events(world) if e.action == "test.batch"] == list("abcdefgh")
