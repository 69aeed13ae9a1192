"""The DNA database's part of the check pipeline: direct search (CODIS stringency) and kinship search.

Hit rules (stated in docs/dna-db.md):

* direct: a candidate matches when every compared locus matches at the stringency and at least
  ``min_loci`` loci were compared; it is a **hit** when it matches with no mismatching locus. A candidate
  admitted only by the one-locus mismatch tolerance is listed for the officer but is not a hit;
* kinship: families are ranked by LR (only LR > 1 are listed); a family is a **hit** at LR >= ``hit_lr``
  (default 10,000, the usual DVI reporting threshold).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.checks.pipeline import Candidate, Match, Query
from peacelink.checks.reader import READER, search_widening
from peacelink.dna import index
from peacelink.dna.models import DNAFamily, DNAProfile, ProfileKind
from peacelink.dna.schemas import DirectCheck, KinshipCheck
from peacelink.dna.service import parse_profile
from peacelink.errors import Invalid
from peacelink.matching.dna import DirectHit, FrequencyTable, Profile
from peacelink.matching.dna.kinship_search import KinshipHit
from peacelink.translatable import Translatable

DIRECT = "dna"
KINSHIP = "dna_kinship"


def _finite(value: float | None) -> float | None:
    """JSON has no infinity: an LR too large for a float is reported as None (and log10 is kept)."""
    return value if value is not None and math.isfinite(value) else None


def normalise_direct(data: DirectCheck) -> Query:
    """Turn a direct check into a Query; Invalid names the locus."""
    profile = parse_profile(data.loci, kind=data.kind)
    values = {
        "profile": profile,
        "stringency": data.stringency,
        "min_loci": data.min_loci,
        "allow_mismatch": data.allow_mismatch,
        "population": data.population,
        "limit": data.limit,
    }
    summary = {
        "loci": profile.to_mapping(),
        "stringency": data.stringency,
        "min_loci": data.min_loci,
        "allow_mismatch": data.allow_mismatch,
        "population": data.population,
    }
    warnings = []
    # Fewer typed loci than min_loci: no profile can match, so none is searched (``searched: false``).
    searched = len(profile.autosomal_loci) >= data.min_loci
    if not searched:
        typed = len(profile.autosomal_loci)
        said = (
            f"the query types {typed} autosomal loci, fewer than min_loci={data.min_loci}: nothing can match"
        )
        warnings.append(Translatable(said, "dna.warning.few_loci", count=typed, least=data.min_loci))
    return Query(values=values, summary=summary, warnings=tuple(warnings), searched=searched)


def normalise_kinship(data: KinshipCheck) -> Query:
    """Turn a kinship check into a Query: the unidentified profile must be single source."""
    profile = parse_profile(data.loci, kind=ProfileKind.UNIDENTIFIED_REMAINS.value)
    values = {"profile": profile, "population": data.population, "hit_lr": data.hit_lr, "limit": data.limit}
    summary = {"loci": profile.to_mapping(), "population": data.population, "hit_lr": data.hit_lr}
    return Query(values=values, summary=summary, searched=True)


def _comparison(hit: DirectHit) -> list[dict[str, Any]]:
    factors = {s.locus: s for s in hit.statistics.loci} if hit.statistics else {}
    rows = []
    for result in hit.comparison.loci:
        factor = factors.get(result.locus)
        rows.append(
            {
                "locus": result.locus,
                "query": list(result.query),
                "candidate": list(result.candidate),
                "outcome": result.outcome.value,
                "probability": factor.probability if factor else None,
                "method": factor.method if factor else None,
            }
        )
    return rows


def _unknown_population(population: str | None) -> Invalid:
    said = f"no frequency table for population {population}"
    return Invalid(Translatable(said, "dna.error.population", population=population), field="population")


class DirectLookup:
    """Direct 1:N search on the in-memory index, candidates loaded from the database (visibility current)."""

    database = DIRECT

    def look_up(self, session: Session, query: Query) -> Sequence[Candidate]:
        """Candidates ranked by mismatches, then LR (or matched loci without frequencies)."""
        values = query.values
        profile: Profile = values["profile"]
        if query.searched is False:
            # Nothing can be compared at min_loci, so no profile is searched (the query's warning says so);
            # a population that does not exist is refused all the same.
            try:
                index.frequency_table(session, values["population"])
            except KeyError:
                raise _unknown_population(values["population"]) from None
            return []
        tables: list[FrequencyTable | None] = [None]

        def search(want: int) -> tuple[list[DirectHit], int, dict[str, DNAProfile]]:
            try:
                hits, tables[0] = index.search_direct(
                    session,
                    profile,
                    stringency=values["stringency"],
                    min_loci=values["min_loci"],
                    allow_mismatch=values["allow_mismatch"],
                    population=values["population"],
                    limit=want,
                )
            except KeyError:
                raise _unknown_population(values["population"]) from None
            ids = [h.id for h in hits]
            loaded = session.scalars(select(DNAProfile).where(DNAProfile.id.in_(ids))).all() if ids else []
            return hits, len(hits), {p.id: p for p in loaded}

        # Profiles the reader may not see take no visible profile's place: the index is asked for more.
        hits, rows = search_widening(values.get(READER), values["limit"], search, lambda hit: hit.id)
        if not hits:
            return []
        table = tables[0]
        population = table.population if table else None
        candidates = []
        for hit in hits:
            record = rows.get(hit.id)
            if record is None:
                continue  # gone since the index was read (cannot happen within one generation)
            comparison = hit.comparison
            log10_lr = hit.statistics.log10_lr if hit.statistics else None
            explanation = {
                "stringency": comparison.stringency.value,
                "compared_loci": comparison.compared,
                "matched_loci": comparison.matched,
                "mismatched_loci": comparison.mismatched,
                "population": population,
                "log10_lr": _finite(log10_lr),
                "score": "log10 LR" if log10_lr is not None else "matched loci (no frequency table)",
            }
            summary = {
                "reference": record.reference,
                "kind": record.kind,
                "stringency": comparison.stringency.value,
                "matched_loci": comparison.matched,
                "mismatched_loci": comparison.mismatched,
                "log10_lr": _finite(log10_lr),
            }
            answer = {
                "reference": record.reference,
                "kind": record.kind,
                "is_mixture": record.is_mixture,
                "rmp": hit.rmp,
                "lr": _finite(hit.lr),
                "log10_lr": _finite(log10_lr),
                "population": population,
                "compared_loci": comparison.compared,
                "matched_loci": comparison.matched,
                "mismatched_loci": comparison.mismatched,
                "comparison": _comparison(hit),
            }
            candidates.append(
                Candidate(
                    record=record,
                    match=Match.SCORED,
                    summary=summary,
                    action=record.action,
                    score=_finite(log10_lr) if log10_lr is not None else float(comparison.matched),
                    explanation=explanation,
                    is_hit=comparison.mismatched == 0,
                    confidence="high" if comparison.mismatched == 0 else "low",
                    answer=answer,
                )
            )
        return candidates


class KinshipLookup:
    """Families of missing persons ranked by the LR that the unidentified profile is their missing person."""

    database = KINSHIP

    def look_up(self, session: Session, query: Query) -> Sequence[Candidate]:
        """Families with LR > 1, best first; hits at LR >= hit_lr."""
        values = query.values
        tables: list[FrequencyTable] = []

        def search(want: int) -> tuple[list[KinshipHit], int, dict[str, DNAFamily]]:
            try:
                found, table = index.search_families(
                    session, values["profile"], population=values["population"], limit=want
                )
            except KeyError:
                if values["population"] is None:
                    said = "a kinship search needs a frequency table: import one first"
                    keyed = Translatable(said, "dna.error.no_frequency_table")
                    raise Invalid(keyed, field="population") from None
                raise _unknown_population(values["population"]) from None
            tables[:] = [table]
            hits = [h for h in found if h.lr > 1.0]
            ids = [h.family_id for h in hits]
            loaded = session.scalars(select(DNAFamily).where(DNAFamily.id.in_(ids))).all() if ids else []
            return hits, len(found), {f.id: f for f in loaded}

        # Families the reader may not see take no visible family's place: the index is asked for more.
        hits, families = search_widening(
            values.get(READER), values["limit"], search, lambda hit: hit.family_id
        )
        if not hits:
            return []
        table = tables[0]
        ids = [h.family_id for h in hits]
        relations: dict[str, list[str]] = {}
        for family_id, relationship in session.execute(
            select(DNAProfile.family_id, DNAProfile.relationship).where(DNAProfile.family_id.in_(ids))
        ):
            if family_id is not None:
                relations.setdefault(family_id, []).append(relationship or "?")
        candidates = []
        for hit in hits:
            family = families.get(hit.family_id)
            if family is None:
                continue
            log10_lr = _finite(hit.log10_lr)
            summary = {"family": family.case_reference, "log10_lr": log10_lr, "population": table.population}
            candidates.append(
                Candidate(
                    record=family,
                    match=Match.SCORED,
                    summary=summary,
                    action=family.action,
                    score=log10_lr,
                    explanation={"population": table.population, "hit_lr": values["hit_lr"]},
                    is_hit=hit.lr >= values["hit_lr"],
                    answer={
                        "reference": family.case_reference,
                        "family": family.case_reference,
                        "relatives": sorted(relations.get(family.id, [])),
                        "lr": _finite(hit.lr),
                        "log10_lr": log10_lr,
                        "population": table.population,
                        "loci": [{"locus": locus, "lr": _finite(lr)} for locus, lr in hit.loci],
                    },
                )
            )
        return candidates
