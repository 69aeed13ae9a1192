"""The Persian, Urdu and Turkish reading of a name written in the Arabic script.

The Arabic script is read two ways for names. In Arabic, ث is th, ذ dh and ض d (ICU romanises عثمان as
athman, ذاكر as dhakr, رضا as rda); in Persian, Dari, Pashto, Urdu and Turkish they are s, z and z. The
Latin spellings on Afghan, Pakistani, Iranian and Turkish papers follow that reading: Usman or Osman, Zakir,
Reza, Saqib. A name in the Arabic script is therefore also read that way, as a further name of the person
(``parts.with_readings``), so that its keys and its alignment meet those spellings. The Arabic romanisation
stays a name too. (The Persian v for a word-opening و is left out: Afghan papers write Wasiq and Wahid as
often as Vasiq and Vahid, and a reading that made both changes read وثيق as Vasiq only, never Wasiq.)
"""

from __future__ import annotations

from functools import lru_cache

from peacelink.matching.names.normalisation import normalise
from peacelink.matching.names.transliteration import script_of

__all__ = ["persian_reading"]

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
