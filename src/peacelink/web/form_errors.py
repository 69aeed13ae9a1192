"""A form value refused by a request shape (a pydantic ValidationError), said as the API says it and keyed,
so that a page shows it in the user's language (``Translatable``, ``i18n.localise``)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from peacelink.errors import PeacelinkError
from peacelink.request_body import field_path
from peacelink.translatable import Translatable

# Pydantic's error types and the request shapes' own (checks/mrz_input.py) -> catalogue key, and the values
# of the error's context the catalogue text takes, by the name it gives them (a value too long: below).
KEYS: dict[str, tuple[str, dict[str, str]]] = {
    "string_too_short": ("input.too_short", {"limit": "min_length"}),
    "too_long": ("input.too_many", {"limit": "max_length", "count": "actual_length"}),
    "enum": ("input.choice", {"expected": "expected"}),
    "literal_error": ("input.choice", {"expected": "expected"}),
    # A number out of its bounds (a DNA check's minimum loci, 1 to 60): the bound, in the page's language.
    "greater_than_equal": ("input.at_least", {"limit": "ge"}),
    "less_than_equal": ("input.at_most", {"limit": "le"}),
    "whole_number_text": ("input.digits", {}),  # typed_input.DIGITS: a number field that is not 0-9 alone
    "mrz_too_long": ("input.mrz_too_long", {"most": "most", "got": "got"}),
    "mrz_too_many_lines": ("input.mrz_too_many_lines", {"most": "most", "got": "got"}),
    "mrz_line_too_long": ("input.mrz_line_too_long", {"number": "number", "most": "most", "got": "got"}),
}


def validation_text(error: Any) -> str:
    """The message of one pydantic error (an item of ``ValidationError.errors()``), keyed when it is one
    an officer meets on a form (a value too long or too short, an empty required box, not one of the
    choices, an MRZ too large, a refused character); a value too long says how long it is: it is refused,
    never cut to fit."""
    message = str(error["msg"])
    ctx = error.get("ctx") or {}
    reason = ctx.get("reason")
    if isinstance(reason, Translatable) and reason == message:  # request_body.refusal: keyed already
        return reason
    if error["type"] == "string_too_long" and isinstance(error.get("input"), str):
        length = len(error["input"])
        message += f" (it has {length})"
        return Translatable(message, "input.too_long", limit=ctx.get("max_length"), length=length)
    if error["type"] == "string_too_short" and ctx.get("min_length") == 1:
        return Translatable(message, "input.required")  # an empty required box: "Fill in this box"
    if error["type"] not in KEYS:
        return message
    key, names = KEYS[error["type"]]
    return Translatable(message, key, **{name: ctx.get(source) for name, source in names.items()})


def form_error(exc: Exception) -> tuple[str, str | None]:
    """A message and field for the page from a service or validation error."""
    if isinstance(exc, PeacelinkError):
        return exc.message, exc.field
    assert isinstance(exc, ValidationError)
    first = exc.errors()[0]
    return validation_text(first), field_path(first["loc"])
