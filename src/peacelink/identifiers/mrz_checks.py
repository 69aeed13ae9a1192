"""Check-digit verification of MRZ fields, with OCR corrections that a check digit proves.

Rule (ours, to keep false corrections rare): a field that fails its Doc 9303 Part 3 §4.9 check digit as
read may be corrected only by swapping OCR-confusable characters (see ``confusables``), using the fewest
swaps (at most ``MAX_SWAPS``) that make the check digit compute. If several corrections tie, the
composite check digit must single one out; if it cannot, nothing is changed. (It rarely can: a document
number starts the composite with the same weights, so every fix of the number shifts both sums alike.)
After all corrections the composite check digit (where the format has one) must pass too, otherwise
every correction is undone.

Dates and check digits hold digits only, so there a letter may only become its look-alike digit;
document numbers and optional data may hold letters, so there the swap goes both ways. Letters whose
value differs from their look-alike digit by 10 (G=16 and 6) are invisible to the check digit; in
digits-only fields they are read as the digit when the check digit still computes.

>>> chars = list("L898902C36UTO74O8122F1204159ZE184226B<<<<<10")
>>> field = CheckedField("birth_date", tuple(range(13, 19)), 19, numeric=True)
>>> spans = ((0, 10), (13, 20), (21, 43))
>>> correct(chars, [field], composite=43, composite_spans=spans, line_length=44)
["birth_date: OCR 'O' at line 1 position 16 read as '0' (proven by the check digit)"]
>>> "".join(chars[13:19])
'740812'
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from peacelink.identifiers.checkdigits import icao_check_digit
from peacelink.identifiers.confusables import DIGIT_TO_LETTERS, LETTER_TO_DIGIT
from peacelink.identifiers.mrz_layouts import Span
from peacelink.translatable import Translatable

__all__ = ["MAX_SWAPS", "CheckedField", "composite_ok", "correct", "field_name", "field_ok"]

# Three swaps still leaves the check digit a 1-in-10 filter per candidate; more would "prove" noise.
MAX_SWAPS = 3


def field_name(name: str) -> Translatable:
    """An MRZ field's name in a warning (``document_number``), which a web page says in its language."""
    return Translatable(name, f"value.mrz_field.{name}")


@dataclass(frozen=True)
class CheckedField:
    """A field protected by a check digit: its character offsets and where its check digit is."""

    name: str
    data: tuple[int, ...]
    check: int
    numeric: bool


def field_ok(chars: Sequence[str], field: CheckedField) -> bool:
    """Return True when the field's check digit computes (an empty field with a '<' digit also passes)."""
    data = "".join(chars[index] for index in field.data)
    if chars[field.check] == "<" and set(data) <= {"<"} and field.name != "document_number":
        # Seen on real documents for an unused optional field (mrz issues #3, #34); the caller warns.
        # A document number may never be empty.
        return True
    return icao_check_digit(data) == chars[field.check]


def composite_ok(chars: Sequence[str], composite: int | None, spans: Sequence[Span]) -> bool:
    """Return True when the composite check digit computes (or the format has none)."""
    if composite is None:
        return True
    data = "".join("".join(chars[start:end]) for start, end in spans)
    return icao_check_digit(data) == chars[composite]


def _options(char: str, *, numeric: bool) -> tuple[str, ...]:
    if char in LETTER_TO_DIGIT:
        digit = LETTER_TO_DIGIT[char]
        if numeric:
            return (digit,)
        return (digit, *(other for other in DIGIT_TO_LETTERS[digit] if other != char))
    if numeric:
        return ()
    return DIGIT_TO_LETTERS.get(char, ())


def _candidates(chars: list[str], field: CheckedField) -> list[dict[int, str]]:
    positions = [(index, field.numeric) for index in field.data] + [(field.check, True)]
    choices = [(index, _options(chars[index], numeric=numeric)) for index, numeric in positions]
    swappable = [(index, options) for index, options in choices if options]
    for swaps in range(1, min(MAX_SWAPS, len(swappable)) + 1):
        found: list[dict[int, str]] = []
        for chosen in itertools.combinations(swappable, swaps):
            for replacements in itertools.product(*(options for _, options in chosen)):
                change = {index: new for (index, _), new in zip(chosen, replacements, strict=True)}
                trial = [change.get(index, char) for index, char in enumerate(chars)]
                if field_ok(trial, field):
                    found.append(change)
        if found:
            return found
    return []


def correct(
    chars: list[str],
    fields: Sequence[CheckedField],
    *,
    composite: int | None,
    composite_spans: Sequence[Span],
    line_length: int,
) -> list[str]:
    """Fix, in place, confusables that check digits prove; return one warning per change or refusal."""
    original = list(chars)
    warnings: list[str] = []
    changed: list[tuple[str, int, str, str]] = []
    for field in fields:
        if field_ok(chars, field):
            if field.numeric:
                # G (16) and 6 differ by 10, so the check digit passes either way; in a digits-only field
                # the digit reading is then the only one the check digit accepts.
                change = {
                    index: LETTER_TO_DIGIT[chars[index]]
                    for index in (*field.data, field.check)
                    if chars[index] in LETTER_TO_DIGIT
                }
                if change and field_ok([change.get(i, char) for i, char in enumerate(chars)], field):
                    for index, new in sorted(change.items()):
                        changed.append((field.name, index, chars[index], new))
                        chars[index] = new
            continue
        candidates = _candidates(chars, field)
        if len(candidates) > 1:
            candidates = [
                change
                for change in candidates
                if composite_ok(
                    [change.get(index, char) for index, char in enumerate(chars)], composite, composite_spans
                )
            ]
        if len(candidates) == 1:
            for index, new in sorted(candidates[0].items()):
                changed.append((field.name, index, chars[index], new))
                chars[index] = new
        elif candidates:
            message = f"{field.name}: several OCR corrections fit the check digit; none applied"
            warnings.append(Translatable(message, "mrz.warning.ocr_ambiguous", field=field_name(field.name)))
    if composite is not None and not composite_ok(chars, composite, composite_spans):
        read = chars[composite]
        if read in LETTER_TO_DIGIT and composite_ok(
            [*chars[:composite], LETTER_TO_DIGIT[read], *chars[composite + 1 :]], composite, composite_spans
        ):
            changed.append(("composite", composite, read, LETTER_TO_DIGIT[read]))
            chars[composite] = LETTER_TO_DIGIT[read]
        elif changed:
            chars[:] = original
            message = "OCR corrections not applied: the composite check digit does not confirm them"
            return [*warnings, Translatable(message, "mrz.warning.ocr_unconfirmed")]
    for name, index, old, new in changed:
        line, position = index // line_length + 1, index % line_length + 1
        message = (
            f"{name}: OCR {old!r} at line {line} position {position} read as {new!r} "
            "(proven by the check digit)"
        )
        warnings.append(
            Translatable(
                message,
                "mrz.warning.ocr_fixed",
                field=field_name(name),
                old=old,
                new=new,
                line=line,
                position=position,
            )
        )
    return warnings
