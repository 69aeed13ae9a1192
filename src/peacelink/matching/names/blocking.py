"""Blocking keys: short strings stored per person in a plain database table, so that a check fetches a
small candidate set by exact key look-up (``WHERE key IN (...)``) on SQLite or PostgreSQL alike.

Keys are made from the parts' coarse phonetic keys (``phonetics.coarse_key``: consonant skeleton with
g/j/k/q, s/z and b/f folded), cut to a prefix so that endings spelled differently still meet:

* ``1:<key>``: one per full part, plus one per *stem* of a compound (``abdrahman``, ``abujamal``,
  ``habiblah``, ``saifdin`` also give rahman, jamal, habib, saif: the kunya "Abu Jamal" meets "Jamal")
  and one per part without an Arabic article glued to its front (``elkhatib`` also gives khatib: "El
  Khatib" and Elkhatib meet), and one per *join* of two neighbouring parts (``Kaka Zada`` also gives
  kakazada, ``Shams ur-Rahman`` gives shamsrahman), so names written as one word or two meet;
* ``2:<key>|<key>``: one per unordered pair of full parts of a name, sorted (order does not matter);
* ``3:<key>|<initial>``: a part and the initial class of another part of the same name ("M. Hashimi");
* a part with th or dh gets the ``1:``, ``2:`` and ``3:`` keys of its other coarse key too, th read as s
  and dh as z (``phonetics.coarse_alternative``: Uthman is keyed as Usman, Kadhim as Kazim);
* a given name with short forms (``forms.short_forms``: Robert as Bob, Rob, Robbie) gets the ``2:`` keys of
  each short form with the name's other parts, stored and looked up alike (``_short_form_keys``);
* ``y:<key>|<YYYY>``: a part's single-part key and a year of birth of the person (``year_keys``). A query
  giving a year finds the persons born that year who share a part even when the part alone is too common to
  be looked up (Mohamed, Hassan: a stop key), and ranks them first among the holders of a part shared by
  more persons than the shortlist keeps; only such parts' year keys are looked up (``year_query_keys``);
* ``f:<YYYY-MM-DD>|<nationality>``: not a name key but a *fact* key, one per full date of birth x
  nationality of the person (``fact_keys``). A query giving both finds the few persons who share them
  even when no name part matches (a cover name, a kunya, a nickname); the scorer makes such a person a
  low-confidence candidate only when the key is specific (``FACT_KEY_MAX_ROWS``), never a hit.

How to look them up. A single-part key of a common part (``1:mhmd``) matches a large share of a crowd
from the Middle East, so the look-up is frequency-aware, like an IDF-weighted search engine:

* with key counts (rows per key, which the database keeps or computes with ``GROUP BY``), pass them to
  ``prepared_query_keys(..., counts=..., max_postings=stop_key_cap(population))``: every key whose
  posting list is at most that long is used, the common ones are dropped (a stop-key list computed from
  the data, not hand-written). Then
  ``shortlisting.key_weights`` gives each used key an IDF weight; summing the weights of the keys a person
  shares with the query and keeping the best ``SHORTLIST`` persons bounds the scoring work
  (``shortlisting.shortlist``); of those, the first ``SHORTLIST_HEAD`` are scored, the rest only when their
  date of birth agrees with the query's, or, for a record without one, a nationality does
  (``shortlisting.scored_positions``);
* without counts, the query uses its pair, loose and join keys only (single-part keys only when a name
  has one full part), which is safe but loses persons whose variants share just one rare part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations, pairwise

from peacelink.matching.names.factors import parse_date
from peacelink.matching.names.forms import short_forms
from peacelink.matching.names.parts import (
    COMPOUND_TAILS,
    SERVANT_HEAD,
    SON_OF_HEADS,
    Part,
    PartKind,
    PreparedName,
    PreparedNames,
    head_stem,
    make_part,
    prepare,
)
from peacelink.matching.names.phonetics import devoiced, other_orthography, other_romanisation

__all__ = [
    "FACT_KEY_MAX_ROWS",
    "FACT_PREFIX",
    "MAX_POSTINGS",
    "PAIR_PREFIX",
    "SERVANT_HEAD",
    "SHORTLIST",
    "SHORTLIST_HEAD",
    "SINGLE_PREFIX",
    "STOP_KEY_SHARE",
    "YEAR_PREFIX",
    "blocking_keys",
    "fact_keys",
    "fact_query_keys",
    "prepared_blocking_keys",
    "prepared_query_keys",
    "query_keys",
    "servant_stem",
    "stop_key_cap",
    "year_keys",
    "year_query_keys",
]

# A pair key of a part's other orthography (``phonetics.other_orthography``) is looked up when its two key
# prefixes hold at least this many letters (Gagarin and Yuri: kkrn|r; not Azim and Yani: n|sm).
ORTHOGRAPHY_PAIR_LETTERS = 5
# The same for the other way of an opening h (``opening_h_variant``): Abib's key is two letters (bb).
OPENING_H_PAIR_LETTERS = 4
# A glued Abd (servant of) whose stem is paired with the other parts too (``_pair_keys``), when the stem's
# coarse key holds this many letters: Abdul Sattar as Sattar (str), Abdul Karim as Karim; not Abdullah,
# whose stem is Allah (l: every Ali's key), nor Abdul Haq (hk) or Abdul Hai (h), too short to single out.
SERVANT_STEM_MIN = 3
# Key prefix lengths (characters of the coarse key) in pair and single keys.
PAIR_PREFIX = 4
SINGLE_PREFIX = 6
# Names longer than this (long nasab chains) contribute pairs of their first parts only, to bound the
# number of rows per record; MAX_PAIR_PARTS = 6 gives at most 15 pair keys per name.
MAX_PAIR_PARTS = 6
# Loose keys are made only from parts with a coarse key at least this long (short ones are too common).
LOOSE_MIN_KEY = 4
# A key whose posting list is longer than this is a stop key: it is not looked up (measured in
# docs/names.md: at a 200k crowd the longest useful keys hold a few hundred persons).
MAX_POSTINGS = 2000
# ... or this share of the population, whichever is larger: a fixed cap gets relatively stricter as the
# database grows and then drops keys that still single out a person (measured at 1M in docs/names.md).
STOP_KEY_SHARE = 0.01
# Persons kept after the IDF-weighted key count (yente scores 50). The first SHORTLIST_HEAD of them are
# scored; the others only when their date of birth agrees with the query's, or, for a record without one,
# a nationality does (``scored_positions``): a person sharing only weak keys with the query is worth
# scoring when a fact backs it, and a namesake without that fact deep in the list is mostly noise that
# can outrank the true person. Measured at a 1M
# crowd, with date of birth and nationality (docs/persons.md): recall@10 0.9215 scoring all 150, 0.9173
# scoring the first 60 only, 0.9256 with this rule and a head of 60, 50 or 40; name only, a head of 40
# costs 0.05 points of shown@10 at 1M, 0.5 at 200k; below 40 the name-only recall drops.
SHORTLIST = 150
SHORTLIST_HEAD = 40
# Fact keys (full date of birth x nationality). A fact key held by more persons than this is not
# looked up: it no longer singles anybody out (1 January of a populous nationality), and a check should
# show an officer a handful of such leads, not dozens.
FACT_PREFIX = "f:"
FACT_KEY_MAX_ROWS = 5
# A record lists at most this many (date, nationality) combinations as fact keys (bounds rows per person).
MAX_FACT_KEYS = 12
# Year keys: a person's years of birth used (its first ones) and keys per person at most.
YEAR_PREFIX = "y:"
MAX_YEARS = 4
MAX_YEAR_KEYS = 48


def _full_parts(name: PreparedName) -> list[Part]:
    """The parts a key may be made of: no initials; patronymics only if the name is short of parts."""
    names = [p for p in name.parts if p.kind is PartKind.NAME]
    if len(names) >= 2:
        return names
    return [p for p in name.parts if p.kind is not PartKind.INITIAL]


def _stems(part: Part) -> list[str]:
    """Stems of a glued compound (abdrahman -> rahman, habiblah -> habib), as coarse keys."""
    text = part.text
    out: list[str] = []
    if head := head_stem(text):
        out.append(make_part(head).coarse)
    if part.bare:
        out.append(make_part(part.bare).coarse)
    if text.endswith(COMPOUND_TAILS) and len(text) >= 6:
        out.append(make_part(text[:-3]).coarse)
    return [s for s in out if len(s) >= 2]


def _single_keys(parts: Iterable[Part]) -> set[str]:
    """Single-part keys of the parts and of their compound stems."""
    keys: set[str] = set()
    for part in parts:
        keys.add(f"1:{part.coarse[:SINGLE_PREFIX]}")
        keys.update(f"1:{stem[:SINGLE_PREFIX]}" for stem in _stems(part))
    return keys


def _join_keys(name: PreparedName) -> set[str]:
    """Single-part keys of two neighbouring parts written as one word (Kaka Zada / Kakazada)."""
    parts = [p for p in name.parts if p.kind is not PartKind.INITIAL]
    return {f"1:{make_part(a.text + b.text).coarse[:SINGLE_PREFIX]}" for a, b in pairwise(parts)}


def servant_stem(part: Part) -> str:
    """The key prefix of the stem of a part glued to Abd (``SERVANT_HEAD``) that is paired with the other
    parts (``_pair_keys``), or "".

    >>> [servant_stem(make_part(t)) for t in ("abdsattar", "abdkarim", "abdlah", "abdhaq", "sattar")]
    ['str', 'krm', '', '', '']
    """
    if not part.text.startswith(SERVANT_HEAD) or not (head := head_stem(part.text)):
        return ""
    stem = make_part(head).coarse
    return stem[:PAIR_PREFIX] if len(stem) >= SERVANT_STEM_MIN else ""


def _pair_stem(part: Part) -> str:
    """The key prefix of the stem whose pair keys a part also has (``_pair_keys``), or ""."""
    if part.text.startswith(SON_OF_HEADS):
        return make_part(head).coarse[:PAIR_PREFIX] if (head := head_stem(part.text)) else ""
    if part.bare:
        return make_part(part.bare).coarse[:PAIR_PREFIX]
    return servant_stem(part)


def _pair_keys(parts: Sequence[Part]) -> set[str]:
    """Pair keys of a name's parts, and of the stem of a glued ben or bin (``parts.SON_OF_HEADS``), of a
    glued Abd (``SERVANT_HEAD``) or of a part without its glued article (``Part.bare``) with the other
    parts: the Arabic script and many Latin spellings write Benali as two words (بن علي, Ben Ali) and
    Elkhatib as El Khatib, whose bin and al are particles and dropped, and a man named Abdul Sattar is often
    named Sattar (Haji Abdul Sattar Barakzai, Haji Satar Barakzai)."""
    firsts = parts[:MAX_PAIR_PARTS]
    prefixes = sorted({p.coarse[:PAIR_PREFIX] for p in firsts})
    keys = {f"2:{a}|{b}" for a, b in combinations(prefixes, 2)}
    for i, part in enumerate(firsts):
        stem = _pair_stem(part)
        if stem:
            others = {other.coarse[:PAIR_PREFIX] for j, other in enumerate(firsts) if j != i} - {stem}
            keys.update(f"2:{min(stem, b)}|{max(stem, b)}" for b in others)
    return keys


def _loose_keys(name: PreparedName) -> set[str]:
    """Loose pair keys: one part's key prefix and the initial class of any other part (initials too)."""
    firsts = name.parts[:MAX_PAIR_PARTS]
    return {
        f"3:{a.coarse[:PAIR_PREFIX]}|{b.initial}"
        for a in firsts
        for b in firsts
        if a is not b and a.kind is not PartKind.INITIAL and len(a.coarse) >= LOOSE_MIN_KEY
    }


