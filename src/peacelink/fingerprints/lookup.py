"""The fingerprint database's part of the check pipeline: read the probe, search the gallery, score.

Scores are calibrated (:mod:`peacelink.matching.fingerprints.calibration`): ``-log10`` of the estimated
false-match rate of one comparison. In a 1:N search against N prints the chance that *some* impostor
passes grows N-fold, so the thresholds come from ``calibration.threshold_for(fmr, gallery_size=N)``:

* a candidate becomes a **hit** at a per-search false-match rate of ``HIT_FMR`` (0.1 %: one false hit
  in 1,000 searches), i.e. a calibrated score of at least ``3 + log10(N)``;
* a candidate is **listed** (ranked, no hit) at ``CANDIDATE_FMR`` (10 %), ``1 + log10(N)``, so the
  officer sees near misses without the answer leaking arbitrary records.

A fingerprint hit is always a lead for the owner's examiner (``needs_examiner``), never an identification.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access.visibility import RecordStatus
from peacelink.checks.pipeline import Candidate, Match, Query
from peacelink.checks.reader import READER, Reader, search_widening
from peacelink.errors import Invalid
from peacelink.fingerprints import gallery
from peacelink.fingerprints.models import Fingerprint
from peacelink.matching.fingerprints import calibration, extraction, iso19794_2, matcher
from peacelink.matching.fingerprints.index import SearchHit
from peacelink.matching.fingerprints.template import Template, TemplateError
from peacelink.translatable import Translatable

DATABASE = "fingerprints"
HIT_FMR = 0.001
CANDIDATE_FMR = 0.1
TOP_K = 10
MIN_MINUTIAE = 5
# Stored probe and enrolment images are re-encoded as lossless PNG; larger ones are not kept.
MAX_STORED_IMAGE = 2 * 1024 * 1024


@dataclass(frozen=True)
class PrintInput:
    """A decoded image or template: the minutiae, the canonical ISO record, and the image to keep."""

    template: Template
    iso: bytes
    source: str
    image_png: bytes | None
    warnings: tuple[str, ...]
    digest: str


def _base64(value: str, field: str) -> bytes:
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise Invalid(f"{field} is not valid base64", field=field) from error
    if not data:
        raise Invalid(f"{field} is empty", field=field)
    return data


def from_bytes(
    *, image: bytes | None = None, template: bytes | None = None, finger_position: int = 0
) -> PrintInput:
    """Read a print from raw image or ISO template bytes; Invalid names the bad field."""
    if (image is None) == (template is None):
        raise Invalid("give exactly one of image or template", field="image" if image is None else "template")
    warnings: list[str] = []
    image_png: bytes | None = None
    try:
        if image is not None:
            field = "image"
            parsed = extraction.extract(image)
            source = "image"
            buffer = io.BytesIO()
            extraction.load_image(image).save(buffer, format="PNG")
            if buffer.tell() <= MAX_STORED_IMAGE:
                image_png = buffer.getvalue()
            else:
                too_large = "the image is too large to keep for the examiner; only minutiae are stored"
                warnings.append(Translatable(too_large, "fingerprints.warning.image_too_large"))
        else:
            assert template is not None
            field = "template"
            parsed = iso19794_2.decode(template)
            source = "template"
    except (TemplateError, ValueError) as error:
        if isinstance(error, extraction.ImageError) and str(error).startswith("not a readable image"):
            # The decoder's own words name a Python object (<_io.BytesIO object at 0x...>): said plainly.
            unreadable = f"{field}: not a readable image; use TIFF, PNG, BMP or JPEG"
            key = "fingerprints.error.unreadable_image"
            raise Invalid(Translatable(unreadable, key, field=field), field=field) from error
        if field == "template":
            # The decoder's reason (a format identifier, a record length) is for the API; a page says it
            # plainly.
            keyed = Translatable(
                f"{field}: {error}", "fingerprints.error.unreadable_template", field=field, reason=str(error)
            )
            raise Invalid(keyed, field=field) from error
        raise Invalid(f"{field}: {error}", field=field) from error
    if len(parsed.minutiae) < MIN_MINUTIAE:
        count = len(parsed.minutiae)
        few = f"{field}: only {count} minutiae; at least {MIN_MINUTIAE}"
        keyed = Translatable(
            few, "fingerprints.error.few_minutiae", field=field, count=count, least=MIN_MINUTIAE
        )
        raise Invalid(keyed, field=field)
    if finger_position and parsed.finger_position != finger_position:
        parsed = dataclasses.replace(parsed, finger_position=finger_position)
    if parsed.width == 0 or parsed.height == 0:
        # Some senders leave the image size 0; the examiner's drawing needs a canvas around the minutiae.
        width = max(m.x for m in parsed.minutiae) + 16
        height = max(m.y for m in parsed.minutiae) + 16
        parsed = dataclasses.replace(parsed, width=parsed.width or width, height=parsed.height or height)
    iso = iso19794_2.encode(parsed)
    return PrintInput(parsed, iso, source, image_png, tuple(warnings), hashlib.sha256(iso).hexdigest())


def from_base64(*, image: str | None, template: str | None, finger_position: int = 0) -> PrintInput:
    """Read a print from the API's base64 ``image`` or ``template`` field."""
    if image and template:
        raise Invalid("give image or template, not both", field="template")
    if image:
        return from_bytes(image=_base64(image, "image"), finger_position=finger_position)
    if template:
        return from_bytes(template=_base64(template, "template"), finger_position=finger_position)
    raise Invalid("give image (base64 image file) or template (base64 ISO/IEC 19794-2)", field="image")


