"""Fingerprint use cases: enrol (one, many, ANSI/NIST-ITL), read, list, cancel, check, examiner view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from peacelink.access import Actor, Role, can_see, require_role
from peacelink.access.visibility import RecordStatus, Visibility, decode_agencies
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.checks import pipeline
from peacelink.db.base import new_id, utcnow
from peacelink.errors import Conflict, Forbidden, Invalid, NotFound
from peacelink.fingerprints import gallery
from peacelink.fingerprints.lookup import FingerprintLookup, PrintInput, from_base64, from_bytes, normalise
from peacelink.fingerprints.models import Fingerprint, FingerprintImage, FingerprintProbe, PrintKind
from peacelink.fingerprints.schemas import FingerprintCheck, FingerprintCreate, FingerprintOut
from peacelink.hits import service as hits
from peacelink.matching.fingerprints import ansi_nist, iso19794_2, matcher
from peacelink.records.changes import future_review, visibility_columns
from peacelink.request_body import refusal, refused_character

# Enrolling staff; field officers and analysts check but do not enrol.
ENROLLING_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR)
# The examiner of a fingerprint hit: a supervisor or investigator of the owner agency views the
# comparison; the decision itself is the hit decision, which takes a supervisor (hits.service.decide).
EXAMINER_ROLES = (Role.SUPERVISOR, Role.INVESTIGATOR)
REVIEW_YEARS = {PrintKind.TENPRINT: 5, PrintKind.LATENT: 15}
LOOKUP = FingerprintLookup()


@dataclass(frozen=True)
class Enrolment:
    """One print to enrol in bulk (already read)."""

    reference: str
    print_input: PrintInput
    finger_position: int
    person_id: str | None = None


def _review_due(value: dt.date | None, kind: PrintKind, today: dt.date) -> dt.date:
    return future_review(value, today=today, years=REVIEW_YEARS[kind])


def _check_kind(kind: PrintKind, finger_position: int, person_id: str | None) -> None:
    if kind is PrintKind.TENPRINT and not 1 <= finger_position <= 10:
        raise Invalid("a tenprint needs finger_position 1-10", field="finger_position")
    if kind is PrintKind.LATENT and person_id:
        raise Invalid("a crime-scene mark is unidentified: no person_id", field="person_id")


def _row(
    actor: Actor, item: Enrolment, *, kind: PrintKind, review_due: dt.date, seq: int
) -> dict[str, object]:
    template = item.print_input.template
    now = utcnow()
    return {
        "id": new_id(),
        "owner_agency_id": actor.agency_id,
        "created_by": actor.user_id,
        "updated_by": actor.user_id,
        "created_at": now,
        "updated_at": now,
        "status": RecordStatus.ACTIVE.value,
        "review_due": review_due,
        "version": 1,
        "reference": item.reference.strip(),
        "kind": kind.value,
        "finger_position": item.finger_position,
        "person_id": item.person_id,
        "quality": template.quality,
        "minutiae_count": len(template.minutiae),
        "source": item.print_input.source,
        "template": item.print_input.iso,
        "encoded": gallery.pack(matcher.encode(template)),
        "encoding_version": gallery.ENCODING_VERSION,
        "gallery_seq": seq,
    }


def enrol(
    session: Session, *, actor: Actor, data: FingerprintCreate, today: dt.date | None = None
) -> Fingerprint:
    """Enrol one print or mark for the actor's agency from an image or an ISO template."""
    require_role(actor, *ENROLLING_ROLES)
    day = today or dt.date.today()
    _check_kind(data.kind, data.finger_position, data.person_id)
    review_due = _review_due(data.review_due, data.kind, day)
    visibility = visibility_columns(session, data.visibility, data.visibility_agencies)
    reference = data.reference.strip()
    if not reference:
        raise Invalid("reference is empty", field="reference")
    probe = from_base64(image=data.image, template=data.template, finger_position=data.finger_position)
    duplicate = session.scalar(
        select(Fingerprint.id).where(
            Fingerprint.owner_agency_id == actor.agency_id,
            Fingerprint.reference == reference,
            Fingerprint.finger_position == data.finger_position,
            Fingerprint.kind == data.kind.value,
        )
    )
    if duplicate is not None:
        raise Conflict(f"this finger of {reference} is already enrolled (id {duplicate})", field="reference")
    seq = gallery.bump(session)
    row = _row(
        actor,
        Enrolment(reference, probe, data.finger_position, data.person_id or None),
        kind=data.kind,
        review_due=review_due,
        seq=seq,
    )
    row.update(**visibility, action=data.action)
    session.execute(insert(Fingerprint), [row])
    if probe.image_png is not None:
        session.add(FingerprintImage(fingerprint_id=row["id"], media_type="image/png", data=probe.image_png))
    session.flush()
    record = session.get_one(Fingerprint, row["id"])
    audit.record(
        session,
        actor=actor,
        action="fingerprint.create",
        object_type="fingerprint",
        object_id=record.id,
        query={"reference": reference, "finger_position": data.finger_position, "kind": data.kind.value},
    )
    return record


