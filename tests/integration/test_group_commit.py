"""The group-commit writer (db/group_commit.py) and the cross-process SQLite writer gate, on both engines."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from peacelink.audit import service as audit
from peacelink.audit.models import AuditEvent
from peacelink.db import dialect
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.group_commit import GroupCommitWriter
from peacelink.db.migrate import upgrade
from peacelink.errors import Invalid


def _event(number: int) -> Callable[[Session], int]:
    return lambda session: audit.record(
        session, actor=None, action="test.ok", object_type="t", object_id=str(number)
    )


def _failing(session: Session) -> int:
    audit.record(session, actor=None, action="test.failed", object_type="t")
    raise Invalid("this job fails after writing")


async def _submit_all(writer: GroupCommitWriter, jobs: list[Callable[[Session], int]]) -> list[Any]:
    return await asyncio.gather(*(writer.submit(job) for job in jobs), return_exceptions=True)


def test_a_batch_commits_together_and_a_failing_job_fails_alone(engine: Engine) -> None:
    sessions = session_factory(engine)
    writer = GroupCommitWriter(sessions)
    jobs = [_event(i) for i in range(40)] + [_failing] + [_event(i) for i in range(40, 80)]
    try:
        results = asyncio.run(_submit_all(writer, jobs))
    finally:
        writer.stop()
    assert isinstance(results[40], Invalid)
    sequence_numbers = [r for i, r in enumerate(results) if i != 40]
    # Consecutive and in submission order: the failed job's event (and its move of the chain head) was
    # rolled back with its savepoint, and the next job chained onto the head before it.
    assert sequence_numbers == list(range(1, 81))
    assert writer.jobs == 81
    assert writer.batches < 81  # jobs queued while a batch ran were committed together
    with sessions() as session:
        actions = session.execute(select(AuditEvent.action, func.count()).group_by(AuditEvent.action)).all()
        assert dict(actions) == {"test.ok": 80}
        assert audit.verify(session).ok


class _CommitFails(Session):
    def commit(self) -> None:
        raise RuntimeError("the disk is full")


class _BeginFails(Session):
    attempts = 0

    def connection(self, *args: Any, **kwargs: Any) -> Any:
        _BeginFails.attempts += 1
        raise RuntimeError("database is locked (waited for the writer gate)")


@pytest.mark.parametrize("failing", [_CommitFails, _BeginFails], ids=["commit", "begin"])
def test_a_failed_transaction_fails_every_caller_and_keeps_nothing(
    engine: Engine, failing: type[Session]
) -> None:
    _BeginFails.attempts = 0
    writer = GroupCommitWriter(sessionmaker(bind=engine, class_=failing))
    try:
        results = asyncio.run(_submit_all(writer, [_event(i) for i in range(5)]))
    finally:
        writer.stop()
    # One error per caller from the failed transaction: a failed BEGIN is not retried job by job.
    assert [type(r) for r in results] == [RuntimeError] * 5
    assert _BeginFails.attempts < 5
    assert writer.batches == 0
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_the_sqlite_writer_gate_spans_processes(tmp_path: Path) -> None:
    path = tmp_path / "gate.db"
    engine = build_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    holder = (
        "import sys, time\n"
        "from sqlalchemy import text\n"
        "from peacelink.db.engine import build_engine\n"
        f"engine = build_engine('sqlite:///{path}')\n"
        "with engine.begin() as connection:\n"
        "    connection.execute(text('INSERT INTO t VALUES (1)'))\n"
        "    print('holding', flush=True)\n"
        "    sys.stdin.readline()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    # A second engine in this process with a short gate timeout: it must wait on the other process's gate
    # (not on SQLite's 30-second busy timeout) and give up with the gate's own error.
    impatient = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(impatient, "connect", dialect.sqlite_on_connect)
    gate = dialect.SQLiteWriterGate(str(path.resolve()), timeout=0.3)
    event.listen(impatient, "begin", gate.on_begin)
    event.listen(impatient, "commit", gate.on_end)
    event.listen(impatient, "rollback", gate.on_end)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "holding"
        with (
            pytest.raises((OperationalError, sqlite3.OperationalError), match="another process held"),
            impatient.begin() as connection,
        ):
            connection.execute(text("INSERT INTO t VALUES (2)"))
        assert child.stdin is not None
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(timeout=20) == 0
        with impatient.begin() as connection:  # the gate is free again once the other process committed
            connection.execute(text("INSERT INTO t VALUES (3)"))
        with engine.connect() as connection:
            assert sorted(connection.execute(text("SELECT x FROM t")).scalars()) == [1, 3]
    finally:
        if child.poll() is None:
            child.kill()
        impatient.dispose()
        engine.dispose()


def _sqlite_engine(tmp_path: Path) -> Engine:
    engine = build_engine(f"sqlite:///{tmp_path / 'inline.db'}")
    upgrade(engine)
    return engine


def test_sqlite_batches_commit_on_the_event_loop_when_the_gate_is_free(tmp_path: Path) -> None:
    engine = _sqlite_engine(tmp_path)
    writer = GroupCommitWriter(session_factory(engine), inline_gate=dialect.GATES[engine])
    try:
        results = asyncio.run(_submit_all(writer, [_event(i) for i in range(30)] + [_failing]))
    finally:
        writer.stop()
        engine.dispose()
    assert results[:30] == list(range(1, 31))
    assert isinstance(results[30], Invalid)
    assert writer.inline_batches >= 1
    assert writer.batches == writer.inline_batches  # every batch ran inline; the thread never started


def test_sqlite_jobs_go_to_the_writer_thread_while_the_gate_is_taken(tmp_path: Path) -> None:
    engine = _sqlite_engine(tmp_path)
    writer = GroupCommitWriter(session_factory(engine), inline_gate=dialect.GATES[engine])
    holding, release = threading.Event(), threading.Event()

    def hold_the_gate() -> None:  # another thread's transaction, as a sync endpoint or an import
        with engine.begin() as connection:
            connection.execute(text("SELECT 1"))
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_gate)
    holder.start()
    assert holding.wait(10)

    async def scenario() -> list[Any]:
        submitted = asyncio.ensure_future(_submit_all(writer, [_event(i) for i in range(10)]))
        await asyncio.sleep(0.2)
        assert not submitted.done()  # waiting on the thread, and the event loop is still running
        release.set()
        return await submitted

    try:
        results = asyncio.run(scenario())
    finally:
        release.set()
        holder.join(10)
        writer.stop()
        engine.dispose()
    assert results == list(range(1, 11))
    assert writer.inline_batches == 0
    assert writer.batches >= 1
