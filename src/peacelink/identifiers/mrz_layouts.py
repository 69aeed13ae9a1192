"""Field positions of the five ICAO Doc 9303 machine-readable zones.

Positions are 0-based offsets into the MRZ lines joined without separators, so a field on line 2 of a TD3
starts at 44 + (position - 1). Sources: Doc 9303 Part 4 §4.2.2 (TD3 passports), Part 5 §4.2.2 (TD1 cards),
Part 6 §4.2.2 (TD2), Part 7 §4.2.2 (MRV-A and MRV-B visas).

>>> detect(["P<UTO" + "<" * 39, "<" * 44]).format
'TD3'
>>> detect(["V<UTO" + "<" * 31, "<" * 36]).format
'MRVB'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peacelink.identifiers.exceptions import InvalidLength
from peacelink.translatable import Translatable

__all__ = ["LAYOUTS", "Layout", "Span", "detect"]

Span = tuple[int, int]  # [start, end) offsets into the joined MRZ


@dataclass(frozen=True)
class Layout:
    """Where every field of one MRZ format lives."""

    format: str
    lines: int
    length: int
    document_code: Span
    issuing_country: Span
    name: Span
    document_number: Span
    document_check: int
    nationality: Span
    birth_date: Span
    birth_check: int
    sex: int
    expiry_date: Span
    expiry_check: int
    optional: tuple[Span, ...]
    # TD3 only: the personal number (optional data) carries its own check digit (Part 4 §4.2.2.2).
    optional_check: int | None
    # MRVs have no composite check digit (Part 7 §4.2.2).
    composite: int | None
    composite_spans: tuple[Span, ...]
    # TD1 (Part 5 §4.2.2 note j) and TD2 (Part 6 §4.2.2 note j): a document number longer than 9
    # characters continues at the start of this optional data field.
    overflow: Span | None

    @property
    def total(self) -> int:
        """Number of characters in the whole MRZ."""
        return self.lines * self.length


TD1 = Layout(
    format="TD1",
    lines=3,
    length=30,
    document_code=(0, 2),
    issuing_country=(2, 5),
    document_number=(5, 14),
    document_check=14,
    optional=((15, 30), (48, 59)),
    birth_date=(30, 36),
    birth_check=36,
    sex=37,
    expiry_date=(38, 44),
    expiry_check=44,
    nationality=(45, 48),
    composite=59,
    composite_spans=((5, 30), (30, 37), (38, 45), (48, 59)),
    name=(60, 90),
    optional_check=None,
    overflow=(15, 30),
)

TD2 = Layout(
    format="TD2",
    lines=2,
    length=36,
    document_code=(0, 2),
    issuing_country=(2, 5),
    name=(5, 36),
    document_number=(36, 45),
    document_check=45,
    nationality=(46, 49),
    birth_date=(49, 55),
    birth_check=55,
    sex=56,
    expiry_date=(57, 63),
    expiry_check=63,
    optional=((64, 71),),
    optional_check=None,
    composite=71,
    composite_spans=((36, 46), (49, 56), (57, 71)),
    overflow=(64, 71),
)

TD3 = Layout(
    format="TD3",
    lines=2,
    length=44,
    document_code=(0, 2),
    issuing_country=(2, 5),
    name=(5, 44),
    document_number=(44, 53),
    document_check=53,
    nationality=(54, 57),
    birth_date=(57, 63),
    birth_check=63,
    sex=64,
    expiry_date=(65, 71),
    expiry_check=71,
    optional=((72, 86),),
    optional_check=86,
    composite=87,
    composite_spans=((44, 54), (57, 64), (65, 87)),
    overflow=None,
)

MRVA = Layout(
    format="MRVA",
    lines=2,
    length=44,
    document_code=(0, 2),
    issuing_country=(2, 5),
    name=(5, 44),
    document_number=(44, 53),
    document_check=53,
    nationality=(54, 57),
    birth_date=(57, 63),
    birth_check=63,
    sex=64,
    expiry_date=(65, 71),
    expiry_check=71,
    optional=((72, 88),),
    optional_check=None,
    composite=None,
    composite_spans=(),
    overflow=None,
)

MRVB = Layout(
    format="MRVB",
    lines=2,
    length=36,
    document_code=(0, 2),
    issuing_country=(2, 5),
    name=(5, 36),
    document_number=(36, 45),
    document_check=45,
    nationality=(46, 49),
    birth_date=(49, 55),
    birth_check=55,
    sex=56,
    expiry_date=(57, 63),
    expiry_check=63,
    optional=((64, 72),),
    optional_check=None,
    composite=None,
    composite_spans=(),
    overflow=None,
)

LAYOUTS: dict[str, Layout] = {layout.format: layout for layout in (TD1, TD2, TD3, MRVA, MRVB)}


def detect(lines: Sequence[str]) -> Layout:
    """Return the layout matching the line count and lengths (and 'V' document code for visas)."""
    lengths = [len(line) for line in lines]
    is_visa = bool(lines) and lines[0].startswith("V")
    if lengths == [30, 30, 30]:
        return TD1
    if lengths == [36, 36]:
        return MRVB if is_visa else TD2
    if lengths == [44, 44]:
        return MRVA if is_visa else TD3
    message = (
        f"An MRZ has 3 lines of 30 (TD1), 2 lines of 36 (TD2, MRV-B) or 2 lines of 44 (TD3, MRV-A) "
        f"characters; got {len(lengths)} line(s) of {lengths} characters."
    )
    raise InvalidLength(
        Translatable(message, "mrz.error.layout", lines=len(lengths), lengths=str(lengths)), field="mrz"
    )
