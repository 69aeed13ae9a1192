"""Fingerprint comparison with Minutia Cylinder-Code descriptors and relaxation (our own matcher).

Method: R. Cappelli, M. Ferrara, D. Maltoni, "Minutia Cylinder-Code: a new representation and matching
technique for fingerprint recognition", IEEE TPAMI 32(12), 2010.

* Each minutia gets a cylinder: an ``NS x NS`` spatial grid of radius ``RADIUS`` in the minutia's own frame
  times ``ND`` direction bins; every cell sums the neighbours near it, weighted by a spatial and a
  directional Gaussian (eq. 3-7). We keep the **bit** variant (MCC-b, section 4.3: a cell is 1 when its
  sigmoid value exceeds 0.5), packed into 48 bytes, so a gallery of 100,000 templates fits in memory.
* Local similarity of two cylinders (bit form of eq. 9):
  ``1 - sqrt(|a xor b|) / (sqrt(|a|) + sqrt(|b|))``, 0 when their directions differ by more than 90 deg.
* Global score: Local Similarity Sort with Relaxation (LSS-R, section 5.2): the best local pairs are
  re-weighted by how well their relative distances and angles agree, so a set of geometrically
  consistent pairs scores high. The pairs kept are returned for the examiner's drawing.

Scores are in ``[0, 1]``; :mod:`calibration` maps them to a false-match-rate scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peacelink.matching.fingerprints.template import Template

# Parameters of Cappelli et al. table 2, with NS reduced from 16 to 8 (the paper's MCC8 variant) to keep
# 1:N memory and time small.
RADIUS = 70.0
NS = 8
ND = 6
SIGMA_S = 28.0 / 3.0
SIGMA_D = 2.0 * math.pi / 9.0
MU_PSI = 0.01
MIN_NEIGHBOURS = 2
MIN_CELL_BITS = 8
BITS = NS * NS * ND
# LSS-R (table 2): number of pairs kept and the relaxation compatibility sigmoids.
MIN_NP, MAX_NP, MU_P, TAU_P = 4, 12, 20.0, 0.4
RELAX_ITERATIONS, RELAX_WEIGHT, MAX_RELAX = 5, 0.5, 32
MU_1, TAU_1 = 5.0, -1.6
MU_2, TAU_2 = math.pi / 12.0, -30.0
MU_3, TAU_3 = math.pi / 12.0, -30.0

FloatArray = npt.NDArray[np.float32]

_cell = (np.arange(NS, dtype=np.float32) - (NS - 1) / 2.0) * (2.0 * RADIUS / NS)
_CELL_X, _CELL_Y = (a.ravel() for a in np.meshgrid(_cell, _cell, indexing="xy"))
_BIN_CENTRES = (-math.pi + (np.arange(ND, dtype=np.float32) + 0.5) * (2.0 * math.pi / ND)).astype(np.float32)


@dataclass(frozen=True, slots=True)
class Encoded:
    """A template prepared for comparison: positions (y up), directions (radians) and cylinder bits."""

    points: FloatArray  # (n, 2) x and -y, so that angles are counter-clockwise in a right-handed frame
    directions: FloatArray  # (n,) radians
    bits: npt.NDArray[np.uint8]  # (n, BITS // 8) packed cylinders
    valid: npt.NDArray[np.bool_]  # (n,) cylinders with enough content to compare


@dataclass(frozen=True, slots=True)
class Comparison:
    """One comparison: the score in [0, 1] and the paired minutiae (probe index, candidate index)."""

    score: float
    pairs: tuple[tuple[int, int], ...]


def _angle_difference(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Signed difference ``a - b`` folded into [-pi, pi) (eq. 8 of the paper)."""
    difference = a - b
    # Rounding instead of a modulo: the same result in [-pi, pi], several times faster in numpy.
    return (
        difference - np.float32(2 * math.pi) * np.round(difference * np.float32(1 / (2 * math.pi)))
    ).astype(np.float32)


def encode(template: Template) -> Encoded:
    """Compute the cylinders of every minutia of a template."""
    count = len(template.minutiae)
    points = np.array([(m.x, -m.y) for m in template.minutiae], dtype=np.float32).reshape(count, 2)
    directions = np.radians(np.array([m.angle for m in template.minutiae], dtype=np.float32))
    return encode_arrays(points, directions)


