"""Consonant-skeleton phonetic key for name parts already transliterated to ASCII.

Why our own key rather than Metaphone or Soundex: Arabic script writes no short vowels, so ICU's
romanisation of محمد is ``mhmd`` while Latin spellings are ``Mohamed``, ``Muhammad``, ``Mohammed``.
Only a key that drops *all* vowels (and the semivowels w/y, which Arabic uses for long vowels) lets the
three meet. Metaphone keeps the first vowel and treats ``kh``/``q``/``dh`` in English ways.

The key then folds the spelling alternatives that transliteration standards disagree on (English vs
French vs German vs BGN/PCGN conventions), for example ``sh/ch/sch/tch -> s`` (Chérif, Sharif, Scharif),
``kh/q/c/ck -> k`` (Khalid, Qaddafi/Kaddafi), ``th -> t``, ``dh -> d``, ``ph/v -> f``, ``p -> b`` (Arabic has
no p), ``dj/dzh/zh -> j`` (Djamel, Jamal), ``ou -> u`` before that (Youssef, Yusuf), and collapses doubled
letters (Mohammed, Mohamed).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "alternative_reading",
    "coarse_alternative",
    "coarse_key",
    "devoiced",
    "initial_class",
    "orthography_fold",
    "other_orthography",
    "other_romanisation",
    "shapes_conflict",
    "skeleton",
    "syllable_key",
    "vowel_shape",
]

# Ordered multi-letter rewrites: longest first, so that "sch" is not read as "s" + "ch".
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("dzh", "j"),
    ("sch", "s"),
    ("tch", "s"),
    ("shch", "s"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("zh", "j"),
    ("dj", "j"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("ck", "k"),
    ("ts", "s"),
    ("tz", "s"),
    ("x", "ks"),
)
_DIGRAPH_RE = re.compile("|".join(sorted((re.escape(a) for a, _ in _DIGRAPHS), key=len, reverse=True)))
_DIGRAPH_MAP = dict(_DIGRAPHS)
# Single-letter classes after the digraphs are folded. Vowels and semivowels map to "" (dropped).
_LETTERS = str.maketrans(
    {
        "a": "",
        "e": "",
        "i": "",
        "o": "",
        "u": "",
        "y": "",
        "w": "",
        "q": "k",
        "c": "k",
        "p": "b",
        "v": "f",
    }
)
# A final "ah" is the Arabic ta marbuta or a long a (Fatimah/Fatima, Abdallah/Abdalla, Aisha/Aishah): its h
# is dropped (``skeleton``); the h anywhere else (Saleh, Salih: ح) is a real consonant and is kept.
_DOUBLE = re.compile(r"(.)\1+")
# A c before e, i or y is an s in French, English, Spanish and Portuguese spellings and a ts (folded to s
# below) in Albanian, Polish and Pinyin ones: Hocine is Husayn (حسين), Youcef Yusuf, Lahcen al-Hasan, Marcel
# Marsel. (Italian ce/ci is ch, which the skeleton folds to s as well.) Read hard, it met none of them. A
# "Mc" opening a name is the hard Gaelic c (McIntyre). Turkish writes its j as c (Cemal is Jamal): the
# hard reading stays a second coarse key (``coarse_alternative``).
_SOFT_C = re.compile(r"(?<!^m)c(?=[eiy])")


def _digraph(match: re.Match[str]) -> str:
    return _DIGRAPH_MAP[match.group(0)]


def _first_letter(match: re.Match[str]) -> str:
    return match.group(1)


@lru_cache(maxsize=131072)
def skeleton(part: str) -> str:
    """Return the consonant skeleton of a lower-case ASCII name part.

    >>> [skeleton(p) for p in ("mohamed", "muhammad", "mohammed", "mhmd")]
    ['mhmd', 'mhmd', 'mhmd', 'mhmd']
    >>> skeleton("youssef"), skeleton("yusuf"), skeleton("ywsf")
    ('sf', 'sf', 'sf')
    >>> skeleton("cherif"), skeleton("sharif"), skeleton("qaddafi"), skeleton("kadhafi")
    ('srf', 'srf', 'kdf', 'kdf')
    >>> skeleton("hocine"), skeleton("husayn"), skeleton("lahcen"), skeleton("carim"), skeleton("mcintyre")
    ('hsn', 'hsn', 'lhsn', 'krm', 'mkntr')

    A part made only of vowels keeps its first letter, so it never has an empty key.

    >>> skeleton("aya")
    'a'
    """
    text = part[:-1] if part.endswith("ah") else part
    if "c" in text:
        text = _SOFT_C.sub("s", text)
    text = _DIGRAPH_RE.sub(_digraph, text)
    # Doubled letters are collapsed before the vowels go, so that Mohammed/Mohamed meet but Habib keeps
    # both its b's (hbb, as Arabic حبيب gives): collapsing after would also merge Kaka into "k".
    # (A function, not the template r"\1": Python expands a template in Python code at every match.)
    text = _DOUBLE.sub(_first_letter, text)
    text = text.translate(_LETTERS)
    if not text:
        return part[:1]
    return text


_VOWELS = frozenset("aeiouyw")


@lru_cache(maxsize=131072)
def vowel_shape(part: str) -> str:
    """Where a part's vowels stand among the consonants its skeleton keeps: "v" or "c" for a part that
    opens with a vowel or a consonant, then per pair of neighbouring consonants "1" when vowels stand
    between them and "0" when none do.

    Arabic writes the vowels that tell some names apart as a long vowel or an opening alif, which the
    skeleton drops: محمود Mahmoud (mah-moud, "c101") is not محمد Mohamed (mu-ham-mad, "c111"), and أحمد Ahmed
    ("v01") is not حامد Hamed ("c11"), though each pair shares its skeleton.

    >>> vowel_shape("mohamed"), vowel_shape("muhammad"), vowel_shape("mahmoud"), vowel_shape("mehmood")
    ('c111', 'c111', 'c101', 'c101')
    >>> vowel_shape("ahmed"), vowel_shape("hamid"), vowel_shape("shaikh")
    ('v01', 'c11', 'c1')
    """
    text = part[:-1] if part.endswith("ah") else part
    text = _DOUBLE.sub(_first_letter, _DIGRAPH_RE.sub(_digraph, text))
    shape = ["v" if text[:1] in _VOWELS else "c"]
    between = False
    seen = False
    for letter in text:
        if letter in _VOWELS:
            between = True
        else:
            if seen:
                shape.append("1" if between else "0")
            seen, between = True, False
    return "".join(shape)


def shapes_conflict(first: str, second: str) -> bool:
    """Whether two vowel shapes (``vowel_shape``) of parts with the same skeleton say different names: one
    opens with a vowel and the other does not, or a pair of consonants has vowels between it on one side
    only. Shapes of different lengths (the skeletons were made alike by a dropped final h) say nothing, and
    nor does a shape with no vowel after its first consonant: Latin spellings of these names have one, the
    Arabic script's romanisation (حماده -> hmadah) writes only the long vowels.

    >>> shapes_conflict("c101", "c111"), shapes_conflict("v01", "c11"), shapes_conflict("c01", "c11")
    (True, True, False)
    """
    if first.startswith("c0") or second.startswith("c0"):
        return (
            False  # no vowel after the first consonant: a rendering of the Arabic script (hmadah), not judged
        )
    return len(first) == len(second) and first != second


# Coarse classes for blocking only: consonants that romanisations of the same Arabic, Persian or
# Cyrillic letter disagree on. g/j/k/q (ج is "j" in the Levant and "g" in Egypt: Jamal/Gamal; ق is "q",
# "k" or "g": Qasmi/Gasmi), z/s (ز ذ ظ ض and ث written z or s: Nazir/Nasir; their th and dh spellings
# meet through ``coarse_alternative``: Zakir/Dhakir, Uthman/Osman), f/b (Persian v/w, p).
_COARSE = str.maketrans({"g": "k", "j": "k", "q": "k", "z": "s", "f": "b", "x": "k"})


@lru_cache(maxsize=131072)
def coarse_key(part: str) -> str:
    """Return the coarse phonetic key of a part: its skeleton with confusable consonant classes folded.

    Used for blocking keys only, where a false meeting costs one extra candidate to score but a missed
    one loses the person (Jamal/Gamal, Qasmi/Gasmi, Zakir/Dhakir).

    >>> coarse_key("jamal"), coarse_key("gamal"), coarse_key("qasmi"), coarse_key("gasmi")
    ('kml', 'kml', 'ksm', 'ksm')
    """
    return skeleton(part).translate(_COARSE)


def devoiced(key: str) -> str | None:
    """A skeleton or coarse key with its closing d written t or its closing t written d, or None.

    The closing d of Arabic names is written t where it is said unvoiced: in Chad (Mahamat, Ahmat) and in
    Turkish (Mehmet, Ahmet, Murat, Hamit). Folding it into the coarse key would merge Fathi with Fuad and
    Smith with Samad and crowd their keys past the stop-key cap, so a query looks the other spelling's
    keys up instead (``blocking``) and the scorer accepts it (``similarity``).

    >>> devoiced("mhmd"), devoiced("hmt"), devoiced("hsn"), devoiced("d")
    ('mhmt', 'hmd', None, None)
    """
    if len(key) < 2 or key[-1] not in "dt":
        return None
    return key[:-1] + ("t" if key[-1] == "d" else "d")


# A part is also read a second way where romanisations disagree on a letter's sound, and keyed by that
# reading's coarse key (``coarse_alternative``):
# - the Arabic interdentals ث and ذ are romanised th and dh in Arabic usage (Uthman, Dhakir, Kadhim, Thabit)
#   and s and z where the name is said the Persian, Urdu or Turkish way (Usman, Osman, Zakir, Kazim, Sabit).
#   The skeleton reads th as t and dh as d (Fathi and Adham are t+h and d+h), so the two spellings never met;
# - a c before e or i, which the skeleton reads as s (Hocine, Youcef), is read hard: Turkish writes its j as
#   c (Cemal is Jamal, Cengiz Genghis), and Somali its ayn.
_ALTERNATIVES = re.compile(r"th|dh|(?<!^m)c(?=[eiy])")
_ALTERNATIVE_READING = {"th": "s", "dh": "z", "c": "k"}


def _alternative(match: re.Match[str]) -> str:
    return _ALTERNATIVE_READING[match.group(0)]


def alternative_reading(part: str) -> str:
    """The part with its th read as s, its dh as z and a c before e or i read hard (``coarse_alternative``).

    >>> alternative_reading("uthman"), alternative_reading("kadhim"), alternative_reading("cemal")
    ('usman', 'kazim', 'kemal')
    >>> alternative_reading("hassan")
    'hassan'
    """
    return _ALTERNATIVES.sub(_alternative, part) if "th" in part or "dh" in part or "c" in part else part


@lru_cache(maxsize=131072)
def coarse_alternative(part: str) -> str:
    """The coarse key of the part's other reading (``alternative_reading``), or "" when that is its own
    coarse key.

    A second key, beside ``coarse_key``: blocking keys are made of both and the weakest phonetic match
    accepts either (``similarity``), so Uthman meets Usman and Osman, Dhakir Zakir, Kadhim Kazim, Cemal
    Jamal. Parts whose alternative is shorter than three letters (Fathi, Adham) only gain a blocking key.

    >>> coarse_alternative("uthman"), coarse_key("osman"), coarse_alternative("dhakir"), coarse_key("zakir")
    ('smn', 'smn', 'skr', 'skr')
    >>> coarse_alternative("cemal"), coarse_key("jamal")
    ('kml', 'kml')
    >>> coarse_alternative("hassan"), coarse_alternative("fathi")
    ('', 'bs')
    """
    read = alternative_reading(part)
    if read == part:
        return ""
    alternative = coarse_key(read)
    return alternative if alternative != coarse_key(part) else ""


# One-syllable parts (Korean and Chinese names are written syllable by syllable: Jang Myong-Jin) keep their
# vowels, but their first consonant is spelled by the romanisation in use: McCune-Reischauer writes the
# unaspirated stops Chang, Cho, Chin, To, Kim where South Korea's Revised and North Korea's own systems,
# and many passports, write Jang, Jo, Jin, Do, Gim; Wade-Giles Chang is Pinyin Zhang.
_SYLLABLE = re.compile(r"([b-df-hj-np-tv-xz]*)([aeiouwy]+)([b-df-hj-np-tv-xz]*)")
_ONSETS = {"ch": "j", "tch": "j", "zh": "j", "dj": "j", "k": "g", "t": "d", "p": "b", "sh": "s"}
SYLLABLE_MAX = 6


@lru_cache(maxsize=65536)
def syllable_key(part: str) -> str | None:
    """Return a one-syllable part with its first consonant's voicing folded, or None for other parts.

    >>> syllable_key("chang"), syllable_key("jang"), syllable_key("zhang")
    ('jang', 'jang', 'jang')
    >>> syllable_key("to"), syllable_key("do"), syllable_key("kim"), syllable_key("hyok")
    ('do', 'do', 'gim', 'hyok')
    >>> syllable_key("mohamed") is None, syllable_key("chérif") is None
    (True, True)
    """
    if len(part) > SYLLABLE_MAX:
        return None
    match = _SYLLABLE.fullmatch(part)
    if match is None:
        return None
    onset, nucleus, coda = match.groups()
    return _ONSETS.get(onset, onset) + nucleus + coda


# The other spelling of a one-syllable part's first consonant whose coarse key differs (g/k, b/p and s/sh
# already share one): the blocking keys of a query are also made of it (``blocking``), so that "Kim Jung
# Jong" looks up the keys a stored "Kim Chung Chong" has.
_FLIPS = {"ch": "j", "tch": "j", "j": "ch", "zh": "ch", "dj": "ch", "t": "d", "d": "t"}


def other_romanisation(part: str) -> str | None:
    """The one-syllable part with its first consonant spelled the other way (Chung/Jung, To/Do), or None.

    >>> other_romanisation("jung"), other_romanisation("chin"), other_romanisation("to")
    ('chung', 'jin', 'do')
    >>> other_romanisation("kim"), other_romanisation("jamal"), other_romanisation("hyok")
    (None, None, None)
    """
    if len(part) > SYLLABLE_MAX:
        return None
    match = _SYLLABLE.fullmatch(part)
    if match is None:
        return None
    onset = match.group(1)
    flipped = _FLIPS.get(onset)
    return None if flipped is None else flipped + part[len(onset) :]


# The Latin alphabets of Central and Northern Europe and of the Balkans write j where English writes y (Juri
# and Yuri, Jusuf and Yusuf, Jelena and Yelena, Sergej and Sergey), and German and Polish w where English
# writes v (Wiktor and Viktor, Orlow and Orlov). The skeleton keeps j and v and drops y and w, so the two
# spellings of one name met by their letters at best (Juri / Yuri: nothing). Two parts that read the same once
# j is read y, w v and a closing y or ii i (Jurij, Yuriy, Yuri; Dmitrij, Dmitry) are one name in two
# orthographies (``similarity``). Not for one-syllable parts, where j and y open different names (the Korean
# Jang 장 and Yang 양, Jun and Yun).
_TO_Y = str.maketrans({"j": "y", "w": "v"})
_CLOSING_Y = re.compile(r"(?:ii|iy|y)$")
# The other way: a y before a vowel (Yuri, Yahya) or a closing i or y after one (Alexei, Sergey, Yuriy) is j.
_Y_AS_J = re.compile(r"y(?=[aeiou])|(?<=[aeiou])[iy]$")


@lru_cache(maxsize=131072)
def orthography_fold(part: str) -> str:
    """The part with j read y, w read v and a closing y, iy or ii read i; "" for a one-syllable part.

    >>> [orthography_fold(p) for p in ("juri", "yuri", "jurij", "yuriy", "dmitrij", "dmitry")]
    ['yuri', 'yuri', 'yuri', 'yuri', 'dmitri', 'dmitri']
    >>> orthography_fold("wiktor"), orthography_fold("orlow"), orthography_fold("jang")
    ('viktor', 'orlov', '')
    """
    if len(part) <= SYLLABLE_MAX and _SYLLABLE.fullmatch(part):
        return ""
    return _CLOSING_Y.sub("i", part.translate(_TO_Y))


def other_orthography(part: str) -> str | None:
    """The part written in the other orthography (``orthography_fold``): its j as y and w as v, or, with
    neither, a y before a vowel or a closing i or y after one as j and v as w; None when that is the part
    itself or the part is one syllable. A query looks up that spelling's keys too (``blocking``).

    >>> other_orthography("juri"), other_orthography("yuri"), other_orthography("viktor")
    ('yuri', 'juri', 'wiktor')
    >>> other_orthography("yahya"), other_orthography("alexei"), other_orthography("navalny")
    ('jahja', 'alexej', 'nawalny')
    >>> other_orthography("hassan"), other_orthography("jang")
    (None, None)
    """
    if not orthography_fold(part):
        return None
    to_y = "j" in part or "w" in part
    other = part.translate(_TO_Y) if to_y else _Y_AS_J.sub("j", part).replace("v", "w")
    return other if other != part else None


_INITIAL_CLASSES = str.maketrans(
    {"e": "a", "i": "a", "o": "a", "u": "a", "y": "a", "w": "a", "c": "k", "q": "k", "p": "b", "v": "f"}
)


def initial_class(part: str) -> str:
    """Return the class of a part's first letter, used to compare an initial with a full part.

    Vowels and semivowels form one class because a name's first vowel is spelled many ways
    (Usama/Osama, Ibrahim/Ebrahim, Youssef/Iousef); c/k/q are one class (Karim, Qasim, Carlos).

    >>> initial_class("osama"), initial_class("usama"), initial_class("khalid"), initial_class("q")
    ('a', 'a', 'k', 'k')
    """
    return part[:1].translate(_INITIAL_CLASSES)
