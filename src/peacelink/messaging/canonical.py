"""Canonical JSON, timestamps and base64url used by every signed PeaceLink document.

Canonical form (what gets signed): UTF-8 JSON with object keys sorted, no insignificant whitespace
(separators ``,`` and ``:``), non-ASCII characters written raw (not ``\\u`` escaped), and only these value
types: object, array, string, integer, boolean, null. Floats are refused because their text form is the usual
source of "same value, different bytes" bugs. For the ASCII keys we use this coincides with RFC 8785 (JCS).
Binary values are base64url without padding (RFC 4648 section 5); times are UTC strings with exactly six
fractional digits, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, so one instant has exactly one spelling.

>>> canonical_json({"b": 1, "a": [True, None, "é"]})
b'{"a":[true,null,"\\xc3\\xa9"],"b":1}'
>>> format_time(parse_time("2025-01-02T03:04:05.000006Z"))
'2025-01-02T03:04:05.000006Z'
>>> b64decode(b64encode(b"\\xff\\x00"))
b'\\xff\\x00'
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "b64decode",
    "b64encode",
    "canonical_json",
    "format_time",
    "parse_json_strict",
    "parse_time",
    "require_aware",
]

_TIME_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$")
_B64_PATTERN = re.compile(r"^[A-Za-z0-9_-]*$")


def _refuse(value: Any) -> Any:
    """json.dumps default hook: anything not natively JSON (bytes, datetime...) is a programming error."""
    raise TypeError(f"not canonical-JSON serialisable: {type(value).__name__}")


def _check_no_floats(value: Any) -> None:
    """Walk a value and refuse floats (no canonical text form across implementations)."""
    if isinstance(value, float):
        raise TypeError("floats are not allowed in canonical JSON")
    if isinstance(value, dict):
        for item in value.values():
            _check_no_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_no_floats(item)


def canonical_json(value: Any) -> bytes:
    """Serialise ``value`` to canonical JSON bytes (sorted keys, no whitespace, UTF-8, no floats)."""
    _check_no_floats(value)
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_refuse
    )
    return text.encode("utf-8")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Reject duplicate object keys: two parsers could otherwise disagree on which value was signed."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate JSON key {key!r}")
        result[key] = value
    return result


def _no_float(text: str) -> Any:
    raise ValueError("floats are not allowed")


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not allowed")


def parse_json_strict(data: bytes) -> Any:
    """Parse UTF-8 JSON, refusing duplicate keys, floats, NaN/Infinity; raises ValueError."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError("not UTF-8") from error
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_float=_no_float, parse_constant=_no_constant
        )
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error}") from error


def format_time(moment: datetime) -> str:
    """Format an aware datetime as the one canonical UTC spelling; naive datetimes are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: give a timezone-aware time")
    utc = moment.astimezone(UTC)
    # Built by hand: strftime("%Y") does not zero-pad years below 1000 on glibc.
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond:06d}Z"
    )


def parse_time(text: str) -> datetime:
    """Parse the canonical UTC spelling back to an aware datetime; anything else raises ValueError."""
    match = _TIME_PATTERN.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not a canonical UTC time: {text!r}")
    year, month, day, hour, minute, second, micro = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError as error:
        raise ValueError(f"not a canonical UTC time: {text!r} ({error})") from error


def require_aware(moment: datetime, *, name: str) -> datetime:
    """Return ``moment`` in UTC, refusing naive datetimes (ambiguous instants break expiry and revocation)."""
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return moment.astimezone(UTC)


def b64encode(data: bytes) -> str:
    """Encode bytes as base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    """Decode unpadded base64url strictly (wrong alphabet or length raises ValueError)."""
    if not isinstance(text, str) or not _B64_PATTERN.match(text) or len(text) % 4 == 1:
        raise ValueError("not unpadded base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not unpadded base64url") from error
    # Non-canonical trailing bits would give two spellings of the same bytes; refuse them.
    if b64encode(data) != text:
        raise ValueError("non-canonical base64url")
    return data
