"""Finger minutiae templates: the in-memory model every codec and the matcher share.

Conventions (the same as ISO/IEC 19794-2:2005 section 5.4 so that codecs do not convert):

* ``x`` and ``y`` are pixel coordinates; the origin is the upper-left corner of the image, ``x`` grows to
  the right and ``y`` grows downwards.
* ``angle`` is in **degrees**, in ``[0, 360)``, measured **counter-clockwise** from the horizontal axis
  pointing right (east), as ISO/IEC 19794-2 and NBIS do.
* ``quality`` is 0-100; 0 means "not reported" (ISO/IEC 19794-2:2005 5.4.4.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

MinutiaKind = Literal["ending", "bifurcation", "other"]
KINDS: tuple[MinutiaKind, ...] = ("other", "ending", "bifurcation")


class TemplateError(ValueError):
    """A template or a minutia is not valid."""


@dataclass(frozen=True, slots=True)
class Minutia:
    """One minutia: position in pixels, direction in degrees, type and quality."""

    x: int
    y: int
    angle: float
    kind: MinutiaKind = "ending"
    quality: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.x < 1 << 14 or not 0 <= self.y < 1 << 14:
            # 14 bits is what the ISO record can carry; anything larger is not a real print.
            raise TemplateError(f"minutia position ({self.x}, {self.y}) outside 0..16383")
        if not 0.0 <= self.angle < 360.0:
            raise TemplateError(f"minutia angle {self.angle} outside [0, 360) degrees")
        if self.kind not in KINDS:
            raise TemplateError(f"minutia kind {self.kind!r} is not one of {KINDS}")
        if not 0 <= self.quality <= 100:
            raise TemplateError(f"minutia quality {self.quality} outside 0..100")


@dataclass(frozen=True, slots=True)
class Template:
    """The minutiae of one finger view plus the image geometry they refer to."""

    width: int
    height: int
    minutiae: tuple[Minutia, ...]
    resolution_ppi: tuple[int, int] = (500, 500)
    quality: int = 0
    finger_position: int = 0
    impression_type: int = 0
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.width < 1 << 16 or not 0 <= self.height < 1 << 16:
            raise TemplateError(f"image size {self.width}x{self.height} outside 0..65535")
        if not 0 <= self.quality <= 100:
            raise TemplateError(f"template quality {self.quality} outside 0..100")
        if not 0 <= self.finger_position <= 10:
            # ISO/IEC 19794-2 table 2 (via ANSI/NIST-ITL): 0 unknown, 1-10 the fingers.
            raise TemplateError(f"finger position {self.finger_position} outside 0..10")
        if len(self.minutiae) > 255:
            raise TemplateError(f"{len(self.minutiae)} minutiae; a finger view holds at most 255")


def normalise_angle(degrees: float) -> float:
    """Return the angle folded into ``[0, 360)``.

    >>> normalise_angle(-90.0)
    270.0
    >>> normalise_angle(360.0)
    0.0
    """
    folded = degrees % 360.0
    # Floating point can round -1e-15 % 360 up to exactly 360.0.
    return 0.0 if folded >= 360.0 else folded
