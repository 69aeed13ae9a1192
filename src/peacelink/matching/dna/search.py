"""Fast 1:N direct search of STR profiles at CODIS stringency (up to millions of profiles).

Each profile's alleles at a locus are stored as a 64-bit mask, one numpy column per locus: bit
k is the k-th allele seen at that locus. Set logic then becomes word logic, vectorised over the
whole database: identical sets (high) ``d == q``; containment either way (moderate)
``(d & q) in (d, q)``; sharing (low) ``d & q != 0``; untyped ``d == 0``.

Loci with more than 63 distinct alleles (SE33 has about 55 in NIST 1036) share bit 63 as an
"overflow" bucket; rows using it keep their exact alleles aside. The masks are a conservative
filter (they never drop a true match) and every surviving candidate is re-checked exactly with
comparison.compare_genotypes, so results are exact.

The search scans the first loci over all rows, keeps rows with at most the tolerated number of
mismatches, and checks the remaining loci on those survivors only.

The family-based kinship search lives in kinship_search.py and is re-exported here.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from peacelink.matching.dna.alleles import sort_alleles
from peacelink.matching.dna.comparison import DEFAULT_MIN_LOCI, Comparison, Stringency, compare_genotypes
from peacelink.matching.dna.frequencies import FrequencyTable
from peacelink.matching.dna.kinship_search import FamilyIndex, KinshipHit, kinship_search
from peacelink.matching.dna.loci import is_sex_locus, normalise_locus
from peacelink.matching.dna.profiles import Profile
from peacelink.matching.dna.statistics import DEFAULT_THETA, MatchStatistics, match_statistics

__all__ = ["DirectHit", "DirectSearchIndex", "FamilyIndex", "KinshipHit", "kinship_search"]

Masks = npt.NDArray[np.uint64]
_OVERFLOW_BIT = 63
_FULL_SCAN_LOCI = 3  # loci checked over the whole database before pruning to survivors


@dataclass(frozen=True)
class DirectHit:
    """A direct-search candidate: id, per-locus comparison and (with frequencies) RMP and LR."""

    id: str
    comparison: Comparison
    statistics: MatchStatistics | None

    @property
    def rmp(self) -> float | None:
        """Return the random match probability over the matching loci (None without frequencies)."""
        return self.statistics.rmp if self.statistics else None

    @property
    def lr(self) -> float | None:
        """Return the likelihood ratio of the match (None without frequencies)."""
        return self.statistics.lr if self.statistics else None


def _mismatch(d: Masks, q: np.uint64, stringency: Stringency) -> npt.NDArray[np.bool_]:
    # A row mismatches when it typed the locus (d != 0) and fails the stringency test.
    if stringency is Stringency.HIGH:
        ok = d == q
    elif stringency is Stringency.MODERATE:
        shared = d & q
        ok = (shared == d) | (shared == q)
    else:
        ok = (d & q) != 0
    result: npt.NDArray[np.bool_] = (d != 0) & ~ok
    return result


class DirectSearchIndex:
    """An in-memory, serialisable 1:N STR search structure keyed by caller-chosen ids."""

    def __init__(self, *, capacity: int = 1024) -> None:
        """Create an empty index; arrays grow as profiles are added."""
        self._capacity = max(1, capacity)
        self._size = 0
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._columns: dict[str, Masks] = {}
        self._vocab: dict[str, dict[str, int]] = {}
        self._overflow: dict[str, dict[int, tuple[str, ...]]] = {}

    def __len__(self) -> int:
        """Return the number of live profiles."""
        return len(self._rows)

    @property
    def loci(self) -> tuple[str, ...]:
        """Return the loci the index holds a column for, in the order they were first seen."""
        return tuple(self._columns)

    def _grow(self, needed: int) -> None:
        if needed <= self._capacity:
            return
        capacity = max(needed, 2 * self._capacity)
        for locus, column in self._columns.items():
            grown = np.zeros(capacity, dtype=np.uint64)
            grown[: self._size] = column[: self._size]
            self._columns[locus] = grown
        self._capacity = capacity

    def _column(self, locus: str) -> Masks:
        if locus not in self._columns:
            self._columns[locus] = np.zeros(self._capacity, dtype=np.uint64)
            self._vocab[locus] = {}
            self._overflow[locus] = {}
        return self._columns[locus]

    def _bit(self, locus: str, allele: str, *, grow: bool) -> int:
        vocab = self._vocab.setdefault(locus, {})
        if allele not in vocab:
            if not grow or len(vocab) >= _OVERFLOW_BIT:
                return _OVERFLOW_BIT  # unknown to the index / vocabulary full: overflow bucket
            vocab[allele] = len(vocab)
        return vocab[allele]

    def _mask(self, locus: str, alleles: Sequence[str], *, grow: bool) -> int:
        mask = 0
        for allele in alleles:
            mask |= 1 << self._bit(locus, allele, grow=grow)
        return mask

    def add(self, profile_id: str, profile: Profile) -> None:
        """Add (or replace) one profile under an id."""
        if profile_id in self._rows:
            self.remove(profile_id)
        self._grow(self._size + 1)
        row = self._size
        for locus in profile.autosomal_loci:
            alleles = profile.loci[locus]
            column = self._column(locus)
            mask = self._mask(locus, alleles, grow=True)
            column[row] = np.uint64(mask)
            if mask >> _OVERFLOW_BIT:
                self._overflow[locus][row] = alleles
        self._ids.append(profile_id)
        self._rows[profile_id] = row
        self._size += 1

    def add_coded(
        self,
        ids: Sequence[str],
        allele_lists: Mapping[str, Sequence[str]],
        codes: Mapping[str, npt.NDArray[np.int64]],
    ) -> None:
        """Bulk-add single-source profiles: codes[locus] holds (n, 2) allele indices, -1 = untyped."""
        count = len(ids)
        if len(set(ids)) != count or any(i in self._rows for i in ids):
            raise ValueError("bulk ids must be new and unique")
        start = self._size
        self._grow(start + count)
        for raw_locus, alleles in allele_lists.items():
            locus = normalise_locus(raw_locus)
            if is_sex_locus(locus):
                continue
            column = self._column(locus)
            bits = [self._bit(locus, allele, grow=True) for allele in alleles]
            if _OVERFLOW_BIT in bits:
                raise ValueError(f"{locus}: too many distinct alleles for bulk loading")
            table = np.array([1 << b for b in bits] + [0], dtype=np.uint64)  # index -1 -> 0
            pair = np.asarray(codes[raw_locus])
            if pair.shape != (count, 2):
                raise ValueError(f"{locus}: codes must have shape ({count}, 2)")
            column[start : start + count] = table[pair[:, 0]] | table[pair[:, 1]]
        for offset, profile_id in enumerate(ids):
            self._rows[profile_id] = start + offset
        self._ids.extend(ids)
        self._size += count

    def remove(self, profile_id: str) -> None:
        """Remove a profile (its row is blanked: it can never match again)."""
        row = self._rows.pop(profile_id)
        for locus, column in self._columns.items():
            column[row] = 0
            self._overflow[locus].pop(row, None)

    def _alleles(self, locus: str, row: int) -> tuple[str, ...]:
        mask = int(self._columns[locus][row])
        if mask >> _OVERFLOW_BIT:
            return self._overflow[locus][row]
        names = {bit: allele for allele, bit in self._vocab[locus].items()}
        return sort_alleles(names[b] for b in range(_OVERFLOW_BIT) if mask >> b & 1)

    def genotypes(self, profile_id: str) -> dict[str, tuple[str, ...]]:
        """Return the stored locus -> alleles of a profile."""
        row = self._rows[profile_id]
        return {
            locus: self._alleles(locus, row) for locus, column in self._columns.items() if column[row] != 0
        }

    def search(
        self,
        query: Profile,
        *,
        stringency: Stringency | str = Stringency.MODERATE,
        min_loci: int = DEFAULT_MIN_LOCI,
        allow_mismatch: bool = False,
        frequencies: FrequencyTable | None = None,
        theta: float = DEFAULT_THETA,
        limit: int | None = 50,
        max_candidates: int = 2000,
    ) -> list[DirectHit]:
        """Return candidates matching the query at a stringency, ranked by mismatches then LR (or loci).

        At most `max_candidates` rows (fewest mismatches, most compared loci first) are weighed.
        """
        level = Stringency(stringency)
        tolerance = 1 if allow_mismatch else 0
        loci = [locus for locus in query.autosomal_loci if locus in self._columns]
        if self._size == 0 or len(loci) < max(1, min_loci):
            return []
        masks = {locus: np.uint64(self._mask(locus, query.loci[locus], grow=False)) for locus in loci}
        head, tail = loci[:_FULL_SCAN_LOCI], loci[_FULL_SCAN_LOCI:]
        size = self._size
        mismatches = np.zeros(size, dtype=np.uint8)
        for locus in head:
            mismatches += _mismatch(self._columns[locus][:size], masks[locus], level)
        rows = np.flatnonzero(mismatches <= tolerance)
        counts = mismatches[rows]
        for locus in tail:
            if rows.size == 0:
                break
            counts = counts + _mismatch(self._columns[locus][rows], masks[locus], level)
            keep = counts <= tolerance
            rows, counts = rows[keep], counts[keep]
        compared = np.zeros(rows.size, dtype=np.int32)
        for locus in loci:
            compared += self._columns[locus][rows] != 0
        enough = compared >= max(1, min_loci)
        rows, counts, compared = rows[enough], counts[enough], compared[enough]
        if rows.size > max_candidates:
            # Low stringency against mixtures can pass a large share of the database; weigh only
            # the best `max_candidates` by (fewest mismatches, most compared loci).
            order = np.lexsort((-compared, counts))[:max_candidates]
            rows = rows[np.sort(order)]
        hits = []
        for row in rows.tolist():
            candidate = {locus: self._alleles(locus, row) for locus in loci if self._columns[locus][row] != 0}
            comparison = compare_genotypes(query.loci, candidate, stringency=level)
            if not comparison.is_match(min_loci=min_loci, allow_mismatch=allow_mismatch):
                continue  # an overflow-bucket false positive of the mask filter
            statistics = match_statistics(comparison, frequencies, theta=theta) if frequencies else None
            hits.append(DirectHit(self._ids[row], comparison, statistics))
        hits.sort(
            key=lambda h: (
                h.comparison.mismatched,
                -(h.statistics.log10_lr if h.statistics else h.comparison.matched),
                h.id,
            )
        )
        return hits[:limit] if limit is not None else hits

    def save(self, target: str | Path | BinaryIO) -> None:
        """Write the index to a .npz file (numpy arrays plus JSON metadata; no pickle)."""
        meta = {
            "ids": self._ids,
            "live": sorted(self._rows.values()),
            "vocab": self._vocab,
            "overflow": {
                locus: {str(r): list(a) for r, a in rows.items()} for locus, rows in self._overflow.items()
            },
            "loci": list(self._columns),
        }
        arrays = {f"locus_{k}": column[: self._size] for k, column in enumerate(self._columns.values())}
        np.savez(target, meta=np.array(json.dumps(meta)), **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, source: str | Path | BinaryIO) -> DirectSearchIndex:
        """Read an index written by save()."""
        with np.load(source, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            index = cls(capacity=max(1, len(meta["ids"])))
            index._size = len(meta["ids"])
            index._ids = list(meta["ids"])
            live = set(meta["live"])
            index._rows = {pid: row for row, pid in enumerate(index._ids) if row in live}
            for k, locus in enumerate(meta["loci"]):
                column = np.zeros(index._capacity, dtype=np.uint64)
                column[: index._size] = data[f"locus_{k}"]
                index._columns[locus] = column
            index._vocab = {locus: dict(v) for locus, v in meta["vocab"].items()}
            index._overflow = {
                locus: {int(r): tuple(a) for r, a in rows.items()} for locus, rows in meta["overflow"].items()
            }
        return index

    def to_bytes(self) -> bytes:
        """Return the saved index as bytes (for storing next to the database)."""
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> DirectSearchIndex:
        """Rebuild an index from to_bytes() output."""
        return cls.load(io.BytesIO(data))
