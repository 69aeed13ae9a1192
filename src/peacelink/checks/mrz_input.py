"""The ``mrz`` field of the person and the document check (API, web forms, CLI): bounded before it is read.

A machine-readable zone is 3 lines of 30 characters (TD1), or 2 of 36 (TD2) or 44 (TD3) (ICAO Doc 9303 Part
4-6). The field takes it as one string or a list of lines, with room for what a reader or an OCR adds (spaces,
a blank line, a line split in two): at most MAX_LINES lines of at most MAX_LINE characters, or one string of
at most MAX_TEXT. Without a bound, ``{"mrz": ["a"] * 200000}`` gave a 600 KB error listing every line's
length, and a 20 MB string was read whole.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

__all__ = ["MAX_LINE", "MAX_LINES", "MAX_TEXT", "MrzInput"]

MAX_LINES = 4
MAX_LINE = 100
MAX_TEXT = 300
_LAYOUTS = "an MRZ is 3 lines of 30 characters (TD1) or 2 of 36 (TD2) or 44 (TD3)"


def _bounded(value: Any) -> Any:
    """Refuse an MRZ too large to be one (the type of what passes is checked after)."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise PydanticCustomError(
            "mrz_too_long",
            "{layouts}: give it as one string of at most {most} characters, or a list of its lines; "
            "got {got} characters",
            {"layouts": _LAYOUTS, "most": MAX_TEXT, "got": len(value)},
        )
    if isinstance(value, list | tuple):
        if len(value) > MAX_LINES:
            raise PydanticCustomError(
                "mrz_too_many_lines",
                "{layouts}: give at most {most} lines; got {got}",
                {"layouts": _LAYOUTS, "most": MAX_LINES, "got": len(value)},
            )
        for number, line in enumerate(value, start=1):
            if isinstance(line, str) and len(line) > MAX_LINE:
                raise PydanticCustomError(
                    "mrz_line_too_long",
                    "{layouts}: line {number} has {got} characters, at most {most} are read",
                    {"layouts": _LAYOUTS, "number": number, "got": len(line), "most": MAX_LINE},
                )
    return value


# One string (lines separated by line breaks) or a list of lines, each bounded.
MrzInput = Annotated[str | list[str] | None, BeforeValidator(_bounded)]
