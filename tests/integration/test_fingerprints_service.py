"""Fingerprint service on a real database: visibility, gallery sync across processes, rollback, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, select, text
from tests.conftest import World
from tests.integration.test_fingerprints_helpers import FINGERS, b64, impression, iso

from peacelink.access import Role, Visibility
from peacelink.audit.models import AuditEvent
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import Conflict, Forbidden, Invalid
from peacelink.fingerprints import gallery, service
from peacelink.fingerprints.lookup import TOP_K
from peacelink.fingerprints.models import FingerprintGalleryState, FingerprintProbe, PrintKind
from peacelink.fingerprints.schemas import FingerprintCheck, FingerprintCreate
from peacelink.hits.models import Hit


def _create(finger: int, **fields: object) -> FingerprintCreate:
    values: dict[str, object] = {
        "template": b64(iso(FINGERS[finger])),
        "finger_position": 4,
        "reference": f"REF-{finger}",
        **fields,
    }
    return FingerprintCreate.model_validate(values)


def _probe(finger: int, seed: int = 3) -> FingerprintCheck:
    return FingerprintCheck(template=b64(iso(impression(finger, seed))))


@pytest.fixture
def second_process(engine: Engine) -> Iterator[Engine]:
    """Another engine on the same database: its own gallery cache, as another worker process has."""
    if engine.dialect.name == "sqlite":
        other = build_engine(engine.url.render_as_string(hide_password=False))
    else:
        with engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        other = build_engine(
            engine.url.render_as_string(hide_password=False),
            connect_args={"options": f"-csearch_path={schema}"},
        )
    yield other
    other.dispose()


def test_visibility_exclusion_reaches_the_owner_only(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    caf = world.user("NCB-CAF", Role.FIELD_OFFICER)
    with unit_of_work(world.state.sessions) as session:
        hidden = service.enrol(
            session,
            actor=owner.actor,
            data=_create(0, visibility=Visibility.ALL_EXCEPT, visibility_agencies=["MINUSCA"]),
        )
        service.enrol(session, actor=owner.actor, data=_create(1))
    with unit_of_work(world.state.sessions) as session:
        answer = service.check(session, actor=officer.actor, data=_probe(0)).to_dict()
    assert answer["result"] == "no_hit" and hidden.id not in str(answer) and "REF-0" not in str(answer)
    with unit_of_work(world.state.sessions) as session:
        [hit] = session.scalars(select(Hit).where(Hit.check_id == answer["check_id"]))
        assert hit.excluded_agency and hit.owner_agency_id == owner.actor.agency_id
        # The owner's examiner still gets the probe to compare.
        assert session.get(FingerprintProbe, answer["check_id"]) is not None
        png = service.comparison_png(session, actor=owner.actor, hit_id=hit.id)
        assert png[:4] == b"\x89PNG"
    with unit_of_work(world.state.sessions) as session:
        allowed = service.check(session, actor=caf.actor, data=_probe(0)).to_dict()
    assert allowed["result"] == "hit" and allowed["candidates"][0]["reference"] == "REF-0"


def test_rules_on_enrolment(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("NCB-UTO", Role.FIELD_OFFICER)
    today = dt.date(2026, 3, 1)
    with unit_of_work(world.state.sessions) as session:
        person = service.enrol(session, actor=owner.actor, data=_create(0, person_id="p-1"), today=today)
        mark = service.enrol(
            session, actor=owner.actor, data=_create(1, kind=PrintKind.LATENT, finger_position=0), today=today
        )
    assert person.review_due == dt.date(2031, 3, 1) and mark.review_due == dt.date(2041, 3, 1)
    with unit_of_work(world.state.sessions) as session, pytest.raises(Conflict):
        service.enrol(session, actor=owner.actor, data=_create(0))
    with unit_of_work(world.state.sessions) as session, pytest.raises(Invalid) as bad:
        service.enrol(session, actor=owner.actor, data=_create(2, finger_position=0))
    assert bad.value.field == "finger_position"
    with unit_of_work(world.state.sessions) as session, pytest.raises(Invalid) as bad:
        service.enrol(
            session,
            actor=owner.actor,
            data=_create(2, kind=PrintKind.LATENT, person_id="p-2", finger_position=0),
        )
    assert bad.value.field == "person_id"
    with unit_of_work(world.state.sessions) as session, pytest.raises(Forbidden):
        service.enrol(session, actor=officer.actor, data=_create(3))
    with unit_of_work(world.state.sessions) as session:
        service.read(session, actor=officer.actor, fingerprint_id=person.id)
        events = list(session.scalars(select(AuditEvent.action)))
    assert events.count("fingerprint.create") == 2 and "fingerprint.read" in events


def test_gallery_follows_other_processes(world: World, engine: Engine, second_process: Engine) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    other = session_factory(second_process)
    with unit_of_work(world.state.sessions) as session:
        service.enrol(session, actor=owner.actor, data=_create(9))
    with unit_of_work(other) as session:  # the other process loads its gallery first
        assert service.check(session, actor=officer.actor, data=_probe(2)).to_dict()["result"] == "no_hit"
    with unit_of_work(world.state.sessions) as session:
        record = service.enrol(session, actor=owner.actor, data=_create(2))
    with unit_of_work(other) as session:  # incremental: one new row read by gallery_seq
        found = service.check(session, actor=officer.actor, data=_probe(2)).to_dict()
    assert found["result"] == "hit" and found["candidates"][0]["record_id"] == record.id
    assert len(gallery.for_engine(second_process).current().delta) == 1
    with unit_of_work(world.state.sessions) as session:
        service.cancel(session, actor=owner.actor, fingerprint_id=record.id, version=record.version)
    with unit_of_work(other) as session:
        gone = service.check(session, actor=officer.actor, data=_probe(2)).to_dict()
    assert gone["result"] == "no_hit" and gone.get("candidates", []) == []


def test_rolled_back_enrolment_leaves_no_trace_in_the_gallery(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)

    def enrol_search_fail() -> None:
        with unit_of_work(world.state.sessions) as session:
            service.enrol(session, actor=owner.actor, data=_create(5))
            # The same transaction searches (the cache now holds the uncommitted row), then fails.
            assert service.check(session, actor=officer.actor, data=_probe(5)).to_dict()["result"] == "hit"
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        enrol_search_fail()
    with unit_of_work(world.state.sessions) as session:
        service.enrol(session, actor=owner.actor, data=_create(6))  # reuses the rolled-back generation
    with unit_of_work(world.state.sessions) as session:
        assert service.check(session, actor=officer.actor, data=_probe(5)).to_dict()["result"] == "no_hit"
        assert service.check(session, actor=officer.actor, data=_probe(6)).to_dict()["result"] == "hit"


def test_a_recreated_state_row_forces_a_reload(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    with unit_of_work(world.state.sessions) as session:
        service.enrol(session, actor=owner.actor, data=_create(7))
    with unit_of_work(world.state.sessions) as session:
        assert service.check(session, actor=officer.actor, data=_probe(7)).to_dict()["result"] == "hit"
        epoch = gallery.read_state(session)[0]
        session.execute(delete(FingerprintGalleryState))
    with unit_of_work(world.state.sessions) as session:
        service.enrol(session, actor=owner.actor, data=_create(8))
        assert gallery.read_state(session)[0] != epoch
    with unit_of_work(world.state.sessions) as session:
        answer = service.check(session, actor=officer.actor, data=_probe(8)).to_dict()
    assert answer["candidates"][0]["reference"] == "REF-8"


def test_hidden_prints_take_no_place_of_a_visible_one(world: World) -> None:
    """More than TOP_K prints hidden from MINUSCA match the probe better than a visible print of the same
    finger: the visible one is still a candidate (the index is asked for more), and the owner is told."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    hidden = {"visibility": Visibility.ONLY, "visibility_agencies": ["NCB-CAF"]}
    with unit_of_work(world.state.sessions) as session:
        for index in range(TOP_K + 2):
            service.enrol(session, actor=owner.actor, data=_create(0, reference=f"HID-{index}", **hidden))
        other_impression = b64(iso(impression(0, 7)))
        service.enrol(
            session, actor=owner.actor, data=_create(0, reference="OPEN-1", template=other_impression)
        )
    exact = FingerprintCheck(template=b64(iso(FINGERS[0])))
    with unit_of_work(world.state.sessions) as session:
        answer = service.check(session, actor=officer.actor, data=exact).to_dict()
    assert [c["reference"] for c in answer["candidates"]] == ["OPEN-1"] and "HID-" not in str(answer)
    with unit_of_work(world.state.sessions) as session:
        told = session.scalars(
            select(Hit).where(Hit.check_id == answer["check_id"], Hit.excluded_agency)
        ).all()
    assert len(told) == TOP_K + 2
