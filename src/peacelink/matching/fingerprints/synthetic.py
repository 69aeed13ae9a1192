"""Synthetic minutiae sets: a "master" finger and distorted impressions of it.

Used by the unit tests (which must generate their own data) and to fill large benchmark galleries.
The model is deliberately simple, not SFinGe: minutiae are scattered with a minimum spacing over an
elliptical finger area, and directions follow a smooth orientation field (a loop-like pattern plus
noise), so neighbouring minutiae have correlated directions as on real fingers. An impression applies
rotation, translation, a smooth non-linear displacement (a sine warp, standing in for skin elasticity),
position and angle jitter, then drops some minutiae and adds spurious ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from peacelink.matching.fingerprints.template import KINDS, Minutia, MinutiaKind, Template, normalise_angle

WIDTH = 320
HEIGHT = 400
MIN_SPACING = 12.0


@dataclass(frozen=True, slots=True)
class Distortion:
    """How far an impression strays from its master finger."""

    rotation_degrees: float = 20.0
    translation: float = 30.0
    warp: float = 6.0
    position_jitter: float = 2.0
    angle_jitter_degrees: float = 6.0
    missing: float = 0.2
    spurious: float = 0.15


def master_finger(rng: np.random.Generator, *, count: int = 45) -> Template:
    """Draw a synthetic finger with about ``count`` minutiae inside an elliptical print area."""
    centre = np.array([WIDTH / 2, HEIGHT / 2]) + rng.normal(0, 10, 2)
    core = centre + rng.normal(0, 25, 2)
    points: list[tuple[float, float]] = []
    attempts = 0
    while len(points) < count and attempts < count * 50:
        attempts += 1
        # Rejection-sample the ellipse and keep a ridge-spacing-like minimum distance between minutiae.
        px, py = rng.uniform(-1, 1, 2)
        if px * px + py * py > 1:
            continue
        x, y = centre[0] + px * WIDTH * 0.42, centre[1] + py * HEIGHT * 0.44
        if all((x - ox) ** 2 + (y - oy) ** 2 >= MIN_SPACING**2 for ox, oy in points):
            points.append((x, y))
    minutiae = []
    for x, y in points:
        # Loop-like orientation: ridges circle the core, plus a slow noise term; the minutia points along
        # the ridge either way (ending vs bifurcation directions differ by about 180 degrees).
        flow = math.degrees(math.atan2(y - core[1], x - core[0])) + 90.0 + rng.normal(0, 12)
        angle = normalise_angle(flow + (180.0 if rng.random() < 0.5 else 0.0))
        kind: MinutiaKind = KINDS[1 + int(rng.random() < 0.4)]
        minutiae.append(
            Minutia(x=round(x), y=round(y), angle=angle, kind=kind, quality=int(rng.integers(40, 100)))
        )
    return Template(width=WIDTH, height=HEIGHT, minutiae=tuple(minutiae), quality=60)


def impression(master: Template, rng: np.random.Generator, distortion: Distortion | None = None) -> Template:
    """Return a new impression of ``master``: moved, rotated, warped, with minutiae lost and added."""
    d = distortion or Distortion()
    rotation = math.radians(rng.uniform(-d.rotation_degrees, d.rotation_degrees))
    shift = rng.uniform(-d.translation, d.translation, 2)
    phase = rng.uniform(0, 2 * math.pi, 4)
    cx, cy = master.width / 2, master.height / 2
    cos_r, sin_r = math.cos(rotation), math.sin(rotation)
    kept: list[Minutia] = []
    for minutia in master.minutiae:
        if rng.random() < d.missing:
            continue
        # Rotation is counter-clockwise on screen: with y pointing down the visual rotation uses -y.
        dx, dy = minutia.x - cx, -(minutia.y - cy)
        rx, ry = dx * cos_r - dy * sin_r, dx * sin_r + dy * cos_r
        wx = d.warp * math.sin(ry / 60.0 + phase[0]) + d.warp * 0.5 * math.sin(rx / 45.0 + phase[1])
        wy = d.warp * math.sin(rx / 60.0 + phase[2]) + d.warp * 0.5 * math.sin(ry / 45.0 + phase[3])
        x = cx + rx + wx + shift[0] + rng.normal(0, d.position_jitter)
        y = cy - (ry + wy) + shift[1] + rng.normal(0, d.position_jitter)
        if not (0 <= x < master.width and 0 <= y < master.height):
            continue  # the finger moved partly off the sensor
        angle = normalise_angle(
            minutia.angle + math.degrees(rotation) + rng.normal(0, d.angle_jitter_degrees)
        )
        kept.append(Minutia(x=round(x), y=round(y), angle=angle, kind=minutia.kind, quality=minutia.quality))
    for _ in range(round(len(master.minutiae) * d.spurious)):
        kept.append(
            Minutia(
                x=int(rng.uniform(0, master.width)),
                y=int(rng.uniform(0, master.height)),
                angle=normalise_angle(float(rng.uniform(0, 360))),
                kind=KINDS[1 + int(rng.random() < 0.5)],
                quality=int(rng.integers(10, 60)),
            )
        )
    order = rng.permutation(len(kept))
    return Template(
        width=master.width,
        height=master.height,
        minutiae=tuple(kept[i] for i in order),
        quality=master.quality,
        finger_position=master.finger_position,
    )


def fingers(count: int, *, seed: int = 0, minutiae: int = 45) -> list[Template]:
    """Return ``count`` independent master fingers from a seeded generator (deterministic)."""
    rng = np.random.default_rng(seed)
    return [master_finger(rng, count=minutiae) for _ in range(count)]


def random_arrays(rng: np.random.Generator, *, count: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Fast vectorised random finger for big galleries: (count, 2) y-up points and directions in radians.

    No minimum spacing and no Template objects, so 100,000 of them take seconds, not minutes.
    """
    radius = np.sqrt(rng.uniform(0, 1, count))
    phi = rng.uniform(0, 2 * math.pi, count)
    x = WIDTH / 2 + radius * np.cos(phi) * WIDTH * 0.42
    y = HEIGHT / 2 + radius * np.sin(phi) * HEIGHT * 0.44
    core = np.array([WIDTH / 2, HEIGHT / 2]) + rng.normal(0, 25, 2)
    flow = np.arctan2(y - core[1], x - core[0]) + math.pi / 2 + rng.normal(0, 0.2, count)
    flip = np.where(rng.random(count) < 0.5, math.pi, 0.0)
    points = np.stack([np.round(x), -np.round(y)], axis=1).astype(np.float32)
    # Image y grows downwards; in the y-up frame the counter-clockwise flow angle changes sign.
    directions = ((-flow + flip) % (2 * math.pi)).astype(np.float32)
    return points, directions
