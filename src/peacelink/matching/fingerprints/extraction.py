"""Minutiae extraction from a fingerprint image with NIST's MINDTCT (via the nbis-py package) and NFIQ 2.

We decode the image ourselves with Pillow (TIFF, PNG, BMP or JPEG), check it, convert it to 8-bit
greyscale and hand NBIS a lossless PNG. NBIS's minutiae are taken as plain data and turned into our
:class:`Template`; its own ISO/IEC 19794-2 writer is not used, because its record header is not the
standard layout (it omits two header bytes) - :mod:`iso19794_2` writes the records.

The template quality is the NFIQ 2 score (0-100, ISO/IEC 29794-4), which is what NBIS computes.
Minutia quality is MINDTCT's reliability (0.0-1.0) scaled to 0-100.
"""

from __future__ import annotations

import io
import math
import warnings
from typing import Any

from PIL import Image, UnidentifiedImageError

from peacelink.matching.fingerprints.template import (
    Minutia,
    MinutiaKind,
    Template,
    TemplateError,
    normalise_angle,
)

ACCEPTED_FORMATS = frozenset({"TIFF", "PNG", "BMP", "JPEG"})
# A 500 ppi print smaller than about 0.5 inch square has too little ridge area to be searched.
MIN_SIDE = 150
MAX_SIDE = 4000
MIN_MINUTIAE = 5


class ImageError(TemplateError):
    """The bytes are not a usable fingerprint image."""


def load_image(data: bytes) -> Image.Image:
    """Decode and check image bytes; return an 8-bit greyscale Pillow image."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise ImageError("no image bytes given")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image_format = image.format
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ImageError(f"not a readable image: {error}") from error
    except Image.DecompressionBombError as error:
        raise ImageError("image is too large") from error
    if image_format not in ACCEPTED_FORMATS:
        raise ImageError(f"image format {image_format} not accepted; use TIFF, PNG, BMP or JPEG")
    width, height = image.size
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
        raise ImageError(
            f"image is {width}x{height}; each side must be {MIN_SIDE}..{MAX_SIDE} pixels at 500 ppi"
        )
    return image.convert("L")


def _extractor(*, compute_quality: bool) -> Any:
    import nbis  # imported here: the native library is only needed when extracting

    settings = nbis.NbisExtractorSettings(
        min_quality=0.0, get_center=False, check_fingerprint=False, compute_nfiq2=compute_quality, ppi=500.0
    )
    return nbis.new_nbis_extractor(settings)


def extract(data: bytes, *, compute_quality: bool = True, min_minutiae: int = MIN_MINUTIAE) -> Template:
    """Extract minutiae and a quality score from a 500 ppi fingerprint image file's bytes."""
    image = load_image(data)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    import nbis

    quality: int | None = None
    try:
        try:
            found = _extractor(compute_quality=compute_quality).extract_minutiae(buffer.getvalue())
            quality = int(found.quality().score) if compute_quality else 0
        except nbis.NbisError.Nfiq2ComputeFailed:
            # NFIQ 2 refuses some images (e.g. too little foreground); fall back to minutiae quality.
            found = _extractor(compute_quality=False).extract_minutiae(buffer.getvalue())
        raw = found.get()
    except (nbis.NbisError, nbis.InternalError) as error:
        raise ImageError(f"minutiae extraction failed: {error}") from error
    minutiae = tuple(_minutia(item) for item in raw)
    if quality is None:
        quality = round(sum(m.quality for m in minutiae) / len(minutiae)) if minutiae else 0
    if len(minutiae) < min_minutiae:
        raise ImageError(f"only {len(minutiae)} minutiae found; this does not look like a usable fingerprint")
    # An ISO finger view holds at most 255 minutiae: keep the most reliable ones.
    minutiae = tuple(sorted(minutiae, key=lambda m: -m.quality)[:255])
    return Template(
        width=image.width, height=image.height, minutiae=minutiae, quality=max(0, min(quality, 100))
    )


def _minutia(item: Any) -> Minutia:
    kind: MinutiaKind = "bifurcation" if item.kind().name == "BIFURCATION" else "ending"
    reliability = float(item.reliability())
    quality = 0 if math.isnan(reliability) else max(1, min(100, round(reliability * 100)))
    return Minutia(
        x=int(item.x()),
        y=int(item.y()),
        angle=normalise_angle(float(item.angle())),
        kind=kind,
        quality=quality,
    )
