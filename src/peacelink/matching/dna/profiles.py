"""STR profiles: a genotype (tuple of alleles) per locus, with the kind of sample it came from.

A profile carries no name, birth date or case text: the DNA Gateway and I-Familia keep DNA
anonymous, so the only link to a person or case is the owner's reference, held by the caller
(the database layer), never here.

At one locus a profile lists the distinct alleles seen, sorted:

* one allele (``('9',)``): a homozygote, or a heterozygote whose other allele dropped out in a
  degraded stain. Stringency comparison treats it as the set ``{9}``; statistics treat it as a
  homozygote for references and as "9 and possibly anything" where stated (see statistics.py);
* two alleles: a heterozygote;
* more than two: a mixture (only stains may be mixtures).

>>> p = Profile.from_mapping({'vwa': ['16', '15'], 'TH01': ['9.3'], 'Amelogenin': ['X', 'Y']})
>>> p.loci['vWA'], p.loci['TH01'], p.sex
(('15', '16'), ('9.3',), 'M')
>>> p.autosomal_loci
('TH01', 'vWA')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from peacelink.matching.dna.alleles import InvalidAlleleError, parse_alleles
from peacelink.matching.dna.errors import InvalidProfileError
from peacelink.matching.dna.loci import InvalidLocusError, is_sex_locus, known_locus
from peacelink.translatable import TextList, Translatable

__all__ = ["InvalidProfileError", "Profile", "ProfileKind", "Relationship"]


class ProfileKind(StrEnum):
    """Where a profile comes from (INTERPOL DNA Gateway / I-Familia categories)."""

    # A known person: linked to a person record or anonymous with the owner's reference only.
    REFERENCE = "reference"
    # A crime-scene stain: single source or a mixture.
    STAIN = "stain"
    # Unidentified human remains (searched directly and against families).
    UNIDENTIFIED_REMAINS = "unidentified_remains"
    # A relative of a missing person, with the stated relationship to that person.
    RELATIVE = "relative"


class Relationship(StrEnum):
    """Relationship of a typed relative TO the missing person (the relative is the missing person's ...)."""

    PARENT = "parent"
    CHILD = "child"
    FULL_SIBLING = "full_sibling"
    HALF_SIBLING = "half_sibling"
    # The other parent of the missing person's children: adds no genetic link of its own but
    # lets the children's genotypes be explained (pedigree likelihood).
    SPOUSE = "spouse"
    GRANDPARENT = "grandparent"
    UNCLE_AUNT = "uncle_aunt"


@dataclass(frozen=True)
class Profile:
    """An anonymous STR profile: canonical locus name -> sorted tuple of distinct alleles."""

    loci: Mapping[str, tuple[str, ...]]
    kind: ProfileKind = ProfileKind.REFERENCE
    relationship: Relationship | None = None
    # Per-locus allele counts of more than two are only valid for stains.
    mixture_loci: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_mapping(
        cls,
        loci: Mapping[str, Iterable[str]],
        *,
        kind: ProfileKind | str = ProfileKind.REFERENCE,
        relationship: Relationship | str | None = None,
    ) -> Profile:
        """Build a profile from raw locus names and allele strings, validating everything."""
        try:
            profile_kind = ProfileKind(kind)
        except ValueError as error:
            said = f"unknown profile kind {kind!r}"
            raise InvalidProfileError(Translatable(said, "dna.error.profile_kind", kind=kind)) from error
        try:
            relation = Relationship(relationship) if relationship is not None else None
        except ValueError as error:
            said = f"unknown relationship {relationship!r}"
            keyed = Translatable(said, "dna.error.relationship", relationship=relationship)
            raise InvalidProfileError(keyed) from error
        if profile_kind is ProfileKind.RELATIVE and relation is None:
            said = "a relative's profile needs its relationship to the missing person"
            raise InvalidProfileError(Translatable(said, "dna.error.relationship_needed"))
        if profile_kind is not ProfileKind.RELATIVE and relation is not None:
            said = "only relative profiles carry a relationship"
            raise InvalidProfileError(Translatable(said, "dna.error.relationship_only"))
        genotypes: dict[str, tuple[str, ...]] = {}
        for raw_name, raw_alleles in loci.items():
            try:
                name = known_locus(raw_name)
            except InvalidLocusError as error:
                # The message as raised: a keyed text (``Translatable``) keeps its key for the pages.
                raise InvalidProfileError(error.args[0]) from error
            if name in genotypes:
                said = f"locus {name} given twice (as {raw_name!r} and another spelling)"
                keyed = Translatable(said, "dna.error.locus_twice", locus=name, given=raw_name)
                raise InvalidProfileError(keyed)
            if isinstance(raw_alleles, str):
                said = f"{name}: alleles must be a list of strings, not one string"
                raise InvalidProfileError(Translatable(said, "dna.error.alleles_list", locus=name))
            try:
                alleles = parse_alleles(raw_alleles, locus=name)
            except InvalidAlleleError as error:
                # As raised: a keyed text keeps its key for the pages (the API's text is the same).
                raise InvalidProfileError(error.args[0]) from error
            if alleles:  # an empty list means "not typed", the same as leaving the locus out
                genotypes[name] = alleles
        if not any(not is_sex_locus(name) for name in genotypes):
            said = "a profile needs at least one typed autosomal locus"
            raise InvalidProfileError(Translatable(said, "dna.error.no_autosomal"))
        mixed = tuple(sorted(name for name, a in genotypes.items() if len(a) > 2 and not is_sex_locus(name)))
        if mixed and profile_kind is not ProfileKind.STAIN:
            # Tri-allelic single-source patterns exist but are rare; we reject them for references
            # rather than silently treating a reference as a mixture.
            said = f"more than two alleles at {', '.join(mixed)}: only stains may be mixtures"
            raise InvalidProfileError(Translatable(said, "dna.error.mixture", loci=TextList(mixed)))
        return cls(
            loci=dict(sorted(genotypes.items())),
            kind=profile_kind,
            relationship=relation,
            mixture_loci=mixed,
        )

    @property
    def is_mixture(self) -> bool:
        """Return True when any autosomal locus shows more than two alleles."""
        return bool(self.mixture_loci)

    @property
    def autosomal_loci(self) -> tuple[str, ...]:
        """Return the typed loci used for matching (sex markers excluded), sorted."""
        return tuple(name for name in self.loci if not is_sex_locus(name))

    @property
    def sex(self) -> str | None:
        """Return 'M' (X and Y), 'F' (X only) from amelogenin, or None when not typed."""
        amelogenin = self.loci.get("AMEL")
        if not amelogenin:
            return None
        return "M" if "Y" in amelogenin else "F"

    def to_mapping(self) -> dict[str, list[str]]:
        """Return the loci as a JSON-ready mapping (locus -> list of allele strings)."""
        return {name: list(alleles) for name, alleles in self.loci.items()}
