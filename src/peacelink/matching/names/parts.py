"""Prepared names: each name normalised once into parts with their phonetic keys and kinds.

Records are prepared once (at import or load time) and kept with the record, so scoring a candidate
does no transliteration or key building, only comparisons (see ``scoring``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from peacelink.matching.names.arabic_reading import (
    final_h_reading,
    maghrebi_readings,
    persian_reading,
    separate_h_reading,
)
from peacelink.matching.names.german_reading import german_readings
from peacelink.matching.names.normalisation import (
    PARTICLES,
    TITLES,
    cyrillic_reading,
    is_patronymic,
    normalise,
    own_name_length,
    somali_reading,
    split_names,
)
from peacelink.matching.names.phonetics import (
    coarse_alternative,
    coarse_key,
    initial_class,
    skeleton,
    vowel_shape,
)
from peacelink.matching.names.slavic_reading import caron_reading, polish_reading
from peacelink.matching.names.transliteration import script_of
from peacelink.matching.names.ukrainian_reading import russian_reading, ukrainian_reading
from peacelink.translatable import Translatable

__all__ = [
    "ARTICLES",
    "COMPOUND_HEADS",
    "COMPOUND_TAILS",
    "CYRILLIC_READING",
    "MAGHREBI_READING",
    "NOT_ARTICLED",
    "NOT_SON_OF",
    "PERSIAN_READING",
    "READINGS",
    "RUSSIAN_READING",
    "SEPARATE_H_READING",
    "SERVANT_HEAD",
    "SOMALI_READING",
    "SON_OF_HEADS",
    "UKRAINIAN_READING",
    "Part",
    "PartKind",
    "PreparedName",
    "PreparedNames",
    "article_stem",
    "head_stem",
    "make_part",
    "prepare",
    "prepare_name",
    "shown_name",
    "with_readings",
]


class PartKind(StrEnum):
    """What a name part is, which decides how much it weighs in a comparison."""

    NAME = "name"
    INITIAL = "initial"
    PATRONYMIC = "patronymic"


# How much each kind of part counts. An initial says little (one letter of 20-odd), and a patronymic is
# often left out of Latin spellings and of ID cards, so missing or matching one should move the score less.
PART_WEIGHTS: dict[PartKind, float] = {PartKind.NAME: 1.0, PartKind.INITIAL: 0.35, PartKind.PATRONYMIC: 0.5}


@dataclass(frozen=True, slots=True)
class Part:
    """One normalised part of a name with its precomputed comparison keys."""

    text: str
    skeleton: str
    initial: str
    kind: PartKind
    # Coarse phonetic key (``phonetics.coarse_key``): blocking keys and the weakest phonetic match.
    coarse: str = ""
    # The coarse key with th read as s and dh as z (``phonetics.coarse_alternative``: Uthman/Usman), or "".
    coarse_alt: str = ""
    # Stem of a glued compound (abujamal -> jamal, habiblah -> habib), "" if none; see similarity.
    stem: str = ""
    # The name without an Arabic article glued to its front (elkhatib -> khatib: ``article_stem``), or "".
    bare: str = ""
    # Written with its vowels (two or more of a, e, i, o, u), unlike a vowelless rendering of the Arabic
    # script (mhmd, amr): two vowelled parts are not the same name by their consonants alone (similarity).
    vowelled: bool = False
    # Where the vowels stand among the consonants (``phonetics.vowel_shape``): Mahmoud / Mohamed and Ahmed /
    # Hamed share a skeleton but not a shape.
    shape: str = ""

    @property
    def weight(self) -> float:
        """Weight of this part in name coverage (see ``PART_WEIGHTS``)."""
        return PART_WEIGHTS[self.kind]


@dataclass(frozen=True, slots=True)
class PreparedName:
    """One name as given, with its parts; or a *reading* of it (``with_readings``), which names its kind."""

    original: str
    parts: tuple[Part, ...]
    reading: str = ""
    # How many leading parts are the person's own name, told by a nasab link after them (Ahmed Ould Mohamed
    # Lemine: 1); 0 when the name does not say (``normalisation.own_name_length``; ``nasab``).
    own: int = 0

    @property
    def weight(self) -> float:
        """Total weight of the parts."""
        return sum(p.weight for p in self.parts)


# Mark the extra names a name is also read as (``with_readings``) in explanations. Each label is the English
# of the catalogue entry ``persons.reading.<kind>`` ("{name} (read as Somali spelling)"), which the web pages
# show in their language (``shown_name``).
SOMALI_READING = " (read as Somali spelling)"
CYRILLIC_READING = " (Cyrillic х read as h)"
PERSIAN_READING = " (read as in Persian, Urdu or Turkish)"
MAGHREBI_READING = " (article elided as in the Maghreb)"
UKRAINIAN_READING = " (read as Ukrainian)"
RUSSIAN_READING = " (read as Russian)"
GERMAN_READING = " (German spelling read as English)"
POLISH_READING = " (Polish spelling read as English)"
CARON_READING = " (spelling with carons read as English)"
SEPARATE_H_READING = " (h read apart from the letter before it)"
FINAL_H_READING = " (closing h read as a consonant)"
# The kinds of reading (``PreparedName.reading``).
READINGS = frozenset(
    {
        "somali",
        "cyrillic",
        "persian",
        "maghrebi",
        "ukrainian",
        "russian",
        "german",
        "polish",
        "caron",
        "separate_h",
        "final_h",
    }
)


@dataclass(frozen=True, slots=True)
class PreparedNames:
    """All the names of one person (primary, aliases, original script), prepared for matching."""

    names: tuple[PreparedName, ...]


# Heads and tails of compounds glued into one part, whose stem is also compared and keyed: Abd al-Rahman,
# Abu Jamal, Habib Allah, Nur al-Din, and the Maghrebi family names made of ben (son of) and a name, which
# the Arabic script writes as two words (Benali, بن علي: bin is a particle, dropped).
SON_OF_HEADS = ("ben", "bin")
# Abd, "servant of", before one of the names of God (Abd al-Karim, Abd al-Qadir).
SERVANT_HEAD = "abd"
COMPOUND_HEADS = (SERVANT_HEAD, "abu", *SON_OF_HEADS)
COMPOUND_TAILS = ("lah", "din")
# Names that begin with ben or bin but are not "son of" a name, so have no stem: "Benjamin Smith" met
# "Jamin Smith" at 0.90, a hit, through the stem jamin. Given names of Hebrew, Latin, Germanic and West
# African origin, and the Urdu Benazir.
NOT_SON_OF = frozenset(
    {
        "benazir",
        "benedek",
        "benedetta",
        "benedetto",
        "benedict",
        "benedicta",
        "benedikt",
        "benedita",
        "benigno",
        "benita",
        "benito",
        "benjamim",
        "benjamin",
        "benjamine",
        "bennett",
        "bennet",
        "benoit",
        "benoite",
        "benson",
        "bentley",
        "benton",
        "benvenuto",
        "benyamin",
        "bineta",
        "bintou",
        "binyamin",
    }
)


# The Arabic article glued to the front of a Latin part (Elkhatib, Alhashimi, ELSHAFEE, Alzahrani): the part
# is also keyed and compared as the name without it (``Part.bare``), which is how "El Khatib", "Al-Hashimi"
# and the Arabic script (whose article ``normalise`` drops) write it. The name left must have four letters or
# more and open with a consonant other than l: Alexander, Elena, Ellis and Allan open otherwise, and Elbaz is
# left whole. Latin, Germanic and Turkic names that merely begin with these letters (``NOT_ARTICLED``) have
# no bare name: "Albert Smith" is not "Bert Smith".
ARTICLES = ("al", "el")
NOT_ARTICLED = frozenset(
    {
        "albano",
        "albers",
        "albert",
        "alberta",
        "alberti",
        "albertina",
        "albertine",
        "alberto",
        "albertson",
        "albornoz",
        "albrecht",
        "albright",
        "alcala",
        "alcantara",
        "alcaraz",
        "alcock",
        "alcorn",
        "alcott",
        "aldana",
        "aldridge",
        "alfaro",
        "alfons",
        "alfonso",
        "alford",
        "alfred",
        "alfreda",
        "alfredo",
        "almada",
        "almeida",
        "almira",
        "almonte",
        "almudena",
        "alparslan",
        "alphonse",
        "alphonsine",
        "alphonso",
        "alston",
        "altagracia",
        "altamirano",
        "altman",
        "altmann",
        "alvarado",
        "alvarenga",
        "alvarez",
        "alvaro",
        "alvina",
        "elbert",
        "elchin",
        "eldridge",
        "elfman",
        "elfriede",
        "elkhan",
        "elmira",
        "elmore",
        "elnara",
        "elnura",
        "elsbeth",
        "elshad",
        "elshan",
        "elshen",
        "elsner",
        "elspeth",
        "elston",
        "elvira",
    }
)


def article_stem(text: str) -> str:
    """The name left of a part once an Arabic article glued to its front is dropped (``ARTICLES``), or "".

    >>> article_stem("elkhatib"), article_stem("alhashimi"), article_stem("alzahrani")
    ('khatib', 'hashimi', 'zahrani')
    >>> article_stem("alexander"), article_stem("elbaz"), article_stem("allahdad"), article_stem("albert")
    ('', '', '', '')
    """
    if (
        len(text) >= 6
        and text.startswith(ARTICLES)
        and text[2] not in "aeiouyl"
        and text not in NOT_ARTICLED
        and text[2:] not in PARTICLES
        and text[2:] not in TITLES
    ):
        return text[2:]
    return ""


def head_stem(text: str) -> str:
    """The stem of a part glued to a compound head (``COMPOUND_HEADS``), or "".

    >>> head_stem("abujamal"), head_stem("benali"), head_stem("benjamin"), head_stem("abdul")
    ('jamal', 'ali', '', '')
    """
    if len(text) >= 6 and text.startswith(COMPOUND_HEADS) and text not in NOT_SON_OF:
        return text[3:]
    return ""


@lru_cache(maxsize=262144)
def _part(text: str) -> Part:
    """Build (and cache: the same parts recur across millions of records) a part."""
    if len(text) == 1:
        kind = PartKind.INITIAL
    elif is_patronymic(text):
        kind = PartKind.PATRONYMIC
    else:
        kind = PartKind.NAME
    stem = head_stem(text)
    if not stem and len(text) >= 6 and text.endswith(COMPOUND_TAILS):
        stem = text[:-3]
    return Part(
        text=text,
        skeleton=skeleton(text),
        initial=initial_class(text),
        kind=kind,
        coarse=coarse_key(text),
        coarse_alt=coarse_alternative(text),
        stem=stem,
        bare=article_stem(text),
        vowelled=sum(map(text.count, "aeiou")) >= 2,
        shape=vowel_shape(text),
    )


def make_part(text: str) -> Part:
    """Return the prepared part for one normalised part text (cached).

    >>> make_part("kakazada").skeleton
    'kkzd'
    """
    return _part(text)


def prepare_name(name: str) -> PreparedName:
    """Prepare one name string.

    >>> [(p.text, p.skeleton, p.kind.value) for p in prepare_name("M. Al-Hashimi").parts]
    [('m', 'm', 'initial'), ('hashimi', 'hsm', 'name')]
    """
    return PreparedName(
        original=name, parts=tuple(_part(t) for t in normalise(name)), own=own_name_length(name)
    )


@lru_cache(maxsize=65536)
def _somali(parts: tuple[str, ...]) -> tuple[str, ...] | None:
    return somali_reading(parts)


@lru_cache(maxsize=65536)
def _cyrillic(original: str, parts: tuple[str, ...]) -> list[tuple[str, ...]]:
    if not any("kh" in p for p in parts) or script_of(original) != "CYRILLIC":
        return []
    return cyrillic_reading(parts)


def with_readings(name: PreparedName) -> tuple[PreparedName, ...]:
    """The name, and its readings as further names of the same person, so that their keys and alignments
    meet other spellings: a name in Somali orthography read as such (Maxamed Cali -> mahamed ali:
    ``normalisation.somali_reading``), a name in Cyrillic with its х read as h (Мохаммед -> mohammed:
    ``normalisation.cyrillic_reading``), a name in the Arabic script read the Persian, Urdu or Turkish way
    (عثمان -> asman, as Usman: ``arabic_reading.persian_reading``) or with ه or ح read apart from a letter
    before it that would make a digraph of its h (سهيل -> syhyl, as Suhail: ``separate_h_reading``) or
    with a closing ه read as a consonant (وجيه -> wjyh, as Wajih: ``final_h_reading``) or
    with its article elided as in the
    Maghreb (الأمين -> lamyn, as Lamine: ``arabic_reading.maghrebi_readings``; so is a Latin name with the
    article as a word, El Amine -> lamine), a name in Cyrillic with Russian letters only read the Ukrainian
    way (Олег -> oleh, as Oleh: ``ukrainian_reading``) and one with Ukrainian letters read the Russian way
    (Григорій -> grigoriy: ``ukrainian_reading.russian_reading``), and a Latin name written by the German
    rules for Cyrillic read the English way (Juri Schukow -> yuri shukov, yuri zhukov: ``german_reading``;
    not a name read as Somali), or by the Polish ones, or with carons (Jurij Żukow, Jurij Žukov -> yuriy
    zhukov: ``slavic_reading``). A reading's ``original`` is the name as given plus its label
    (``SOMALI_READING``, ...), which the explanation shows (``shown_name``: in the page's language on the web
    pages).

    >>> [(n.original, [p.text for p in n.parts]) for n in with_readings(prepare_name("Xasan Cali"))]
    [('Xasan Cali', ['xasan', 'cali']), ('Xasan Cali (read as Somali spelling)', ['hasan', 'ali'])]
    >>> [[p.text for p in n.parts] for n in with_readings(prepare_name("Мохаммед аль-Хашими"))]
    [['mokhammed', 'khashimi'], ['mohammed', 'hashimi'], ['mohammed', 'khashimi']]
    >>> [(n.reading, [p.text for p in n.parts]) for n in with_readings(prepare_name("Олег Литвин"))]
    [('', ['oleg', 'litvin']), ('ukrainian', ['oleh', 'lytvyn'])]
    """
    texts = tuple(p.text for p in name.parts)
    out = [name]
    somali = _somali(texts)
    if somali is not None:
        out.append(_reading(name, SOMALI_READING, somali, "somali"))
    elif (german := german_readings(texts)) and script_of(name.original) == "LATIN":
        out.extend(_reading(name, GERMAN_READING, read, "german") for read in german)
    out.extend(_reading(name, CYRILLIC_READING, read, "cyrillic") for read in _cyrillic(name.original, texts))
    persian = persian_reading(name.original)
    if persian is not None and persian != texts:
        out.append(_reading(name, PERSIAN_READING, persian, "persian"))
    separate_h = separate_h_reading(name.original)
    if separate_h is not None and separate_h != texts:
        out.append(_reading(name, SEPARATE_H_READING, separate_h, "separate_h"))
    final_h = final_h_reading(name.original)
    if final_h is not None and final_h != texts:
        out.append(_reading(name, FINAL_H_READING, final_h, "final_h"))
    for maghrebi in maghrebi_readings(name.original):
        if maghrebi != texts:
            out.append(_reading(name, MAGHREBI_READING, maghrebi, "maghrebi"))
    for kind, label, other in (
        ("ukrainian", UKRAINIAN_READING, ukrainian_reading(name.original)),
        ("russian", RUSSIAN_READING, russian_reading(name.original)),
    ):
        if other is not None and other != texts:
            out.append(_reading(name, label, other, kind))
    # The Polish and caron readings, unless a reading already reads the same (a name holding both signs).
    for kind, label, other in (
        ("polish", POLISH_READING, polish_reading(name.original, texts)),
        ("caron", CARON_READING, caron_reading(name.original)),
    ):
        if other is not None and all(other != tuple(p.text for p in n.parts) for n in out):
            out.append(_reading(name, label, other, kind))
    return tuple(out)


def _reading(name: PreparedName, label: str, texts: tuple[str, ...], kind: str) -> PreparedName:
    """The reading ``kind`` of ``name`` with these parts; its ``original``: the name as given + ``label``.
    It keeps the name's own-name length when it keeps its number of parts (each part read in its place)."""
    own = name.own if len(texts) == len(name.parts) else 0
    return PreparedName(name.original + label, tuple(_part(t) for t in texts), kind, own)