def normalise(probe: PrintInput) -> Query:
    """The pipeline query of a probe; the audit keeps the probe's digest and size, not its minutiae."""
    summary = {
        "source": probe.source,
        "finger_position": probe.template.finger_position or None,
        "minutiae": len(probe.template.minutiae),
        "quality": probe.template.quality,
        "sha256": probe.digest,
    }
    values = {"encoded": matcher.encode(probe.template), "probe": probe}
    return Query(values=values, summary=summary, warnings=probe.warnings)


def summary(record: Fingerprint, score: float) -> dict[str, Any]:
    """What a hit shows of an enrolled print; ``needs_examiner``: only the owner's examiner confirms."""
    return {
        "reference": record.reference,
        "kind": record.kind,
        "finger_position": record.finger_position,
        "person_id": record.person_id,
        "score": score,
        "needs_examiner": True,
    }


class FingerprintLookup:
    """1:N search of the process's gallery cache, thresholds scaled to the gallery size."""

    database = DATABASE

    def __init__(self, *, hit_fmr: float = HIT_FMR, candidate_fmr: float = CANDIDATE_FMR) -> None:
        self.hit_fmr = hit_fmr
        self.candidate_fmr = candidate_fmr

    def look_up(self, session: Session, query: Query) -> Sequence[Candidate]:
        """Ranked candidates (best first); ``is_hit`` for those above the hit threshold."""
        snapshot = gallery.for_session(session).snapshot(session)
        size = max(snapshot.size, 1)
        hit_at = calibration.threshold_for(self.hit_fmr, gallery_size=size)
        list_at = calibration.threshold_for(self.candidate_fmr, gallery_size=size)

        def search(want: int) -> tuple[list[tuple[SearchHit, float]], int, dict[str, Fingerprint]]:
            hits = snapshot.search(query.values["encoded"], top_k=want)
            found = [(hit, round(calibration.calibrate(hit.score), 2)) for hit in hits]
            found = [(hit, score) for hit, score in found if score >= list_at]
            ids = [hit.gallery_id for hit, _ in found]
            loaded = session.scalars(select(Fingerprint).where(Fingerprint.id.in_(ids))).all() if ids else []
            return found, len(hits), {r.id: r for r in loaded}

        # Prints the reader may not see take no visible print's place: the index is asked for more.
        reader: Reader | None = query.values.get(READER)
        found, records = search_widening(reader, TOP_K, search, lambda item: item[0].gallery_id)
        if not found:
            return []
        candidates = []
        for hit, score in found:
            record = records.get(hit.gallery_id)
            if record is None or record.status != RecordStatus.ACTIVE.value:
                continue  # cancelled since the cache was read: never served
            candidates.append(
                Candidate(
                    record=record,
                    match=Match.SCORED,
                    summary=summary(record, score),
                    action=record.action,
                    score=score,
                    explanation={
                        "paired_minutiae": len(hit.pairs),
                        "raw_score": round(hit.score, 5),
                        "hit_threshold": hit_at,
                        "gallery_size": size,
                        "needs_examiner": True,
                    },
                    is_hit=score >= hit_at,
                    confidence="medium",
                    answer={
                        "reference": record.reference,
                        "kind": record.kind,
                        "finger_position": record.finger_position,
                        "person_id": record.person_id,
                    },
                )
            )
        return candidates


def png_image(data: bytes | None) -> Image.Image | None:
    """A stored PNG as a Pillow image (for the examiner's drawing), or None."""
    if not data:
        return None
    return Image.open(io.BytesIO(data))
