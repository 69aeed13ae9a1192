"""A 1:N gallery: pre-computed cylinders for many templates, a pair-table pre-filter and a full re-rank.

Search runs in two stages, because comparing a probe in full with 100,000 templates costs too much:

1. **Pre-filter (geometric pair table).** Each template contributes, for every minutia, its nearest
   neighbours as ordered pairs ``(distance, direction of i relative to the line i->j, direction of j
   relative to the line)``. These three values do not change when the finger is moved or rotated, so the
   quantised triple is a key into an inverted table (CSR arrays: keys -> template numbers). A probe looks
   up its own pairs (plus the neighbouring bins, to absorb quantisation) and each hit is one vote; votes
   are divided by the square root of the template's pair count so big templates do not win by size.
   This is the idea of geometric hashing (Germain et al. 1997, "Fingerprint matching using transformation
   parameter clustering") reduced to one vote per pair.
2. **Re-rank.** The ``shortlist`` templates with the most votes are compared in full with
   :func:`matcher.score_matrix`, and the best ``top_k`` are returned with their paired minutiae.

Everything is numpy arrays, so :meth:`Gallery.to_bytes` gives one blob for database storage.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peacelink.matching.fingerprints import matcher
from peacelink.matching.fingerprints.template import Template

NEIGHBOURS = 6
MIN_DISTANCE, MAX_DISTANCE = 8.0, 140.0
DISTANCE_BIN = 10.0
ANGLE_BINS = 15  # 24 degrees each
DISTANCE_BINS = math.ceil((MAX_DISTANCE - MIN_DISTANCE) / DISTANCE_BIN)
KEY_COUNT = DISTANCE_BINS * ANGLE_BINS * ANGLE_BINS
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One candidate of a 1:N search."""

    gallery_id: str
    score: float
    pairs: tuple[tuple[int, int], ...]
    votes: float