def _romanisation_keys(
    parts: Sequence[Part],
    *,
    singles: bool,
    other_spelling: Callable[[str], str | None] = other_romanisation,
    min_pair_letters: int = 0,
) -> set[str]:
    """Query keys of the other romanisation of one-syllable parts (``phonetics.other_romanisation``:
    Jung for Chung, Do for To), or of parts in the other orthography (``phonetics.other_orthography``: Yuri
    for Juri, Viktor for Wiktor): its single-part key (with ``singles``) and its pair keys with every other
    part, in either spelling, of at least ``min_pair_letters`` letters of key in all. Stored records keep
    their own keys only, so no stored key changes."""
    firsts = list(parts[:MAX_PAIR_PARTS])
    variants = {
        i: make_part(other)
        for i, p in enumerate(firsts)
        if p.kind is PartKind.NAME and (other := other_spelling(p.text)) is not None
    }
    keys: set[str] = set()
    for i, variant in variants.items():
        if singles:
            keys.add(f"1:{variant.coarse[:SINGLE_PREFIX]}")
        a = variant.coarse[:PAIR_PREFIX]
        for j, part in enumerate(firsts):
            for partner in (part, variants.get(j)) if j != i else ():
                if partner is None or (b := partner.coarse[:PAIR_PREFIX]) == a:
                    continue
                if len(a) + len(b) >= min_pair_letters:
                    keys.add(f"2:{min(a, b)}|{max(a, b)}")
    return keys