_LABELS = {
    "somali": SOMALI_READING,
    "cyrillic": CYRILLIC_READING,
    "persian": PERSIAN_READING,
    "maghrebi": MAGHREBI_READING,
    "ukrainian": UKRAINIAN_READING,
    "russian": RUSSIAN_READING,
    "german": GERMAN_READING,
    "polish": POLISH_READING,
    "caron": CARON_READING,
    "separate_h": SEPARATE_H_READING,
    "final_h": FINAL_H_READING,
}


def shown_name(name: PreparedName) -> str:
    """The name as an explanation shows it: a reading's ``original`` keyed to ``persons.reading.<kind>``
    (a ``Translatable``), so that a web page says its label in the page's language while the API, the CLI
    and the audit log see the English text; the name as given is the entry's value, never translated. Made
    only for the names an explanation shows, not for every reading prepared.

    >>> shown = shown_name(with_readings(prepare_name("Xasan Cali"))[1])
    >>> shown, shown.key, shown.params
    ('Xasan Cali (read as Somali spelling)', 'persons.reading.somali', {'name': 'Xasan Cali'})
    >>> type(shown_name(prepare_name("Xasan Cali"))).__name__
    'str'
    """
    label = _LABELS.get(name.reading)
    original = name.original
    if label is None or isinstance(original, Translatable) or not original.endswith(label):
        return original
    given = original[: -len(label)]
    return Translatable(original, f"persons.reading.{name.reading}", name=given)


def prepare(names: Sequence[str]) -> PreparedNames:
    """Prepare all the names of a person; names that normalise to nothing are left out.

    >>> [n.original for n in prepare(["Mohamed Ali", "", "محمد علي"]).names]
    ['Mohamed Ali', 'محمد علي']
    >>> [n.original for n in prepare(["Abdul Rehman; Abdur Rahman", "Iyad Ag Ghaly dit Abou Fadl"]).names]
    ['Abdul Rehman', 'Abdur Rahman', 'Iyad Ag Ghaly', 'Abou Fadl']
    """
    # Lists often put several spellings in one field ("Abdul Rehman; Abd Ur-Rehman"), and records join a
    # name and an alias with a word ("dit", "alias", "он же"): each is a name (``normalisation.split_names``).
    prepared = (prepare_name(t) for n in names if n for t in split_names(n))
    return PreparedNames(names=tuple(r for p in prepared if p.parts for r in with_readings(p)))
