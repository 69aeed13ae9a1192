"""The JSON types an import line's fields take: those the API's request shapes take, nothing coerced.

A JSON Lines import reads typed values, and the row validators turn what they get into text (``str(value)``),
as a CSV cell needs: ``{"reference": 123}`` was stored as the reference "123", ``"description": 1e999`` as
"inf", ``"nationalities": [1]`` looked up as the country "1". Where the API takes a string, a JSON line must
give a string; where it takes a list of strings, a list of strings. A line that does not is rejected,
naming the field. ``null`` is a field left out, as in the API's optional fields. CSV is text by nature and
is not checked here (a list in a CSV cell is written as the field's docs say).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["TEXT", "TEXT_LIST", "WHOLE_NUMBER", "Shape", "list_of", "text_or_object", "type_problem"]


@dataclass(frozen=True)
class Shape:
    """What one field takes in JSON: text, a whole number (a JSON integer, as the request bodies take it:
    ``typed_input.WholeNumber``; not 2019.0 or "2019"), a list of one shape, or text or an object whose
    values are text (its keys are the row validator's to check, not this)."""

    kind: str  # "text", "whole number", "list", "text or object"
    described: str  # for the error: "a JSON list of strings"
    item: Shape | None = None


TEXT = Shape("text", "a JSON string")
WHOLE_NUMBER = Shape("whole number", "a whole number: a JSON integer such as 2019")
TEXT_LIST = Shape("list", "a JSON list of strings", TEXT)


def list_of(item: Shape, described: str) -> Shape:
    """A JSON list whose items each take ``item``; ``described`` says so in words."""
    return Shape("list", described, item)


def text_or_object(described: str) -> Shape:
    """A JSON string, or an object whose values are strings or null (a name {name, kind, script})."""
    return Shape("text or object", described)


def _kind(value: Any) -> str:
    """What a JSON value is, in words."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _problem(value: Any, shape: Shape, at: str) -> tuple[str, str] | None:
    """(field path, reason) when ``value`` does not take ``shape``."""
    if shape.kind == "text" and isinstance(value, str):
        return None
    if shape.kind == "whole number" and type(value) is int:  # not a bool, which is an int to Python
        return None
    if shape.kind == "text or object":
        if isinstance(value, str):
            return None
        if isinstance(value, dict):
            for key, inner in value.items():
                if inner is not None and not isinstance(inner, str):
                    return f"{at}.{key}", f"{at}.{key} must be a JSON string, not {_kind(inner)}"
            return None
    if shape.kind == "list" and isinstance(value, list):
        assert shape.item is not None
        for index, inner in enumerate(value):
            found = _problem(inner, shape.item, f"{at}.{index}")
            if found is not None:
                return found
        return None
    kind = "a decimal number" if shape.kind == "whole number" and isinstance(value, float) else _kind(value)
    return at, f"{at} must be {shape.described}, not {kind}"


def type_problem(row: Mapping[str, Any], shapes: Mapping[str, Shape]) -> tuple[str, str] | None:
    """(field path, reason) of the first field of a JSON line whose value is not of its shape (a field not
    in ``shapes`` takes text), or None. A null field is one left out.

    >>> type_problem({"reference": 123, "names": ["A B"]}, {"names": TEXT_LIST})
    ('reference', 'reference must be a JSON string, not a number')
    >>> type_problem({"reference": "R", "nationalities": ["UTO", 1]}, {"nationalities": TEXT_LIST})
    ('nationalities.1', 'nationalities.1 must be a JSON string, not a number')
    >>> type_problem({"reference": "R", "place_of_birth": None}, {}) is None
    True
    """
    for name, value in row.items():
        if value is None:
            continue
        found = _problem(value, shapes.get(name, TEXT), name)
        if found is not None:
            return found
    return None
