"""Vectorised 1:N scoring: stage A (dense LSS) and stage B (batched LSS-R) on synthetic fingers."""

import io

import numpy as np

from peacelink.matching.fingerprints import matcher, synthetic, vectorised
from peacelink.matching.fingerprints.index import Gallery


def test_projection_is_deterministic_and_orthonormal() -> None:
    projection = vectorised.fit_projection()
    assert projection.basis.shape == (matcher.BITS, vectorised.COMPONENTS)
    gram = projection.basis.T @ projection.basis
    assert np.allclose(gram, np.eye(vectorised.COMPONENTS), atol=1e-4)
    encoded = matcher.encode(synthetic.fingers(1, seed=3)[0])
    desc = vectorised.descriptors(encoded)
    assert desc.shape == (len(encoded.points), vectorised.DIMENSIONS)
    assert np.all(desc[~encoded.valid] == 0)


def test_pairs_to_keep_matches_the_pairwise_matcher() -> None:
    counts = np.arange(0, 80, dtype=np.int64)
    for probe in (0, 5, 20, 45, 100):
        expected = [matcher._pairs_to_keep(probe, int(c)) for c in counts]
        assert vectorised.pairs_to_keep(probe, counts).tolist() == expected


def test_stage_b_agrees_with_the_pairwise_matcher() -> None:
    rng = np.random.default_rng(3)
    masters = synthetic.fingers(8, seed=13)
    probe = matcher.encode(synthetic.impression(masters[0], rng))
    candidates = [matcher.encode(synthetic.impression(m, rng)) for m in masters]
    batched = vectorised.score_many(probe, candidates)
    pairwise = np.array([matcher.compare_encoded(probe, c).score for c in candidates])
    # Same similarities and relaxation; only the number of relaxed pairs may differ for small templates.
    assert np.abs(batched - pairwise).max() < 0.05
    assert int(np.argmax(batched)) == 0
    assert batched[0] > 2 * batched[1:].max()


def test_stages_separate_mates_from_non_mates() -> None:
    rng = np.random.default_rng(11)
    masters = synthetic.fingers(10, seed=4)
    first = [matcher.encode(synthetic.impression(m, rng)) for m in masters]
    second = [matcher.encode(synthetic.impression(m, rng)) for m in masters]
    for scorer in (vectorised.lss_many, vectorised.score_many):
        scores = np.array([scorer(p, second) for p in first])
        assert (np.argmax(scores, axis=1) == np.arange(10)).all()


def test_empty_probe_and_empty_candidates_score_zero() -> None:
    empty = matcher.encode_arrays(np.zeros((0, 2), np.float32), np.zeros(0, np.float32))
    master = matcher.encode(synthetic.fingers(1, seed=2)[0])
    assert vectorised.score_many(empty, [master]).tolist() == [0.0]
    assert vectorised.score_many(master, [empty]).tolist() == [0.0]
    assert vectorised.lss_many(master, [empty]).tolist() == [0.0]


def test_search_with_a_short_shortlist_finds_the_mate() -> None:
    rng = np.random.default_rng(21)
    masters = synthetic.fingers(12, seed=31)
    gallery = Gallery()
    for number, master in enumerate(masters):
        gallery.add(f"finger-{number}", synthetic.impression(master, rng))
    for number in range(600):
        gallery.add_encoded(f"filler-{number}", matcher.encode_arrays(*synthetic.random_arrays(rng)))
    for number in (1, 6, 11):
        # Stage A must put the mate in a shortlist of 20 of 612 templates; stage B then ranks it first.
        hits = gallery.search(synthetic.impression(masters[number], rng), top_k=3, shortlist=20)
        assert hits[0].gallery_id == f"finger-{number}"
        assert hits[0].pairs
        assert hits[0].relaxed > 0
        assert hits[0].votes > 0


def test_blob_keeps_the_projection_and_reads_format_1() -> None:
    rng = np.random.default_rng(4)
    gallery = Gallery()
    for number, master in enumerate(synthetic.fingers(4, seed=8)):
        gallery.add(f"finger-{number}", synthetic.impression(master, rng))
    again = Gallery.from_bytes(gallery.to_bytes())
    assert np.array_equal(again.projection.basis, gallery.projection.basis)
    blob = dict(np.load(io.BytesIO(gallery.to_bytes()), allow_pickle=False))
    blob["version"] = np.array([1])
    del blob["projection_mean"], blob["projection_basis"]
    buffer = io.BytesIO()
    np.savez(buffer, **blob)
    old = Gallery.from_bytes(buffer.getvalue())
    probe = synthetic.impression(synthetic.fingers(4, seed=8)[2], rng)
    assert old.search(probe, top_k=1)[0].gallery_id == "finger-2"
