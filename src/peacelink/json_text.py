"""JSON text parsed strictly: every API request body (``api/routing.py``) and every JSON Lines import line.

``json.loads`` alone is lenient where PeaceLink may not be: it keeps the last of a key given twice in an
object and drops the others without a word (``{"names": ["A B"], "names": ["C D"]}`` would store C D), takes
``NaN`` and ``Infinity`` (no JSON, RFC 8259 §6), reads UTF-16 bodies, and fails on deep nesting with a
RecursionError (a 500). Here each is an Invalid that says what and where: the path of the repeated key, the
line and column where the JSON breaks, the first byte that is not UTF-8, a number too long to read.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

from peacelink.errors import Invalid
from peacelink.utf8_text import first_not_utf8, not_utf8_message

__all__ = ["parse_json"]


class _Repeated(dict[str, Any]):
    """An object in which ``key`` was given twice (only ever seen while the error is built)."""

    key: str


def parse_json(data: bytes | str, *, what: str = "the body", field: str = "body") -> Any:
    """The value of a JSON text, or Invalid: ``field`` names the text, or the repeated key's path.

    Bytes must be UTF-8 (a byte order mark is allowed, as RFC 8259 §8.1 lets a parser).

    >>> parse_json(b'{"names": ["A B"], "sex": "male"}')
    {'names': ['A B'], 'sex': 'male'}
    >>> parse_json('{"names": [{"name": "A", "name": "B"}]}')
    Traceback (most recent call last):
    peacelink.errors.Invalid: names.0.name: given twice in one JSON object; give each key once
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            found = first_not_utf8(io.BytesIO(data))
            message = not_utf8_message(what, found) if found else f"{what} is not UTF-8 text"
            raise Invalid(message, field=field) from error
    else:
        text = data
    repeated: list[_Repeated] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(pairs)
        if len(value) == len(pairs):
            return value
        marked = _Repeated(value)
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                marked.key = key
                break
            seen.add(key)
        repeated.append(marked)
        return marked

    try:
        value = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        where = (
            f"line {error.lineno}, column {error.colno}" if "\n" in text.strip() else f"column {error.colno}"
        )
        raise Invalid(f"{what} is not valid JSON: {error.msg} at {where}", field=field) from error
    except _NotJson as error:
        raise Invalid(
            f"{what} is not valid JSON: {error} is no JSON value (RFC 8259)", field=field
        ) from error
    except RecursionError as error:
        raise Invalid(f"{what} nests too deeply to be read", field=field) from error
    except ValueError as error:
        # Python refuses to read a whole number of more digits than sys.get_int_max_str_digits() (4300 by
        # default), a guard against quadratic conversion; json.loads lets that ValueError through (a 500).
        raise Invalid(
            f"{what} holds a number of more than {sys.get_int_max_str_digits()} digits", field=field
        ) from error
    if repeated:
        path = _path_to(value, repeated[0])
        raise Invalid(f"{path}: given twice in one JSON object; give each key once", field=path)
    return value


class _NotJson(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotJson(name)


def _path_to(value: Any, target: _Repeated) -> str:
    """The dotted path of ``target``'s repeated key inside ``value`` (``names.0.name``)."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:  # iterative: the value may nest as deep as the parser allowed
        item, path = stack.pop()
        if item is target:
            return f"{path}.{target.key}" if path else target.key
        if isinstance(item, dict):
            stack.extend((inner, f"{path}.{key}" if path else str(key)) for key, inner in item.items())
        elif isinstance(item, list):
            stack.extend(
                (inner, f"{path}.{index}" if path else str(index)) for index, inner in enumerate(item)
            )
    return target.key
