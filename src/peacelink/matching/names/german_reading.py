"""The English reading of a Russian (or other Cyrillic) name written the German way.

German documents, and the police and visa records of Germany, Austria and Switzerland, write Cyrillic names
by the German rules (Duden): в is w, й and the soft vowels' y are j, х is ch, ч is tsch, ш is sch, ж sch too,
щ schtsch, ц z. The English rules (BGN/PCGN, the ICAO passport table) write v, y, kh, ch, sh, zh, shch, ts.
The consonant skeleton folds some of these (sch and sh are both s) but not the others: w and j are dropped
or kept where v and y are not, German ch is read as the English one, and sch never meets zh. Сергей Воробьёв
is Sergei Vorobyov in English and Sergej Worobjow in German; the two met at 0.42, Juri Schukow and Yuri Zhukov
not at all.

A Latin name that shows the German rules is therefore also read the English way (``german_readings``), as a
further name of the person (``parts.with_readings``). The signs: tsch (ч), or a part of six letters or more
with a Slavic ending written with w (-ow, -ew, -owa, -ewa, -owitsch, -owski: Iwanow, Kadyrow; not Andrew or
Matthew), or two of: sch, such an ending, a j that is a Cyrillic soft vowel or й (je, ju, jo, ja opening a
part or after a consonant; ej, aj, ij closing one) and a w after d, s or z or opening wl, wr, ws (Medwedew,
Swetlana, Wladimir; not the Bantu mw, kw, gw: Mwamba, Kwame). One other sign is no evidence: Jamal and Jean
(a j), Marwan, Schmidt (sch), the Somali Gurow (too short). Since the German sch is both ш and ж, a name
holding one gets two readings, sch read sh and read zh (Schukow: shukov, zhukov); otherwise one. An English
name with such an ending is read too (Marlow: marlov), a further spelling that costs its key rows and meets
little else.

The reading is made of the normalised parts (lower-case ASCII). A name in Somali orthography is read as such
instead (``normalisation.somali_reading``): Jaamac Gurow is not German.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["SLAVIC_SIGNS", "german_readings"]

# Signs of the German rules in a part (see the module docstring); tsch alone is enough.
_TSCH = "tsch"
# The signs German shares with Polish (``slavic_reading``): an ending with w, a j for й or a soft vowel, a w
# after d, s or z.
SLAVIC_SIGNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ending", re.compile(r"(?:o|(?<![rh])e)w(?:a|na|itsch|ski|skij|skaja|sky)?$")),
    ("j", re.compile(r"(?:^|[^aeiouyj])j[aeiou]|[aeiou]j$")),
    ("w", re.compile(r"^w[lrsj]|(?<=[dsz])w")),
)
_SIGNS = (("sch", re.compile(r"sch")), *SLAVIC_SIGNS)
_ENDING = dict(SLAVIC_SIGNS)["ending"]
# A part this long with that ending is a sign on its own (Iwanow, Kadyrow); the Somali Gurow is too short.
_ENDING_ALONE = 6
# Placeholders for the German letter groups, so that the later rules do not rewrite them (sch holds a ch).
_SHCH, _CH, _SH = "\x01", "\x02", "\x03"
_SOFT_SS = re.compile(r"(?<=[aeiouy])ss(?=[aeiouy])")


def _signs(parts: tuple[str, ...]) -> bool:
    """Whether the parts show the German rules: tsch, a Slavic ending with w in a part of six letters or
    more, or two different signs (``_SIGNS``)."""
    joined = " ".join(parts)
    if "w" not in joined and "j" not in joined and "sch" not in joined:
        return False  # every sign holds a w, a j or sch: most names are told here, without the patterns
    if any(_TSCH in p or (len(p) >= _ENDING_ALONE and _ENDING.search(p)) for p in parts):
        return True
    seen = {kind for kind, pattern in _SIGNS for p in parts if pattern.search(p)}
    return len(seen) >= 2


def _read(part: str, sch: str) -> str:
    """One part read the English way, with the German sch read as ``sch`` (sh or zh).

    >>> _read("chruschtschow", "sh"), _read("worobjow", "sh"), _read("solschenizyn", "zh")
    ('khrushchov', 'vorobyov', 'solzhenitsyn')
    """
    text = part.replace("schtsch", _SHCH).replace("tsch", _CH).replace("sch", _SH)
    text = text.replace("ch", "kh").replace("z", "ts").replace("w", "v").replace("j", "y")
    text = _SOFT_SS.sub("s", text)  # a German ss between vowels is one s (Wassili, Vasili)
    return text.replace(_SHCH, "shch").replace(_CH, "ch").replace(_SH, sch)


@lru_cache(maxsize=65536)
def german_readings(parts: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The readings of a name's normalised parts written by the German rules: one, or two when a part holds
    sch (read sh, then zh); none when the parts do not show those rules (``_signs``) or read the same.

    >>> german_readings(("sergej", "worobjow"))
    (('sergey', 'vorobyov'),)
    >>> german_readings(("juri", "schukow"))
    (('yuri', 'shukov'), ('yuri', 'zhukov'))
    >>> german_readings(("michail", "gorbatschow"))
    (('mikhail', 'gorbachov'),)

    A long part with a Slavic ending is enough; one other sign is not: Jamal, Marwan, Gurow, Schmidt.

    >>> german_readings(("ramsan", "kadyrow"))
    (('ramsan', 'kadyrov'),)
    >>> [german_readings(p) for p in (("jamal", "marwan"), ("ahmed", "gurow"), ("anna", "schmidt"))]
    [(), (), ()]
    """
    if not _signs(parts):
        return ()
    readings = [tuple(_read(p, "sh") for p in parts)]
    if any("sch" in p.replace("tsch", "") for p in parts):
        readings.append(tuple(_read(p, "zh") for p in parts))
    return tuple(r for r in dict.fromkeys(readings) if r != parts)
