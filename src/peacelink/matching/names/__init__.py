"""Cross-script person-name matching: transliteration, normalisation, phonetic keys, scoring, blocking.

Pure code: imports nothing else from peacelink. Typical use by the persons service::

    prepared = prepare(record_names)            # once, when a record is stored
    keys = prepared_blocking_keys(prepared)     # rows of the blocking-key table
    ...
    scorer = Scorer(PersonQuery(names=[...], dates_of_birth=[...]))
    ranked = sorted((scorer.score(c) for c in candidates), key=lambda r: -r.score)
"""

from peacelink.matching.names import _core

# Compiled (tools/compile_core.py), or from the sources if the compiled modules are not theirs (_core).
COMPILED, CORE_STATE = _core.use_compiled()
if not COMPILED:
    _core.prefer_sources(__path__[0])

from peacelink.matching.names.blocking import (
    MAX_POSTINGS,
    SHORTLIST,
    SHORTLIST_HEAD,
    blocking_keys,
    fact_keys,
    fact_query_keys,
    prepared_blocking_keys,
    prepared_query_keys,
    query_keys,
    stop_key_cap,
    year_keys,
    year_query_keys,
)
from peacelink.matching.names.normalisation import normalise
from peacelink.matching.names.parts import Part, PartKind, PreparedName, PreparedNames, prepare
from peacelink.matching.names.phonetics import skeleton
from peacelink.matching.names.scoring import (
    CANDIDATE_THRESHOLD,
    HIT_THRESHOLD,
    MatchResult,
    PersonCandidate,
    PersonQuery,
    Scorer,
    score,
)
from peacelink.matching.names.shortlisting import key_weights, scored_positions, shortlist
from peacelink.matching.names.transliteration import transliterate

__all__ = [
    "CANDIDATE_THRESHOLD",
    "HIT_THRESHOLD",
    "MAX_POSTINGS",
    "SHORTLIST",
    "SHORTLIST_HEAD",
    "MatchResult",
    "Part",
    "PartKind",
    "PersonCandidate",
    "PersonQuery",
    "PreparedName",
    "PreparedNames",
    "Scorer",
    "blocking_keys",
    "fact_keys",
    "fact_query_keys",
    "key_weights",
    "normalise",
    "prepare",
    "prepared_blocking_keys",
    "prepared_query_keys",
    "query_keys",
    "score",
    "scored_positions",
    "shortlist",
    "skeleton",
    "stop_key_cap",
    "transliterate",
    "year_keys",
    "year_query_keys",
]
