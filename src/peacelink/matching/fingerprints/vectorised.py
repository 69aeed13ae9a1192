"""Vectorised MCC scoring of one probe against many templates at once (the fast 1:N matcher).

The pairwise matcher (:mod:`matcher`) spends most of its time in Python overhead, about 300 us per
comparison. This module scores a probe against a whole block of templates with a few numpy calls:

1. **Compact descriptors.** Each bit cylinder (384 bits) is centred and projected onto the first
   :data:`COMPONENTS` principal components (the KL transform of the MCC cylinder, as in the P-MCC
   variant of Ferrara, Maltoni, Cappelli, IEEE TIFS 7(6), 2012), L2-normalised, and two more
   dimensions ``GATE * (cos theta, sin theta)`` are appended. The dot product of two descriptors is then
   a cosine local similarity plus ``GATE**2 * cos(direction difference)``: a soft form of the paper's rule
   that minutiae more than 90 degrees apart do not match (eq. 9), at no extra cost.
2. **Dense local similarity (stage A).** Templates of one size class are padded to ``M`` cylinders and
   stored as one ``(T, M, D)`` float32 array; one BLAS product gives every probe-cylinder x
   gallery-cylinder similarity, a max over ``M`` gives each probe minutia's best partner in every template,
   and Local Similarity Sort (LSS, section 5.1 of the MCC paper) averages the best ``n_P`` of them.
3. **Batched relaxation (stage B).** For the templates kept, the best partners of the ``KEEP`` best probe
   minutiae are checked for geometric consistency with the LSS-R compatibility of the paper (eq. 25-28)
   on ``(T, KEEP, KEEP)`` arrays, so all templates are relaxed together.

The projection basis is fitted on seeded synthetic cylinders (:func:`fit_projection`), so no data file
is shipped; a :class:`index.Gallery` stores the basis it was built with, so a saved gallery stays valid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from peacelink.matching.fingerprints import matcher, synthetic

COMPONENTS = 30
GATE = 0.7  # weight of the direction term: GATE**2 ~ 0.5 of a perfect cylinder match
DIMENSIONS = COMPONENTS + 2
KEEP = 16  # probe minutiae relaxed per template in stage B
# Size classes: a template with n cylinders is padded to the smallest class >= n (at most ~20 % waste).
SIZE_CLASSES = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 128, 160, 200, 255)
FIT_FINGERS, FIT_MINUTIAE, FIT_SEED = 400, 45, 2024

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Projection:
    """Mean cylinder (BITS,) and principal axes (BITS, COMPONENTS) used to compact cylinders."""

    mean: FloatArray
    basis: FloatArray


@cache
def fit_projection() -> Projection:
    """Fit the principal axes on seeded synthetic cylinders (deterministic; cached after the first call)."""
    rng = np.random.default_rng(FIT_SEED)
    rows = []
    for _ in range(FIT_FINGERS):
        encoded = matcher.encode_arrays(*synthetic.random_arrays(rng, count=FIT_MINUTIAE))
        rows.append(matcher.unpack(encoded)[encoded.valid])
    cells = np.concatenate(rows).astype(np.float64)
    mean = cells.mean(axis=0)
    centred = cells - mean
    # Eigenvectors of the 384 x 384 covariance are the principal axes; eigh sorts them weakest first.
    _, axes = np.linalg.eigh(centred.T @ centred)
    basis = np.ascontiguousarray(axes[:, ::-1][:, :COMPONENTS])
    # Fix each axis's sign so the fit is reproducible across LAPACK builds.
    basis *= np.sign(basis[np.argmax(np.abs(basis), axis=0), np.arange(COMPONENTS)])
    return Projection(mean.astype(np.float32), basis.astype(np.float32))


def descriptors(encoded: matcher.Encoded, projection: Projection | None = None) -> FloatArray:
    """Return the (n, DIMENSIONS) compact descriptors of a template; invalid cylinders get zeros."""
    projection = projection or fit_projection()
    count = len(encoded.points)
    if count == 0:
        return np.zeros((0, DIMENSIONS), np.float32)
    local = (matcher.unpack(encoded) - projection.mean) @ projection.basis
    local /= np.maximum(np.linalg.norm(local, axis=1, keepdims=True), 1e-6)
    gate = GATE * np.stack([np.cos(encoded.directions), np.sin(encoded.directions)], axis=1)
    result = np.concatenate([local, gate], axis=1).astype(np.float32)
    result[~encoded.valid] = 0.0
    return result


def size_class(count: int) -> int:
    """The padded size of a template with ``count`` cylinders."""
    for size in SIZE_CLASSES:
        if count <= size:
            return size
    return SIZE_CLASSES[-1]


def pairs_to_keep(probe_count: int, counts: IntArray) -> IntArray:
    """n_P of eq. 23 for one probe against many templates (vectorised :func:`matcher._pairs_to_keep`)."""
    smaller = np.minimum(counts, probe_count).astype(np.float64)
    spread = matcher.MAX_NP - matcher.MIN_NP
    keep = matcher.MIN_NP + np.round(spread / (1.0 + np.exp(-matcher.TAU_P * (smaller - matcher.MU_P))))
    return keep.astype(np.int64)


def local_scores(best: FloatArray, keep: IntArray) -> FloatArray:
    """LSS: the mean of each row's ``keep`` largest values, (T, n) -> (T,)."""
    count, width = best.shape
    if width == 0 or count == 0:
        return np.zeros(count, np.float32)
    top = min(int(keep.max()), width)
    largest = -np.sort(-np.partition(best, width - top, axis=1)[:, width - top :], axis=1)
    totals = np.cumsum(np.maximum(largest, 0.0), axis=1)
    # Divide by n_P even when the probe is smaller, as LSS does, so tiny overlaps score low.
    picked = totals[np.arange(count), np.minimum(keep, top) - 1]
    result: FloatArray = (picked / keep).astype(np.float32)
    return result


