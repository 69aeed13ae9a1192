"""MCC matcher on synthetic fingers: mates beat non-mates, invariance, and correct pairs."""

import math
from dataclasses import replace

import numpy as np

from peacelink.matching.fingerprints import matcher, synthetic
from peacelink.matching.fingerprints.template import Minutia, Template


def test_mates_score_higher_than_non_mates() -> None:
    rng = np.random.default_rng(11)
    masters = synthetic.fingers(12, seed=4)
    genuine, impostor = [], []
    for i, master in enumerate(masters):
        a, b = synthetic.impression(master, rng), synthetic.impression(master, rng)
        genuine.append(matcher.compare(a, b).score)
        impostor.append(matcher.compare(a, synthetic.impression(masters[(i + 1) % 12], rng)).score)
    assert min(genuine) > max(impostor)


def test_score_is_invariant_to_rotation_and_translation() -> None:
    master = synthetic.fingers(1, seed=9)[0]
    no_noise = synthetic.Distortion(
        rotation_degrees=0,
        translation=0,
        warp=0,
        position_jitter=0,
        angle_jitter_degrees=0,
        missing=0,
        spurious=0,
    )
    rotated_only = replace(no_noise, rotation_degrees=40, translation=25)
    rng = np.random.default_rng(1)
    same = matcher.compare(master, synthetic.impression(master, rng, no_noise)).score
    moved = matcher.compare(master, synthetic.impression(master, rng, rotated_only)).score
    assert same > 0.05
    assert abs(same - moved) < 0.35 * same


def test_pairs_point_at_corresponding_minutiae() -> None:
    master = synthetic.fingers(1, seed=21)[0]
    # Shuffle a copy so that index i in one is not index i in the other, then undo it with the pairs.
    order = np.random.default_rng(0).permutation(len(master.minutiae))
    shuffled = replace(master, minutiae=tuple(master.minutiae[i] for i in order))
    result = matcher.compare(master, shuffled)
    assert len(result.pairs) >= 4
    for probe_index, candidate_index in result.pairs:
        assert order[candidate_index] == probe_index
    assert len({p for p, _ in result.pairs}) == len(result.pairs)


def test_empty_and_tiny_templates_score_zero() -> None:
    empty = Template(width=300, height=300, minutiae=())
    one = Template(width=300, height=300, minutiae=(Minutia(x=10, y=10, angle=0.0),))
    master = synthetic.fingers(1, seed=2)[0]
    assert matcher.compare(empty, master).score == 0.0
    assert matcher.compare(one, master).score == 0.0
    assert matcher.compare(empty, empty).pairs == ()


def test_cylinder_bits_are_packed() -> None:
    encoded = matcher.encode(synthetic.fingers(1, seed=5)[0])
    assert encoded.bits.shape[1] * 8 == matcher.BITS
    assert encoded.valid.any()
    assert math.isclose(float(encoded.directions.max()), float(encoded.directions.max()))
