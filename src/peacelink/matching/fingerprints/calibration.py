"""Calibrated fingerprint scores: ``-log10(false-match rate)``, so one threshold means one FMR.

A raw :mod:`matcher` score ``s`` is mapped to ``c = -log10(FMR(s))``, where ``FMR(s)`` is the share of
impostor comparisons (different fingers) scoring ``s`` or more. A threshold of 3 therefore accepts about
one impostor comparison in 1,000, 4 one in 10,000.

Model: above ``TAIL_START`` (the raw score exceeded by ``TAIL_SHARE`` of impostors) the impostor tail is
fitted with an exponential, ``FMR(s) = TAIL_SHARE * exp(-(s - TAIL_START) / TAIL_SCALE)``, whose maximum
likelihood scale is the mean excess over the tail start. Below the tail start the score is scaled
linearly onto ``[0, -log10(TAIL_SHARE)]``; such low scores are never hits anyway.

Fitted by ``benchmarks/fingerprints.py --fit-calibration`` on the impostor comparisons (all pairs of
different fingers, both directions) of FVC2002 DB1_B and DB3_B, minutiae from nbis-py 0.1.3 MINDTCT:
see docs/fingerprints.md for the run. Beyond the fitted data the tail is an extrapolation: a calibrated
score of 6 (FMR one in a million) was not observed directly on the 11,520 impostor comparisons.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

TAIL_SHARE = 0.1
# Fitted constants (benchmarks/fingerprints.py --fit-calibration, FVC2002 DB1_B + DB3_B impostors).
TAIL_START = 0.01623
TAIL_SCALE = 0.00161


def calibrate(raw: float, *, tail_start: float = TAIL_START, tail_scale: float = TAIL_SCALE) -> float:
    """Map a raw matcher score to ``-log10(estimated false-match rate)``.

    >>> calibrate(TAIL_START)
    1.0
    >>> round(calibrate(TAIL_START + TAIL_SCALE * math.log(100)), 6)
    3.0
    """
    floor = -math.log10(TAIL_SHARE)
    if raw <= tail_start:
        return max(0.0, raw / tail_start * floor) if tail_start > 0 else 0.0
    return floor + (raw - tail_start) / (tail_scale * math.log(10))


def false_match_rate(raw: float) -> float:
    """Return the estimated false-match rate of one comparison scoring ``raw``."""
    return float(10.0 ** (-calibrate(raw)))


def threshold_for(fmr: float, *, gallery_size: int = 1) -> float:
    """Calibrated threshold for a wanted FMR; in a 1:N search the per-search FMR is spread over N.

    >>> threshold_for(0.001)
    3.0
    >>> threshold_for(0.001, gallery_size=100_000)
    8.0
    """
    if not 0 < fmr < 1 or gallery_size < 1:
        raise ValueError("fmr must be in (0, 1) and gallery_size at least 1")
    return round(-math.log10(fmr) + math.log10(gallery_size), 9)


def fit(impostor_scores: Sequence[float]) -> tuple[float, float]:
    """Fit (tail start, tail scale) to raw impostor scores; used by the benchmark to set the constants."""
    scores = np.asarray(impostor_scores, dtype=np.float64)
    if scores.size < 100:
        raise ValueError("need at least 100 impostor scores to fit a tail")
    start = float(np.quantile(scores, 1.0 - TAIL_SHARE))
    excess = scores[scores > start] - start
    scale = float(excess.mean()) if excess.size else 1e-6
    return start, max(scale, 1e-9)
