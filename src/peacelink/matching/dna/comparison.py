"""CODIS-style stringency comparison of two STR profiles, locus by locus.

CODIS search stringencies (FBI NDIS Operational Procedures; see DOMAIN.md "DNA standards"):

* **high**: the two profiles show identical alleles at the locus;
* **moderate**: one profile's alleles are all contained in the other's (a partial profile
  with drop-out, or a single source inside a mixture). Identity is a special case;
* **low**: the profiles share at least one allele at the locus.

A locus is *compared* only when both profiles typed it (sex markers are never compared). A
candidate matches when every compared locus matches at the stringency, at least ``min_loci``
loci were compared, and - when allowed - at most one locus mismatches.

>>> q = {'vWA': ('15', '16'), 'TH01': ('9.3',)}
>>> c = {'vWA': ('15', '16'), 'TH01': ('6', '9.3')}
>>> [r.outcome.value for r in compare_genotypes(q, c, stringency=Stringency.HIGH).loci]
['mismatch', 'match']
>>> compare_genotypes(q, c, stringency=Stringency.MODERATE).matched
2
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from peacelink.matching.dna.loci import is_sex_locus
from peacelink.matching.dna.profiles import Profile

__all__ = [
    "DEFAULT_MIN_LOCI",
    "Comparison",
    "LocusComparison",
    "LocusOutcome",
    "Stringency",
    "compare_genotypes",
    "compare_profiles",
    "locus_matches",
]

# Minimum number of compared loci for a reportable match. The operational minimum is a policy
# choice of the database operator; 8 keeps random matches rare at moderate stringency in a
# database of a million profiles (see docs/dna.md) and callers may change it.
DEFAULT_MIN_LOCI = 8


class Stringency(StrEnum):
    """CODIS match stringency."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"


class LocusOutcome(StrEnum):
    """Result at one locus."""

    MATCH = "match"
    MISMATCH = "mismatch"
    NOT_COMPARED = "not_compared"


@dataclass(frozen=True)
class LocusComparison:
    """One locus: both allele sets (empty when untyped) and the outcome."""

    locus: str
    query: tuple[str, ...]
    candidate: tuple[str, ...]
    outcome: LocusOutcome


@dataclass(frozen=True)
class Comparison:
    """Per-locus comparison of a query and a candidate at one stringency."""

    stringency: Stringency
    loci: tuple[LocusComparison, ...]

    @property
    def compared(self) -> int:
        """Return the number of loci typed in both profiles."""
        return sum(1 for r in self.loci if r.outcome is not LocusOutcome.NOT_COMPARED)

    @property
    def matched(self) -> int:
        """Return the number of compared loci that match at the stringency."""
        return sum(1 for r in self.loci if r.outcome is LocusOutcome.MATCH)

    @property
    def mismatched(self) -> int:
        """Return the number of compared loci that do not match."""
        return sum(1 for r in self.loci if r.outcome is LocusOutcome.MISMATCH)

    def is_match(self, *, min_loci: int = DEFAULT_MIN_LOCI, allow_mismatch: bool = False) -> bool:
        """Return True when enough loci were compared and at most the tolerated mismatches occurred."""
        return self.compared >= min_loci and self.mismatched <= (1 if allow_mismatch else 0)


def locus_matches(query: Iterable[str], candidate: Iterable[str], stringency: Stringency) -> bool:
    """Return True when two non-empty allele sets match at one locus at the given stringency."""
    q, c = frozenset(query), frozenset(candidate)
    if stringency is Stringency.HIGH:
        return q == c
    if stringency is Stringency.MODERATE:
        return q <= c or c <= q
    return bool(q & c)


def compare_genotypes(
    query: Mapping[str, tuple[str, ...]],
    candidate: Mapping[str, tuple[str, ...]],
    *,
    stringency: Stringency | str,
) -> Comparison:
    """Compare two locus -> alleles maps (canonical names) at a stringency, over the union of loci."""
    level = Stringency(stringency)
    results: list[LocusComparison] = []
    for locus in sorted(set(query) | set(candidate)):
        if is_sex_locus(locus):
            continue
        q, c = tuple(query.get(locus, ())), tuple(candidate.get(locus, ()))
        if not q or not c:
            outcome = LocusOutcome.NOT_COMPARED
        elif locus_matches(q, c, level):
            outcome = LocusOutcome.MATCH
        else:
            outcome = LocusOutcome.MISMATCH
        results.append(LocusComparison(locus=locus, query=q, candidate=c, outcome=outcome))
    return Comparison(stringency=level, loci=tuple(results))


def compare_profiles(query: Profile, candidate: Profile, *, stringency: Stringency | str) -> Comparison:
    """Compare two profiles locus by locus at a CODIS stringency."""
    return compare_genotypes(query.loci, candidate.loci, stringency=stringency)
