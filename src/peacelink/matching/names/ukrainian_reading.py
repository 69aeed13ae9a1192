"""The Ukrainian reading of a name written in Cyrillic with Russian letters only, and the Russian reading of
a name written with Ukrainian ones.

Ukrainian and Russian share most of their letters but not their sounds: г is h in Ukrainian and g in
Russian, и is y in Ukrainian and i in Russian. A name is romanised by the rules of the language its letters
tell (``transliteration.cyrillic_language``), but many Ukrainian names hold no letter Russian lacks
(Олександр Гнатюк, Олег Литвин): they are romanised the Russian way (oleksandr gnatyuk, oleg litvin), which
meets the Ukrainian passport spellings (Oleksandr Hnatiuk, Oleh Lytvyn) by neither its keys nor its
score. Such a name is therefore also read the Ukrainian way (``ukrainian_reading``), as a further name of the
person (``parts.with_readings``). The other way round, a name written with і, ї, є or ґ is romanised the
Ukrainian way (Григорій, hryhoriy) and also read the Russian way (``russian_reading``: grigoriy), as it is
spelt on Soviet-era papers and in Russian-language lists (Grigoriy Kovalenko).

Only г reads as another consonant: the other differences are vowels (и i or y, є ye or e), which the
skeleton and the keys drop and the scorer already forgives (Mykola Lytvynenko and Микола Литвиненко,
romanised mikola litvinenko, score 0.92). A name without г therefore gets no reading: each one adds a
full set of blocking-key rows for its person, and scoring work for every check that shortlists it.
"""

from __future__ import annotations

from functools import lru_cache

from peacelink.matching.names.normalisation import normalise
from peacelink.matching.names.transliteration import cyrillic_language, script_of, transliterate_cyrillic

__all__ = ["russian_reading", "ukrainian_reading"]

# The one letter whose consonant the two languages read differently (see the module docstring).
_READ = frozenset("Гг")
# Letters Ukrainian does not write: a name holding one is Russian (or Belarusian), not a Ukrainian name.
_NOT_UKRAINIAN = frozenset("ЫыЭэЁёЪъ")
# The Ukrainian letters as the Russian letters that stand for them in Russian spellings of Ukrainian
# names (Гордієнко, Гордиенко; Їжак, Йижак; Ґонта, Гонта), so that the Russian rules romanise them as
# such lists do, not letter by letter through the generic fallback.
_AS_RUSSIAN = str.maketrans(
    {"і": "и", "І": "И", "ї": "йи", "Ї": "Йи", "є": "е", "Є": "Е", "ґ": "г", "Ґ": "Г"}
)


@lru_cache(maxsize=65536)
def ukrainian_reading(original: str) -> tuple[str, ...] | None:
    """The normalised parts of a name in Cyrillic with Russian letters only, read by the Ukrainian rules
    (г h, и y), or None when it has no г, holds a letter Ukrainian does not write (ы э ё ъ), is written
    in another alphabet or script, or reads the same.

    >>> ukrainian_reading("Олександр Гнатюк"), ukrainian_reading("Олег Литвин")
    (('oleksandr', 'hnatyuk'), ('oleh', 'lytvyn'))
    >>> ukrainian_reading("Михайло Бойко"), ukrainian_reading("Георгий Крылов"), ukrainian_reading("Григорій")
    (None, None, None)
    >>> ukrainian_reading("Hnatiuk"), ukrainian_reading("Ђорђе Гавриловић")
    (None, None)
    """
    if (
        _READ.isdisjoint(original)
        or not _NOT_UKRAINIAN.isdisjoint(original)
        or script_of(original) != "CYRILLIC"
        or cyrillic_language(original) != "russian"
    ):
        return None
    read = tuple(normalise(transliterate_cyrillic(original, "ukrainian")))
    return read if read and read != tuple(normalise(original)) else None


@lru_cache(maxsize=65536)
def russian_reading(original: str) -> tuple[str, ...] | None:
    """The normalised parts of a name in Ukrainian Cyrillic (it holds і, ї, є or ґ) read by the Russian
    rules (г g, и i), or None when it has no г, is in another alphabet or script, or reads the same.

    >>> russian_reading("Григорій Коваленко"), russian_reading("Віталій Гордієнко")
    (('grigoriy', 'kovalenko'), ('vitaliy', 'gordiyenko'))
    >>> russian_reading("Андрій Шевченко"), russian_reading("Олег Литвин"), russian_reading("Grigoriy")
    (None, None, None)
    """
    if _READ.isdisjoint(original) or script_of(original) != "CYRILLIC":
        return None
    if cyrillic_language(original) != "ukrainian":
        return None
    read = tuple(normalise(transliterate_cyrillic(original.translate(_AS_RUSSIAN), "russian")))
    return read if read and read != tuple(normalise(original)) else None
