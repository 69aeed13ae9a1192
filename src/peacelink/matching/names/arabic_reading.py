"""The Persian, Urdu and Turkish reading of a name written in the Arabic script, and the Maghrebi one.

The Arabic script is read two ways for names. In Arabic, ث is th, ذ dh and ض d (ICU romanises عثمان as
athman, ذاكر as dhakr, رضا as rda); in Persian, Dari, Pashto, Urdu and Turkish they are s, z and z. The
Latin spellings on Afghan, Pakistani, Iranian and Turkish papers follow that reading: Usman or Osman, Zakir,
Reza, Saqib. A name in the Arabic script is therefore also read that way, as a further name of the person
(``parts.with_readings``), so that its keys and its alignment meet those spellings. The Arabic romanisation
stays a name too. (The Persian v for a word-opening و is left out: Afghan papers write Wasiq and Wahid as
often as Vasiq and Vahid, and a reading that made both changes read وثيق as Vasiq only, never Wasiq.)
"""

from __future__ import annotations

import re
from functools import lru_cache

from peacelink.matching.names.normalisation import normalise
from peacelink.matching.names.transliteration import script_of

__all__ = ["maghrebi_readings", "persian_reading"]

_LETTERS = str.maketrans({"ث": "س", "ذ": "ز", "ض": "ز"})
_READ = frozenset("ثذض")


@lru_cache(maxsize=65536)
def persian_reading(original: str) -> tuple[str, ...] | None:
    """The normalised parts of a name in the Arabic script read the Persian way (ث s, ذ z, ض z), or None
    when the name is in another script or reads the same.

    >>> persian_reading("عثمان ذاكر"), persian_reading("رضا"), persian_reading("عبد الحق وثيق")
    (('asman', 'zakr'), ('rza',), ('abdalhq', 'wsyq'))
    >>> persian_reading("محمود"), persian_reading("Uthman")
    (None, None)
    """
    if _READ.isdisjoint(original) or script_of(original) != "ARABIC":
        return None
    read = tuple(normalise(original.translate(_LETTERS)))
    return read if read and read != tuple(normalise(original)) else None


# The article al- before a name that opens with a vowel (أ إ ا آ ع) or with ح is elided into it in the
# French spellings of the Maghreb and the Sahel: الأمين is Lamine or Lemine, العربي Larbi, العيد Laid,
# الأخضر Lakhdar, الحسن Lahcen, الحسين Lhoussine, الحبيب Lahbib. The Arabic romanisation drops the article
# (amyn, arby, hsn), which none of those meets.
# Not after Abd or Abu, whose compounds are read whole (``normalisation``): Abdelaziz, Abu al-Hasan.
_ELIDED = re.compile(r"(?<![\w\u0600-\u06ff])(?<!عبد )(?<!بو )ال(?=[اأإآعح])")


# Readings made per name at most: one per elided word (a name rarely holds more than two).
_MAX_ELIDED = 2


@lru_cache(maxsize=65536)
def maghrebi_readings(original: str) -> tuple[tuple[str, ...], ...]:
    """The normalised parts of a name in the Arabic script with one of its articles elided as in the Maghreb
    (al- before a vowel or ح read as an l glued to the name), one reading per such word: the French
    spellings elide the article of a given name (Lahcen, Lamine) but seldom of a nisba (El Idrissi, Alaoui).

    >>> maghrebi_readings("محمد الأمين"), maghrebi_readings("أحمد العربي")
    ((('mhmd', 'lamyn'),), (('ahmd', 'larby'),))
    >>> maghrebi_readings("الحسن والي الإدريسي")
    (('lhsn', 'waly', 'adrysy'), ('hsn', 'waly', 'ladrysy'))
    >>> maghrebi_readings("محمد الهاشمي"), maghrebi_readings("عبد العزيز"), maghrebi_readings("Lamine")
    ((), (), ())
    """
    if "ال" not in original or script_of(original) != "ARABIC":
        return ()
    plain = tuple(normalise(original))
    out: list[tuple[str, ...]] = []
    for match in list(_ELIDED.finditer(original))[:_MAX_ELIDED]:
        elided = original[: match.start()] + "ل" + original[match.end() :]
        read = tuple(normalise(elided))
        if read and read != plain and read not in out:
            out.append(read)
    return tuple(out)
