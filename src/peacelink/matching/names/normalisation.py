"""Normalisation of a person name into comparable ASCII parts.

Steps: transliterate to lower-case ASCII (``transliteration``), drop apostrophes (``'Abd``, ``O'Neil``),
split on anything else that is not a letter or digit (hyphens, dots, commas), then apply the naming
conventions of the mission areas:

* particles that link name parts but carry no identity are dropped: the Arabic article ``al/el/ul`` (also
  when glued to a part in Arabic script, ``الهاشمي``), nasab links ``bin/ibn/bint/ben/ould/ag/wad`` (son or
  daughter of; also as the Arabic script gives them, ``bn/bnt/wld``, and ``bent`` between two parts), and
  European ``de/van/von/da/di/du/der``...; a nasab chain therefore becomes its plain list
  of names (``Muhammad bin Abdullah bin Ahmad`` -> muhammad, abdallah, ahmad);
* theophoric compounds are glued into one part whatever the spelling: ``Abd al-Rahman``, ``Abdul Rahman``,
  ``Abdurrahman``, ``عبد الرحمن`` -> ``abdrahman``/``abdrhmn``; ``Abu Bakr``/``Abubakar``; ``Badr al-Din``,
  ``Badruddin``, ``Badreddine`` -> ``badrdin``; ``Abdallah``/``Abdullah``/``عبدالله`` -> ``abdlah``.
  Arabic writes these either as one or as two words, so gluing is the only way the parts line up. An al
  opening the name after Abd is dropped as an article before a consonant (``Abdul Alhakim`` -> ``abdhakim``)
  or in the Arabic script, not before a vowel in a Latin spelling (``Abdul Aleem`` -> ``abdaleem``);
* patronymics (``-ovich``, ``-evna``, ``ogly``, ``kyzy``) and single-letter initials are recognised so the
  scorer can weigh them less (``parts.Part``);
* ranks, honorifics, generational suffixes and unknown-name placeholders (FNU/LNU) are dropped (``TITLES``),
  and a name written "FAMILY, Given" is put back in spoken order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from peacelink.matching.names.transliteration import script_of, transliterate

__all__ = [
    "NASAB_LINKS",
    "PARTICLES",
    "TITLES",
    "cyrillic_reading",
    "has_several_names",
    "is_patronymic",
    "normalise",
    "own_name_length",
    "somali_reading",
    "split_names",
]

# A word that joins two names of one person in one field: "Iyad Ag Ghaly dit Abou Fadl", "Joaquin Guzman
# alias El Chapo", "Ivanov Ivan, on zhe Petrov". Records and officers write them so (francophone Africa's
# dit, the Spanish and English alias, the Portuguese vulgo, the Urdu urf, the Russian он же / она же, the
# Arabic الملقب / المكنى / المعروف / الشهير, "nicknamed", "called", "known as", followed or not by ب or باسم).
# Only between two words: a name opening or ending with one keeps it. Not the bare "aka", which is a surname
# (Aka Kouassi); a.k.a. and a/k/a are marked by their stops.
_ALIAS_WORD = re.compile(
    r"\s*[,;]?\s+(?:also\s+known\s+as|known\s+as|a\.k\.a\.?|a/k/a|alias|dit|dite|vulgo|urf"
    r"|он\s+же|она\s+же|الملقب|المكنى|المعروف|الشهير)(?:\s+(?:ب|بـ|باسم))?:?\s+(?=\S)",
    re.IGNORECASE,
)

# Dropped wherever they stand alone. Kept short on purpose: every word here is one a real name could be
# ("Ben", "Da"), and dropping it costs recall only when a whole name is made of particles.
PARTICLES: frozenset[str] = frozenset(
    {
        # Arabic article (and its Maghreb/Persian spellings) and nasab links.
        "al",
        "el",
        "ul",
        "bin",
        "ibn",
        "bint",
        "bnt",
        "ben",
        "bn",
        "ould",
        "wld",
        "uld",
        "wuld",
        "wad",
        "ag",
        # European particles.
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "der",
        "den",
        "des",
        "van",
        "von",
        "la",
        "le",
        "dos",
        "das",
        "do",
        "y",
    }
)
# The nasab links among them (son or daughter of), as Latin spellings and the Arabic script give them: the
# parts before the first one are the person's own name, those after it the father's and forebears' names
# (``own_name_length``).
NASAB_LINKS: frozenset[str] = frozenset(
    {"bin", "ibn", "bint", "bnt", "ben", "bn", "ould", "wld", "uld", "wuld", "wad", "ag"}
)
# Nasab links that are also given names elsewhere (Bent, Danish) or initials (O.): dropped only between two
# parts, where a Maghreb spelling of bint stands (Aicha bent Hassan), or the O. that Mauritanian papers write
# for Ould (Mohamed O. Salem): an initial O there met any part opening with a vowel (Ahmed, 0.75).
_INNER_LINKS: frozenset[str] = frozenset({"bent", "o"})
# Titles and ranks that stand before names in lists and on the street ("Colonel Rambo", "Mullah Omar").
# Hafiz, Amir and Imam are left out: each is also a given name.
TITLES: frozenset[str] = frozenset(
    {
        "colonel",
        "general",
        "major",
        "captain",
        "commander",
        "lieutenant",
        "sheikh",
        "shaykh",
        "sheik",
        "shaikh",
        "sheykh",
        "cheikh",
        "mullah",
        "mulla",
        "molvi",
        "maulavi",
        "mawlawi",
        "maulvi",
        "moulavi",
        "hajji",
        "haji",
        "alhaji",
        "alhajji",
        "qari",
        "professor",
        "prof",
        "doctor",
        "dr",
        "mr",
        "mrs",
        "ms",
        # French ranks (West and Central African lists) and abbreviated ranks.
        "commandant",
        "capitaine",
        "caporal",
        "sergent",
        "adjudant",
        "brigadier",
        "col",
        "gen",
        "capt",
        "lt",
        "sgt",
        # Religious and teaching honorifics (Ustadz in Indonesia, Maulana and Mufti in South Asia).
        "ustad",
        "ustadz",
        "ustaz",
        "ustadh",
        "maulana",
        "mawlana",
        "mufti",
        # Generational suffixes ("Santos, III", "Lavilla, Jr").
        "jr",
        "sr",
        "ii",
        "iii",
        # Placeholders for an unknown first, middle or last name in US and UN list data.
        "fnu",
        "mnu",
        "lnu",
    }
)
# Sun-letter assimilations of al- (ash-Shami, ad-Din, ar-Rahman): a particle only before its own consonant.
# The Urdu/Persian spellings of the same article (Shams ur-Rahman, Mati ur Rehman, Zia ud-Din) behave alike.
_SUN_ARTICLES = {
    "ad": "d",
    "ar": "r",
    "as": "s",
    "ash": "sh",
    "at": "t",
    "az": "z",
    "an": "n",
    "ath": "th",
    "ud": "d",
    "ur": "r",
    "us": "s",
    "ush": "sh",
    "ut": "t",
    "uz": "z",
    "un": "n",
}
# "Servant of" and "father of": glued to the part that follows (see module docstring).
_ABD_WORDS = frozenset({"abd", "abdul", "abdel", "abdal", "abdoul", "abdur", "abdus", "abdol"})
_ABU_WORDS = frozenset({"abu", "abou", "abo", "abw", "bou", "umm", "um", "om"})
_DIN_WORDS = frozenset({"din", "deen", "dine", "dyn", "ddin", "ddine", "eddine", "uddin", "iddin"})
_CONSONANT = "[bcdfghjklmnpqrstvwxz]"
_VOWELS_AND_Y = frozenset("aeiouy")
# abd + optional article (abdul-, abdel-, abdal-; abdur-rahman with the l assimilated; Somali abdi-) + rest.
_ABD_JOINED = re.compile(
    rf"^abd(?:(?:ou|u|e|a|i|o)(?P<l>l)|(?:ou|u|e|a)(?=({_CONSONANT})\2)|i(?={_CONSONANT}))?(?P<rest>[a-z]{{3,}})$"
)
_DIN_JOINED = re.compile(r"^(?P<base>[a-z]{3,}?)(?:[aeiu]l|[aeiu]d|[aeiu])d(?:in|ine|een|yn)$")
# Rahman without its h, as the French spellings of Chad, Mali and Niger write Abd al-Rahman (Abderamane,
# Abdramane, Abderaman; Abdourahamane keeps it): the spelling the other forms get, whose skeleton holds the h.
_RAHMAN_WITHOUT_H = re.compile(r"^[aeiou]?r?ram[ae]?ne?$")
_ALLAH = frozenset({"allah", "alla", "allh", "ullah", "ulla", "illah", "lah", "llah"})
# Allah as the second word of Abd Allah in West African and Somali spellings (Abdoulaye, Abdoulahi,
# Abdullahi, Abdoulay): only after abd, since alone "lai" and "lay" are other names (Lai).
_ALLAH_AFTER_ABD = _ALLAH | frozenset({"laye", "lay", "lahi", "llahi", "lahy", "llahy", "laay", "laahi"})
# X-ullah written as one word (Habibullah, Rahmatullah): the same canonical spelling as "X Allah" glued.
_ALLAH_JOINED = re.compile(r"^(?P<base>[a-z]{3,}?)[aeiou]?ll?ah?$")
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovic|evic|ovitch|evitch|yevich|ovna|evna|yevna|ichna|inichna)$")
_PATRONYMIC_WORDS = frozenset({"ogly", "oglu", "ogli", "kyzy", "qizi", "gyzy"})
# Bracketed notes in list data ("(Tigrinya)", "(born ...)") are annotations, not name parts.
_BRACKETS = re.compile(r"[(\[][^)\]]*[)\]]")
_APOSTROPHES = re.compile(r"['’‘`ʻʼʿʾ]")
_SPLIT = re.compile(r"[^a-z0-9]+")
# Arabic final ه is a long vowel + h (Allah, Taha) that Latin spellings often drop; see transliteration.
_ARABIC_FINAL_HA = re.compile(r"ه\b")


def is_patronymic(part: str) -> bool:
    """Tell whether a normalised part is an East-Slavic or Turkic patronymic.

    >>> is_patronymic("sergeyevich"), is_patronymic("ivanovna"), is_patronymic("ivanov")
    (True, True, False)
    """
    return part in _PATRONYMIC_WORDS or bool(_PATRONYMIC.search(part))


def _strip_article(part: str) -> str:
    """Drop an Arabic article glued to the front of a part (``alhashmy`` -> ``hashmy``)."""
    if len(part) > 4 and part[:2] in ("al", "el"):
        return part[2:]
    return part


def _canonical_compound(part: str) -> str:
    """Rewrite one-word theophoric compounds to the spelling the two-word form gets."""
    if part in _ALLAH:
        return "lah"
    match = _ABD_JOINED.match(part) if part.startswith("abd") else None
    if match:
        rest = match.group("rest")
        if match.group("l") is None and rest[0] == rest[1]:
            rest = rest[1:]  # abdur-rahman: the article's l assimilated to the sun letter
        rest = "lah" if rest in _ALLAH_AFTER_ABD or ("l" + rest) in _ALLAH_AFTER_ABD else rest
        return "abd" + ("rahman" if _RAHMAN_WITHOUT_H.match(rest) else rest)
    match = _ALLAH_JOINED.match(part) if part.endswith(("lah", "lla")) and len(part) > 6 else None
    if match:
        return match.group("base") + "lah"
    match = _DIN_JOINED.match(part) if part.endswith(("din", "dine", "deen", "dyn")) else None
    if match and part not in _DIN_WORDS:
        return match.group("base") + "din"
    return part


def _uninvert(text: str) -> str:
    """Undo the list convention "FAMILY, Given" (one comma): ``Bakr, Abu`` -> ``Abu Bakr``.

    Part order does not matter for matching, but compounds are glued with their neighbour (``Abu Bakr``)
    and neighbouring parts give join keys, so the parts must stand in the order they are spoken.
    """
    if text.count(",") != 1:
        return text
    family, given = text.split(",")
    return f"{given} {family}" if family.strip() and given.strip() else text


def _tokens(text: str) -> tuple[list[str], bool]:
    """Transliterate and split a name; also say whether it was written in Arabic script."""
    text = _uninvert(_BRACKETS.sub(" ", text))
    arabic = script_of(text) == "ARABIC"
    if arabic:
        text = _ARABIC_FINAL_HA.sub("اه", text)
    # ç is "s" in French and Turkish spellings (Idriça, Idrissa); Latin-ASCII would make it a hard "c".
    latin = _APOSTROPHES.sub("", transliterate(text.replace("ç", "s").replace("Ç", "S")))
    return [t for t in _SPLIT.split(latin) if t], arabic


@lru_cache(maxsize=65536)
def _structured(text: str) -> tuple[tuple[str, ...], int]:
    """Cached body of ``normalise``: the parts of a name, and how many of them stand before its first nasab
    link (``own_name_length``)."""
    raw, arabic = _tokens(text)
    out: list[str] = []
    own = 0
    index = 0
    while index < len(raw):
        token = raw[index]
        following = raw[index + 1] if index + 1 < len(raw) else None
        if token in _SUN_ARTICLES and following and following.startswith(_SUN_ARTICLES[token]):
            index += 1
            continue
        if token in _INNER_LINKS and following is not None and out:
            own = own or len(out)
            index += 1
            continue
        if token in NASAB_LINKS and following is not None and out:
            own = own or len(out)
        if (token in PARTICLES or token in TITLES) and (following is not None or out):
            # A lone particle at the very start with nothing after it is kept: it is then the name.
            index += 1
            continue
        if arabic:
            token = _strip_article(token)
        if (token in _ABD_WORDS or token in _ABU_WORDS) and following is not None:
            # Glue "abd"/"abu" to the next real part, skipping an article in between.
            nxt = index + 1
            while nxt < len(raw) - 1 and (raw[nxt] in PARTICLES or raw[nxt] in _SUN_ARTICLES):
                nxt += 1
            rest = raw[nxt]
            if len(rest) > 4 and (arabic or rest[2] not in _VOWELS_AND_Y):
                # An article glued to it (Abdul Alhakim); a Latin name opening with al and a vowel keeps its
                # letters (Abdul Aleem is abdaleem, as Abdelaleem and Abdul Alim's abdalim are spelt).
                rest = _strip_article(rest)
            head = "abd" if token in _ABD_WORDS else "abu"
            if head == "abd" and _RAHMAN_WITHOUT_H.match(rest):
                rest = "rahman"  # Abdel Ramane, Abdoul Ramane
            token = head + ("lah" if rest in (_ALLAH_AFTER_ABD if head == "abd" else _ALLAH) else rest)
            index = nxt
            out.append(token)
            index += 1
            continue
        if token in _DIN_WORDS and out:
            out[-1] = out[-1] + "din"
            index += 1
            continue
        if token in _ALLAH and out and not out[-1].endswith("lah"):
            # "Habib Ullah", "حبیب الله": glued like Habibullah (see _ALLAH_JOINED).
            out[-1] = out[-1] + "lah"
            index += 1
            continue
        out.append(_canonical_compound(token))
        index += 1
    return tuple(out), (own if own < len(out) else 0)


# A word that may be a nasab link, in any script (Latin, Arabic بن بنت ابن ولد, Cyrillic бин бен ибн улд):
# a cheap test before a stored name is normalised again to find its own name (``own_name_length``).
_LINK_HINT = re.compile(
    r"(?i)(?<![^\W\d_])(?:bin|ibn|bint|bnt|ben|bn|ould|wld|uld|wuld|wad|ag|bent|o|بن|بنت|ابن|ولد|бин|бен|ибн|"
    r"бинт|улд|ульд)(?![^\W\d_])"
)


def own_name_length(text: str) -> int:
    """How many of a name's parts are the person's own name, told by a nasab link standing after them
    (Ahmed Ould Mohamed Lemine: Ahmed, son of Mohamed Lemine; Osama bin Mohammed bin Laden); 0 when the
    name holds no link between two parts, or opens with one (Ould Ahmed Mohamed, the family name first).

    >>> own_name_length("Ahmed Ould Mohamed Lemine"), own_name_length("Abd al-Aziz bin Mohammed")
    (1, 1)
    >>> own_name_length("Mohamed Lemine O. Ahmed"), own_name_length("محمد الأمين ولد أحمد")
    (2, 2)
    >>> own_name_length("Ould Ahmed Mohamed"), own_name_length("Ahmed Mohamed"), own_name_length("Ben Ali")
    (0, 0, 0)
    """
    if _LINK_HINT.search(text) is None:
        return 0
    return _structured(text)[1]


def normalise(text: str) -> list[str]:
    """Normalise a name in any script to its list of lower-case ASCII parts.

    >>> normalise("ABD AL-KHALIQ AL-HOUTHI")
    ['abdkhaliq', 'houthi']
    >>> normalise("عبدالخالق الحوثي")
    ['abdkhalq', 'hwthy']
    >>> normalise("Muhammad bin Abdullah bin Badr al-Din")
    ['muhammad', 'abdlah', 'badrdin']
    >>> normalise("Александр Сергеевич Пушкин")
    ['aleksandr', 'sergeyevich', 'pushkin']
    """
    return list(_structured(text)[0])


# Somali is written in Latin letters (the official orthography since 1972) with two letters that other
# spellings of the same Arabic-derived names do not use: x is the pharyngeal h (ح: Xasan = Hassan, Maxamed =
# Mohamed, Faarax = Farah) and c is the ayn (ع), which English and French spellings drop (Cali = Ali, Cabdi =
# Abdi, Jaamac = Jama, Cumar = Omar); a doubled vowel is a long one (Yuusuf = Yusuf, Xuseen = Hussein).
_VOWEL_GROUP = re.compile(r"[aeiou]+")
_AYN = re.compile(r"(?<=[aeiou])c(?![hk])|c(?=[aeiou])")
_LONG_VOWEL = re.compile(r"aa|ii|uu")
# What Somali spelling does not hold, so a name holding one is not written in it: the letters p, v, z and
# the digraphs ch, th, ph, ck (Christian, Philip, Vincent, Zachary, Patrick), a soft c before two vowels
# (Francisco, Lucia); two consonants opening a part but sh, dh, kh (Francis, Grace, Clara), three in a row
# (Cottrer), two closing a part (Carl, Marc).
_NOT_SOMALI = re.compile(
    r"[pvz]|ch|th|ph|ck|sc|cc|ci[aeou]|ce[aeiou]|^(?!sh|dh|kh)[^aeiou][^aeiouy]|[^aeiouy]{3}"
    r"|(?!sh$|dh$|kh$)[^aeiouy]{2}$"
)
_SOMALI_C = re.compile(r"c(?!h)")
_SOMALI_LONG = re.compile(r"([aeiou])\1")


# Where Somali writes its x: opening a part before a vowel (Xasan, Xuseen), after a, o or u before a vowel
# or m (Maxamed, Axmed, Dhuxulow), closing a part after a or uu (Faarax, Nuux). Not after e or i (Alex,
# Felix, Dexter), nor before e (Axel).
_SOMALI_X = re.compile(r"^x[aiou]|[aou]x[aioum]|(?:a|uu)x$")


def _somali_x(part: str) -> bool:
    """An x where Somali writes it (``_SOMALI_X``), in a part of two or more syllables: the Somali
    pharyngeal h. One-syllable parts are left out: the pinyin x (Xu, Xia, Xin) is a different sound, and
    Xu/Hu are two families."""
    if "x" not in part or _SOMALI_X.search(part) is None:
        return False
    return len(_VOWEL_GROUP.findall(part)) >= 2 or part.endswith(
        ("aax", "uux")
    )  # Nuux (Nuh), pinyin has none


def _somali_part(part: str) -> str:
    """One part read as Somali: doubled vowels single, then the ayn c dropped, then x -> h (only in a
    part of two or more syllables, ``_somali_x``)."""
    read = _SOMALI_C.sub("", _SOMALI_LONG.sub(r"\1", part))
    return read.replace("x", "h") if _somali_x(part) else read


def somali_reading(parts: tuple[str, ...]) -> tuple[str, ...] | None:
    """The parts of a name read as Somali orthography (x -> h, c dropped, doubled vowels single), or None
    when the name does not read as Somali or reads the same.

    A name reads as Somali when a part of two or more syllables holds an x, or when the ayn c (a c next to
    a vowel, not in ch or ck) stands in two parts, or in one part beside a long vowel (aa, ii, uu). One c
    alone is no evidence: Carmen, Lucas and Nicolas have one too.

    >>> somali_reading(("maxamed", "cali", "faarax"))
    ('mahamed', 'ali', 'farah')
    >>> somali_reading(("cabdullaahi", "jaamac", "macalin"))
    ('abdlah', 'jama', 'maalin')
    >>> somali_reading(("ibraahim", "xaaji", "jaamac"))
    ('ibrahim', 'jama')
    >>> somali_reading(("nuux", "cali"))
    ('nuh', 'ali')
    >>> somali_reading(("carmen", "lopez")), somali_reading(("xu", "wei")), somali_reading(("alex", "cole"))
    (None, None, None)
    """
    if not any("x" in p or "c" in p for p in parts) or any(_NOT_SOMALI.search(p) for p in parts):
        return None
    ayn = sum(1 for p in parts if _AYN.search(p))
    long_vowel = any(_LONG_VOWEL.search(p) for p in parts)
    if not (any(_somali_x(p) for p in parts) or ayn >= 2 or (ayn and long_vowel)):
        return None
    # Long vowels first: the ayn between two vowels (Macalin, Mu'allim) must not make a long vowel.
    read = tuple(_canonical_compound(_somali_part(p)) or p for p in parts)
    # A part that reads as a title or a particle (Xaaji = Haji) is dropped, as normalise drops them.
    kept = tuple(p for p in read if p not in TITLES and p not in PARTICLES) or read
    return kept if kept != parts else None


def cyrillic_reading(parts: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The readings of a name written in Cyrillic with its х as h: every kh read as h, and, where a part
    opens with kh, also every kh but that one; none when no part has a kh.

    Russian has no h: its х (romanised kh, BGN/PCGN) stands for the Arabic ح and ه as well as خ, so
    Мохаммед аль-Хашими romanises as mokhammed khashimi, which meets neither Mohammed nor Hashimi. An opening
    х is خ about as often as ح (Халид Khalid, Хасан Hassan), a later one mostly ح (Мохаммед, Ахмед), hence
    the second reading (Халид Мохаммед: khalid mohammed). The romanisation itself stays a name too.

    >>> cyrillic_reading(("mokhammed", "khashimi")), cyrillic_reading(("ivan", "petrov"))
    ([('mohammed', 'hashimi'), ('mohammed', 'khashimi')], [])
    >>> cyrillic_reading(("akhmed", "abdulkhamid"))
    [('ahmed', 'abdhamid')]
    """
    if not any("kh" in p for p in parts):
        return []
    parts = tuple(p for p in parts if p not in TITLES) or parts
    every = tuple(_canonical_compound(p.replace("kh", "h")) for p in parts)
    inner = tuple(
        _canonical_compound("kh" + p[2:].replace("kh", "h") if p.startswith("kh") else p.replace("kh", "h"))
        for p in parts
    )
    return [every] if inner == every else [every, inner]


