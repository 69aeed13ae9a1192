"""Similarity of two name parts.

A part pair is compared in decreasing order of strength, and the first test that holds says how it
matched (the ``method`` shown in explanations):

* ``exact``: same normalised ASCII text;
* ``phonetic``: same consonant skeleton (``phonetics.skeleton``), e.g. ``mohamed``/``muhammad``/``mhmd``;
* ``fuzzy``: Jaro-Winkler similarity of the texts, or of skeletons about as long, high enough (typing
  errors, ``abbasin``/``abasyn``);
* ``initial``: one side is a single letter of the same initial class as the other side's first letter;
* ``article``: one side has the Arabic article glued to its front (``parts.article_stem``: Elkhatib), and
  without it the two parts meet (El Khatib, Al-Khateeb);

The ``phonetic`` test also accepts equal *coarse* keys (``phonetics.coarse_key``: Jamal/Gamal,
Qasmi/Gasmi), equal coarse keys once th is read as s, dh as z and a soft c hard
(``phonetics.coarse_alternative``: Uthman/Usman, Dhakir/Zakir, Cemal/Jamal), skeletons one but for a closing
d written t (``phonetics.devoiced``: Mahamat/Muhammad, Ahmet/Ahmad, at the skeleton's similarity) and, for
one-syllable parts, equal *syllable* keys (``phonetics.syllable_key``:
the romanisations of Korean and Chinese names, Chang/Jang, Cho/Jo, To/Do) at a lower similarity, since
those folds are less certain than the skeleton's. Parts of more than one syllable that read the same once j is
read y and w v (``phonetics.orthography_fold``: Juri/Yuri, Jusuf/Yusuf, Wiktor/Viktor, Jurij/Yuriy/Yuri) are
a ``phonetic`` match as well: the Latin alphabets of Central Europe and the Balkans write those letters so.

Two parts known to be two names never meet as a typing error (``_known_apart``): two names of God
(Rahman / Rahim, Hakim / Halim, alone or after Abd), and a part opening with a vowel against one opening
with a consonant that no spelling drops there (Samir / Amir, Jamal / Amal; the French h, the semivowels, the
l of an elided article and the Somali c for the ayn may be dropped: Haroun / Aroun, Lamine / Amine, Cabdi /
Abdi). Nor do a name and the surname or patronymic made of it (``_added_ending``: Johnson / John,
Hassanein / Hassan, Ivanovich / Ivan). An Arabic diminutive and its base form are two names, though they share
their skeleton (``diminutive_form``: Sulaiman / Salman, Umair / Umar).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.text.distance import jaro_winkler

from peacelink.matching.names.forms import same_form
from peacelink.matching.names.normalisation import _CONSONANT, _VOWELS_AND_Y
from peacelink.matching.names.parts import SERVANT_HEAD, Part, PartKind, make_part
from peacelink.matching.names.phonetics import (
    SYLLABLE_MAX,
    alternative_reading,
    devoiced,
    orthography_fold,
    shapes_conflict,
    skeleton,
    syllable_key,
)

__all__ = ["compare_parts"]

EXACT = 1.0
PHONETIC = 0.92
# Same coarse key only (g/j/k/q, s/z, b/f folded): Jamal/Gamal. Below a good fuzzy match.
PHONETIC_COARSE = 0.84
# Spelling closeness (Jaro-Winkler) required besides an equal short skeleton or an equal coarse key.
SHORT_SKELETON_MIN_JW = 0.75
# A skeleton of at most this many consonants is "short": shared by unrelated names when both are written
# with their vowels (Ramis/Ermes "rms", Hasukawa/Hisaaki "hsk"), so those need SHORT_SKELETON_MIN_JW too.
SHORT_SKELETON = 3
# The skeletons' own Jaro-Winkler stands in for the texts' only for skeletons about as long (at most this
# many consonants apart) and, for two vowelled spellings, texts at least SKELETON_MIN_TEXT_JW alike:
# otherwise a short skeleton that begins a long one scores like a typing error (Mather/Mitroglou
# "mtr"/"mtrgl" 0.91, Maurice/Mabrouk, Hiroshi/Haraguchi).
SKELETON_LENGTH_GAP = 1
SKELETON_MIN_TEXT_JW = 0.8
COARSE_MIN_JW = 0.7
# Skeletons that two common, different names share, told apart by where the vowels stand
# (``phonetics.vowel_shape``): mhmd is Muhammad (mu-ham-mad) and Mahmud (mah-mud); hmd is Ahmad (an opening
# alif) and Hamid, Hamad, Hamed. Only these: transliterations add and drop vowels too freely (Abdul Satar /
# Abdulasattar, Ibrahim / Barahim) for the shape to be judged on every skeleton (it cost 2.4 points of true
# persons at a hit on the benchmark).
CONFUSABLE_SKELETONS = frozenset({"mhmd", "hmd"})
# A skeleton two different names share with the same vowel pattern, told apart by their first vowel: hsn is
# Hasan (حسن, Hassan, Hassen) and Husayn (حسين, Hussein, Hosein, Houssein); lhsn is both with the article
# elided as in the Maghreb (Lahcen, Lhassen; Lhoussine, Lahoucine), their vowel the one after the h.
FIRST_VOWEL_SKELETONS = frozenset({"hsn", "lhsn"})
_VOWEL_LETTERS = frozenset("aeiou")
# Romanisations of the Arabic script (vowelless but for the long vowels) of these names, and the vowel
# shape of their Latin spellings: محمد mhmd is Muhammad's (c111), محمود mhmwd Mahmud's (c101), أحمد ahmd
# Ahmad's (v01); حسين hsyn is Husayn's (first vowel u), حسن hsn Hasan's (a), and so with the article elided
# (الحسين lhsyn, الحسن lhsn: ``arabic_reading.maghrebi_readings``).
_ARABIC_SHAPES = {"mhmd": "c111", "mhmwd": "c101", "ahmd": "v01"}
_ARABIC_FIRST_VOWELS = {"hsyn": "u", "hsn": "a", "lhsyn": "u", "lhsn": "a"}
_VOWEL_CLASS = str.maketrans({"e": "a", "o": "u"})
# The names of God that Abd names are made of (Abd al-Rahman, Abdelhakim) and that are given names and
# surnames on their own (Rahman, Karim, Hakim): two of them are two names, never a typing error of one
# another, however alike their letters (Rahman / Rahim 0.85, Hakim / Halim 0.80, Basit / Basir 0.83 as typing
# errors, a hit with one more part alike). Held by their skeletons, which their spellings share (Rahmane,
# Rehman; Hakeem; Kader, Qadir), and only those of three consonants or more: shorter ones belong to other
# names too (hd is Wahid, Ahad and Hadi; mn is Mani and Amin).
_DIVINE_NAMES = (
    "rahman rahim malik quddus salam muhaymin jabbar mutakabbir khaliq musawwir ghaffar qahhar razzaq "
    "qabid basit khafid mudhill basir latif khabir halim shakur hafiz muqit hasib jalil karim raqib mujib "
    "hakim majid shahid matin hamid muhsi mubdi muhyi mumit samad qadir muqtadir muqaddim muakhkhir zahir "
    "batin mutaali muntaqim muqsit mughni rashid sabur"
)
DIVINE_SKELETONS = frozenset(s for s in map(skeleton, _DIVINE_NAMES.split()) if len(s) >= 3)
# An opening consonant that a spelling may drop before a vowel: the French h (Haroun / Aroun, Hassan /
# Assane), the semivowels, the l left of an elided article (Lamine / Amine, Laziz / Aziz) and the c that
# Somali writes for the ayn (Cabdi / Abdi, Cumar / Umar). Any other makes another name of one opening with a
# vowel: Samir / Amir, Jamal / Amal, Salim / Alim, Bashir / Ashir, Mamadou / Amadou, Qasim / Asim (0.84-0.85
# alike as typing errors, a hit with one more part alike).
_DROPPED_OPENINGS = frozenset("chlwy")
# The endings that make a surname or a patronymic of a name (``_added_ending``): the Germanic -son and -sen
# (Johnson, Petersen), the Slavic -ovich, -ich, -ovic, -ova, -ski (Ivanovich of Ivan and of Ivanov, Petrovic,
# Ivanova, Janowski), the Persian -zadeh and -pour (Alizadeh, Hassanpour), the Turkic -oglu and -uly
# (Hasanoglu, Nazarbayuly), the Arabic -ein and -ain of Hassanein, and -man and -mann. Other endings are more
# often a short form of the same given name than another name (Sam / Samuel, Chris / Christopher, Fred /
# Frederick), and still meet as typing errors.
_ENDINGS = (
    "son sen sson ssen ovich evich ovitch evitch ich ych vich vic vych ovic evic ovych evych ovna evna ova "
    "eva ski sky ska owski ewski ovski evski zadeh zade zada pour oglu ogly uly ein ain man mann"
)
DERIVING_ENDINGS = frozenset(_ENDINGS.split())
# A compound against its bare stem (Abu Jamal / Jamal).
STEM_FACTOR = 0.8
# A part with the Arabic article glued to it against the same name written without it (Elkhatib / El Khatib,
# Alhashimi / الهاشمي) scores as the name without it, at most this: the article says nothing of who the
# person is, but the split is a guess (Alberto is no Berto), so it is never an exact match. (Scaled by 0.9
# or 0.95 instead, the glued spelling fell below a hit against the Arabic script: Salem Alhashimi / سالم
# الهاشمي 0.87 and 0.897, Salem Al-Hashimi 0.92.) The two spellings' Jaro-Winkler is 0.83.
ARTICLE_MATCH = 0.95
INITIAL = 0.75
# Two forms of one given name in two languages (``forms.same_form``: Iosif / Joseph, Zainab / Zeynep, Hocine /
# Hussein) and a short form against its name (Bob / Robert): as sure as a coarse phonetic match, no more.
FORM = 0.84
NICKNAME = 0.84
# Below this Jaro-Winkler similarity two parts are different names (Ahmed/Hamid is 0.72; Yusuf/Yousef 0.87).
FUZZY_FLOOR = 0.85
# A fuzzy match is scaled so that it never beats a phonetic one.
FUZZY_SCALE = 0.9


def compare_parts(query: Part, candidate: Part) -> tuple[float, str]:
    """Return the similarity in [0, 1] of two parts and the method that found it."""
    given_query, given_candidate = query, candidate
    if query.bare and candidate.bare:
        # Both with the article glued: it is no evidence (Elkhatib / Elkhalil were 0.91 alike by it).
        query, candidate = make_part(query.bare), make_part(candidate.bare)
    elif _both_abd(query, candidate):
        # Abd and the name of God it is the servant of: only that name tells two apart (Abdelkarim and
        # Abdelkader met at 0.82 by their shared opening letters, a hit with another part alike; now 0).
        query, candidate = make_part(_abd_stem(query)), make_part(_abd_stem(candidate))
    similarity, method = _compare_plain(query, candidate)
    if method == "phonetic" and similarity >= PHONETIC and _opening_vowel_apart(given_query, given_candidate):
        similarity, method = 0.0, "none"
    if (query.bare or candidate.bare) and similarity < EXACT:
        bare = _compare_bare(query, candidate)
        if bare > similarity:
            return bare, "article"
    if similarity > 0.0 or query.kind is PartKind.INITIAL or candidate.kind is PartKind.INITIAL:
        return similarity, method
    # A glued compound against its bare stem: the kunya "Abu Jamal" and "Jamal", "A. Rahman" written
    # for Abd al-Rahman, "Saif" for Saif al-Din. Weaker than any direct match: the head carries meaning.
    for long, short in ((query, candidate), (candidate, query)):
        if long.stem and len(short.text) >= 3:
            similarity, _ = _compare_plain(make_part(long.stem), short)
            if similarity >= PHONETIC_COARSE:
                return round(similarity * STEM_FACTOR, 4), "stem"
    return 0.0, "none"


def _both_abd(query: Part, candidate: Part) -> bool:
    """Whether two different parts are both Abd compounds with a stem (abdkarim, abdkader)."""
    return (
        query.text != candidate.text
        and query.text.startswith(SERVANT_HEAD)
        and candidate.text.startswith(SERVANT_HEAD)
        and bool(query.stem)
        and bool(candidate.stem)
    )


# The vowel that joins Abd to the name after it, where normalisation kept it (``_abd_stem``).
_JOINING_VOWEL = re.compile(rf"(?:ou|u|e|o)(?={_CONSONANT})")


def _abd_stem(part: Part) -> str:
    """The name after Abd, without an article that short names keep in it (عبد الحق: abdalhq, alhq: hq)
    or the vowel that joins Abd to it where normalisation kept it (Abdusalam, Abdurahim, Abderahim: usalam,
    urahim, erahim; Abdursalam: rsalam), so that it is not read as a name opening with a vowel
    (``_known_apart``). No name of God opens with u, e or o; a and i open some (Aziz, Azeez, Ilah)."""
    stem = part.stem
    if len(stem) > 3 and stem.startswith(("al", "el", "ul")) and stem[2] not in _VOWELS_AND_Y:
        return stem[2:]  # not Alim, Aleem, Aly: names of God opening with al and a vowel
    joined = _JOINING_VOWEL.match(stem)
    return stem[joined.end() :] if joined and len(stem) - joined.end() >= 4 else stem


def _compare_bare(query: Part, candidate: Part) -> float:
    """A part with an Arabic article glued to its front (``Part.bare``: Elkhatib, Alhashimi) against the
    other part, with the article dropped: their similarity, at most ``ARTICLE_MATCH``; 0 below a coarse
    phonetic match."""
    if query.kind is PartKind.INITIAL or candidate.kind is PartKind.INITIAL:
        return 0.0
    if query.bare:
        similarity, _ = _compare_plain(make_part(query.bare), candidate)
    else:
        similarity, _ = _compare_plain(query, make_part(candidate.bare))
    return min(similarity, ARTICLE_MATCH) if similarity >= PHONETIC_COARSE else 0.0


_SEMIVOWELS = str.maketrans({"w": "ou", "y": "i"})


def _skeleton_is_evidence(query: Part, candidate: Part, text_jw: float) -> bool:
    """Whether equal skeletons mean the same name.

    A short skeleton is shared by unrelated names (Amir/Moore "mr", Ramis/Ermes "rms"): when both
    parts are written with their vowels (``Part.vowelled``), their spelling must also be close. A vowelless
    rendering of the Arabic script (mhmd, amr) is compared by its skeleton alone, which is what the
    skeleton is for.
    """
    if len(query.skeleton) == 1:
        if text_jw >= SHORT_SKELETON_MIN_JW + 0.05:
            return True
        # The French ou and the English w, an i and a y are one sound: Ouali / Wali / والي (waly).
        folded = jaro_winkler(query.text.translate(_SEMIVOWELS), candidate.text.translate(_SEMIVOWELS))
        return folded >= SHORT_SKELETON_MIN_JW + 0.05
    if len(query.skeleton) <= SHORT_SKELETON and query.vowelled and candidate.vowelled:
        return text_jw >= SHORT_SKELETON_MIN_JW
    return True


def _opens_with_vowel(text: str) -> bool | None:
    """Whether a part opens with a vowel (a, e, i, o, u, or a y before a consonant: Yvan is Ivan), or None
    for a y or w before a vowel, which a spelling writes or leaves out (Yekatom / Ekatom, Yelena / Elena)."""
    if text[:1] in "yw" and text[1:2] in _VOWEL_LETTERS:
        return None
    return text[:1] in _VOWEL_LETTERS or (text[:1] == "y" and text[1:2] not in _VOWEL_LETTERS)


def _opening_vowel_apart(query: Part, candidate: Part) -> bool:
    """Whether one part, of a skeleton of at most SHORT_SKELETON letters, opens with a vowel that stands
    before one consonant and a vowel, and the other opens with a consonant: the vowel is part of the name
    (Iman / Mun, Omar / Mar, Asad / Saad rendered sad, Amadou / Madou). Before two consonants it is the
    vowel the Maghreb drops (Ibrahim / Brahim, Idris / Dris, Ismail / Smail, Ilyas / Lyas): one name. Two
    opening vowel letters are not judged (Ouali is Wali), nor an article before a vowel (Alomari / Lamri).
    ``compare_parts`` asks it of the parts as given, so that Abd compounds (Abdulasattar / Abdulsatar, whose
    stems keep the article's a: asattar) are not judged by their stems; it overrides only the phonetic match
    of equal skeletons (``PHONETIC``), not the weaker coarse ones.

    >>> _opening_vowel_apart(make_part("iman"), make_part("mun"))
    True
    >>> _opening_vowel_apart(make_part("ibrahim"), make_part("brahim"))
    False
    """
    query_open, candidate_open = _opens_with_vowel(query.text), _opens_with_vowel(candidate.text)
    if query_open is None or candidate_open is None or query_open == candidate_open:
        return False
    opening = query if query_open else candidate
    if opening.text[:2] in ("al", "el"):
        return False  # perhaps the article, whose a the Maghreb elides (Alomari / Lamri, Elabed / Labed)
    rest = opening.text.lstrip("aeiou")
    # One opening vowel letter only: two are a semivowel or a diphthong (the French ou of Ouali is w).
    return (
        len(opening.skeleton) <= SHORT_SKELETON
        and len(opening.text) - len(rest) == 1
        and len(rest) >= 2
        and rest[1] in _VOWEL_LETTERS
    )


def _skeleton_jw(query: Part, candidate: Part, text_jw: float) -> float:
    """The skeletons' Jaro-Winkler similarity where it may stand for the parts' (0.0 where it may not).

    Only for skeletons of three or more consonants, at most ``SKELETON_LENGTH_GAP`` apart in length, and,
    when both parts are written with their vowels, spellings at least ``SKELETON_MIN_TEXT_JW`` alike; a
    vowelless Arabic-script rendering (mhmd) has only its skeleton to compare. The spelling test is made
    last, for the few pairs whose skeletons are alike enough to matter.
    """
    a, b = query.skeleton, candidate.skeleton
    if len(a) < 3 or len(b) < 3 or abs(len(a) - len(b)) > SKELETON_LENGTH_GAP:
        return 0.0
    similarity = jaro_winkler(a, b)
    if similarity <= text_jw or similarity < FUZZY_FLOOR:
        return 0.0  # it would not change the result
    if text_jw >= SKELETON_MIN_TEXT_JW or not (query.vowelled and candidate.vowelled):
        return similarity
    return 0.0


def _first_vowel(text: str) -> str:
    """The class of a part's first vowel: a (a, e), u (o, u) or i; "" for none."""
    for letter in text:
        if letter in "aeiou":
            return letter.translate(_VOWEL_CLASS)
    return ""


# Latin spellings whose vowels stand where another name's do: the Turkish Mehmet (Muhammad) is said
# meh-met, as Mahmud is, and would otherwise be told apart from Mohamed and taken for Mahmoud.
_SPELLING_SHAPES = {"mehmet": "c111", "mehmed": "c111"}


def _shape(part: Part) -> str | None:
    """The vowel shape of a vowelled part, or of a known Arabic-script romanisation (``_ARABIC_SHAPES``)."""
    if part.vowelled:
        return _SPELLING_SHAPES.get(part.text, part.shape)
    return _ARABIC_SHAPES.get(part.text)


def _first_vowel_of(part: Part, key: str) -> str | None:
    """The first vowel of a vowelled part (after the h of an elided article's skeleton, ``lhsn``: Lahcen's
    e, not the article's a; Lahoucine's ou), or of a known Arabic-script romanisation.

    >>> [_first_vowel_of(make_part(t), "lhsn") for t in ("lahcen", "lahoucine", "lhussein", "lhsyn")]
    ['a', 'u', 'u', 'u']
    """
    if not part.vowelled:
        return _ARABIC_FIRST_VOWELS.get(part.text)
    text = part.text
    if key.startswith("l"):
        text = text[text.find("h") + 1 :]
    return _first_vowel(text)


# The Arabic diminutive, fuʿayl (Sulayman of Salman, Umayr of Umar, Khulayf of Khalaf, Ubayd of Abd), written
# in Latin: a u or o after the first consonant, or an opening u or o, then one consonant (perhaps doubled:
# Hussein) and the diphthong ai, ay, ei or ey before a last consonant (Sulaiman, Souleymane, Umair, Oubeid;
# not Culley, Oday); or two opening consonants and the diphthong (Sleiman, Khlaif: the u dropped). Its base
# form, which the spelling must show as plainly: one opening consonant and an a (an e before two consonants:
# Selman, the Turkish Salman; the Swahili Selemani is Sulayman), then no vowel before the next consonant
# (Salman) or a plain a, e, o or u (Khalaf); an opening a before two consonants (Abd, Abdullah); an opening u
# and a plain vowel (Umar, Oumar). A plain i where the diphthong may stand is judged neither way: Soliman and
# Slimane are Sulayman, the Tunisian Hassine is Husayn, so Hamid cannot be told from Humaid by its letters;
# nor is a spelling with a y or w among its first consonants (an Arabic-script rendering, abydallah).
_GROUPS = re.compile(r"[aeiou]+(?:y(?![aeiouy]))?|[^aeiou]+")
_DIPHTHONGS = frozenset({"ai", "ay", "ei", "ey"})
_U_VOWELS = frozenset({"u", "o", "ou", "oo"})
_A_VOWELS = frozenset({"a", "aa"})
_PLAIN_VOWELS = frozenset({"a", "e", "o", "u", "aa", "oo", "ou"})
_LETTER_PAIRS = re.compile(r"[kscztdg]h")
# Turkish and Azerbaijani write the diphthong before a last consonant with an i after it: Uzeyir (Uzayr),
# Huseyin (Husayn), Zubeyir (Zubayr), Umeyir (Umayr). Read as the diphthong, they are the diminutives.
_DIPHTHONG_WITH_I = re.compile(r"([ae])yi(?=[^aeiouy]+$)")


@lru_cache(maxsize=131072)
def diminutive_form(text: str) -> str:
    """ "d" for a Latin spelling of an Arabic diminutive (fuʿayl), "b" for one of a base form that the
    diminutive is not, "" when the spelling does not tell (see the comment above).

    >>> [diminutive_form(t) for t in ("sulaiman", "souleymane", "sleiman", "umair", "khlaif", "hussein")]
    ['d', 'd', 'd', 'd', 'd', 'd']
    >>> [diminutive_form(t) for t in ("uzeyir", "huseyin")]
    ['d', 'd']
    >>> [diminutive_form(t) for t in ("salman", "selman", "umar", "khalaf", "abd", "abdullah")]
    ['b', 'b', 'b', 'b', 'b', 'b']
    >>> [diminutive_form(t) for t in ("soliman", "selemani", "hamid", "hassine", "amir", "abydallah")]
    ['', '', '', '', '', '']
    """
    groups = _GROUPS.findall(_LETTER_PAIRS.sub("x", _DIPHTHONG_WITH_I.sub(r"\1y", text)))
    if len(groups) < 2 or any(g[0] not in _VOWEL_LETTERS and ("y" in g or "w" in g) for g in groups[:3]):
        return ""
    if groups[0][0] in _VOWEL_LETTERS:  # Umair, Obaid; Umar, Abd
        opening, consonants, after = groups[0], groups[1], (groups[2] if len(groups) > 2 else "")
        if opening in _U_VOWELS and len(set(consonants)) == 1 and after in _DIPHTHONGS and len(groups) > 3:
            return "d"
        if opening in _A_VOWELS and len(set(consonants)) >= 2:
            return "b"
        return "b" if opening in _U_VOWELS and after in _PLAIN_VOWELS else ""
    if len(groups) < 3:
        return ""
    first, vowel, between = groups[0], groups[1], groups[2]
    second = groups[3] if len(groups) > 3 else ""
    if len(first) == 2 and vowel in _DIPHTHONGS:
        return "d"
    if len(first) != 1:
        return ""
    if vowel in _U_VOWELS and len(set(between)) == 1 and second in _DIPHTHONGS and len(groups) > 4:
        return "d"
    cluster = len(set(between)) >= 2
    if not (vowel in _A_VOWELS or (vowel == "e" and cluster)):
        return ""
    return "b" if cluster or second in _PLAIN_VOWELS else ""


def _diminutive_apart(query: Part, candidate: Part) -> bool:
    """Whether one of two Latin spellings is an Arabic diminutive and the other its base form: two names
    (Sulaiman / Salman, Umair / Umar, Khulaif / Khalaf; ``diminutive_form``)."""
    return (
        query.vowelled
        and candidate.vowelled
        and {diminutive_form(query.text), diminutive_form(candidate.text)} == {"d", "b"}
    )


def _other_names(query: Part, candidate: Part, key: str | None = None) -> bool:
    """Whether two parts with one skeleton (or one coarse ``key``: Mahamat / Mahmoud) are different names
    by their vowels (``CONFUSABLE_SKELETONS``, ``FIRST_VOWEL_SKELETONS``, an Arabic diminutive and its base:
    ``_diminutive_apart``); a vowelless rendering is judged only when it is a known one."""
    if _diminutive_apart(query, candidate):
        return True
    key = query.skeleton if key is None else key
    if key in CONFUSABLE_SKELETONS:
        first, second = _shape(query), _shape(candidate)
        return first is not None and second is not None and shapes_conflict(first, second)
    if key in FIRST_VOWEL_SKELETONS:
        return {_first_vowel_of(query, key), _first_vowel_of(candidate, key)} == {"a", "u"}
    return False


def _alternatives_meet(query: Part, candidate: Part) -> bool:
    """Whether two parts meet as the weakest phonetic match once either is read its other way: th as s, dh
    as z, a soft c hard (Uthman / Usman, Dhakir / Zakir, Cemal / Jamal: ``phonetics.coarse_alternative``),
    their spellings so read at least ``COARSE_MIN_JW`` alike."""
    first, second = query.coarse_alt or query.coarse, candidate.coarse_alt or candidate.coarse
    if first != second or len(first) < 3:
        return False
    return jaro_winkler(alternative_reading(query.text), alternative_reading(candidate.text)) >= COARSE_MIN_JW


# An opening s written by a spelling that writes its digraphs (ch, kh, sh, zh, gh, th, dh elsewhere in the
# part) is the letter s, not a folded ş or š: Savchenko (Савченко) is not Shevchenko (Шевченко), Sakhir
# (صخر) not Shakir (شاكر), Sokhin not Shokhin. The skeleton folds sh into s, which a spelling without
# digraphs needs: the Turkish Sahin (Şahin) is Shahin, the Czech Sevcenko (Ševčenko, carons folded)
# Shevchenko.
_OPENING_SH = re.compile(r"sc?h")
_OPENING_S = re.compile(r"s[aeiouy]")
_DIGRAPH = re.compile(r"[cksztdg]h")


def _sibilants_conflict(query: Part, candidate: Part) -> bool:
    """Whether one vowelled part opens with sh (or sch) and the other with an s that its own spelling says is
    an s (``_DIGRAPH`` elsewhere in it): two names, whatever their skeletons.

    >>> _sibilants_conflict(make_part("shevchenko"), make_part("savchenko"))
    True
    >>> _sibilants_conflict(make_part("shevchenko"), make_part("sevcenko"))
    False
    >>> _sibilants_conflict(make_part("shahin"), make_part("sahin"))
    False
    """
    for sh, s in ((query, candidate), (candidate, query)):
        if (
            _OPENING_SH.match(sh.text)
            and _OPENING_S.match(s.text)
            and _DIGRAPH.search(s.text, 1)
            and sh.vowelled
            and s.vowelled
        ):
            return True
    return False


def _known_apart(query: Part, candidate: Part) -> bool:
    """Whether two parts that no phonetic test joined are two names rather than a typing error of one: two
    names of God (``DIVINE_SKELETONS``), or one opening with a vowel and the other with a consonant a
    spelling does not drop (``_DROPPED_OPENINGS``).

    >>> [_known_apart(make_part(a), make_part(b)) for a, b in (("rahman", "rahim"), ("samir", "amir"))]
    [True, True]
    >>> [_known_apart(make_part(a), make_part(b)) for a, b in (("rahman", "rahmam"), ("haroun", "aroun"))]
    [False, False]
    """
    if (
        query.skeleton != candidate.skeleton
        and query.skeleton in DIVINE_SKELETONS
        and candidate.skeleton in DIVINE_SKELETONS
    ) or _diminutive_apart(query, candidate):
        return True
    opening, other = query.text[:1], candidate.text[:1]
    if (opening in _VOWEL_LETTERS) == (other in _VOWEL_LETTERS):
        return False
    consonant = other if opening in _VOWEL_LETTERS else opening
    return consonant not in _DROPPED_OPENINGS


def _added_ending(query: Part, candidate: Part) -> bool:
    """Whether one part is the other with an ending that makes a surname or a patronymic of it
    (``DERIVING_ENDINGS``: Johnson of John, Davidson of David, Ivanovich of Ivan, Alizadeh of Ali, Hassanein
    of Hassan): another name, not a typing error, though Jaro-Winkler rewards the shared beginning."""
    short, long = sorted((query.text, candidate.text), key=len)
    return long.startswith(short) and long[len(short) :] in DERIVING_ENDINGS


def _compare_plain(query: Part, candidate: Part) -> tuple[float, str]:
    """``compare_parts`` without the compound-stem test: by spelling, else as forms of one name."""
    similarity, method = _compare_spelling(query, candidate)
    if similarity < FORM and query.kind is not PartKind.INITIAL and candidate.kind is not PartKind.INITIAL:
        form = same_form(query.text, candidate.text)
        if form is not None:
            return (FORM if form == "form" else NICKNAME), form
    return similarity, method


def _compare_spelling(query: Part, candidate: Part) -> tuple[float, str]:
    """Compare two parts by their letters and sounds."""
    if query.text == candidate.text:
        return (EXACT if query.kind is not PartKind.INITIAL else INITIAL), "exact"
    if query.kind is PartKind.INITIAL or candidate.kind is PartKind.INITIAL:
        if query.initial == candidate.initial:
            return INITIAL, "initial"
        return 0.0, "none"
    if query.text[:1] == "s" == candidate.text[:1] and _sibilants_conflict(query, candidate):
        return 0.0, "none"
    text_jw = jaro_winkler(query.text, candidate.text)
    if query.skeleton == candidate.skeleton and _other_names(query, candidate):
        if _diminutive_apart(query, candidate):
            return 0.0, "none"  # a vowel and a diphthong apart, not a typing error (Umair / Umar 0.95 alike)
        # Same consonants, vowels elsewhere: Mahmoud / Mohamed, Hassan / Hussein are other names; only the
        # spelling may still meet as a typing error (Mohmed / Mohammed, the Tunisian Hassine / Hussayn). A
        # name opening with a vowel is never one opening with a consonant (Ahmed / Hamed, 0.93 alike).
        same_opening = (query.text[:1] in _VOWEL_LETTERS) == (candidate.text[:1] in _VOWEL_LETTERS)
        if text_jw >= FUZZY_FLOOR and same_opening:
            return round(text_jw * FUZZY_SCALE, 4), "fuzzy"
        return 0.0, "none"
    if query.skeleton == candidate.skeleton and _skeleton_is_evidence(query, candidate, text_jw):
        return PHONETIC, "phonetic"
    if (
        devoiced(query.skeleton) == candidate.skeleton
        and _skeleton_is_evidence(query, candidate, text_jw)
        and not _other_names(query, candidate, min(query.skeleton, candidate.skeleton))
    ):
        # The closing d written t, as it is said in Chad and Turkey: Mahamat / Muhammad, Ahmet / Ahmad.
        return PHONETIC, "phonetic"
    if (
        query.coarse == candidate.coarse
        and len(query.coarse) >= 3
        and (text_jw >= COARSE_MIN_JW or not (query.vowelled and candidate.vowelled))
        and not _other_names(query, candidate, query.coarse)
    ):
        return PHONETIC_COARSE, "phonetic"
    if (query.coarse_alt or candidate.coarse_alt) and _alternatives_meet(query, candidate):
        return PHONETIC_COARSE, "phonetic"
    if (
        len(query.text) <= SYLLABLE_MAX
        and (key := syllable_key(query.text)) is not None
        and key == syllable_key(candidate.text)
    ):
        return PHONETIC_COARSE, "phonetic"
    if (fold := orthography_fold(query.text)) and fold == orthography_fold(candidate.text):
        # One name in two orthographies, j or y, w or v: Juri / Yuri, Jusuf / Yusuf, Wiktor / Viktor.
        return PHONETIC, "phonetic"
    best = max(text_jw, _skeleton_jw(query, candidate, text_jw))
    if best >= FUZZY_FLOOR and not _known_apart(query, candidate) and not _added_ending(query, candidate):
        return round(best * FUZZY_SCALE, 4), "fuzzy"
    return 0.0, "none"
