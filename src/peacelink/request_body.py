"""The base of every request body (API, web form, CLI and import rows alike): unknown fields are refused,
and so is text holding control characters.

Why control characters: PostgreSQL cannot store NUL in a text column (the driver raises DataError) while
SQLite stores it, so the same request would fail on one engine and write an invisible byte on the other.
The other control characters (backspace, escape, the C1 range that mis-decoded text leaves) have no place
in a name, a reference or a free-text field, and can hide what a record says on a terminal or a page. Tab,
line feed and carriage return stay allowed (multi-line descriptions). Unicode format characters
(right-to-left marks in Arabic names) are not control characters and stay too. Import rows are checked the
same way (``checks.bulk_import.validate_batch``).

Lone surrogates (Unicode category Cs: half of a UTF-16 pair, ``"\\ud800"`` in JSON) are refused the same way:
they are no character, UTF-8 cannot encode them, and PostgreSQL's driver failed on them (a 500 in the middle
of an import's COPY) where SQLite took them. The JSON text itself is parsed strictly before (``json_text``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from peacelink.errors import Invalid
from peacelink.translatable import Translatable

__all__ = [
    "RequestBody",
    "control_character",
    "control_character_in",
    "field_path",
    "invalid_from",
    "refusal",
    "refused_character",
    "refused_character_in",
]

# Unicode category Cc (C0, DEL and C1) less tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Those and category Cs, the surrogates U+D800 to U+DFFF: decoded text holds one only unpaired (JSON's
# "\ud83d\ude00" is one character, U+1F600).
# And the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069): invisible,
# they make a text display as another ("\u202eimihsaH la demmahoM" shows as "Mohammed al Hashimi", matches
# nothing and was checked silently). The marks U+200E and U+200F, which right-to-left text needs, pass.
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_NAMES = {
    "control_character": "control characters",
    "surrogate": "lone surrogates",
    "bidi_control": "direction overrides or isolates",
}
# Nesting deeper than this is not a request body of ours.
_MAX_DEPTH = 8

T = TypeVar("T")


def control_character(value: str) -> str | None:
    """The first control character of ``value`` as "U+XXXX", or None.

    >>> control_character("Ali\\x00Hassan"), control_character("one\\ntwo"), control_character("علي\\u200f")
    ('U+0000', None, None)
    """
    found = _CONTROL.search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def refused_character(value: str) -> tuple[str, str] | None:
    """(kind, "U+XXXX") of the first character no text may hold, or None: kind "control_character",
    "surrogate" (a lone one: half of a UTF-16 pair, which is no character) or "bidi_control".

    >>> refused_character("Omar \\ud800 Sharif"), refused_character("Ali\\x07"), refused_character("Ali")
    (('surrogate', 'U+D800'), ('control_character', 'U+0007'), None)
    >>> refused_character("\\u202eimihsaH"), refused_character("\\u200fعلي")
    (('bidi_control', 'U+202E'), None)
    """
    found = _REFUSED.search(value)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        return "surrogate", f"U+{code:04X}"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "bidi_control", f"U+{code:04X}"
    return "control_character", f"U+{code:04X}"


def refusal(kind: str, character: str, where: str = "") -> str:
    """Why a text is refused: "text may not contain control characters (U+0007)", or lone surrogates;
    ``where`` is added after the character (" in item 1"). Keyed ``input.<kind>`` for the web pages."""
    text = f"text may not contain {_NAMES[kind]} ({character}{where})"
    return Translatable(text, f"input.{kind}", character=character, where=where)


def _first_in(value: Any, test: Callable[[str], T | None], depth: int) -> tuple[str, T] | None:
    """(where, finding) of the first text in ``value`` that ``test`` finds something in (see
    ``control_character_in``)."""
    if isinstance(value, str):
        found = test(value)
        return None if found is None else ("", found)
    if depth >= _MAX_DEPTH or isinstance(value, BaseModel):
        return None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list | tuple | set | frozenset):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        inner = _first_in(item, test, depth + 1)
        if inner is not None:
            where, finding = inner
            return (f"{key}.{where}" if where else str(key)), finding
    if isinstance(value, dict):
        for key in value:
            if isinstance(key, str) and (in_key := test(key)) is not None:
                return ascii(key), in_key  # escaped: an error message must not carry the character
    return None


def control_character_in(value: Any, depth: int = 0) -> tuple[str, str] | None:
    """(where, character) of the first text holding a control character in a value: "" for the value
    itself, else the dotted path of keys and indexes inside it (an import row: "names.0"); request bodies
    nested in it are not entered (they check themselves).

    >>> control_character_in({"reference": "R1", "names": ["Ali", "Omar\\x07"]})
    ('names.1', 'U+0007')
    """
    return _first_in(value, control_character, depth)


def refused_character_in(value: Any) -> tuple[str, str, str] | None:
    """(where, kind, character) of the first text in a value holding a character no text may hold (a
    control character or a lone surrogate), found as ``control_character_in`` finds control characters.

    >>> refused_character_in({"reference": "R1", "names": ["Ali", "Omar \\udfff"]})
    ('names.1', 'surrogate', 'U+DFFF')
    """
    found = _first_in(value, refused_character, 0)
    if found is None:
        return None
    where, (kind, character) = found
    return where, kind, character


class RequestBody(BaseModel):
    """A request shape: ``extra="forbid"``; no control character or lone surrogate in any text it is given."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_refused_characters(cls, value: Any) -> Any:
        """Refuse a field whose text holds a control character or a lone surrogate (the error names the
        field). Pydantic refuses a lone surrogate in a ``str`` field itself; this catches the others."""
        found = refused_character_in(value)
        if found is not None:
            where, kind, character = found
            item = Translatable(f" in item {where}", "input.in_item", item=where) if where else ""
            reason = refusal(kind, character, item)
            raise PydanticCustomError(kind, "{reason}", {"reason": reason})
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
