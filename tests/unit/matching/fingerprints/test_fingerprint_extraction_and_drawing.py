"""Extraction input checks and an end-to-end run on a ridge pattern drawn in numpy; drawing output."""

import io

import numpy as np
import pytest
from PIL import Image

from peacelink.matching.fingerprints import drawing, extraction, matcher, synthetic


def ridge_image(fmt: str = "PNG", size: int = 320) -> bytes:
    """Concentric ridges (period 9 px, as at 500 ppi) shifted by half a period in alternate sectors.

    Each sector boundary is a ridge dislocation, where MINDTCT finds endings and bifurcations.
    """
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    radius = np.hypot(x - size / 2, y - size / 2.3)
    sector = np.floor((np.arctan2(y - size / 2.3, x - size / 2) + np.pi) / (np.pi / 6))
    wave = np.sin(2 * np.pi * radius / 9.0 + np.pi * (sector % 2))
    pixels = np.where(wave > 0, 40, 215).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "L").save(buffer, format=fmt)
    return buffer.getvalue()


def test_extracts_minutiae_from_a_drawn_print() -> None:
    template = extraction.extract(ridge_image())
    assert len(template.minutiae) >= extraction.MIN_MINUTIAE
    assert 0 <= template.quality <= 100
    assert (template.width, template.height) == (320, 320)
    assert all(0 <= m.x < 320 and 0 <= m.y < 320 for m in template.minutiae)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "JPEG"])
def test_accepts_the_listed_formats(fmt: str) -> None:
    assert extraction.load_image(ridge_image(fmt)).mode == "L"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no image"),
        (b"%PDF-1.4 not an image", "not a readable image"),
        (ridge_image(size=100), "each side"),
    ],
)
def test_rejects_bad_input(data: bytes, message: str) -> None:
    with pytest.raises(extraction.ImageError, match=message):
        extraction.extract(data)


def test_rejects_other_formats() -> None:
    buffer = io.BytesIO()
    Image.new("L", (300, 300)).save(buffer, format="GIF")
    with pytest.raises(extraction.ImageError, match="GIF"):
        extraction.extract(buffer.getvalue())


def test_drawing_returns_a_png_with_both_prints() -> None:
    master = synthetic.fingers(1, seed=1)[0]
    result = matcher.compare(master, master)
    png = drawing.render_pair(master, master, result.pairs)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.width == 2 * master.width + drawing.GAP
    with pytest.raises(ValueError, match="pair"):
        drawing.render_pair(master, master, ((999, 0),))