def _pair_features(
    points: npt.NDArray[np.float32], directions: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Return (pairs, 3) continuous features of each minutia with its nearest neighbours."""
    count = len(points)
    if count < 2:
        return np.zeros((0, 3), dtype=np.float32)
    gaps = np.hypot(points[:, None, 0] - points[None, :, 0], points[:, None, 1] - points[None, :, 1])
    np.fill_diagonal(gaps, np.inf)
    nearest = np.argsort(gaps, axis=1)[:, : min(NEIGHBOURS, count - 1)]
    first = np.repeat(np.arange(count), nearest.shape[1])
    second = nearest.ravel()
    distance = gaps[first, second]
    keep = (distance >= MIN_DISTANCE) & (distance < MAX_DISTANCE)
    first, second, distance = first[keep], second[keep], distance[keep]
    line = np.arctan2(points[second, 1] - points[first, 1], points[second, 0] - points[first, 0])
    two_pi = 2 * math.pi
    alpha = (directions[first] - line) % two_pi
    beta = (directions[second] - line) % two_pi
    return np.stack([distance, alpha, beta], axis=1).astype(np.float32)


def _keys(features: npt.NDArray[np.float32], *, spread: bool) -> npt.NDArray[np.int64]:
    """Quantise features into table keys; with ``spread`` also the nearest neighbouring bin of each axis."""
    d = (features[:, 0] - MIN_DISTANCE) / DISTANCE_BIN
    a = features[:, 1] / (2 * math.pi) * ANGLE_BINS
    b = features[:, 2] / (2 * math.pi) * ANGLE_BINS
    base = [np.floor(d), np.floor(a), np.floor(b)]
    if not spread:
        choices = [[base[0]], [base[1]], [base[2]]]
    else:
        # The other candidate bin is the one on the side of the nearer boundary.
        choices = [[v, v + np.where(x - v >= 0.5, 1, -1)] for v, x in zip(base, (d, a, b), strict=True)]
    keys = []
    for dd in choices[0]:
        valid = (dd >= 0) & (dd < DISTANCE_BINS)
        for aa in choices[1]:
            for bb in choices[2]:
                key = (dd * ANGLE_BINS + aa % ANGLE_BINS) * ANGLE_BINS + bb % ANGLE_BINS
                keys.append(key[valid].astype(np.int64))
    return np.concatenate(keys) if keys else np.zeros(0, np.int64)


class Gallery:
    """Templates prepared for 1:N search; add() them, then search()."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._encoded: list[matcher.Encoded] = []
        self._pair_keys: list[npt.NDArray[np.int64]] = []
        self._table: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float32]] | None = (
            None
        )

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, gallery_id: str, template: Template) -> None:
        """Add one template under an identifier (e.g. the database record's id)."""
        self.add_encoded(gallery_id, matcher.encode(template))

    def add_encoded(self, gallery_id: str, encoded: matcher.Encoded) -> None:
        """Add a template that is already encoded."""
        self.ids.append(gallery_id)
        self._encoded.append(encoded)
        self._pair_keys.append(_keys(_pair_features(encoded.points, encoded.directions), spread=False))
        self._table = None

    def _build(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """Build the inverted pair table (CSR: key offsets and template numbers sorted by key)."""
        if self._table is None:
            sizes = np.array([len(k) for k in self._pair_keys], dtype=np.int64)
            keys = np.concatenate(self._pair_keys) if self._pair_keys else np.zeros(0, np.int64)
            owners = np.repeat(np.arange(len(self._pair_keys), dtype=np.int32), sizes)
            order = np.argsort(keys, kind="stable")
            offsets = np.searchsorted(keys[order], np.arange(KEY_COUNT + 1)).astype(np.int64)
            norm = (1.0 / np.sqrt(np.maximum(sizes, 1))).astype(np.float32)
            self._table = (offsets, owners[order], norm)
        return self._table

    def prefilter(
        self, probe: matcher.Encoded, shortlist: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Return the template numbers with the most pair-table votes, best first, and their votes."""
        offsets, owners, norm = self._build()
        keys = _keys(_pair_features(probe.points, probe.directions), spread=True)
        if len(self.ids) == 0 or keys.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        starts, ends = offsets[keys], offsets[keys + 1]
        # Gather all slices at once: a flat index of every table entry the probe's keys touch.
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        hits = owners[np.arange(total, dtype=np.int64) + shift]
        votes = np.bincount(hits, minlength=len(self.ids)).astype(np.float32) * norm
        count = min(shortlist, len(self.ids))
        best = np.argpartition(-votes, count - 1)[:count]
        best = best[np.argsort(-votes[best], kind="stable")]
        return best.astype(np.int64), votes[best]

    def search(
        self, probe: Template | matcher.Encoded, *, top_k: int = 10, shortlist: int = 200
    ) -> list[SearchHit]:
        """Find the ``top_k`` most similar templates: pair-table pre-filter, then full comparison."""
        encoded = probe if isinstance(probe, matcher.Encoded) else matcher.encode(probe)
        numbers, votes = self.prefilter(encoded, shortlist)
        probe_cells = matcher.unpack(encoded)
        hits = []
        for number, vote in zip(numbers.tolist(), votes.tolist(), strict=True):
            candidate = self._encoded[number]
            similarity = matcher.local_similarities(
                probe_cells, encoded, matcher.unpack(candidate), candidate
            )
            result = matcher.score_matrix(similarity, encoded, candidate)
            hits.append(SearchHit(self.ids[number], result.score, result.pairs, float(vote)))
        hits.sort(key=lambda hit: -hit.score)
        return hits[:top_k]

    def to_bytes(self) -> bytes:
        """Serialise the gallery (ids and cylinders) as an .npz blob without pickles."""
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
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Gallery:
        """Load a gallery written by :meth:`to_bytes`; raise ValueError if the blob is not one."""
        try:
            blob = np.load(io.BytesIO(data), allow_pickle=False)
            if int(blob["version"][0]) != FORMAT_VERSION:
                raise ValueError("unsupported gallery format version")
            ids, sizes = [str(i) for i in blob["ids"]], blob["sizes"]
            points, directions, bits, valid = blob["points"], blob["directions"], blob["bits"], blob["valid"]
        except (OSError, KeyError, EOFError, ValueError) as error:
            raise ValueError(f"not a gallery blob: {error}") from error
        gallery = cls()
        bounds = np.concatenate(([0], np.cumsum(sizes)))
        for gallery_id, start, end in zip(ids, bounds[:-1], bounds[1:], strict=True):
            gallery.add_encoded(
                gallery_id,
                matcher.Encoded(points[start:end], directions[start:end], bits[start:end], valid[start:end]),
            )
        return gallery
