"""A cancelled record is frozen in every record database (SQLite and PostgreSQL), as persons are: a change or
a second cancel is a Conflict naming the record, tested before the version, and nothing is written (no new
version, no audit event, no gallery or index generation)."""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import World
from tests.integration.test_dna_service import random_loci
from tests.integration.test_fingerprints_helpers import FINGERS, b64, iso

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import index
from peacelink.dna import service as dna
from peacelink.dna.models import DNAProfile
from peacelink.dna.schemas import ProfileCreate
from peacelink.documents import service as documents
from peacelink.documents.models import TravelDocument
from peacelink.documents.schemas import DocumentCreate, DocumentUpdate
from peacelink.errors import Conflict, NotFound
from peacelink.fingerprints import gallery
from peacelink.fingerprints import service as fingerprints
from peacelink.fingerprints.models import Fingerprint
from peacelink.fingerprints.schemas import FingerprintCreate
from peacelink.vehicles import service as vehicles
from peacelink.vehicles.models import StolenVehicle
from peacelink.vehicles.schemas import VehicleCreate, VehicleUpdate


def _events(session: Session, object_id: str, action: str) -> int:
    return (
        session.scalar(
            select(func.count()).where(AuditEvent.object_id == object_id, AuditEvent.action == action)
        )
        or 0
    )


def _refused(world: World, change: Callable[[Session], object], message: str) -> None:
    """``change`` in its own transaction is a Conflict with exactly ``message`` (and no field)."""
    with pytest.raises(Conflict) as refused, unit_of_work(world.state.sessions) as session:
        change(session)
    assert refused.value.message == message and refused.value.field is None


def test_a_cancelled_document_is_frozen(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    with unit_of_work(world.state.sessions) as session:
        document = documents.create(
            session,
            actor=owner,
            data=DocumentCreate(
                issuing_country="UTO", document_type="passport", number="P1", status="stolen"
            ),
        )
        doc_id = document.id
    with unit_of_work(world.state.sessions) as session:
        documents.cancel(session, actor=owner, document_id=doc_id, version=1)
    frozen = f"document {doc_id} is cancelled; a cancelled record can no longer be changed"
    for version in (2, 1):  # the current version and a stale one: the cancelled state is said first
        _refused(
            world,
            partial(
                documents.update,
                actor=owner,
                document_id=doc_id,
                data=DocumentUpdate(version=version, place="revived"),
            ),
            frozen,
        )
        _refused(
            world,
            partial(documents.cancel, actor=owner, document_id=doc_id, version=version),
            f"document {doc_id} is already cancelled",
        )
    with unit_of_work(world.state.sessions) as session:
        stored = session.get_one(TravelDocument, doc_id)
        assert stored.version == 2 and stored.status == "cancelled" and stored.place == ""
        assert _events(session, doc_id, "document.update") == 0
        assert _events(session, doc_id, "document.cancel") == 1


def test_a_cancelled_vehicle_is_frozen(world: World) -> None:
    owner = world.user("NCB-CAF", Role.SUPERVISOR).actor
    with unit_of_work(world.state.sessions) as session:
        vehicle_id = vehicles.create(session, actor=owner, data=VehicleCreate(vin="1M8GDM9AXKP042788")).id
    with unit_of_work(world.state.sessions) as session:
        vehicles.cancel(session, actor=owner, vehicle_id=vehicle_id, version=1)
    frozen = f"vehicle {vehicle_id} is cancelled; a cancelled record can no longer be changed"
    for version in (2, 1):
        _refused(
            world,
            partial(
                vehicles.update,
                actor=owner,
                vehicle_id=vehicle_id,
                data=VehicleUpdate(version=version, status="robbed"),
            ),
            frozen,
        )
        _refused(
            world,
            partial(vehicles.cancel, actor=owner, vehicle_id=vehicle_id, version=version),
            f"vehicle {vehicle_id} is already cancelled",
        )
    with unit_of_work(world.state.sessions) as session:
        stored = session.get_one(StolenVehicle, vehicle_id)
        assert stored.version == 2 and stored.status == "cancelled" and stored.vehicle_status == "stolen"
        assert _events(session, vehicle_id, "vehicle.update") == 0
        assert _events(session, vehicle_id, "vehicle.cancel") == 1
    # Another agency learns nothing of the record: NotFound comes before any word of its state.
    other = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    with pytest.raises(NotFound), unit_of_work(world.state.sessions) as session:
        vehicles.cancel(session, actor=other, vehicle_id=vehicle_id, version=2)


def test_a_cancelled_fingerprint_is_not_cancelled_again(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    data = FingerprintCreate(template=b64(iso(FINGERS[0])), finger_position=4, reference="F-1")
    with unit_of_work(world.state.sessions) as session:
        record_id = fingerprints.enrol(session, actor=owner, data=data).id
    with unit_of_work(world.state.sessions) as session:
        fingerprints.cancel(session, actor=owner, fingerprint_id=record_id, version=1)
    with unit_of_work(world.state.sessions) as session:
        generation = gallery.read_state(session)
    for version in (2, 1):
        _refused(
            world,
            partial(fingerprints.cancel, actor=owner, fingerprint_id=record_id, version=version),
            f"fingerprint {record_id} is already cancelled",
        )
    with unit_of_work(world.state.sessions) as session:
        stored = session.get_one(Fingerprint, record_id)
        assert stored.version == 2 and stored.status == "cancelled"
        assert gallery.read_state(session) == generation
        assert _events(session, record_id, "fingerprint.cancel") == 1


def test_a_cancelled_dna_profile_is_not_cancelled_again(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    data = ProfileCreate(kind="stain", reference="S-1", loci=random_loci(random.Random(3)))
    with unit_of_work(world.state.sessions) as session:
        profile_id = dna.create(session, actor=owner, data=data).id
    with unit_of_work(world.state.sessions) as session:
        dna.cancel(session, actor=owner, profile_id=profile_id, version=1)
    with unit_of_work(world.state.sessions) as session:
        key = index.current_key(session)
    for version in (2, 1):
        _refused(
            world,
            partial(dna.cancel, actor=owner, profile_id=profile_id, version=version),
            f"DNA profile {profile_id} is already cancelled",
        )
    with unit_of_work(world.state.sessions) as session:
        stored = session.get_one(DNAProfile, profile_id)
        assert stored.version == 2 and stored.status == "cancelled"
        assert index.current_key(session) == key
        assert _events(session, profile_id, "dna.profile.cancel") == 1
