"""STR allele labels: parsing to one canonical string, validation, sorting.

Alleles stay strings (``'9'``, ``'9.3'``, ``'<8'``, ``'>30'``, ``'OL'``, ``'X'``) so they travel
unchanged through JSON and databases; this module decides which strings are valid and how they
order. Repeat-number labels follow the ISFG nomenclature (Bär et al. 1997): the number of full
repeats, then a dot and the number of bases of an incomplete repeat (microvariant, ``9.3``).
Off-ladder alleles are written ``<N`` (below the lowest ladder allele N), ``>N`` (above the
highest) or ``OL`` (off-ladder, position not stated). Amelogenin takes ``X`` and ``Y``.

>>> parse_allele(' 09 ', locus='TH01')
'9'
>>> parse_allele('9.3', locus='TH01')
'9.3'
>>> parse_allele('> 30', locus='FGA')
'>30'
>>> parse_allele('x', locus='Amelogenin')
'X'
>>> sort_alleles(['OL', '10', '9.3', '<8', '9'])
('<8', '9', '9.3', '10', 'OL')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from peacelink.matching.dna.errors import InvalidAlleleError
from peacelink.matching.dna.loci import normalise_locus
from peacelink.translatable import Translatable

__all__ = [
    "InvalidAlleleError",
    "allele_sort_key",
    "is_off_ladder",
    "parse_allele",
    "parse_alleles",
    "repeat_number",
    "sort_alleles",
]


# Full repeats (up to 3 digits) and an optional partial repeat of 1-3 bases (e.g. 9.3, 13.2).
_REPEAT = re.compile(r"^(\d{1,3})(?:\.(\d))?$")
_OFF_LADDER = re.compile(r"^([<>])(\d{1,3}(?:\.\d)?)$")
_AMELOGENIN = "AMEL"


def _canonical_repeat(text: str) -> str | None:
    match = _REPEAT.match(text)
    if not match:
        return None
    whole = str(int(match.group(1)))
    partial = match.group(2)
    # "9.0" is how spreadsheets print the integer allele 9; ".0" is not a microvariant.
    if partial is None or partial == "0":
        return whole
    return f"{whole}.{partial}"


def parse_allele(text: str, *, locus: str) -> str:
    """Return the canonical label of one allele at a locus, or raise InvalidAlleleError naming the locus."""
    name = normalise_locus(locus)
    raw = text.strip().replace(" ", "") if isinstance(text, str) else ""
    if not raw:
        empty = Translatable(f"{name}: empty allele", "dna.error.allele_empty", locus=name)
        raise InvalidAlleleError(empty, locus=name)
    upper = raw.upper()
    if name == _AMELOGENIN:
        if upper in {"X", "Y"}:
            return upper
        sex = Translatable(
            f"{name}: allele {text!r} is not X or Y", "dna.error.allele_sex", locus=name, allele=text
        )
        raise InvalidAlleleError(sex, locus=name)
    if upper in {"OL", "OFFLADDER", "OFF-LADDER"}:
        return "OL"
    repeat = _canonical_repeat(raw)
    if repeat is not None:
        if repeat == "0":
            said = f"{name}: allele 0 is not a repeat number"
            raise InvalidAlleleError(Translatable(said, "dna.error.allele_zero", locus=name), locus=name)
        return repeat
    match = _OFF_LADDER.match(raw)
    if match:
        bound = _canonical_repeat(match.group(2))
        if bound is not None:
            return f"{match.group(1)}{bound}"
    said = f"{name}: allele {text!r} is not a repeat number (9, 9.3), an off-ladder marker (<8, >30, OL)"
    raise InvalidAlleleError(Translatable(said, "dna.error.allele", locus=name, allele=text), locus=name)


def parse_alleles(texts: Iterable[str], *, locus: str) -> tuple[str, ...]:
    """Parse, de-duplicate and sort the alleles seen at one locus (a homozygote has one allele)."""
    return sort_alleles({parse_allele(text, locus=locus) for text in texts})


def allele_sort_key(allele: str) -> tuple[int, float, int]:
    """Return a key that orders alleles by repeat number: '<8' < '8' < '8.1' < '>8' < 'OL' < 'X' < 'Y'."""
    if allele == "OL":
        return (1, 0.0, 0)
    if allele in {"X", "Y"}:
        return (2, 0.0 if allele == "X" else 1.0, 0)
    if allele[0] in "<>":
        return (0, float(allele[1:]), -1 if allele[0] == "<" else 1)
    return (0, float(allele), 0)


def sort_alleles(alleles: Iterable[str]) -> tuple[str, ...]:
    """Return alleles sorted by repeat number (see allele_sort_key)."""
    return tuple(sorted(alleles, key=allele_sort_key))


def is_off_ladder(allele: str) -> bool:
    """Return True for off-ladder labels ('<8', '>30', 'OL'), which have no exact repeat number."""
    return allele == "OL" or allele[:1] in {"<", ">"}


def repeat_number(allele: str) -> float | None:
    """Return the repeat number of a ladder allele ('9.3' -> 9.3), None for off-ladder and X/Y."""
    if is_off_ladder(allele) or allele in {"X", "Y"}:
        return None
    return float(allele)
