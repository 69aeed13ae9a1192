"""Allele frequency tables for one population, with the NRC II minimum allele frequency.

Statistics (RMP, LR, kinship) depend on a chosen population's allele frequencies. Observed
frequencies of rare alleles are unreliable and unseen alleles would get probability zero, so
NRC II (National Research Council 1996, "The Evaluation of Forensic DNA Evidence",
recommendation 4.1 / p. 148) floors every allele frequency at 5/2N, where 2N is the number of
alleles sampled at the locus. An allele absent from the table gets that minimum.

When a table does not say how many alleles were sampled (EuroForMix tables have no N), the
caller may pass ``minimum_frequency``; otherwise the smallest frequency listed at the locus is
used as the floor (documented in docs/dna.md).

>>> table = FrequencyTable.from_rows('demo', [('TH01', '6', 0.25, 200), ('TH01', '9.3', 0.01, 200)])
>>> table.frequency('TH01', '6')
0.25
>>> table.frequency('TH01', '9.3')   # floored at 5/200
0.025
>>> table.frequency('TH01', '12')    # unseen allele
0.025
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from peacelink.matching.dna.alleles import parse_allele, sort_alleles
from peacelink.matching.dna.errors import InvalidFrequencyTableError, MissingLocusError, UnknownLocusError
from peacelink.matching.dna.loci import is_sex_locus, known_locus, normalise_locus
from peacelink.translatable import Translatable

__all__ = [
    "MINIMUM_ALLELE_COUNT",
    "FrequencyTable",
    "InvalidFrequencyTableError",
    "LocusFrequencies",
    "MissingLocusError",
]

# NRC II: minimum allele frequency 5/2N (five observations in 2N sampled alleles).
MINIMUM_ALLELE_COUNT = 5


@dataclass(frozen=True)
class LocusFrequencies:
    """Observed allele frequencies at one locus and the minimum applied to them."""

    observed: Mapping[str, float]
    minimum: float
    n_alleles: int | None = None

    def frequency(self, allele: str) -> float:
        """Return the allele's frequency, floored at the minimum (unseen alleles get the minimum)."""
        return max(self.observed.get(allele, 0.0), self.minimum)

    @property
    def alleles(self) -> tuple[str, ...]:
        """Return the alleles listed at this locus, sorted by repeat number."""
        return sort_alleles(self.observed)


@dataclass(frozen=True)
class FrequencyTable:
    """Allele frequencies of one population: locus -> LocusFrequencies."""

    population: str
    loci: Mapping[str, LocusFrequencies]

    @classmethod
    def from_rows(
        cls,
        population: str,
        rows: Iterable[tuple[str, str, float, int | None]],
        *,
        minimum_frequency: float | None = None,
    ) -> FrequencyTable:
        """Build a table from (locus, allele, frequency, n_alleles or None) rows, applying 5/2N."""
        observed: dict[str, dict[str, float]] = {}
        sizes: dict[str, int] = {}
        for number, (raw_locus, raw_allele, frequency, n_alleles) in enumerate(rows, start=1):
            try:
                locus = known_locus(raw_locus)
            except UnknownLocusError as error:
                # A table is reference data for every check: a locus no profile can carry is a bad row.
                # The reason as raised: a keyed text (``Translatable``) keeps its key for the pages.
                reason = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
                keyed = Translatable(
                    f"row {number}: {error}", "dna.error.frequency_row", number=number, reason=reason
                )
                raise InvalidFrequencyTableError(keyed) from error
            if is_sex_locus(locus):
                continue  # sex markers are never weighed (see loci.SEX_LOCI)
            if not 0.0 <= frequency <= 1.0:
                said = f"row {number}: {locus} allele {raw_allele}: frequency {frequency}"
                keyed = Translatable(
                    said,
                    "dna.error.frequency_range",
                    number=number,
                    locus=locus,
                    allele=raw_allele,
                    frequency=frequency,
                )
                raise InvalidFrequencyTableError(keyed)
            if frequency == 0.0:
                continue
            allele = parse_allele(raw_allele, locus=locus)
            at_locus = observed.setdefault(locus, {})
            # Two spellings of one allele ('9' and '9.0') are the same allele: add them up.
            at_locus[allele] = at_locus.get(allele, 0.0) + frequency
            if n_alleles:
                sizes[locus] = max(sizes.get(locus, 0), int(n_alleles))
        if not observed:
            said = "the frequency table lists no autosomal locus"
            raise InvalidFrequencyTableError(Translatable(said, "dna.error.frequency_no_autosomal"))
        loci: dict[str, LocusFrequencies] = {}
        for locus, frequencies in sorted(observed.items()):
            n = sizes.get(locus)
            if minimum_frequency is not None:
                minimum = minimum_frequency
            elif n:
                minimum = MINIMUM_ALLELE_COUNT / n
            else:
                minimum = min(frequencies.values())
            loci[locus] = LocusFrequencies(observed=frequencies, minimum=minimum, n_alleles=n)
        return cls(population=population, loci=loci)

    def __contains__(self, locus: object) -> bool:
        """Return True when the table has data for the (normalised) locus."""
        return isinstance(locus, str) and normalise_locus(locus) in self.loci

    def at(self, locus: str) -> LocusFrequencies:
        """Return the frequencies at one locus, raising MissingLocusError when the table lacks it."""
        name = normalise_locus(locus)
        try:
            return self.loci[name]
        except KeyError:
            said = f"no allele frequencies for locus {name} in {self.population}"
            keyed = Translatable(said, "dna.error.frequency_no_locus", locus=name, population=self.population)
            raise MissingLocusError(keyed) from None

    def frequency(self, locus: str, allele: str) -> float:
        """Return the floored frequency of an allele at a locus."""
        return self.at(locus).frequency(allele)
