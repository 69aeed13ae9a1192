"""Name forms: one given name in several languages, and its short forms.

Iosif, Joseph, Yusuf and Giuseppe are one name, and so are Zainab and Zeynep, Hocine and Hussein, Robert
and Bob. No spelling rule sees it: their letters differ. OpenSanctions' rigour (the library yente's
matcher stands on) tags a name part with *symbols* drawn from Wikidata's given-name items (``NAME``, with
an item id) and from a list of English short forms (``NICK``). Two parts that carry one symbol are forms of
one name (``same_form``).

The Wikidata items hold a few labels that are no form of the name (Ahmad / Kristian, Fatima / Mother,
Juan / Pablo share an item). Those pairs have almost no letter in common, so a ``NAME`` symbol counts only
with a Jaro similarity of at least ``MIN_FORM_JARO`` (Iosif / Joseph 0.58, Hatice / Khadija 0.64; Ahmad /
Kristian 0.0, Juan / Pablo 0.0). Nor does it count for a part of one syllable (``phonetics.syllable_key``):
the items of Chinese and Korean surnames join the readings of several characters in several languages
(Jang / Yang, Chiu / Zhang, Chen / Tran). A short form has neither test (Dick / Richard, Bill / William:
rigour's list tells Ted for Edward from Ted for Theodore).

The tagger is built on first use, in a thread of its own (``_build``: about five seconds and 270 MB per
process; ``peacelink serve`` builds it at start-up when the database holds persons, and a minute later when
it holds none: ``preload``, ``cli.server.preload_name_forms``); a part's symbols are cached.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Literal

from rigour._core import raw_jaro
from rigour.names import Name, analyze_names
from rigour.names.symbol import SymbolCategory
from rigour.names.tag import NameTypeTag

from peacelink.matching.names.phonetics import syllable_key

__all__ = ["MIN_FORM_JARO", "form_symbols", "preload", "same_form", "short_forms"]

# Below this Jaro similarity, a shared Wikidata item is taken for a stray label (see the module docstring).
# On the Wikidata Arabic transliteration dictionary it parts no pair of spellings of one Arabic token, and 17
# pairs of different tokens (Ahmad / Kristian, Fatima / Mother, Juan / Pablo: docs/names.md).
MIN_FORM_JARO = 0.5

_NAME = "name:"
_NICK = "nick:"
_LOCK = threading.Lock()


@lru_cache(maxsize=262144)
def form_symbols(text: str) -> frozenset[str]:
    """The symbols rigour's person-name tagger gives one normalised name part ("name:Q…", "nick:BOB").

    >>> sorted(s for s in form_symbols("bill") if s.startswith("nick:"))
    ['nick:BILL']
    """
    if len(text) < 2:
        return frozenset()
    with _LOCK:
        _build()
        names = _analyze(text)
    symbols = set()
    for name in names:
        for span in name.spans:
            if len(span.parts) != 1:
                continue  # a span over several parts ("Mohammed Ali") says nothing of one part
            if span.symbol.category == SymbolCategory.NAME:
                symbols.add(_NAME + str(span.symbol.id))
            elif span.symbol.category == SymbolCategory.NICK:
                symbols.add(_NICK + str(span.symbol.id))
    return frozenset(symbols)


@lru_cache(maxsize=65536)
def short_forms(text: str) -> tuple[str, ...]:
    """The short forms rigour's list gives a normalised given name, as spellings (its ``NICK`` symbols; the
    digit that tells Ted for Theodore from Ted for Edward dropped), without the name itself.

    >>> short_forms("robert"), short_forms("theodore"), short_forms("bob"), short_forms("hassan")
    (('bob', 'rob', 'robbie'), ('ted', 'theo'), (), ())
    """
    shorts = {s[len(_NICK) :].lower().rstrip("0123456789") for s in form_symbols(text) if s.startswith(_NICK)}
    return tuple(sorted(s for s in shorts if s.isalpha() and s != text))


@lru_cache(maxsize=65536)
def _profile(query: str) -> tuple[frozenset[str], tuple[str, ...], str, bool] | None:
    """What ``same_form`` needs of a query part, once per part: its symbols, its short forms, its own
    short-form symbol if it is one (Bob: "nick:BOB"; else ""), and whether it may have language forms (an
    item, and more than one syllable); None for a part the tagger does not know."""
    symbols = form_symbols(query)
    if not symbols:
        return None
    own = _NICK + query.upper()
    own_nick = own if own in symbols or own + "2" in symbols else ""
    has_item = any(s.startswith(_NAME) for s in symbols)
    return symbols, short_forms(query), own_nick, has_item and syllable_key(query) is None


def preload() -> None:
    """Build the tagger now (a server's start-up), so that no check waits for it."""
    with _LOCK:
        _build()


_built: list[bool] = []


def _build() -> None:
    """Build the tagger once, in a thread of its own (under ``_LOCK``). Built by the calling thread, its
    270 MB came from the main thread's heap, and every later check at 1M took 2-4 ms longer (16.0-17.5 ->
    20.3-21.2 ms mean, with the tagger never used); built in a thread, the memory comes from that thread's
    own malloc arena and the checks kept their time (docs/names.md)."""
    if _built:
        return
    builder = threading.Thread(target=_analyze, args=("robert",), name="name-form-tagger")
    builder.start()
    builder.join()
    _built.append(True)


def _analyze(text: str) -> set[Name]:
    return analyze_names(
        NameTypeTag.PER, [text], phonetics=False, numerics=False, consolidate=False, rewrite=False
    )


def same_form(query: str, candidate: str) -> Literal["nickname", "form"] | None:
    """How two different normalised parts are one name: "nickname" when one is a short form of the other
    (rigour's list: Bob of Robert, Ted of Edward and of Theodore), "form" when they share a Wikidata item and
    pass its guards (``MIN_FORM_JARO``, more than one syllable each), or None.

    The candidate's part is tagged only when the answer may be yes: most pairs compared are of two different
    names, and tagging a part the process has not seen costs 5 to 20 µs.

    >>> same_form("bob", "robert"), same_form("robert", "bob"), same_form("edward", "theodore")
    ('nickname', 'nickname', None)
    >>> same_form("iosif", "joseph"), same_form("ahmad", "kristian")
    ('form', None)
    """
    profile = _profile(query)
    if profile is None:
        return None  # a query part the tagger does not know: its candidates' parts need not be tagged
    symbols, shorts, own_nick, forms_possible = profile
    if candidate in shorts:
        return "nickname"
    may_be_form = (
        forms_possible and raw_jaro(query, candidate) >= MIN_FORM_JARO and syllable_key(candidate) is None
    )
    if not (own_nick or may_be_form):
        return None
    shared = symbols & form_symbols(candidate)
    if own_nick and any(s.rstrip("0123456789") == own_nick for s in shared):
        return "nickname"  # the query is the short form the candidate's name has
    if may_be_form and any(s.startswith(_NAME) for s in shared):
        return "form"
    return None
