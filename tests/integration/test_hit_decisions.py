"""A hit is decided once: two supervisors deciding at once get one success and one 409 (both engines)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import World

from peacelink.access import Actor, Role
from peacelink.audit.models import AuditEvent
from peacelink.checks import service as checks
from peacelink.db.unit_of_work import unit_of_work
from peacelink.documents import service as documents
from peacelink.documents.schemas import DocumentCheck, DocumentCreate
from peacelink.errors import Conflict
from peacelink.hits import service as hits
from peacelink.hits.models import Hit


def test_supervisors_deciding_at_once_one_succeeds(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    colleague = world.user("NCB-UTO", Role.SUPERVISOR).actor
    third = world.user("NCB-UTO", Role.SUPERVISOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        report = DocumentCreate(
            issuing_country="UTO", document_type="passport", number="L898902C3", status="stolen"
        )
        documents.create(session, actor=owner, data=report)
    with unit_of_work(world.state.sessions) as session:
        answer = checks.check_document(
            session, actor=officer, data=DocumentCheck(issuing_country="UTO", number="L898902C3")
        )
        [hit_id] = [h.hit_id for h in answer.hits]

    # Three supervisors decide at once. On PostgreSQL each has read the hit as new before any writes (a
    # barrier after the read); SQLite's writer gate runs the transactions one after the other.
    together = threading.Barrier(3) if world.state.engine.dialect.name == "postgresql" else None
    read = hits.get

    def read_and_wait(session: Session, **kwargs: object) -> Hit:
        found = read(session, **kwargs)  # type: ignore[arg-type]
        if together is not None:
            together.wait(timeout=20)
        return found

    monkeypatch.setattr(hits, "get", read_and_wait)
    outcomes: list[str] = []

    def decide(actor: Actor, confirm: bool) -> None:
        try:
            with unit_of_work(world.state.sessions) as session:
                hits.decide(session, actor=actor, hit_id=hit_id, confirm=confirm, note=actor.username)
            outcomes.append("decided")
        except Conflict as exc:
            outcomes.append(f"conflict on {exc.field}")

    threads = [
        threading.Thread(target=decide, args=(actor, confirm))
        for actor, confirm in ((owner, True), (colleague, False), (third, True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.undo()
    assert sorted(outcomes) == ["conflict on status", "conflict on status", "decided"]
    with unit_of_work(world.state.sessions) as session:
        hit = session.get(Hit, hit_id)
        assert hit is not None and hit.status in ("confirmed", "rejected")
        events = session.scalars(select(AuditEvent).where(AuditEvent.object_id == hit_id)).all()
        decisions = [e.action for e in events if e.action in ("hit.confirm", "hit.reject")]
        # One decision in the audit log, and it is the one the hit holds.
        assert decisions == [f"hit.{'confirm' if hit.status == 'confirmed' else 'reject'}"]
