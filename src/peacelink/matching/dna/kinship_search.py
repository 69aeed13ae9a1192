"""Kinship search: rank reference families of missing persons by LR for an unidentified profile.

A family is a list of typed relatives, each with its relationship to the missing person
(``Profile.relationship``). :func:`family_pedigree` turns it into a pedigree around the
missing person ``MP``; :class:`FamilyModel` precomputes, once at enrolment, the missing
person's predictive genotype distribution at every locus (pedigree.predict_genotype, with
mutation). A search then costs one table look-up per locus and family, so 10,000 families are
ranked in well under a second (benchmarks/dna_search.py).

Pedigree built from relationships (the missing person is ``MP``, parents ``F`` and ``M``):

* parent: ``F`` then ``M`` are the typed parents (at most two);
* full sibling: child of ``F`` and ``M``; half sibling: child of ``F`` and an untyped founder
  of its own;
* child: child of ``MP`` and the spouse (typed if a spouse is given, else one untyped partner
  shared by all children);
* grandparent: a parent of ``F`` (at most two); uncle/aunt: a full sibling of ``F``.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from peacelink.matching.dna.frequencies import FrequencyTable
from peacelink.matching.dna.kinship import DEFAULT_MUTATION_RATE
from peacelink.matching.dna.pedigree import (
    InvalidPedigreeError,
    LocusPrediction,
    Member,
    Pedigree,
    predict_genotype,
)
from peacelink.matching.dna.profiles import Profile, Relationship
from peacelink.translatable import Translatable

__all__ = ["MISSING_ID", "FamilyIndex", "FamilyModel", "KinshipHit", "family_pedigree", "kinship_search"]

MISSING_ID = "MP"
# Binary model layout: magic, header length (uint32 little-endian), JSON header, then float64 data.
_MODEL_MAGIC = b"PLFM1"


def family_pedigree(relatives: Sequence[Profile]) -> Pedigree:
    """Build the pedigree around the missing person 'MP' from relatives with stated relationships."""
    members: dict[str, Member] = {}
    parents = [r for r in relatives if r.relationship is Relationship.PARENT]
    grandparents = [r for r in relatives if r.relationship is Relationship.GRANDPARENT]
    spouses = [r for r in relatives if r.relationship is Relationship.SPOUSE]
    if len(parents) > 2 or len(grandparents) > 2 or len(spouses) > 1:
        said = "at most two parents, two grandparents and one spouse per family"
        raise InvalidPedigreeError(Translatable(said, "dna.error.family_size"))
    paternal_side = grandparents or any(r.relationship is Relationship.UNCLE_AUNT for r in relatives)
    if paternal_side:
        for k, gid in enumerate(("GF", "GM")):
            typed = grandparents[k].loci if k < len(grandparents) else None
            members[gid] = Member(gid, genotypes=typed)
    for k, pid in enumerate(("F", "M")):
        typed = parents[k].loci if k < len(parents) else None
        has_parents = paternal_side and pid == "F"
        members[pid] = Member(
            pid, "GF" if has_parents else None, "GM" if has_parents else None, genotypes=typed
        )
    members[MISSING_ID] = Member(MISSING_ID, "F", "M")
    if any(r.relationship is Relationship.CHILD for r in relatives):
        members["S"] = Member("S", genotypes=spouses[0].loci if spouses else None)
    for k, relative in enumerate(relatives):
        rid = f"R{k}"
        relation = relative.relationship
        if relation is Relationship.FULL_SIBLING:
            members[rid] = Member(rid, "F", "M", genotypes=relative.loci)
        elif relation is Relationship.HALF_SIBLING:
            members[f"{rid}p"] = Member(f"{rid}p")
            members[rid] = Member(rid, "F", f"{rid}p", genotypes=relative.loci)
        elif relation is Relationship.CHILD:
            members[rid] = Member(rid, MISSING_ID, "S", genotypes=relative.loci)
        elif relation is Relationship.UNCLE_AUNT:
            members[rid] = Member(rid, "GF", "GM", genotypes=relative.loci)
        elif relation is None:
            said = f"relative {k} has no relationship to the missing person"
            raise InvalidPedigreeError(Translatable(said, "dna.error.relative_unrelated", number=k))
    return Pedigree(tuple(members.values()))


@dataclass(frozen=True)
class FamilyModel:
    """Precomputed predictive genotype distributions of a family's missing person, per locus."""

    loci: Mapping[str, LocusPrediction]

    @classmethod
    def build(
        cls,
        pedigree: Pedigree,
        frequencies: FrequencyTable,
        *,
        missing_id: str = MISSING_ID,
        mutation_rate: float = DEFAULT_MUTATION_RATE,
    ) -> FamilyModel:
        """Compute the predictions at every locus that some family member typed and the table covers."""
        typed = {locus for m in pedigree.members if m.genotypes for locus in m.genotypes}
        predictions = {
            locus: predict_genotype(
                pedigree, missing_id, locus, frequencies.loci[locus], mutation_rate=mutation_rate
            )
            for locus in sorted(typed)
            if locus in frequencies.loci
        }
        return cls(loci=predictions)

    def locus_lrs(self, genotypes: Mapping[str, tuple[str, ...]]) -> list[tuple[str, float]]:
        """Return the per-locus LRs of a candidate's genotypes (loci the family did not type give 1)."""
        return [
            (locus, prediction.lr(genotypes[locus]))
            for locus, prediction in self.loci.items()
            if locus in genotypes and len(genotypes[locus]) <= 2
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready form for storage (rebuild with from_dict)."""
        return {
            locus: {
                "alleles": list(p.alleles),
                "founder": p.founder.tolist(),
                "ordered": p.ordered.tolist(),
                "family_likelihood": p.family_likelihood,
            }
            for locus, p in self.loci.items()
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FamilyModel:
        """Rebuild a model stored with to_dict."""
        return cls(
            loci={
                locus: LocusPrediction(
                    alleles=tuple(item["alleles"]),
                    founder=np.asarray(item["founder"], dtype=np.float64),
                    ordered=np.asarray(item["ordered"], dtype=np.float64),
                    family_likelihood=float(item["family_likelihood"]),
                )
                for locus, item in data.items()
            }
        )

    def to_bytes(self) -> bytes:
        """Return a compact binary form (JSON header plus raw float64 arrays; no pickle)."""
        header = [[locus, list(p.alleles), p.family_likelihood] for locus, p in self.loci.items()]
        arrays = [a for p in self.loci.values() for a in (p.founder, p.ordered.ravel())]
        data = np.concatenate(arrays).astype("<f8") if arrays else np.zeros(0, dtype="<f8")
        encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
        return b"".join((_MODEL_MAGIC, struct.pack("<I", len(encoded)), encoded, data.tobytes()))

    @classmethod
    def from_bytes(cls, blob: bytes) -> FamilyModel:
        """Rebuild a model stored with to_bytes (the arrays are read-only views of the blob)."""
        start = len(_MODEL_MAGIC)
        if blob[:start] != _MODEL_MAGIC:
            raise ValueError("not a stored family model")
        (size,) = struct.unpack_from("<I", blob, start)
        header = json.loads(blob[start + 4 : start + 4 + size])
        data = np.frombuffer(blob, dtype="<f8", offset=start + 4 + size)
        if data.size != sum(len(alleles) * (len(alleles) + 1) for _, alleles, _ in header):
            raise ValueError("a stored family model has the wrong size")
        loci: dict[str, LocusPrediction] = {}
        at = 0
        for locus, alleles, likelihood in header:
            n = len(alleles)
            founder, ordered = data[at : at + n], data[at + n : at + n + n * n].reshape(n, n)
            at += n + n * n
            loci[locus] = LocusPrediction(
                alleles=tuple(alleles), founder=founder, ordered=ordered, family_likelihood=float(likelihood)
            )
        return cls(loci=loci)


@dataclass(frozen=True)
class KinshipHit:
    """A family ranked for an unidentified profile: LR and its per-locus factors."""

    family_id: str
    lr: float
    loci: tuple[tuple[str, float], ...]

    @property
    def log10_lr(self) -> float:
        """Return log10 of the LR (-inf when the LR is zero)."""
        return math.log10(self.lr) if self.lr > 0 else -math.inf


class FamilyIndex:
    """Reference families of missing persons, each precomputed into a FamilyModel."""

    def __init__(self, frequencies: FrequencyTable, *, mutation_rate: float = DEFAULT_MUTATION_RATE) -> None:
        """Create an empty index that uses one population's frequencies."""
        self.frequencies = frequencies
        self.mutation_rate = mutation_rate
        self.models: dict[str, FamilyModel] = {}

    def __len__(self) -> int:
        """Return the number of families."""
        return len(self.models)

    def add(self, family_id: str, relatives: Sequence[Profile]) -> FamilyModel:
        """Enrol a family given as relatives with their relationship to the missing person."""
        return self.add_pedigree(family_id, family_pedigree(relatives))

    def add_pedigree(
        self, family_id: str, pedigree: Pedigree, *, missing_id: str = MISSING_ID
    ) -> FamilyModel:
        """Enrol a family given as an explicit pedigree with the missing person's id."""
        model = FamilyModel.build(
            pedigree, self.frequencies, missing_id=missing_id, mutation_rate=self.mutation_rate
        )
        self.models[family_id] = model
        return model

    def search(
        self, unidentified: Profile, *, limit: int | None = 20, min_lr: float = 0.0
    ) -> list[KinshipHit]:
        """Return families ranked by LR (highest first) for an unidentified single-source profile."""
        if unidentified.is_mixture:
            said = "kinship search needs a single-source profile, not a mixture"
            raise ValueError(Translatable(said, "dna.error.kinship_search_mixture"))
        genotypes = unidentified.loci
        hits: list[KinshipHit] = []
        for family_id, model in self.models.items():
            factors = model.locus_lrs(genotypes)
            lr = math.prod(value for _, value in factors)
            if lr > min_lr:
                hits.append(KinshipHit(family_id, lr, tuple(factors)))
        hits.sort(key=lambda hit: (-hit.lr, hit.family_id))
        return hits[:limit] if limit is not None else hits


def kinship_search(
    unidentified: Profile,
    families: FamilyIndex | Mapping[str, Sequence[Profile]],
    frequencies: FrequencyTable | None = None,
    *,
    limit: int | None = 20,
) -> list[KinshipHit]:
    """Rank families (an index, or id -> relatives) by the LR that the profile is their missing person."""
    if isinstance(families, FamilyIndex):
        return families.search(unidentified, limit=limit)
    if frequencies is None:
        raise ValueError("frequencies are needed to build the family models")
    index = FamilyIndex(frequencies)
    for family_id, relatives in families.items():
        index.add(family_id, list(relatives))
    return index.search(unidentified, limit=limit)