def opening_h_variant(text: str) -> str | None:
    """A part's spelling with its opening h dropped, or with one added before its opening vowel (the French
    spellings of the Sahel and the Maghreb drop it: Habib / Abib, Haroun / Aroun, Hassan / Assane).

    >>> [opening_h_variant(t) for t in ("habib", "abib", "ahmed", "hmd", "ali")]
    ['abib', 'habib', None, None, None]
    """
    if len(text) >= 4 and text[0] == "h" and text[1] in "aeiou":
        return text[1:]
    if len(text) >= 4 and text[0] in "aeiou" and text[1] != "h":  # not Ahmed: its key holds the h already
        return "h" + text  # not Ali either: Hali is no name, and its keys are other names' (Halil, Hilal)
    return None


def _devoicing_keys(parts: Sequence[Part], *, singles: bool) -> set[str]:
    """Query keys of the parts whose coarse key closes on t, with that t written d (``phonetics.devoiced``:
    Mahamat looks up Mahamad's keys, Ahmet Ahmad's): the single-part key (with ``singles``) and the pair
    keys with every other part. Stored records keep their own keys only, so no stored key and no count
    changes. Only this way round: a query's every closing d looking up the t spellings too put thousands
    of their holders in the shortlist beside the true person's (Obaidah, Said Mohamed Arif were lost on the
    benchmark), while few names close on a t that stands for a d."""
    firsts = list(parts[:MAX_PAIR_PARTS])
    keys: set[str] = set()
    for i, part in enumerate(parts):
        closes_on_t = part.kind is PartKind.NAME and part.coarse.endswith("t")
        other = devoiced(part.coarse) if closes_on_t else None
        if other is None:
            continue
        if singles:
            keys.add(f"1:{other[:SINGLE_PREFIX]}")
        a = other[:PAIR_PREFIX]
        if i >= len(firsts) or a == part.coarse[:PAIR_PREFIX]:
            continue  # the closing letter is past the pair prefix: the pair keys are the part's own
        for j, partner in enumerate(firsts):
            if j != i and (b := partner.coarse[:PAIR_PREFIX]) != a:
                keys.add(f"2:{min(a, b)}|{max(a, b)}")
    return keys


