"""Calibrated scores: monotone, fitted tails, thresholds per false-match rate."""

import itertools

import numpy as np
import pytest

from peacelink.matching.fingerprints import calibration


def test_calibration_is_monotone_and_starts_at_zero() -> None:
    raw = np.linspace(0, 0.2, 200)
    values = [calibration.calibrate(float(r)) for r in raw]
    assert values[0] == 0.0
    assert all(b >= a for a, b in itertools.pairwise(values))


def test_fit_recovers_an_exponential_tail() -> None:
    rng = np.random.default_rng(0)
    scores = rng.exponential(0.01, 50_000)
    start, scale = calibration.fit(scores.tolist())
    # For an exponential, the 90th percentile is ln(10) * mean and the excess has the same mean.
    assert start == pytest.approx(0.01 * np.log(10), rel=0.05)
    assert scale == pytest.approx(0.01, rel=0.05)
    # The fitted map then predicts the observed false-match rate.
    threshold = start + scale * np.log(100)  # calibrated 3
    assert calibration.calibrate(threshold, tail_start=start, tail_scale=scale) == pytest.approx(3.0)
    assert (scores >= threshold).mean() == pytest.approx(0.001, rel=0.25)


def test_threshold_for_and_errors() -> None:
    assert calibration.threshold_for(0.0001) == 4.0
    assert calibration.false_match_rate(calibration.TAIL_START) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="fmr"):
        calibration.threshold_for(0.0)
    with pytest.raises(ValueError, match="100"):
        calibration.fit([0.1] * 10)
