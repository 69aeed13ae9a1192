"""Transliteration of person names from any script to lower-case ASCII Latin.

The work is done by ICU (CLDR transform rules, via PyICU). We pick the transform per script because
the generic ``Any-Latin`` chain is a poor fit for names in these places:

* Cyrillic: ``Any-Latin`` follows ISO 9 (``Шевченко -> Sevcenko`` once diacritics are dropped); the
  BGN/PCGN romanisation (``Shevchenko``) is what passports, sanctions lists and the press print. Cyrillic
  is several alphabets, though, and the Russian rules know only Russian letters: they left Ukrainian і ї є
  ґ, Belarusian ў and Serbian and Macedonian ј љ њ ћ ђ џ ѓ ќ ѕ as they were, and those letters were then
  dropped (Віталій -> "vtaly", Ђорђе -> "ore"). The language is therefore told by the letters only it
  writes (``cyrillic_language``) and romanised by its own BGN/PCGN rules: Ukrainian г is h and и is y
  (Григорій -> hryhoriy, as Hryhorii on Ukrainian passports), Serbian ђ is dj (Đorđe, Djordje). A name
  written only in letters Russian has too stays Russian; ``ukrainian_reading`` reads it the Ukrainian
  way as well (Олег Литвин, Oleh Lytvyn).
* Arabic: ICU's ``Arabic-Latin`` writes consonants only (``محمد -> mhmd``), renders the ta marbuta as
  ``t`` and the ayn as a modifier letter. We pre-map those letters (see ``_ARABIC_PREMAP``) and leave the
  missing vowels to the phonetic skeleton (``phonetics.skeleton``), which drops Latin vowels too, so
  ``Mohamed``, ``Muhammad`` and ``محمد`` all meet on ``mhmd``.

Transliterators are costly to build (about 10 ms each), so each one is built once and cached.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import icu

__all__ = ["CYRILLIC_TRANSFORMS", "cyrillic_language", "script_of", "transliterate", "transliterate_cyrillic"]

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
# Cyrillic is romanised by the rules of its language (``CYRILLIC_TRANSFORMS``); Russian is its default.
_TRANSFORMS: dict[str, str] = {
    "CYRILLIC": "Russian-Latin/BGN",
    "GREEK": "Greek-Latin/UNGEGN",
    "ARABIC": "Arabic-Latin",
    "HEBREW": "Hebrew-Latin",
    "ETHIOPIC": "Ethiopic-Latin",
    "CJK": "Han-Latin",
}
_DEFAULT_TRANSFORM = "Any-Latin"

# The BGN/PCGN rules of each Cyrillic alphabet (ICU/CLDR) and the letters that tell it apart: only that
# language writes them. Russian has none of its own that the others lack, so it is the default.
# Belarusian and Ukrainian share і: і with ы, э or ё (letters Ukrainian does not have) is Belarusian.
# Serbian and Macedonian share ј љ њ џ: with ѓ, ќ or ѕ the name is Macedonian, else Serbian (the larger).
# The alphabets of Central Asia, the Volga, the Caucasus and Mongolia ("central_asian": Kazakh, Kyrgyz,
# Uzbek, Tajik, Tatar, Bashkir, Azerbaijani, Mongolian) are told by their letters too, and those letters are
# written as the Russian letters Russian-language papers use for them (Қайрат Кайрат, Kairat; Әлихан
# Алихан; Ҷамшед Джамшед, Jamshed): these names reach lists romanised from such papers more often than by
# national rules, and ICU has none for Tajik or Tatar. They also hold і, ў and ј, which are not Ukrainian,
# Belarusian or Serbian there.
CYRILLIC_TRANSFORMS: dict[str, str] = {
    "russian": "Russian-Latin/BGN",
    "ukrainian": "Ukrainian-Latin/BGN",
    "belarusian": "Belarusian-Latin/BGN",
    "serbian": "Serbian-Latin/BGN",
    "macedonian": "Macedonian-Latin/BGN",
    "central_asian": "Russian-Latin/BGN",
}
_CENTRAL_ASIAN_AS_RUSSIAN = {
    "ә": "а",
    "ғ": "г",
    "қ": "к",
    "ң": "н",
    "ө": "о",
    "ұ": "у",
    "ү": "у",
    "һ": "х",
    "ҳ": "х",
    "ҷ": "дж",
    "ҹ": "дж",
    "җ": "ж",
    "ҝ": "г",
    "ӣ": "и",
    "ӯ": "у",
    "ҙ": "з",
    "ҫ": "с",
    "ӑ": "а",
    "ӗ": "е",
    "ӳ": "у",
    "ӏ": "",  # the palochka of the Caucasian alphabets marks the consonant before it
}
_CENTRAL_ASIAN = frozenset(_CENTRAL_ASIAN_AS_RUSSIAN) | {c.upper() for c in _CENTRAL_ASIAN_AS_RUSSIAN}
_MACEDONIAN = frozenset("ЃѓЌќЅѕ")
_SERBIAN = frozenset("ЂђЋћЈјЉљЊњЏџ")
_BELARUSIAN = frozenset("Ўў")
_UKRAINIAN = frozenset("ІіЇїЄєҐґ")
_UKRAINIAN_ONLY = frozenset("ЇїЄєҐґ")
_NOT_UKRAINIAN = frozenset("ЫыЭэЁё")

# Letters whose BGN/PCGN spelling is not the one papers and the press print, rewritten as Cyrillic letters
# that give it before the rules run. Serbian ђ is đ, which Latin-ASCII folds to d, but dj on Serbian
# passports (the MRZ), in the press and in Croatian and Bosnian ASCII spellings (Djordje, Djokovic).
# Macedonian ѓ and ќ are ǵ and ḱ (folded to g and k), but gj and kj in the official Macedonian
# romanisation (Gjorge Ivanov). Belarusian ў is w in BGN/PCGN, u on Belarusian passports (Tsikhanouskaya).
_CYRILLIC_PREMAPS: dict[str, dict[int, str]] = {
    "serbian": str.maketrans({"ђ": "дј", "Ђ": "Дј"}),
    "macedonian": str.maketrans({"ѓ": "гј", "Ѓ": "Гј", "ќ": "кј", "Ќ": "Кј"}),
    "belarusian": str.maketrans({"ў": "у", "Ў": "У"}),
    "central_asian": str.maketrans(
        {
            **{c.upper(): r.capitalize() for c, r in _CENTRAL_ASIAN_AS_RUSSIAN.items()},
            **_CENTRAL_ASIAN_AS_RUSSIAN,
            **{"і": "и", "І": "И", "ў": "у", "Ў": "У", "ј": "й", "Ј": "Й"},
        }
    ),
}

# The same đ in Latin script: dj when the name is South Slavic, told by a đ inside a word (Vietnamese writes
# đ only at the start of a syllable, each syllable a word: Đặng, Đinh, where the ASCII spelling is d) or by
# č, ć, š or ž, which Vietnamese does not write.
_SOUTH_SLAVIC_D = re.compile(r"\wđ|[čćšžČĆŠŽ]", re.IGNORECASE)
_SOUTH_SLAVIC_DJ = str.maketrans({"đ": "dj", "Đ": "Dj"})

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


def cyrillic_language(text: str) -> str:
    """The Cyrillic alphabet a name is written in, told by the letters only that language writes (a key of
    ``CYRILLIC_TRANSFORMS``); 'russian' when it has none of them.

    >>> [cyrillic_language(n) for n in ("Сергій", "Ціханоўская", "Уладзімір Ірына", "Ђорђе", "Ќосев")]
    ['ukrainian', 'belarusian', 'belarusian', 'serbian', 'macedonian']
    >>> cyrillic_language("Олег Литвин"), cyrillic_language("Уладзімір")
    ('russian', 'ukrainian')
    """
    letters = frozenset(text)
    if not letters.isdisjoint(_CENTRAL_ASIAN):
        return "central_asian"
    if not letters.isdisjoint(_MACEDONIAN):
        return "macedonian"
    if not letters.isdisjoint(_SERBIAN):
        return "serbian"
    if not letters.isdisjoint(_BELARUSIAN):
        return "belarusian"
    if not letters.isdisjoint(_UKRAINIAN):
        # і alone is both Ukrainian and Belarusian; with a letter Ukrainian lacks it is Belarusian.
        if letters.isdisjoint(_UKRAINIAN_ONLY) and not letters.isdisjoint(_NOT_UKRAINIAN):
            return "belarusian"
        return "ukrainian"
    return "russian"


def transliterate_cyrillic(text: str, language: str) -> str:
    """Transliterate a name in Cyrillic to lower-case ASCII Latin by the rules of ``language`` (a key of
    ``CYRILLIC_TRANSFORMS``), whatever letters it holds; letters those rules do not know are romanised by
    ``Any-Latin``, never dropped.

    >>> transliterate_cyrillic("Олег Литвин", "ukrainian"), transliterate_cyrillic("Олег Литвин", "russian")
    ('oleh lytvyn', 'oleg litvin')
    >>> transliterate_cyrillic("Юрый Щербак", "ukrainian")
    'yuryy shcherbak'
    """
    text = unicodedata.normalize("NFC", text)
    premap = _CYRILLIC_PREMAPS.get(language)
    if premap is not None:
        text = text.translate(premap)
    rules = _transliterator(CYRILLIC_TRANSFORMS[language])
    out: str = rules.transliterate(text)
    if not out.isascii():
        # A letter these rules do not know is left as it was. A letter with a mark (a descender, a stroke,
        # a hook: ҝ, ԓ) is read as the letter under it; any other (ы in a Ukrainian name, щ in a Serbian
        # one) is romanised the generic way (ISO 9). None is dropped.
        out = rules.transliterate("".join(map(_unmarked, out)))
        if not out.isascii():
            out = _transliterator(_DEFAULT_TRANSFORM).transliterate(out)
    # BGN/PCGN writes the hard sign ъ as a double prime, which Latin-ASCII makes a '"' and normalisation
    # then split a name on (Объедков -> "ob", "yedkov"); Latin spellings write nothing (Obyedkov).
    return _finish(out.replace('"', ""))


# Letters no ICU rule knows and whose Unicode name does not give a base letter, as the Russian letters that
# stand for them: Bashkir ҡ and Mari ҥ, ӛ, ӫ; the Kurdish ԑ, ԛ, ԝ; the yat, fita and izhitsa of spellings
# before 1918 (Ѳеодоръ, Fyodor). The letters left after these are those of Old Church Slavonic and of
# small alphabets (Komi, Abkhaz, Aleut): ISO 9 has them, or they are dropped.
_OTHER_LETTERS = {
    "ҡ": "к",
    "ҥ": "н",
    "ӛ": "а",
    "ӫ": "о",
    "ԑ": "е",
    "ԛ": "к",
    "ԝ": "в",
    "ѣ": "е",
    "ѳ": "ф",
    "ѵ": "и",
}
_BASE_LETTERS = _OTHER_LETTERS | {c.upper(): r.upper() for c, r in _OTHER_LETTERS.items()}


@lru_cache(maxsize=1024)
def _unmarked(char: str) -> str:
    """A Cyrillic letter with a mark as the letter it marks (KA WITH DESCENDER -> KA), or as the Russian
    letter that stands for it (``_OTHER_LETTERS``); else the letter."""
    if char in _BASE_LETTERS:
        return _BASE_LETTERS[char]
    name = unicodedata.name(char, "")
    if not name.startswith("CYRILLIC") or " WITH " not in name:
        return char
    try:
        return unicodedata.lookup(name.split(" WITH ", 1)[0])
    except KeyError:
        return char


def _finish(out: str) -> str:
    """Drop the left-overs no Latin spelling keeps, then anything still not ASCII."""
    out = out.translate(_LEFTOVERS)
    if not out.isascii():
        # A script with no ICU transform keeps its letters; drop anything that is still not ASCII
        # rather than let it poison keys.
        out = "".join(c for c in out if c.isascii())
    return out


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

    Cyrillic by the rules of its language (``cyrillic_language``), Serbian đ as dj in either script:

    >>> transliterate("Григорій Гордієнко"), transliterate("Святлана Ціханоўская")
    ('hryhoriy hordiyenko', 'svyatlana tsikhanouskaya')
    >>> transliterate("Ђорђе Петровић"), transliterate("Đorđe Petrović"), transliterate("Đinh Lan")
    ('djordje petrovic', 'djordje petrovic', 'dinh lan')
    """
    text = unicodedata.normalize("NFC", text)
    script = script_of(text)
    if script == "CYRILLIC":
        return transliterate_cyrillic(text, cyrillic_language(text))
    if script == "LATIN":
        transform = "Latin-ASCII" if not text.isascii() else ""
        if ("đ" in text or "Đ" in text) and _SOUTH_SLAVIC_D.search(text):
            text = text.translate(_SOUTH_SLAVIC_DJ)
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
    return _finish(out)