def encode_arrays(points: FloatArray, directions: FloatArray) -> Encoded:
    """Compute cylinders from (n, 2) y-up points and (n,) directions in radians."""
    count = len(points)
    if count == 0:
        empty = np.zeros((0,), dtype=np.float32)
        return Encoded(points.reshape(0, 2), empty, np.zeros((0, BITS // 8), np.uint8), np.zeros(0, bool))
    cos_t, sin_t = np.cos(directions), np.sin(directions)
    # Cell centres rotated into each minutia's frame (eq. 2): shape (n, cells, 2).
    cell_x = points[:, 0, None] + cos_t[:, None] * _CELL_X - sin_t[:, None] * _CELL_Y
    cell_y = points[:, 1, None] + sin_t[:, None] * _CELL_X + cos_t[:, None] * _CELL_Y
    dx = cell_x[:, :, None] - points[None, None, :, 0]
    dy = cell_y[:, :, None] - points[None, None, :, 1]
    spatial = np.exp(-(dx * dx + dy * dy) / np.float32(2 * SIGMA_S**2)) / np.float32(
        SIGMA_S * math.sqrt(2 * math.pi)
    )
    # A minutia does not contribute to its own cylinder, nor do neighbours beyond R + 3 sigma (eq. 5).
    gaps = np.hypot(points[:, None, 0] - points[None, :, 0], points[:, None, 1] - points[None, :, 1])
    neighbour = (gaps <= RADIUS + 3 * SIGMA_S) & ~np.eye(count, dtype=bool)
    spatial *= neighbour[:, None, :]
    relative = _angle_difference(directions[None, :], directions[:, None])  # (i, j)
    offsets = _angle_difference(_BIN_CENTRES[None, None, :], relative[:, :, None])  # (i, j, k)
    directional = np.exp(-(offsets * offsets) / np.float32(2 * SIGMA_D**2)) * np.float32(
        (2 * math.pi / ND) / (SIGMA_D * math.sqrt(2 * math.pi))
    )
    contribution = np.matmul(spatial, directional)  # sum over neighbours j: (i, cells, bins)
    # A cell lies outside the cylinder's disc when farther than R from the centre (eq. 1); keep it 0.
    inside = (_CELL_X**2 + _CELL_Y**2 <= RADIUS**2)[None, :, None]
    cells = (contribution > MU_PSI) & inside
    packed = np.packbits(cells.reshape(count, BITS), axis=1)
    valid = (neighbour.sum(axis=1) >= MIN_NEIGHBOURS) & (
        cells.reshape(count, BITS).sum(axis=1) >= MIN_CELL_BITS
    )
    return Encoded(points.astype(np.float32), directions.astype(np.float32), packed, valid)


def unpack(encoded: Encoded) -> FloatArray:
    """Return the cylinders as a float32 0/1 matrix (n, BITS) for matrix products."""
    return np.unpackbits(encoded.bits, axis=1).astype(np.float32)


def local_similarities(
    probe_cells: FloatArray, probe: Encoded, candidate_cells: FloatArray, candidate: Encoded
) -> FloatArray:
    """Return the (n_probe, n_candidate) matrix of cylinder similarities (bit form of eq. 9)."""
    ones_p = probe_cells.sum(axis=1)
    ones_c = candidate_cells.sum(axis=1)
    common = probe_cells @ candidate_cells.T
    # |a xor b| = |a| + |b| - 2 a.b for 0/1 vectors.
    differing = np.maximum(ones_p[:, None] + ones_c[None, :] - 2 * common, 0)
    norms = np.sqrt(ones_p)[:, None] + np.sqrt(ones_c)[None, :]
    similarity = 1.0 - np.sqrt(differing) / np.maximum(norms, 1.0)
    turned = np.abs(_angle_difference(probe.directions[:, None], candidate.directions[None, :]))
    usable = (turned <= math.pi / 2) & probe.valid[:, None] & candidate.valid[None, :]
    return np.where(usable, similarity, 0.0).astype(np.float32)


def _pairs_to_keep(n_probe: int, n_candidate: int) -> int:
    """n_P of eq. 23: more pairs for bigger templates, from MIN_NP to MAX_NP."""
    smaller = min(n_probe, n_candidate)
    return MIN_NP + round((MAX_NP - MIN_NP) / (1.0 + math.exp(-TAU_P * (smaller - MU_P))))


def _sigmoid(value: FloatArray, mu: float, tau: float) -> FloatArray:
    result: FloatArray = (1.0 / (1.0 + np.exp(np.clip(-tau * (value - mu), -50.0, 50.0)))).astype(np.float32)
    return result


def score_matrix(similarity: FloatArray, probe: Encoded, candidate: Encoded) -> Comparison:
    """Turn a local similarity matrix into a global score with LSS-R and return the kept pairs."""
    n_probe, n_candidate = similarity.shape
    if n_probe == 0 or n_candidate == 0:
        return Comparison(0.0, ())
    keep = _pairs_to_keep(n_probe, n_candidate)
    # The paper relaxes min(n_A, n_B) pairs; capping it bounds the cost of the (n_R x n_R) step.
    n_relax = min(n_probe, n_candidate, MAX_RELAX)
    flat = similarity.ravel()
    top = np.argpartition(-flat, n_relax - 1)[:n_relax] if flat.size > n_relax else np.arange(flat.size)
    top = top[flat[top] > 0]
    if top.size == 0:
        return Comparison(0.0, ())
    rows, cols = np.divmod(top, n_candidate)
    start = flat[top].astype(np.float32)
    # Compatibility of two pairs (eq. 25-28): distances, direction differences and radial angles agree.
    pa, pb = probe.points[rows], candidate.points[cols]
    ta, tb = probe.directions[rows], candidate.directions[cols]
    da = np.hypot(pa[:, None, 0] - pa[None, :, 0], pa[:, None, 1] - pa[None, :, 1])
    db = np.hypot(pb[:, None, 0] - pb[None, :, 0], pb[:, None, 1] - pb[None, :, 1])
    d1 = np.abs(da - db)
    d2 = np.abs(
        _angle_difference(
            _angle_difference(ta[:, None], ta[None, :]), _angle_difference(tb[:, None], tb[None, :])
        )
    )
    radial_a = _angle_difference(
        ta[:, None],
        np.arctan2(pa[None, :, 1] - pa[:, None, 1], pa[None, :, 0] - pa[:, None, 0]).astype(np.float32),
    )
    radial_b = _angle_difference(
        tb[:, None],
        np.arctan2(pb[None, :, 1] - pb[:, None, 1], pb[None, :, 0] - pb[:, None, 0]).astype(np.float32),
    )
    d3 = np.abs(_angle_difference(radial_a, radial_b))
    rho = _sigmoid(d1, MU_1, TAU_1) * _sigmoid(d2, MU_2, TAU_2) * _sigmoid(d3, MU_3, TAU_3)
    np.fill_diagonal(rho, 0.0)
    # Pairs that reuse a minutia are incompatible: one minutia cannot match two.
    rho[(rows[:, None] == rows[None, :]) | (cols[:, None] == cols[None, :])] = 0.0
    weights = start.copy()
    denominator = max(len(weights) - 1, 1)
    for _ in range(RELAX_ITERATIONS):
        weights = (RELAX_WEIGHT * weights + (1 - RELAX_WEIGHT) * (rho @ weights) / denominator).astype(
            np.float32
        )
    efficiency = weights / start
    order = np.argsort(-efficiency, kind="stable")
    chosen: list[int] = []
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    for index in order:
        row, col = int(rows[index]), int(cols[index])
        if row in used_rows or col in used_cols:
            continue
        chosen.append(int(index))
        used_rows.add(row)
        used_cols.add(col)
        if len(chosen) == keep:
            break
    # Divide by n_P even when fewer pairs were found, so small overlaps score low (as LSS does).
    score = float(np.sum(weights[chosen]) / keep)
    pairs = tuple((int(rows[i]), int(cols[i])) for i in chosen)
    return Comparison(min(max(score, 0.0), 1.0), pairs)


def compare_encoded(probe: Encoded, candidate: Encoded) -> Comparison:
    """Compare two encoded templates."""
    similarity = local_similarities(unpack(probe), probe, unpack(candidate), candidate)
    return score_matrix(similarity, probe, candidate)


def compare(probe: Template, candidate: Template) -> Comparison:
    """Compare two templates; score in [0, 1], higher means more alike, plus the paired minutiae."""
    return compare_encoded(encode(probe), encode(candidate))
