"""A 1:N gallery: compact descriptors of every template in stacked arrays, scored with matrix products.

Search runs in three stages (see :mod:`vectorised` for the method and docs/fingerprints.md for figures):

1. **Stage A, every template.** Each cylinder is compacted to a 32-float descriptor; templates of one size
   class are stored as one ``(T, M, 32)`` array, so the probe is scored against all of them with one BLAS
   product per 256 templates, a max per template and Local Similarity Sort.
2. **Stage B, the ``shortlist`` best of stage A.** The exact bit-MCC similarities and LSS-R relaxation of
   :mod:`matcher`, computed for the whole shortlist at once on padded arrays.
3. **Confirmation, the ``top_k`` best of stage B.** The pairwise matcher gives the final, calibrated score
   and the paired minutiae the examiner sees.

Everything is numpy arrays, so :meth:`Gallery.to_bytes` gives one blob for database storage.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peacelink.matching.fingerprints import matcher, vectorised
from peacelink.matching.fingerprints.template import Template

FORMAT_VERSION = 2
CHUNK = 256  # templates per BLAS call: the (CHUNK, M, n) result stays in cache


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One candidate of a 1:N search.

    ``score`` is the pairwise matcher's score (the one :mod:`calibration` maps), ``pairs`` the paired
    minutiae; ``votes`` is the stage-A score that put the template on the shortlist and ``relaxed`` its
    stage-B score.
    """

    gallery_id: str
    score: float
    pairs: tuple[tuple[int, int], ...]
    votes: float
    relaxed: float = 0.0


@dataclass(frozen=True, slots=True)
class _SizeClass:
    """All templates padded to one size: member numbers, descriptors (T, M, D) and minutiae counts."""

    members: npt.NDArray[np.int64]
    descriptors: npt.NDArray[np.float32]
    counts: npt.NDArray[np.int64]


