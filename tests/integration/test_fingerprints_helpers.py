"""Generated fingerprint data for the fingerprint tests (synthetic minutiae, Pillow-drawn ridges)."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

from peacelink.fingerprints import gallery
from peacelink.matching.fingerprints import iso19794_2, matcher, synthetic
from peacelink.matching.fingerprints.template import Template

FINGERS = synthetic.fingers(12, seed=41)


def impression(finger: int, seed: int) -> Template:
    """A distorted impression of one of the generated fingers."""
    return synthetic.impression(FINGERS[finger], np.random.default_rng(seed))


def iso(template: Template) -> bytes:
    """The ISO/IEC 19794-2 record of a template."""
    return iso19794_2.encode(template)


def b64(data: bytes) -> str:
    """Base64 text for the API."""
    return base64.b64encode(data).decode()


def ridge_image(size: int = 320, fmt: str = "PNG") -> bytes:
    """Concentric ridges with dislocations every 30 degrees: MINDTCT finds minutiae at the breaks."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    radius = np.hypot(x - size / 2, y - size / 2.3)
    sector = np.floor((np.arctan2(y - size / 2.3, x - size / 2) + np.pi) / (np.pi / 6))
    wave = np.sin(2 * np.pi * radius / 9.0 + np.pi * (sector % 2))
    buffer = io.BytesIO()
    Image.fromarray(np.where(wave > 0, 40, 215).astype(np.uint8), "L").save(buffer, format=fmt)
    return buffer.getvalue()


def test_encoding_round_trip() -> None:
    encoded = matcher.encode(FINGERS[0])
    back = gallery.unpack(gallery.pack(encoded))
    assert np.array_equal(back.bits, encoded.bits) and np.array_equal(back.points, encoded.points)
    assert np.array_equal(back.valid, encoded.valid) and np.array_equal(back.directions, encoded.directions)
    assert matcher.compare_encoded(back, encoded).score == matcher.compare_encoded(encoded, encoded).score