def dense_best(probe: FloatArray, block: FloatArray) -> FloatArray:
    """Similarity of every probe descriptor to every padded cylinder, (T, M, n), from one BLAS call."""
    count, size, dims = block.shape
    product: FloatArray = (block.reshape(count * size, dims) @ probe.T).reshape(count, size, len(probe))
    return product


@dataclass(frozen=True, slots=True)
class Block:
    """Templates padded to one size ``M``: everything stage B needs, as stacked arrays."""

    bits: npt.NDArray[np.uint8]  # (T, M, BITS // 8) packed cylinders
    points: FloatArray  # (T, M, 2)
    directions: FloatArray  # (T, M)
    valid: npt.NDArray[np.bool_]  # (T, M); padding is invalid
    counts: IntArray  # (T,) real minutiae per template


def stack(templates: list[matcher.Encoded]) -> Block:
    """Pad a list of encoded templates into one :class:`Block`."""
    size = max([len(t.points) for t in templates] + [1])
    count = len(templates)
    block = Block(
        np.zeros((count, size, matcher.BITS // 8), np.uint8),
        np.zeros((count, size, 2), np.float32),
        np.zeros((count, size), np.float32),
        np.zeros((count, size), bool),
        np.array([len(t.points) for t in templates], np.int64),
    )
    for number, template in enumerate(templates):
        n = len(template.points)
        block.bits[number, :n], block.points[number, :n] = template.bits, template.points
        block.directions[number, :n], block.valid[number, :n] = template.directions, template.valid
    return block


def exact_similarities(probe: matcher.Encoded, block: Block) -> FloatArray:
    """Bit-MCC local similarities (eq. 9, as :func:`matcher.local_similarities`) for a block: (T, n, M)."""
    count, size, _ = block.bits.shape
    probe_cells = matcher.unpack(probe)
    cells = np.unpackbits(block.bits, axis=2).astype(np.float32)
    ones_c = cells.sum(axis=2)  # (T, M)
    ones_p = probe_cells.sum(axis=1)  # (n,)
    common = (cells.reshape(count * size, matcher.BITS) @ probe_cells.T).reshape(count, size, -1)
    common = common.transpose(0, 2, 1)  # (T, n, M): rows are probe minutiae, as in the pairwise matcher
    differing = np.maximum(ones_p[None, :, None] + ones_c[:, None, :] - 2 * common, 0.0)
    norms = np.sqrt(ones_p)[None, :, None] + np.sqrt(ones_c)[:, None, :]
    similarity = 1.0 - np.sqrt(differing) / np.maximum(norms, 1.0)
    turned = np.abs(matcher._angle_difference(probe.directions[None, :, None], block.directions[:, None, :]))
    usable = (turned <= math.pi / 2) & probe.valid[None, :, None] & block.valid[:, None, :]
    return np.where(usable, similarity, 0.0).astype(np.float32)


def _sigmoid(value: FloatArray, mu: float, tau: float) -> FloatArray:
    result: FloatArray = (1.0 / (1.0 + np.exp(np.clip(-tau * (value - mu), -50.0, 50.0)))).astype(np.float32)
    return result


def relaxed_scores(probe: matcher.Encoded, block: Block) -> FloatArray:
    """Stage B: LSS-R (as :func:`matcher.score_matrix`) for every template of a block at once, (T,)."""
    count, size = block.valid.shape
    n_probe = len(probe.points)
    if count == 0 or n_probe == 0:
        return np.zeros(count, np.float32)
    similarity = exact_similarities(probe, block).reshape(count, n_probe * size)
    # The pairwise matcher relaxes min(n_A, n_B, MAX_RELAX) pairs; here every template relaxes the same
    # number (min(n_A, MAX_RELAX)) so the arrays stay rectangular; surplus pairs have similarity ~0.
    relax = min(n_probe * size, n_probe, matcher.MAX_RELAX)
    top = np.argpartition(-similarity, relax - 1, axis=1)[:, :relax]
    start = np.take_along_axis(similarity, top, axis=1)
    rows, cols = np.divmod(top, size)
    chosen = np.arange(count)[:, None]
    pa, ta = probe.points[rows], probe.directions[rows]
    pb, tb = block.points[chosen, cols], block.directions[chosen, cols]
    diff = matcher._angle_difference
    # Compatibility of two pairs (eq. 25-28): distances, direction differences and radial angles agree.
    va = pa[:, None, :, :] - pa[:, :, None, :]
    vb = pb[:, None, :, :] - pb[:, :, None, :]
    d1 = np.abs(np.hypot(va[..., 0], va[..., 1]) - np.hypot(vb[..., 0], vb[..., 1]))
    d2 = np.abs(diff(diff(ta[:, :, None], ta[:, None, :]), diff(tb[:, :, None], tb[:, None, :])))
    radial_a = diff(ta[:, :, None], np.arctan2(va[..., 1], va[..., 0]).astype(np.float32))
    radial_b = diff(tb[:, :, None], np.arctan2(vb[..., 1], vb[..., 0]).astype(np.float32))
    d3 = np.abs(diff(radial_a, radial_b))
    rho = (
        _sigmoid(d1, matcher.MU_1, matcher.TAU_1)
        * _sigmoid(d2, matcher.MU_2, matcher.TAU_2)
        * _sigmoid(d3, matcher.MU_3, matcher.TAU_3)
    )
    # Pairs that reuse a minutia are incompatible (the diagonal included): one minutia cannot match two.
    rho[(rows[:, :, None] == rows[:, None, :]) | (cols[:, :, None] == cols[:, None, :])] = 0.0
    weights = start
    for _ in range(matcher.RELAX_ITERATIONS):
        spread = np.matmul(rho, weights[:, :, None])[:, :, 0] / max(relax - 1, 1)
        weights = (matcher.RELAX_WEIGHT * weights + (1 - matcher.RELAX_WEIGHT) * spread).astype(np.float32)
    efficiency = np.where(start > 0, weights / np.maximum(start, 1e-12), -1.0)
    order = np.argsort(-efficiency, axis=1, kind="stable")
    keep = pairs_to_keep(n_probe, block.counts)
    # Greedy pick in efficiency order, skipping pairs whose minutiae are taken, for all templates at once.
    used_rows = np.zeros((count, n_probe), bool)
    used_cols = np.zeros((count, size), bool)
    taken = np.zeros(count, np.int64)
    total = np.zeros(count, np.float32)
    everyone = np.arange(count)
    for step in range(relax):
        pick = order[:, step]
        row, col = rows[everyone, pick], cols[everyone, pick]
        free = ~used_rows[everyone, row] & ~used_cols[everyone, col]
        free &= (taken < keep) & (start[everyone, pick] > 0)
        total += np.where(free, weights[everyone, pick], 0.0).astype(np.float32)
        taken += free
        used_rows[everyone[free], row[free]] = True
        used_cols[everyone[free], col[free]] = True
    return np.clip(total / keep, 0.0, 1.0).astype(np.float32)


def score_many(probe: matcher.Encoded, candidates: list[matcher.Encoded], *, group: int = 256) -> FloatArray:
    """Stage B scores of one probe against many templates (small galleries and 1:1 evaluation)."""
    scores = np.zeros(len(candidates), np.float32)
    for first in range(0, len(candidates), group):
        scores[first : first + group] = relaxed_scores(probe, stack(candidates[first : first + group]))
    return scores


def lss_many(probe: matcher.Encoded, candidates: list[matcher.Encoded]) -> FloatArray:
    """Stage A scores (dense LSS on compact descriptors) of one probe against many templates."""
    projection = fit_projection()
    probe_desc = descriptors(probe, projection)
    size = max([len(c.points) for c in candidates] + [1])
    block = np.zeros((len(candidates), size, DIMENSIONS), np.float32)
    for number, candidate in enumerate(candidates):
        block[number, : len(candidate.points)] = descriptors(candidate, projection)
    counts = np.array([len(c.points) for c in candidates], np.int64)
    best = dense_best(probe_desc, block).max(axis=1) if len(probe.points) else np.zeros((len(candidates), 0))
    return local_scores(best.astype(np.float32), pairs_to_keep(len(probe.points), counts))