class Gallery:
    """Templates prepared for 1:N search; add() them, then search()."""

    def __init__(self, projection: vectorised.Projection | None = None) -> None:
        self.ids: list[str] = []
        self._encoded: list[matcher.Encoded] = []
        self._projection = projection
        self._classes: list[_SizeClass] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def projection(self) -> vectorised.Projection:
        """The descriptor projection this gallery uses (fitted once, then stored with the gallery)."""
        if self._projection is None:
            self._projection = vectorised.fit_projection()
        return self._projection

    def add(self, gallery_id: str, template: Template) -> None:
        """Add one template under an identifier (e.g. the database record's id)."""
        self.add_encoded(gallery_id, matcher.encode(template))

    def add_encoded(self, gallery_id: str, encoded: matcher.Encoded) -> None:
        """Add a template that is already encoded."""
        self.ids.append(gallery_id)
        self._encoded.append(encoded)
        self._classes = None

    def _build(self) -> list[_SizeClass]:
        """Stack the descriptors of every template into one padded array per size class."""
        if self._classes is None:
            sizes = np.array([vectorised.size_class(len(e.points)) for e in self._encoded], np.int64)
            classes = []
            for size in np.unique(sizes).tolist():
                members = np.flatnonzero(sizes == size)
                block = np.zeros((len(members), size, vectorised.DIMENSIONS), np.float32)
                counts = np.zeros(len(members), np.int64)
                for row, number in enumerate(members.tolist()):
                    encoded = self._encoded[number]
                    # A template over 255 minutiae cannot exist (ISO limit), so it always fits its class.
                    block[row, : len(encoded.points)] = vectorised.descriptors(encoded, self.projection)
                    counts[row] = len(encoded.points)
                classes.append(_SizeClass(members, block, counts))
            self._classes = classes
        return self._classes

    def screen(self, probe: matcher.Encoded) -> npt.NDArray[np.float32]:
        """Stage A: the dense LSS score of the probe against every template, in gallery order."""
        scores = np.zeros(len(self.ids), np.float32)
        count = len(probe.points)
        if count == 0 or not self.ids:
            return scores
        probe_desc = vectorised.descriptors(probe, self.projection)
        for size_class in self._build():
            best = np.empty((len(size_class.members), count), np.float32)
            for first in range(0, len(size_class.members), CHUNK):
                chunk = size_class.descriptors[first : first + CHUNK]
                best[first : first + CHUNK] = vectorised.dense_best(probe_desc, chunk).max(axis=1)
            keep = vectorised.pairs_to_keep(count, size_class.counts)
            scores[size_class.members] = vectorised.local_scores(best, keep)
        return scores

    def prefilter(
        self, probe: matcher.Encoded, shortlist: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Return the template numbers with the best stage-A scores, best first, and those scores."""
        if not self.ids or len(probe.points) == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        scores = self.screen(probe)
        count = min(shortlist, len(self.ids))
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.argsort(-scores[best], kind="stable")]
        return best.astype(np.int64), scores[best]

    def relax(self, probe: matcher.Encoded, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """Stage B: exact bit-MCC LSS-R scores of the probe against the given template numbers."""
        return vectorised.score_many(probe, [self._encoded[n] for n in numbers.tolist()])

    def search(
        self, probe: Template | matcher.Encoded, *, top_k: int = 10, shortlist: int = 200
    ) -> list[SearchHit]:
        """Find the ``top_k`` most similar templates: stage A on all, stage B on ``shortlist``, then pairs."""
        encoded = probe if isinstance(probe, matcher.Encoded) else matcher.encode(probe)
        numbers, votes = self.prefilter(encoded, max(shortlist, top_k))
        if numbers.size == 0:
            return []
        relaxed = self.relax(encoded, numbers)
        order = np.argsort(-relaxed, kind="stable")[:top_k]
        hits = []
        for position in order.tolist():
            number = int(numbers[position])
            # The pairwise matcher gives the calibrated score and the pairs drawn for the examiner.
            result = matcher.compare_encoded(encoded, self._encoded[number])
            hits.append(
                SearchHit(
                    self.ids[number],
                    result.score,
                    result.pairs,
                    float(votes[position]),
                    float(relaxed[position]),
                )
            )
        hits.sort(key=lambda hit: (-hit.score, -hit.relaxed))
        return hits

    def to_bytes(self) -> bytes:
        """Serialise the gallery (ids, cylinders, projection) as an .npz blob without pickles."""
        sizes = np.array([len(e.points) for e in self._encoded], dtype=np.int64)

        def stack(name: str, width: tuple[int, ...], dtype: type) -> npt.NDArray[np.generic]:
            parts = [getattr(e, name) for e in self._encoded]
            return np.concatenate(parts) if parts else np.zeros((0, *width), dtype=dtype)

        buffer = io.BytesIO()
        np.savez(
            buffer,
            version=np.array([FORMAT_VERSION]),
            ids=np.array(self.ids, dtype=np.str_),
            sizes=sizes,
            points=stack("points", (2,), np.float32),
            directions=stack("directions", (), np.float32),
            bits=stack("bits", (matcher.BITS // 8,), np.uint8),
            valid=stack("valid", (), np.bool_),
            projection_mean=self.projection.mean,
            projection_basis=self.projection.basis,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Gallery:
        """Load a gallery written by :meth:`to_bytes` (format 1 or 2); raise ValueError if not one."""
        try:
            blob = np.load(io.BytesIO(data), allow_pickle=False)
            version = int(blob["version"][0])
            if version not in (1, FORMAT_VERSION):
                raise ValueError("unsupported gallery format version")
            ids, sizes = [str(i) for i in blob["ids"]], blob["sizes"]
            points, directions, bits, valid = blob["points"], blob["directions"], blob["bits"], blob["valid"]
            # Format 1 had no projection: it gets the current fitted one, as a new gallery would.
            projection = (
                vectorised.Projection(blob["projection_mean"], blob["projection_basis"])
                if version == FORMAT_VERSION
                else None
            )
        except (OSError, KeyError, EOFError, ValueError) as error:
            raise ValueError(f"not a gallery blob: {error}") from error
        if projection is not None and projection.basis.shape != (matcher.BITS, vectorised.COMPONENTS):
            raise ValueError("not a gallery blob: projection of the wrong shape")
        gallery = cls(projection)
        bounds = np.concatenate(([0], np.cumsum(sizes)))
        for gallery_id, start, end in zip(ids, bounds[:-1], bounds[1:], strict=True):
            gallery.add_encoded(
                gallery_id,
                matcher.Encoded(points[start:end], directions[start:end], bits[start:end], valid[start:end]),
            )
        return gallery
