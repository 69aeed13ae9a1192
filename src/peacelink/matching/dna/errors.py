"""Errors of the DNA package: one base class so callers map every bad input to one HTTP 422."""

from __future__ import annotations

__all__ = [
    "DNAError",
    "InvalidAlleleError",
    "InvalidFrequencyTableError",
    "InvalidLocusError",
    "InvalidPedigreeError",
    "InvalidProfileError",
    "MissingLocusError",
    "UnknownLocusError",
]


class DNAError(ValueError):
    """Base class: DNA input that cannot be used; the message says what and where."""


class InvalidLocusError(DNAError):
    """A locus name that cannot be normalised (empty or with forbidden characters)."""


class UnknownLocusError(InvalidLocusError):
    """A well-formed name that is no locus PeaceLink knows ("FOO", "rs1004357", "DYS19"); names the locus."""

    def __init__(self, message: str, *, locus: str) -> None:
        """Keep the name as given for callers that point at the bad field."""
        super().__init__(message)
        self.locus = locus


class InvalidAlleleError(DNAError):
    """An allele label that is not a valid STR allele for its locus; the message names the locus."""

    def __init__(self, message: str, *, locus: str | None = None) -> None:
        """Keep the (normalised) locus name for callers that point at the bad field."""
        super().__init__(message)
        self.locus = locus


class InvalidProfileError(DNAError):
    """A profile that cannot be used: bad locus or allele, duplicate locus, no loci, wrong kind."""


class InvalidFrequencyTableError(DNAError):
    """A frequency table that cannot be read or used (bad row, bad frequency, no loci)."""


class MissingLocusError(DNAError, KeyError):
    """The frequency table has no data for a locus, so it cannot weigh evidence there."""


class InvalidPedigreeError(DNAError):
    """A pedigree with unknown parents, one parent only, duplicate ids, a cycle or inconsistent data."""