def _interdental_keys(parts: Sequence[Part], *, singles: bool = True) -> set[str]:
    """Keys of the parts' other coarse key, th read as s and dh as z (``Part.coarse_alt``: Uthman keyed as
    Usman too): its single-part key (with ``singles``), its pair keys with the other parts (in either key)
    and its loose keys. Stored and looked up alike, so that Usman finds a stored Uthman and the reverse."""
    firsts = list(parts[:MAX_PAIR_PARTS])
    keys = {f"1:{p.coarse_alt[:SINGLE_PREFIX]}" for p in parts if p.coarse_alt} if singles else set()
    for i, part in enumerate(firsts):
        if not part.coarse_alt:
            continue
        a = part.coarse_alt[:PAIR_PREFIX]
        for j, other in enumerate(firsts):
            if j == i:
                continue
            for b in {other.coarse[:PAIR_PREFIX], other.coarse_alt[:PAIR_PREFIX]} - {"", a}:
                keys.add(f"2:{min(a, b)}|{max(a, b)}")
            if len(part.coarse_alt) >= LOOSE_MIN_KEY:
                keys.add(f"3:{a}|{other.initial}")
    return keys


def _short_form_keys(parts: Sequence[Part]) -> set[str]:
    """Pair keys of each given name's short forms (``forms.short_forms``: Robert as Bob, Rob and Robbie) with
    the other parts, of at least ``ORTHOGRAPHY_PAIR_LETTERS`` letters of key. Stored and looked up alike: a
    stored Robert Smith holds Bob Smith's pair key, which a query Bob Smith looks up, and a query Robert Smith
    looks up the pair key a stored Bob Smith holds as its own."""
    firsts = list(parts[:MAX_PAIR_PARTS])
    keys: set[str] = set()
    for i, part in enumerate(firsts):
        if part.kind is not PartKind.NAME:
            continue
        for short in short_forms(part.text):
            a = make_part(short).coarse[:PAIR_PREFIX]
            for j, other in enumerate(firsts):
                b = other.coarse[:PAIR_PREFIX]
                if j != i and b != a and len(a) + len(b) >= ORTHOGRAPHY_PAIR_LETTERS:
                    keys.add(f"2:{min(a, b)}|{max(a, b)}")
    return keys


