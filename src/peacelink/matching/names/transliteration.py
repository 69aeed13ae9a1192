"""Transliteration of person names from any script to lower-case ASCII Latin.

The work is done by ICU (CLDR transform rules, via PyICU). We pick the transform per script because
the generic ``Any-Latin`` chain is a poor fit for names in two places:

* Cyrillic: ``Any-Latin`` follows ISO 9 (``Шевченко -> Sevcenko`` once diacritics are dropped); the
  BGN/PCGN romanisation (``Shevchenko``) is what passports, sanctions lists and the press print.
* Arabic: ICU's ``Arabic-Latin`` writes consonants only (``محمد -> mhmd``), renders the ta marbuta as
  ``t`` and the ayn as a modifier letter. We pre-map those letters (see ``_ARABIC_PREMAP``) and leave the
  missing vowels to the phonetic skeleton (``phonetics.skeleton``), which drops Latin vowels too, so
  ``Mohamed``, ``Muhammad`` and ``محمد`` all meet on ``mhmd``.

Transliterators are costly to build (about 10 ms each), so each one is built once and cached.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

import icu

__all__ = ["script_of", "transliterate"]

# Letters ICU leaves unhelpful for matching, mapped before ICU runs. Why each one:
# - ة (ta marbuta) is pronounced -a at the end of a name (Fatima, فاطمة); ICU writes "t".
# - ى (alif maqsura) is a final long a (Musa, موسى; Isa, عيسى); ICU writes "y".
# - the hamza carriers are all vowels in names (Ahmad, أحمد; Ibrahim, إبراهيم).
# - ع (ayn) is written as an apostrophe or nothing in Latin spellings ('Abd, Abd), so it becomes a vowel
#   that the skeleton drops, and the apostrophe never splits a word.
# - Persian/Urdu forms (ی ک) are mapped to their Arabic letters so one rule set covers Afghan names.
_ARABIC_PREMAP = str.maketrans(
    {
        "ة": "ا",
        "ى": "ا",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ء": "",
        "ع": "ا",
        "ی": "ي",
        "ک": "ك",
        "ـ": "",  # tatweel: a typographic stretch, not a letter
    }
)

# The ICU transform chain used for each Unicode script (the first word of the Unicode character name).
_TRANSFORMS: dict[str, str] = {
    "CYRILLIC": "Russian-Latin/BGN",
    "GREEK": "Greek-Latin/UNGEGN",
    "ARABIC": "Arabic-Latin",
    "HEBREW": "Hebrew-Latin",
    "ETHIOPIC": "Ethiopic-Latin",
    "CJK": "Han-Latin",
}
_DEFAULT_TRANSFORM = "Any-Latin"

# Left-overs of the romanisations that Latin-ASCII does not fold: the Ethiopic sixth-order vowel (schwa)
# is mostly silent in Latin spellings (ሕመድ -> "Ahmed"), and the ayn/hamza modifier letters are not sounds
# Latin spellings keep.
# ICU writes some Ethiopic consonants with a caron or a line (ሸ š, ቸ č, ጨ č̣, ዠ ž, ጀ ǧ, ኸ ḵ), which
# Latin-ASCII folds to s, c, z, g, k: "ቸርነት" became "carnat", which met no Chernet. Latin spellings of
# Ethiopian names write them sh, ch, zh, j, kh.
_ETHIOPIC_DIGRAPHS = str.maketrans(
    {
        "š": "sh",
        "Š": "Sh",
        "č": "ch",
        "Č": "Ch",
        "ž": "zh",
        "Ž": "Zh",
        "ǧ": "j",
        "Ǧ": "J",
        "ḵ": "kh",
        "Ḵ": "Kh",
    }
)

# Any-Latin writes the first-order vowel (ä: ከበደ) as a plain a and the fourth order (a: ማ) as ā: "kabada",
# "samara", "tasǝfāya", which met neither Kebede, Semere nor Tesfaye. Latin spellings of Ethiopian and
# Eritrean names write the first order e and the fourth a.
_ETHIOPIC_VOWELS = str.maketrans({"a": "e", "A": "E", "ā": "a", "Ā": "A"})

_LEFTOVERS = str.maketrans({"ǝ": "", "ə": "", "ʿ": "", "ʾ": "", "ʼ": "", "ʻ": "", "'": "", "’": "", "‘": ""})


@lru_cache(maxsize=8)
def _raw_transliterator(transform_id: str) -> Any:
    """An ICU transform alone, its output not yet folded to ASCII."""
    return icu.Transliterator.createInstance(transform_id)


@lru_cache(maxsize=32)
def _transliterator(transform_id: str) -> Any:
    """Build (once) the ICU transliterator for an ICU transform id."""
    return icu.Transliterator.createInstance(f"{transform_id}; Latin-ASCII; Lower")


def script_of(text: str) -> str:
    """Return the main non-Latin script of ``text`` (e.g. 'ARABIC'), or 'LATIN'.

    >>> script_of("محمد"), script_of("Иван"), script_of("ሙሉ"), script_of("Élodie")
    ('ARABIC', 'CYRILLIC', 'ETHIOPIC', 'LATIN')
    """
    for char in text:
        if char.isalpha() and not char.isascii():
            name = unicodedata.name(char, "")
            script = name.split(" ", 1)[0]
            if script in _TRANSFORMS:
                return script
            if script != "LATIN":
                return "OTHER"
    return "LATIN"


@lru_cache(maxsize=65536)
def transliterate(text: str) -> str:
    """Transliterate a name in any script to lower-case ASCII Latin.

    >>> transliterate("Шевченко Юрий")
    'shevchenko yuriy'
    >>> transliterate("محمد الهاشمي")
    'mhmd alhashmy'
    >>> transliterate("Çağlar Müller")
    'caglar muller'
    >>> transliterate("ቸርነት ጀማል"), transliterate("ከበደ ተስፋየ")
    ('chernet jemal', 'kebede tesfaye')
    """
    text = unicodedata.normalize("NFC", text)
    script = script_of(text)
    if script == "LATIN":
        transform = "Latin-ASCII" if not text.isascii() else ""
    else:
        transform = _TRANSFORMS.get(script, _DEFAULT_TRANSFORM)
        if script == "ARABIC":
            text = text.translate(_ARABIC_PREMAP)
        elif script == "ETHIOPIC":
            # ICU's Ethiopic-Latin writes the vowel orders with marks; Any-Latin gives the plainer
            # SERA-like spelling ("ahǝmad"), closer to how Ethiopian names are written in Latin, with
            # its first two vowel orders written e and a (_ETHIOPIC_VOWELS) and its caron consonants
            # written as digraphs (_ETHIOPIC_DIGRAPHS) before they are folded.
            raw = _raw_transliterator(_DEFAULT_TRANSFORM).transliterate(text)
            text = raw.translate(_ETHIOPIC_VOWELS).translate(_ETHIOPIC_DIGRAPHS)
            transform = "Latin-ASCII"
    out = _transliterator(transform).transliterate(text) if transform else text.lower()
    out = out.translate(_LEFTOVERS)
    if not out.isascii():
        # A script with no ICU transform keeps its letters; drop anything that is still not ASCII
        # rather than let it poison keys.
        out = "".join(c for c in out if c.isascii())
    return out
