"""The English reading of a Cyrillic name written the Polish way, or with the carons of Czech, Slovak,
Croatian and the scholarly transliteration (ISO 9).

Polish writes Сергей Лавров, Михаил Горбачёв, Юрий Жуков and Никита Хрущёв as Siergiej Ławrow, Michaił
Gorbaczow, Jurij Żukow and Nikita Chruszczow: в w, й j, х ch, ч cz, ш sz, щ szcz, ж ż, ц c, a soft vowel as
i before it (Fiodor, Kuzniecow). Czech, Slovak, Croatian and the scholarly transliteration write Ševčenko,
Žukov, Chruščov: ч č, ш š, ж ž, х ch, ц c, й j. The fold to ASCII drops the diacritics (ż and ž become z,
č c, š s), which the English spellings (zh, ch, sh) never meet: Andrij Ševčenko met Andrii Shevchenko at 0.88
through a typing-error match, Jurij Žukov met Yuri Zhukov at 0.43, Andrzej Szewczenko at 0.41.

Such a name is therefore also read the English way, from the name as given (the diacritics are the
evidence, and the fold would lose them), as a further name of the person (``parts.with_readings``):
* **Polish** (``polish_reading``): a name holding a letter only Polish writes (ł ż ź ś ń ą ę), or szcz, or
  both sz and cz (Szewczenko), or sz or cz beside another sign of the Slavic spellings (an ending with w: -ow,
  -ew; a j for й or a soft vowel; a w after d, s or z: ``german_reading``), or a soft vowel's i after a
  consonant (Siergiej, Fiodor) or c before -ow, -ew (Kuzniecow) beside an ending or a w. Read: szcz shch, sz
  sh, cz ch, ż zh, ch kh, c ts, w v, j y, ł l, and a soft vowel's i (ie e, ia ya, io yo, iu yu after a
  consonant). The patronymic ending -owicz or -ewicz is a sign on its own (Roman Abramowicz: abramovich).
  Szabó Ferenc and Czakó Ferenc (Hungarian), Antonio and Jibriel hold one sign or an i alone and are not
  read;
* **caron** (``caron_reading``): a name holding č, š, ž, ř or ě: č ch, š sh, ž zh, ć ch, ch kh, c ts, j y.

A Croatian or Serbian name is read too (Čović: chovich), a further spelling that no query is worse for: the
name as given is kept, and meets Covic as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from peacelink.matching.names.german_reading import SLAVIC_SIGNS
from peacelink.matching.names.normalisation import normalise

__all__ = ["caron_reading", "polish_reading"]

_ASCII_CONSONANT = "bcdfghklmnprstwz"
_CONSONANT = _ASCII_CONSONANT + "łżźśćń"
# Letters only Polish writes among the Latin alphabets these names come in (not ć: the Croatian -ić).
_POLISH_LETTERS = frozenset("łżźśńąę")
# Polish spellings of Cyrillic not only Polish writes: sz and cz (Hungarian too: Szabó), counted beside any
# sign of the Slavic spellings (``german_reading.SLAVIC_SIGNS``); a soft vowel's i after a consonant
# (Siergiej, Fiodor, Kuzniecow) and c for ц before the ending (-cow, -cew), counted only beside an ending or
# a w (Romance and Arabic names write such an i too: Antonio, Daniel, Jibriel).
_POLISH_PAIRS = re.compile(r"sz|cz")
_POLISH_SOFT = re.compile(rf"(?<=[{_ASCII_CONSONANT}])i[aeou]|c[oe]w$")
_W_SIGNS = tuple(pattern for kind, pattern in SLAVIC_SIGNS if kind in ("ending", "w"))
# The patronymic ending of Polish spelling (-ович, -евич: Abramowicz, Łukaszewicz, Mickiewicz), in a part
# of seven letters or more: a sign on its own, as German's -ow is (no other Latin spelling writes it).
_POLISH_PATRONYMIC = re.compile(r"[oe]wicz$")
_PATRONYMIC_ALONE = 7
_POLISH = re.compile(rf"szcz|sz|cz|ch|(?<=[{_CONSONANT}])i(?=[aeou])|[żźśćłńcwj]")
_POLISH_MAP = {
    "szcz": "shch",
    "sz": "sh",
    "cz": "ch",
    "ch": "kh",
    "ż": "zh",
    "ź": "z",
    "ś": "s",
    "ć": "ch",
    "ł": "l",
    "ń": "n",
    "c": "ts",
    "w": "v",
    "j": "y",
}
_CARON_LETTERS = frozenset("čšžřě")
_CARON = re.compile(r"ch|[čšžćřcj]")
_CARON_MAP = {"ch": "kh", "č": "ch", "š": "sh", "ž": "zh", "ć": "ch", "ř": "rzh", "c": "ts", "j": "y"}


def _polish(match: re.Match[str]) -> str:
    text = match.group(0)
    if text == "i":  # a soft vowel's i: ie is e, ia ya, io yo, iu yu
        following = match.string[match.end() : match.end() + 1]
        return "" if following == "e" else "y"
    return _POLISH_MAP[text]


def _caron(match: re.Match[str]) -> str:
    return _CARON_MAP[match.group(0)]


def _read(
    original: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> tuple[str, ...] | None:
    """The name as given, lower-cased, rewritten by ``pattern`` and normalised; None if it reads the same."""
    read = tuple(normalise(pattern.sub(replace, original.lower())))
    return read if read and read != tuple(normalise(original)) else None


@lru_cache(maxsize=65536)
def polish_reading(original: str, parts: tuple[str, ...] | None = None) -> tuple[str, ...] | None:
    """The normalised parts of a name written the Polish way, read the English way; None for other names.
    ``parts``: the name's normalised parts when the caller has them (``parts.with_readings``), which spares
    normalising the name again to look for the signs: most names have none.

    >>> polish_reading("Siergiej Ławrow"), polish_reading("Nikita Chruszczow")
    (('sergey', 'lavrov'), ('nikita', 'khrushchov'))
    >>> polish_reading("Jurij Żukow"), polish_reading("Aleksandr Kuzniecow")
    (('yuriy', 'zhukov'), ('aleksandr', 'kuznetsov'))
    >>> polish_reading("Andrzej Szewczenko"), polish_reading("Roman Abramowicz")
    (('andrzey', 'shevchenko'), ('roman', 'abramovich'))
    >>> polish_reading("Szabo Ferenc"), polish_reading("Czako Ferenc"), polish_reading("Ivan Petrov")
    (None, None, None)
    """
    lowered = original.lower()
    if _POLISH_LETTERS.isdisjoint(lowered) and "szcz" not in lowered:
        if parts is None:
            parts = tuple(normalise(original))
        joined = " ".join(parts)
        if "sz" not in joined and "cz" not in joined and "w" not in joined:
            return None  # each test below needs sz, cz or a w (``_W_SIGNS``): most names are told here
        pairs = {m.group(0) for p in parts for m in _POLISH_PAIRS.finditer(p)}
        soft = any(_POLISH_SOFT.search(p) for p in parts)
        if not (
            any(len(p) >= _PATRONYMIC_ALONE and _POLISH_PATRONYMIC.search(p) for p in parts)
            or len(pairs) == 2  # sz and cz: Szewczenko
            or (pairs and any(pattern.search(p) for _, pattern in SLAVIC_SIGNS for p in parts))
            or (soft and any(pattern.search(p) for pattern in _W_SIGNS for p in parts))
        ):
            return None
    return _read(original, _POLISH, _polish)


@lru_cache(maxsize=65536)
def caron_reading(original: str) -> tuple[str, ...] | None:
    """The normalised parts of a name written with carons (č š ž ř), read the English way; None for others.

    >>> caron_reading("Andrij Ševčenko"), caron_reading("Nikita Chruščov")
    (('andriy', 'shevchenko'), ('nikita', 'khrushchov'))
    >>> caron_reading("Jurij Žukov"), caron_reading("Ivan Petrov"), caron_reading("Đorđe Petrović")
    (('yuriy', 'zhukov'), None, None)
    """
    if _CARON_LETTERS.isdisjoint(original.lower()):
        return None
    return _read(original, _CARON, _caron)
