"""The Persian, Urdu and Turkish reading of a name written in the Arabic script, and the Maghrebi reading of a
name in the Arabic script or in a Latin spelling that writes the article as a word.

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

from peacelink.matching.names.normalisation import _ABD_WORDS, _ABU_WORDS, PARTICLES, TITLES, normalise
from peacelink.matching.names.transliteration import script_of, transliterate

__all__ = ["final_h_reading", "maghrebi_readings", "persian_reading", "separate_h_reading"]


def _read_as(original: str, text: str) -> tuple[str, ...] | None:
    """The normalised parts of ``text``, a rewriting of the name ``original``; None when it reads the same."""
    read = tuple(normalise(text))
    return read if read and read != tuple(normalise(original)) else None


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
    return _read_as(original, original.translate(_LETTERS))


# ICU writes ش خ ذ غ ث as sh, kh, dh, gh, th (with a mark on the h that the fold to ASCII drops), so a letter
# read s, z, k, t, d, g, p or c before ه or ح made the same digraph: سهيل shyl, زهير zhyr, صهيب shyb, كهلان
# khlan, which the skeleton read as ش, ژ, خ (sl, jr, sb, kln) and the Latin spellings Suhail, Zuhair,
# Suhaib, Kahlan (shl, shr, shb, khln), which write the vowel between, never met. The reading writes a y
# (dropped by the skeleton, no vowel to ``Part.vowelled``) between the two letters: syhyl, zyhyr. The
# romanisation as it was stays the name: most Latin spellings of أدهم, إسحاق, فتحي, أزهر glue the two letters
# too (Adham, Ishaq, Fathi, Azhar). Not before a closing ه, the -ah or -eh ending (زاده zadah, the skeleton's
# zd, Zadeh), which the y would make a consonant h again (zadyah, which met Zayed, Ziyad).
_H_AFTER = re.compile(r"([سصزظكتطدضگپچ])(?=ح|ه\B)")


@lru_cache(maxsize=65536)
def separate_h_reading(original: str) -> tuple[str, ...] | None:
    """The normalised parts of a name in the Arabic script with ه or ح read apart from a letter before it that
    would make a digraph with its h (``_H_AFTER``), or None when the name has no such pair or another script.

    >>> separate_h_reading("سهيل زهير"), separate_h_reading("صهيب الكحلاني")
    (('syhyl', 'zyhyr'), ('syhyb', 'kyhlany'))
    >>> separate_h_reading("شاكر خالد"), separate_h_reading("محمد"), separate_h_reading("Suhail")
    (None, None, None)
    """
    if "ه" not in original and "ح" not in original:
        return None
    if not _H_AFTER.search(original) or script_of(original) != "ARABIC":
        return None
    return _read_as(original, _H_AFTER.sub(r"\1ي", original))


# A closing ه is romanised as the -ah ending (``normalisation``: ا is written before it), whose h the skeleton
# drops: right for Abdallah, Fatimah and the Persian ta marbuta, but the ه of وجيه (Wajih), نبيه (Nabih), فقيه
# (Faqih), طه (Taha) and سيبويه (Sibawayh) is a consonant, and the Persian spellings write the ending's h too
# (فاطمه Fatemeh, زهره Zohreh, مرضیه Marzieh). Read as ح (the h the skeleton keeps), with the y of
# ``separate_h_reading`` after a letter that would make a digraph with it (طه: tyh, as Taha). Not after ا or
# آ (شاه, the -ah as Latin writes it too), nor the ه of Allah (الله, عبدالله, نصرالله), read whole. A name
# written with the letters of the Persian alphabet (ی ک گ پ چ ژ) is read the Persian way too (``_LETTERS``):
# the spellings that write that h are Persian ones (مرضیه Marzieh, راضیه Razieh).
_FINAL_H = re.compile(r"(?<=[^\sاآ])(?<!لل)ه(?![\u0600-\u06ff])")
_PERSIAN_ALPHABET = frozenset("یکگپچژ")


@lru_cache(maxsize=65536)
def final_h_reading(original: str) -> tuple[str, ...] | None:
    """The normalised parts of a name in the Arabic script with a closing ه read as a consonant h
    (``_FINAL_H``), or None when the name has no such ه or another script.

    >>> final_h_reading("وجيه"), final_h_reading("طه ياسين"), final_h_reading("فاطمه")
    (('wjyh',), ('tyh', 'yasyn'), ('fatmh',))
    >>> final_h_reading("مرضیه")  # with Persian letters: ض read z
    ('mrzyh',)
    >>> final_h_reading("عبد الله"), final_h_reading("شاه"), final_h_reading("فاطمة"), final_h_reading("Taha")
    (None, None, None, None)
    """
    if "ه" not in original or script_of(original) != "ARABIC":
        return None
    text = _FINAL_H.sub("ح", original)
    if text == original:
        return None
    if not _PERSIAN_ALPHABET.isdisjoint(text):
        text = text.translate(_LETTERS)
    return _read_as(original, _H_AFTER.sub(r"\1ي", text))


# The article al- before a name that opens with a vowel (أ إ ا آ ع) or with ح is elided into it in the
# French spellings of the Maghreb and the Sahel: الأمين is Lamine or Lemine, العربي Larbi, العيد Laid,
# الأخضر Lakhdar, الحسن Lahcen, الحسين Lhoussine, الحبيب Lahbib. The Arabic romanisation drops the article
# (amyn, arby, hsn), which none of those meets.
# Not after Abd or Abu, whose compounds are read whole (``normalisation``): Abdelaziz, Abu al-Hasan.
_ELIDED = re.compile(r"(?<![\w\u0600-\u06ff])(?<!عبد )(?<!بو )ال(?=[اأإآعح])")


# The same article written as a word in a Latin spelling (El Amine, el-Amine, Al-Arbi, Al Hassan), which
# ``normalise`` drops as a particle: "Mohamed El Amine" is mohamed amine, whose amine (mn) the Lemine (lmn)
# of the same person did not meet, nor El Hassan's hassan Lahcen. Only al and el, the article of Arabic
# names: ul is the Urdu one (Zia ul Haq), never elided, and the Romance del, de la, le, la are no article of
# these names. A word of its own or hyphenated, never the opening letters of one (Elena, Alan, Ellis; a glued
# Elhassan is left as it is). Before a vowel or h, as the Arabic script is read before a vowel carrier, ayn
# or ح: a Latin h may also stand for ه (Al-Hashimi, الهاشمي), whose reading (lhashimi) meets only a spelling
# of its own, but most h of these names are ح (Hassan, Hussein, Habib, Hakim, Hamid).
_LATIN_ARTICLE = re.compile(r"(?<!\w)[ae]l(?:\s*-\s*|\s+)['’‘`ʻʼʿʾ]*(?=(\w+))", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
# A French ou before a vowel is the consonant و (El Ouali, El Ouafi: Elouafi, never Louafi).
_LATIN_W = re.compile(r"ou[aeiy]")
# The pilgrim's title El Hadj (El Hadji Malick, El Hadja Aminata: West Africa, Lhaj in Morocco) is no part of
# the name: an elided reading of it, on many Sahel records, would only add keys.
_PILGRIM = frozenset({"hadj", "hadji", "hadja", "hadjia", "haj", "hajj", "hadjdj", "hadjj", "hajja"})
# Heads of compounds read whole (``normalisation``): Abd El Aziz is abdaziz, Abou El Hassan abuhassan.
_HEADS = _ABD_WORDS | _ABU_WORDS


# Readings made per name at most: one per elided word (a name rarely holds more than two).
_MAX_ELIDED = 2


def _latin_elided(original: str) -> list[str]:
    """A Latin name with one of its articles al or el glued as l to the word after it when that word opens
    with a vowel or h, one text per such article (``_LATIN_ARTICLE``); not after Abd or Abu, nor before a
    title, a particle or a French ou read w, nor before an initial.

    >>> _latin_elided("Mohamed El Amine Ould Salem"), _latin_elided("Ahmed Al-Arbi el-Idrissi")
    (['Mohamed lAmine Ould Salem'], ['Ahmed lArbi el-Idrissi', 'Ahmed Al-Arbi lIdrissi'])
    >>> [_latin_elided(n) for n in ("Abd-el-Aziz", "El Hadj Omar", "El Ouali", "El A.", "Elena", "El Khatib")]
    [[], [], [], [], [], []]
    """
    out: list[str] = []
    for match in _LATIN_ARTICLE.finditer(original):
        word = transliterate(match.group(1))
        before = _WORD.findall(original, 0, match.start())
        head = transliterate(before[-1]) if before else ""
        if (
            len(word) < 2
            or word[0] not in "aeiouh"
            or head in _HEADS
            or word in _PILGRIM
            or word in TITLES
            or word in PARTICLES
            or _LATIN_W.match(word)
        ):
            continue
        out.append(original[: match.start()] + "l" + original[match.end() :])
    return out


@lru_cache(maxsize=65536)
def maghrebi_readings(original: str) -> tuple[tuple[str, ...], ...]:
    """The normalised parts of a name with one of its articles elided as in the Maghreb (al- before a vowel
    or ح read as an l glued to the name), one reading per such word: the French spellings elide the article
    of a given name (Lahcen, Lamine) but seldom of a nisba (El Idrissi, Alaoui). A name in the Arabic script,
    or a Latin one that writes the article as a word (El Amine -> lamine, Al-Arbi -> larbi, El Hassen ->
    lhassen, which meet Lemine, Larbi and Lahcen).

    >>> maghrebi_readings("محمد الأمين"), maghrebi_readings("أحمد العربي")
    ((('mhmd', 'lamyn'),), (('ahmd', 'larby'),))
    >>> maghrebi_readings("الحسن والي الإدريسي")
    (('lhsn', 'waly', 'adrysy'), ('hsn', 'waly', 'ladrysy'))
    >>> maghrebi_readings("محمد الهاشمي"), maghrebi_readings("عبد العزيز"), maghrebi_readings("Lamine")
    ((), (), ())
    >>> maghrebi_readings("Mohamed El Amine Ould Salem"), maghrebi_readings("El Hassen Ouali")
    ((('mohamed', 'lamine', 'salem'),), (('lhassen', 'ouali'),))
    >>> maghrebi_readings("Abd El Aziz"), maghrebi_readings("Elena Alan"), maghrebi_readings("Juan del Amo")
    ((), (), ())
    """
    if "ال" in original and script_of(original) == "ARABIC":
        plain = tuple(normalise(original))
        texts = [
            original[: match.start()] + "ل" + original[match.end() :]
            for match in list(_ELIDED.finditer(original))[:_MAX_ELIDED]
        ]
    elif _LATIN_ARTICLE.search(original) and script_of(original) == "LATIN":
        plain = tuple(normalise(original))
        texts = _latin_elided(original)[:_MAX_ELIDED]
    else:
        return ()
    out: list[tuple[str, ...]] = []
    for elided in texts:
        read = tuple(normalise(elided))
        if read and read != plain and read not in out:
            out.append(read)
    return tuple(out)