def split_names(text: str) -> list[str]:
    """The names one field holds: spellings separated by ``;`` ("Abdul Rehman; Abd Ur-Rehman"), and names
    joined by a word that says the second is another name of the person (``_ALIAS_WORD``); each stripped,
    the empty ones left out.

    >>> split_names("Abdellillah dit Abdellah Ahmed dit Said")
    ['Abdellillah', 'Abdellah Ahmed', 'Said']
    >>> split_names("Joaquín Guzmán Loera alias El Chapo; Joaquin Guzman")
    ['Joaquín Guzmán Loera', 'El Chapo', 'Joaquin Guzman']
    >>> split_names("Иванов Иван, он же Петров")
    ['Иванов Иван', 'Петров']
    >>> split_names("أحمد محمد الملقب ب أبو حفص")
    ['أحمد محمد', 'أبو حفص']
    >>> split_names("Aka Kouassi Jean"), split_names("Kouassi Aka"), split_names("Alias Dit")
    (['Aka Kouassi Jean'], ['Kouassi Aka'], ['Alias Dit'])
    """
    names = (name.strip() for spelling in text.split(";") for name in _ALIAS_WORD.split(spelling))
    return [name for name in names if name]


def has_several_names(text: str) -> bool:
    """Whether a field holds more than one name (``split_names``): cheaper than splitting it."""
    return ";" in text or _ALIAS_WORD.search(text) is not None
