"""Nasab order: a name's own part and its father's part, told apart by the link between them.

Matching is order-free (``alignment``), because officers and documents put name parts in any order. A nasab
link says more than order does: in "Ahmed Ould Mohamed Lemine" Ahmed is the person and Mohamed Lemine his
father; "Mohamed Lemine Ould Ahmed" is Mohamed Lemine, son of Ahmed: the father, or the son, of the first,
with the same parts. Order-free, the two scored 1.0, a hit on a relative. When both names hold a link between
two parts (``PreparedName.own``) and the alignment pairs the own name of one with the father's side of the
other, and never the two own names, the scorer counts ``NASAB_ORDER`` against the candidate: it stays shown,
as the lead it is (a relative of the person sought), and can no longer be a hit.

A name that opens with the link (Ould Ahmed Mohamed: the family name first, as some papers print it) or
holds none says nothing, and is matched as before.
"""

from __future__ import annotations

from peacelink.matching.names.alignment import Alignment

__all__ = ["NASAB_ORDER", "crossed"]

# Taken off a candidate whose own name is the query's father's name, or the other way round. With the
# largest agreeing facts (date of birth +0.10, nationality +0.03, sex +0.01) a full name score stays
# below HIT_THRESHOLD (1.0 + 0.14 - 0.25 = 0.89).
NASAB_ORDER = 0.25


def crossed(alignment: Alignment) -> bool:
    """Whether the alignment pairs one name's own part with the other's father's side, and no own part
    with an own part (``NASAB_ORDER``). A part text on both sides of a link (Mohamed Ould Mohamed) counts
    as an own part.

    >>> from peacelink.matching.names.alignment import align
    >>> from peacelink.matching.names.parts import prepare_name
    >>> son, father = prepare_name("Ahmed Ould Mohamed Lemine"), prepare_name("Mohamed Lemine Ould Ahmed")
    >>> crossed(align(son, father, {})), crossed(align(son, son, {}))
    (True, False)
    >>> crossed(align(son, prepare_name("Ahmed Mohamed Lemine"), {}))  # no link in the record: no order
    False
    """
    query, candidate = alignment.query, alignment.candidate
    if not query.own or not candidate.own:
        return False
    query_own = {p.text for p in query.parts[: query.own]}
    query_forebears = {p.text for p in query.parts[query.own :]} - query_own
    candidate_own = {p.text for p in candidate.parts[: candidate.own]}
    candidate_forebears = {p.text for p in candidate.parts[candidate.own :]} - candidate_own
    found = False
    for match in alignment.matches:
        mine, theirs = match.query.text, match.candidate.text
        if mine in query_own and theirs in candidate_own:
            return False
        if (mine in query_own and theirs in candidate_forebears) or (
            theirs in candidate_own and mine in query_forebears
        ):
            found = True
    return found