def prepared_blocking_keys(prepared: PreparedNames) -> set[str]:
    """Blocking keys of an already prepared record."""
    keys: set[str] = set()
    for name in prepared.names:
        parts = _full_parts(name)
        keys |= _single_keys(parts)
        keys |= _join_keys(name)
        keys |= _pair_keys(parts)
        keys |= _loose_keys(name)
        keys |= _interdental_keys(parts)
        keys |= _short_form_keys(parts)
    return keys


def blocking_keys(names: Sequence[str]) -> set[str]:
    """Keys to store for a person record with these names (all scripts and aliases together) and their
    readings (``parts.with_readings``: Al-Hashimi is also read with its article elided, lhashimi).

    >>> sorted(blocking_keys(["Mohamed Hashimi"]))
    ['1:hsm', '1:mhmd', '1:mhmdsm', '2:hsm|mhmd', '3:mhmd|h']
    >>> sorted(blocking_keys(["Mohamed Al-Hashimi"]) - blocking_keys(["Mohamed Hashimi"]))
    ['1:lhsm', '1:mhmdlh', '2:lhsm|mhmd', '3:lhsm|m', '3:mhmd|l']
    >>> arabic, latin = blocking_keys(["محمد الهاشمي"]), blocking_keys(["Muhammad al-Hashemi"])
    >>> arabic == blocking_keys(["Muhammad Hashemi"]) < latin
    True
    """
    return prepared_blocking_keys(prepare(names))


def prepared_query_keys(
    prepared: PreparedNames, counts: Mapping[str, int] | None = None, *, max_postings: int = MAX_POSTINGS
) -> set[str]:
    """Keys to look up for an already prepared query (see the module docstring for ``counts``)."""
    keys: set[str] = set()
    for name in prepared.names:
        parts = _full_parts(name)
        pairs = _pair_keys(parts) | _loose_keys(name)
        if counts is not None:
            keys |= pairs | _single_keys(parts) | _join_keys(name)
        else:
            keys |= (pairs | _join_keys(name)) if pairs else _single_keys(parts)
        keys |= _romanisation_keys(parts, singles=counts is not None)
        # Pair keys only, and no short ones: the other orthography of an Arabic or Persian name (Jani read
        # Yani, n; Yusuf read Jusuf, ksf) is a guess whose keys fill the shortlist with other persons.
        keys |= _romanisation_keys(
            parts, singles=False, other_spelling=other_orthography, min_pair_letters=ORTHOGRAPHY_PAIR_LETTERS
        )
        # The French spellings drop an opening h (Habib / Abib, Haroun / Aroun): pair keys of the other way.
        keys |= _romanisation_keys(
            parts, singles=False, other_spelling=opening_h_variant, min_pair_letters=OPENING_H_PAIR_LETTERS
        )
        keys |= _devoicing_keys(parts, singles=counts is not None or not pairs)
        keys |= _interdental_keys(parts, singles=counts is not None or not pairs)
        keys |= _short_form_keys(parts)
    if counts is not None:
        keys = {k for k in keys if 0 < counts.get(k, 0) <= max_postings}
    return keys


def query_keys(
    names: Sequence[str], counts: Mapping[str, int] | None = None, *, max_postings: int = MAX_POSTINGS
) -> set[str]:
    """Keys to look up for a query; with ``counts`` (rows per key) every key that is not a stop key.

    >>> sorted(query_keys(["Al-Hashimi, Mohammed"]))
    ['1:mhmdlh', '1:mhmdsm', '2:hsm|mhmd', '2:lhsm|mhmd', '2:mhmd|sm', '3:lhsm|m', '3:mhmd|h', '3:mhmd|l']
    >>> sorted(query_keys(["M. Al-Hashimi"]))
    ['1:hsm', '3:lhsm|m']
    >>> sorted(query_keys(["Mohammed Al-Hashimi"], counts={"1:mhmd": 90_000, "1:hsm": 40}))
    ['1:hsm']
    """
    return prepared_query_keys(prepare(names), counts, max_postings=max_postings)