def enrol_many(
    session: Session,
    *,
    actor: Actor,
    items: Sequence[Enrolment],
    kind: PrintKind = PrintKind.TENPRINT,
    today: dt.date | None = None,
) -> list[str]:
    """Enrol many prints in one transaction and one audit event (bulk load, ANSI/NIST import)."""
    require_role(actor, *ENROLLING_ROLES)
    if not items:
        return []
    day = today or dt.date.today()
    review_due = _review_due(None, kind, day)
    for item in items:
        _check_kind(kind, item.finger_position, item.person_id)
    seq = gallery.bump(session, len(items))
    rows = [_row(actor, item, kind=kind, review_due=review_due, seq=seq) for item in items]
    for start in range(0, len(rows), 2000):
        session.execute(insert(Fingerprint), rows[start : start + 2000])
    images = [
        {"fingerprint_id": row["id"], "media_type": "image/png", "data": item.print_input.image_png}
        for row, item in zip(rows, items, strict=True)
        if item.print_input.image_png is not None
    ]
    if images:
        session.execute(insert(FingerprintImage), images)
    ids = [str(row["id"]) for row in rows]
    audit.record(
        session,
        actor=actor,
        action="fingerprint.import",
        object_type="fingerprint",
        query={"count": len(ids), "kind": kind.value},
        result_ids=ids[:1000],
    )
    return ids


def import_nist(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    reference: str,
    kind: PrintKind = PrintKind.TENPRINT,
    person_id: str | None = None,
) -> list[str]:
    """Enrol every finger of an ANSI/NIST-ITL transaction: Type-9 minutiae, else Type-4/14 images."""
    require_role(actor, *ENROLLING_ROLES)
    # The reference comes from the command line, not a request body: the same rules (FingerprintCreate).
    if not reference or len(reference) > 100:
        raise Invalid("reference: 1 to 100 characters", field="reference")
    if (found := refused_character(reference)) is not None:
        raise Invalid(f"reference: {refusal(*found)}", field="reference")
    try:
        records = ansi_nist.read(data)
        templates = ansi_nist.minutiae(records)
        images = ansi_nist.finger_images(records)
    except ValueError as error:
        raise Invalid(f"not a readable ANSI/NIST-ITL transaction: {error}", field="file") from error
    items: list[Enrolment] = []
    with_minutiae = {t.finger_position for t in templates}
    for template in templates:
        probe = from_bytes(template=iso19794_2.encode(template))
        items.append(Enrolment(reference, probe, template.finger_position, person_id))
    for image in images:
        position = image.finger_positions[0] if image.finger_positions else 0
        if position in with_minutiae or position > 10:
            continue
        if image.compression not in {"NONE", "0"}:
            raise Invalid(
                f"finger {position}: {image.compression} images cannot be decoded here; send Type-9 minutiae",
                field="file",
            )
        probe = from_bytes(image=_raw_to_png(image), finger_position=position)
        items.append(Enrolment(reference, probe, position, person_id))
    if not items:
        raise Invalid("the transaction holds no finger minutiae or images", field="file")
    return enrol_many(session, actor=actor, items=items, kind=kind)


def _raw_to_png(image: ansi_nist.FingerImage) -> bytes:
    """An uncompressed 8-bit Type-4/14 image as PNG bytes for the extractor."""
    import io

    from PIL import Image

    if len(image.data) < image.width * image.height:
        raise Invalid(f"finger {image.finger_positions}: image data shorter than its size", field="file")
    picture = Image.frombytes("L", (image.width, image.height), image.data[: image.width * image.height])
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def read(session: Session, *, actor: Actor, fingerprint_id: str) -> Fingerprint:
    """One print the actor's agency may see, audited."""
    record = session.get(Fingerprint, fingerprint_id)
    if record is None or not can_see(actor, record):
        raise NotFound(f"no fingerprint {fingerprint_id}")
    audit.record(
        session, actor=actor, action="fingerprint.read", object_type="fingerprint", object_id=record.id
    )
    return record


def list_own(
    session: Session, *, actor: Actor, reference: str | None = None, limit: int = 100, offset: int = 0
) -> list[Fingerprint]:
    """The actor's agency's own prints, newest first (the owner's management view)."""
    stmt = select(Fingerprint).where(Fingerprint.owner_agency_id == actor.agency_id)
    if reference:
        stmt = stmt.where(Fingerprint.reference == reference.strip())
    stmt = stmt.order_by(Fingerprint.created_at.desc(), Fingerprint.id).limit(limit).offset(offset)
    found = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="fingerprint.list",
        object_type="fingerprint",
        query={"reference": reference, "limit": limit, "offset": offset},
        result_ids=[f.id for f in found],
    )
    return found


