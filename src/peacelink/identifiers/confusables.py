"""OCR-confusable characters in document numbers and plates.

OCR-B (the MRZ font, ICAO Doc 9303 Part 3 §4.2) and plate fonts make some letters and digits look alike:
O/Q/D and 0, I and 1, Z and 2, S and 5, G and 6, B and 8. A reader may return either. Two tools:

* :func:`confusable_key` folds every confusable letter to its digit, so "L898902C3" and "L8989O2C3" share a
  key. The check pipeline stores this key in an index and looks it up to find *lower-confidence* candidates
  that an exact lookup would miss; every such candidate must still be confirmed by a person.
* :func:`confusable_variants` lists concrete alternative spellings (fewest substitutions first), bounded by
  ``limit`` because the count grows as 2^n with the number of confusable positions.

Folding is one-way (letters to digits) so the key is stable whatever the reader produced.

>>> confusable_key("l8989O2C3")
'L898902C3'
>>> confusable_variants("A1B", limit=4)
['A1B', 'AIB', 'A18', 'AI8']
"""

from __future__ import annotations

import itertools

__all__ = ["DIGIT_TO_LETTERS", "LETTER_TO_DIGIT", "confusable_key", "confusable_variants"]

# Letter -> the digit it is misread for (and vice versa). D/0 and Q/0 are frequent in OCR-B.
LETTER_TO_DIGIT: dict[str, str] = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "I": "1",
    "Z": "2",
    "S": "5",
    "G": "6",
    "B": "8",
}

DIGIT_TO_LETTERS: dict[str, tuple[str, ...]] = {}
for _letter, _digit in LETTER_TO_DIGIT.items():
    DIGIT_TO_LETTERS.setdefault(_digit, ())
    DIGIT_TO_LETTERS[_digit] += (_letter,)


def confusable_key(value: str) -> str:
    """Return ``value`` upper-cased with every confusable letter folded to its digit."""
    return "".join(LETTER_TO_DIGIT.get(char, char) for char in value.upper())


def _alternatives(char: str) -> tuple[str, ...]:
    # The character as read comes first, then what it may really be.
    if char in LETTER_TO_DIGIT:
        digit = LETTER_TO_DIGIT[char]
        return (char, digit, *(other for other in DIGIT_TO_LETTERS[digit] if other != char))
    return (char, *DIGIT_TO_LETTERS.get(char, ()))


def confusable_variants(value: str, *, limit: int = 64) -> list[str]:
    """Return up to ``limit`` confusable spellings of ``value``: itself first, then fewest changes first."""
    text = value.upper()
    options = [_alternatives(char) for char in text]
    positions = [index for index, choice in enumerate(options) if len(choice) > 1]
    variants: list[str] = []
    # Breadth-first over the number of changed positions, so cheap (likely) variants survive the limit.
    for changes in range(len(positions) + 1):
        for chosen in itertools.combinations(positions, changes):
            replacement_sets = [options[index][1:] for index in chosen]
            for replacements in itertools.product(*replacement_sets):
                chars = list(text)
                for index, replacement in zip(chosen, replacements, strict=True):
                    chars[index] = replacement
                variants.append("".join(chars))
                if len(variants) >= limit:
                    return variants
    return variants
