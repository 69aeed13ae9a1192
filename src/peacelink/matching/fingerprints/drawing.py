"""Examiner view: two prints side by side with their minutiae and the paired-minutiae lines, as PNG bytes."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

from peacelink.matching.fingerprints.template import Template

GAP = 20
MINUTIA_COLOURS = {"ending": (220, 30, 30), "bifurcation": (30, 90, 220), "other": (30, 160, 30)}
PAIR_COLOUR = (240, 160, 0)


def _canvas(template: Template, image: Image.Image | None) -> Image.Image:
    """The print itself, or a white canvas of the template's size when it was enrolled as a template."""
    if image is not None:
        return image.convert("RGB")
    return Image.new("RGB", (max(template.width, 1), max(template.height, 1)), "white")


def _draw_minutiae(draw: ImageDraw.ImageDraw, template: Template, offset: int) -> None:
    for m in template.minutiae:
        x, y = m.x + offset, m.y
        colour = MINUTIA_COLOURS[m.kind]
        draw.ellipse((x - 4, y - 4, x + 4, y + 4), outline=colour, width=2)
        # Angle is counter-clockwise with y pointing down, hence the minus on the y component.
        draw.line(
            (x, y, x + 12 * math.cos(math.radians(m.angle)), y - 12 * math.sin(math.radians(m.angle))),
            fill=colour,
            width=2,
        )


def render_pair(
    probe: Template,
    candidate: Template,
    pairs: tuple[tuple[int, int], ...],
    *,
    probe_image: Image.Image | None = None,
    candidate_image: Image.Image | None = None,
) -> bytes:
    """Return a PNG: probe left, candidate right, minutiae marked, paired minutiae joined by lines."""
    left, right = _canvas(probe, probe_image), _canvas(candidate, candidate_image)
    sheet = Image.new("RGB", (left.width + GAP + right.width, max(left.height, right.height)), "white")
    sheet.paste(left, (0, 0))
    offset = left.width + GAP
    sheet.paste(right, (offset, 0))
    draw = ImageDraw.Draw(sheet)
    _draw_minutiae(draw, probe, 0)
    _draw_minutiae(draw, candidate, offset)
    for a, b in pairs:
        if not (0 <= a < len(probe.minutiae) and 0 <= b < len(candidate.minutiae)):
            raise ValueError(f"pair ({a}, {b}) refers to a minutia that does not exist")
        p, c = probe.minutiae[a], candidate.minutiae[b]
        draw.line((p.x, p.y, c.x + offset, c.y), fill=PAIR_COLOUR, width=1)
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    return buffer.getvalue()