def cancel(session: Session, *, actor: Actor, fingerprint_id: str, version: int) -> Fingerprint:
    """Withdraw a print (owner agency only): it leaves every process's gallery at its next search.

    Cancelling is final: a second cancel is a Conflict, checked before the version, so the version and the
    gallery generation move once, on the real change.
    """
    require_role(actor, *ENROLLING_ROLES)
    record = session.get(Fingerprint, fingerprint_id)
    if record is None or not can_see(actor, record):
        raise NotFound(f"no fingerprint {fingerprint_id}")
    if record.owner_agency_id != actor.agency_id:
        raise Forbidden("only the owner agency changes this fingerprint")
    if record.status == RecordStatus.CANCELLED.value:
        raise Conflict(f"fingerprint {record.id} is already cancelled")
    if record.version != version:
        raise Conflict(f"the print is at version {record.version}, not {version}; reload it", field="version")
    # The generation first: its UPDATE autoflushes the session, and a record already changed by then would
    # be written twice (its version moving by two for one cancel).
    seq = gallery.bump(session)
    record.status = RecordStatus.CANCELLED.value
    record.updated_by = actor.user_id
    record.updated_at = utcnow()
    record.gallery_seq = seq
    audit.record(
        session, actor=actor, action="fingerprint.cancel", object_type="fingerprint", object_id=record.id
    )
    session.flush()
    return record


def check(session: Session, *, actor: Actor, data: FingerprintCheck) -> pipeline.CheckResult:
    """Search a print through the check pipeline; keep the probe for the owner's examiner."""
    probe = from_base64(image=data.image, template=data.template, finger_position=data.finger_position or 0)
    return check_print(session, actor=actor, probe=probe)


def check_print(session: Session, *, actor: Actor, probe: PrintInput) -> pipeline.CheckResult:
    """Search an already-read print (CLI files, web uploads) through the pipeline."""
    result = pipeline.run(session, actor=actor, lookup=LOOKUP, query=normalise(probe))
    # Kept only when the check made hits (owner-only ones included): the examiner needs it, nobody else.
    if result.hits or _owner_only_hits(session, result):
        session.add(
            FingerprintProbe(
                check_id=result.check_id,
                agency_id=actor.agency_id,
                user_id=actor.user_id,
                template=probe.iso,
                media_type="image/png" if probe.image_png else None,
                image=probe.image_png,
            )
        )
        session.flush()
    return result


def _owner_only_hits(session: Session, result: pipeline.CheckResult) -> bool:
    """Whether the check created hits only the owner sees (an excluded agency searched)."""
    from peacelink.hits.models import Hit

    return session.scalar(select(Hit.id).where(Hit.check_id == result.check_id).limit(1)) is not None


def comparison_png(session: Session, *, actor: Actor, hit_id: str) -> bytes:
    """The examiner's picture of a fingerprint hit: probe and record side by side, paired minutiae drawn.

    Only the owner agency's examiners see it: the record is theirs, and the probe was sent to them for
    exactly this comparison. Everyone else gets NotFound (no trace), other roles Forbidden.
    """
    from peacelink.fingerprints.lookup import png_image
    from peacelink.matching.fingerprints.drawing import render_pair

    require_role(actor, *EXAMINER_ROLES)
    hit = hits.get(session, actor=actor, hit_id=hit_id)
    if hit.database != "fingerprints" or hit.owner_agency_id != actor.agency_id:
        raise NotFound(f"no fingerprint hit {hit_id} in your agency's queue")
    probe = session.get(FingerprintProbe, hit.check_id)
    record = session.get(Fingerprint, hit.record_id)
    if probe is None or record is None:
        raise NotFound(f"the prints of hit {hit_id} are no longer stored")
    probe_template = iso19794_2.decode(probe.template)
    record_template = iso19794_2.decode(record.template)
    pairs = matcher.compare(probe_template, record_template).pairs
    stored = session.get(FingerprintImage, record.id)
    png = render_pair(
        probe_template,
        record_template,
        pairs,
        probe_image=png_image(probe.image),
        candidate_image=png_image(stored.data if stored else None),
    )
    audit.record(
        session,
        actor=actor,
        action="fingerprint.examine",
        object_type="hit",
        object_id=hit.id,
        query={"record_id": record.id, "check_id": hit.check_id, "pairs": len(pairs)},
    )
    return png


def to_out(session: Session, record: Fingerprint) -> FingerprintOut:
    """The API shape of a print (never the template or image bytes)."""
    owner = session.get(Agency, record.owner_agency_id)
    has_image = session.scalar(
        select(FingerprintImage.fingerprint_id).where(FingerprintImage.fingerprint_id == record.id)
    )
    return FingerprintOut(
        id=record.id,
        reference=record.reference,
        kind=record.kind,
        finger_position=record.finger_position,
        person_id=record.person_id,
        quality=record.quality,
        minutiae_count=record.minutiae_count,
        source=record.source,
        has_image=has_image is not None,
        action=record.action,
        record_status=record.status,
        owner_agency=owner.code if owner else "?",
        visibility=Visibility(record.visibility).value,
        visibility_agencies=decode_agencies(record.visibility_agencies),
        review_due=record.review_due,
        version=record.version,
    )