def fact_keys(dates_of_birth: Iterable[str], nationalities: Iterable[str]) -> set[str]:
    """Fact keys of a person or query: one per full date of birth x nationality (partial dates give none).

    >>> sorted(fact_keys(["1978-05-02", "1979"], ["uto", "CAF"]))
    ['f:1978-05-02|CAF', 'f:1978-05-02|UTO']
    """
    dates = sorted({d.strip() for d in dates_of_birth if (p := parse_date(d)) and p[2] is not None})
    codes = sorted({n.strip().upper() for n in nationalities if n.strip()})
    keys = [f"{FACT_PREFIX}{d}|{n}" for d in dates for n in codes]
    return set(keys[:MAX_FACT_KEYS])


def fact_query_keys(
    dates_of_birth: Iterable[str], nationalities: Iterable[str], counts: Mapping[str, int] | None = None
) -> set[str]:
    """Fact keys to look up: all of them without ``counts``, else the specific ones (1..FACT_KEY_MAX_ROWS).

    >>> sorted(fact_query_keys(["1978-05-02"], ["UTO", "CAF"], {"f:1978-05-02|UTO": 2,
    ...     "f:1978-05-02|CAF": 40}))
    ['f:1978-05-02|UTO']
    """
    keys = fact_keys(dates_of_birth, nationalities)
    if counts is None:
        return keys
    return {k for k in keys if 0 < counts.get(k, 0) <= FACT_KEY_MAX_ROWS}


def year_keys(prepared: PreparedNames, dates_of_birth: Iterable[str]) -> set[str]:
    """Year keys of a person or query: each full part's single-part key x each year of birth given.

    Stored for a person, looked up for a query as the name keys are (``prepared_query_keys``'s counts and
    stop-key cap); a partial date counts by its year.

    >>> sorted(year_keys(prepare(["Mohamed Al-Hashimi"]), ["1978-05-02", "1979", "bad"]))
    ['y:hsm|1978', 'y:hsm|1979', 'y:lhsm|1978', 'y:lhsm|1979', 'y:mhmd|1978', 'y:mhmd|1979']
    >>> year_keys(prepare(["Mohamed Al-Hashimi"]), [])
    set()
    """
    years = sorted({parsed[0] for d in dates_of_birth if (parsed := parse_date(d))})[:MAX_YEARS]
    if not years:
        return set()
    parts = sorted(
        {p.coarse[:SINGLE_PREFIX] for name in prepared.names for p in _full_parts(name) if p.coarse}
    )
    keys = [f"{YEAR_PREFIX}{part}|{year}" for part in parts for year in years]
    return set(keys[:MAX_YEAR_KEYS])


def year_query_keys(
    keys: Iterable[str], counts: Mapping[str, int], *, max_postings: int, crowded: int = SHORTLIST
) -> set[str]:
    """Of a query's year keys (``year_keys``), those to look up: the keys of the parts whose single-part
    key holds more than ``crowded`` rows (a stop key, or a part shared by more persons than the shortlist
    keeps), when the year key itself is not a stop key. Among the holders of such a part, all of equal
    weight, the shortlist would otherwise keep an arbitrary ``SHORTLIST`` (an audit's "Cheikh Seck", born
    1980, one of 174 Secks, was cut before scoring); the year key puts those born in the query's year first.
    A rarer part is looked up by its own key already; its year key would only add rows to read.

    >>> sorted(year_query_keys(year_keys(prepare(["Mohamed Al-Hashimi"]), ["1978"]), {"1:mhmd": 900,
    ...     "1:hsm": 40, "y:mhmd|1978": 12, "y:hsm|1978": 1}, max_postings=100, crowded=100))
    ['y:mhmd|1978']
    """
    out = set()
    crowded = min(crowded, max_postings)  # a stop key is crowded whatever the shortlist's length
    for key in keys:
        part = key[len(YEAR_PREFIX) :].rsplit("|", 1)[0]
        if counts.get(f"1:{part}", 0) > crowded and 0 < counts.get(key, 0) <= max_postings:
            out.add(key)
    return out


def stop_key_cap(population: int) -> int:
    """Longest posting list worth looking up in a database of ``population`` persons.

    >>> stop_key_cap(50_000), stop_key_cap(1_000_000)
    (2000, 10000)
    """
    return max(MAX_POSTINGS, int(population * STOP_KEY_SHARE))
