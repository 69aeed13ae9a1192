"""The base of every request body (API, web form, CLI and import rows alike): unknown fields are refused,
and so is text holding control characters.

Why control characters: PostgreSQL cannot store NUL in a text column (the driver raises DataError) while
SQLite stores it, so the same request would fail on one engine and write an invisible byte on the other.
The other control characters (backspace, escape, the C1 range that mis-decoded text leaves) have no place
in a name, a reference or a free-text field, and can hide what a record says on a terminal or a page. Tab,
line feed and carriage return stay allowed (multi-line descriptions). Unicode format characters
(right-to-left marks in Arabic names) are not control characters and stay too. Import rows are checked the
same way (``checks.bulk_import.validate_batch``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from peacelink.errors import Invalid

__all__ = ["RequestBody", "control_character", "control_character_in", "field_path", "invalid_from"]

# Unicode category Cc (C0, DEL and C1) less tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Nesting deeper than this is not a request body of ours.
_MAX_DEPTH = 8


def control_character(value: str) -> str | None:
    """The first control character of ``value`` as "U+XXXX", or None.

    >>> control_character("Ali\\x00Hassan"), control_character("one\\ntwo"), control_character("علي\\u200f")
    ('U+0000', None, None)
    """
    found = _CONTROL.search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def control_character_in(value: Any, depth: int = 0) -> tuple[str, str] | None:
    """(where, character) of the first text holding a control character in a value: "" for the value
    itself, else the dotted path of keys and indexes inside it (an import row: "names.0"); request bodies
    nested in it are not entered (they check themselves).

    >>> control_character_in({"reference": "R1", "names": ["Ali", "Omar\\x07"]})
    ('names.1', 'U+0007')
    """
    if isinstance(value, str):
        character = control_character(value)
        return None if character is None else ("", character)
    if depth >= _MAX_DEPTH or isinstance(value, BaseModel):
        return None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list | tuple | set | frozenset):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = control_character_in(item, depth + 1)
        if found is not None:
            inner, character = found
            return (f"{key}.{inner}" if inner else str(key)), character
    if isinstance(value, dict):
        for key in value:
            if isinstance(key, str) and (character := control_character(key)) is not None:
                return ascii(key), character  # escaped: an error message must not carry the character
    return None


class RequestBody(BaseModel):
    """A request shape: ``extra="forbid"`` and no control characters in any text it is given."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """Refuse a field whose text holds a control character (the error names the field)."""
        found = control_character_in(value)
        if found is not None:
            where, character = found
            raise PydanticCustomError(
                "control_character",
                "text may not contain control characters ({character}{where})",
                {"character": character, "where": f" in item {where}" if where else ""},
            )
        return value


# Where pydantic says which member of a union failed (``document.DocumentIn.number``, ``document.str``): a
# type's name, never one of our fields (they are snake_case), so it is left out of the field path.
_UNION_MEMBER = re.compile(r"^(?:[A-Z]\w*|str|int|float|bool|(?:list|dict|function-\w+)\[.*\])$")
_LOCATIONS = frozenset({"body", "query", "path", "header"})


def field_path(loc: Sequence[Any]) -> str:
    """A validation error's location as the request's field path: ``names.0``, ``document.number`` (no
    ``body`` prefix, no union member names).

    >>> field_path(("body", "document", "DocumentIn", "number")), field_path(("names", 2))
    ('document.number', 'names.2')
    """
    parts = [str(p) for p in loc if not (isinstance(p, str) and _UNION_MEMBER.match(p))]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:] or parts
    return ".".join(parts)


def invalid_from(error: ValidationError) -> Invalid:
    """The Invalid of a validation error's first complaint, its field named (CLI input, web forms)."""
    first = error.errors()[0]
    field = field_path(first["loc"])
    return Invalid(f"{field}: {first['msg']}" if field else str(first["msg"]), field=field or None)
