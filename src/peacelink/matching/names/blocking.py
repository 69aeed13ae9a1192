"""Blocking keys: short strings stored per person in a plain database table, so that a check fetches a
small candidate set by exact key look-up (``WHERE key IN (...)``) on SQLite or PostgreSQL alike.

Two kinds of keys are made from the parts' consonant skeletons (``phonetics.skeleton``), cut to a prefix
so that endings spelled differently (Abbasin/Abasyn, -ov/-ova) still meet:

* ``1:<skel>``: one per part. Stored for every record; looked up only when the query has a single full
  part (an initial does not count), since one common part (``1:mhmd``) can match a large share of a
  crowd from the Middle East;
* ``2:<skel>|<skel>``: one per unordered pair of full parts of a name, in sorted order (so the part order
  does not matter). A real variant nearly always keeps two parts phonetically intact, and a pair is rare
  enough to keep the candidate set small (sizes measured in docs/names.md).

Patronymics join pairs only when a name has fewer than two other full parts: they are often dropped in
Latin spellings and on documents, and they would multiply the keys of every Slavic record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

from peacelink.matching.names.parts import Part, PartKind, PreparedName, PreparedNames, prepare

__all__ = ["PAIR_PREFIX", "SINGLE_PREFIX", "blocking_keys", "prepared_blocking_keys", "query_keys"]

# Skeleton prefix length in pair and single keys.
PAIR_PREFIX = 4
SINGLE_PREFIX = 5
# Names longer than this (long nasab chains) contribute pairs of their first parts only, to bound the
# number of rows per record; MAX_PAIR_PARTS = 6 gives at most 15 pair keys per name.
MAX_PAIR_PARTS = 6
# Loose keys are made only from parts with a skeleton at least this long (short ones are too common).
LOOSE_MIN_SKELETON = 5


def _full_parts(name: PreparedName) -> list[Part]:
    """The parts a key may be made of: no initials; patronymics only if the name is short of parts."""
    names = [p for p in name.parts if p.kind is PartKind.NAME]
    if len(names) >= 2:
        return names
    return [p for p in name.parts if p.kind is not PartKind.INITIAL]


def _pair_keys(parts: Sequence[Part]) -> set[str]:
    """Pair keys of a name's parts."""
    prefixes = sorted({p.skeleton[:PAIR_PREFIX] for p in parts[:MAX_PAIR_PARTS]})
    return {f"2:{a}|{b}" for a, b in combinations(prefixes, 2)}


def _loose_keys(parts: Sequence[Part]) -> set[str]:
    """Loose pair keys: one part's skeleton prefix and the other part's initial class."""
    firsts = parts[:MAX_PAIR_PARTS]
    return {
        f"3:{a.skeleton[:PAIR_PREFIX]}|{b.initial}"
        for a in firsts
        for b in firsts
        if a is not b and len(a.skeleton) >= LOOSE_MIN_SKELETON
    }


def _single_keys(parts: Iterable[Part]) -> set[str]:
    """Single-part keys."""
    return {f"1:{p.skeleton[:SINGLE_PREFIX]}" for p in parts}


def prepared_blocking_keys(prepared: PreparedNames) -> set[str]:
    """Blocking keys of an already prepared record."""
    keys: set[str] = set()
    for name in prepared.names:
        parts = _full_parts(name)
        keys |= _single_keys(parts)
        keys |= _pair_keys(parts)
        keys |= _loose_keys(parts)
    return keys


def blocking_keys(names: Sequence[str]) -> set[str]:
    """Keys to store for a person record with these names (all scripts and aliases together).

    >>> sorted(blocking_keys(["Mohamed Al-Hashimi"]))
    ['1:hsm', '1:mhmd', '2:hsm|mhmd']
    >>> blocking_keys(["محمد الهاشمي"]) == blocking_keys(["Muhammad al-Hashemi"])
    True
    """
    return prepared_blocking_keys(prepare(names))


def prepared_query_keys(prepared: PreparedNames) -> set[str]:
    """Keys to look up for an already prepared query."""
    keys: set[str] = set()
    for name in prepared.names:
        parts = _full_parts(name)
        pairs = _pair_keys(parts)
        keys |= (pairs | _loose_keys(parts)) if pairs else _single_keys(parts)
    return keys


def query_keys(names: Sequence[str]) -> set[str]:
    """Keys to look up for a query: pair keys, or single-part keys when a name has one full part.

    >>> sorted(query_keys(["Al-Hashimi, Mohammed"]))
    ['2:hsm|mhmd']
    >>> sorted(query_keys(["M. Al-Hashimi"]))
    ['1:hsm']
    """
    return prepared_query_keys(prepare(names))
