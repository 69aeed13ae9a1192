"""1:N gallery: the mate is found among many, serialisation round-trips."""

import numpy as np
import pytest

from peacelink.matching.fingerprints import matcher, synthetic
from peacelink.matching.fingerprints.index import Gallery


def build(count: int, seed: int = 1) -> tuple[Gallery, list]:  # type: ignore[type-arg]
    rng = np.random.default_rng(seed)
    masters = synthetic.fingers(count, seed=seed)
    gallery = Gallery()
    for number, master in enumerate(masters):
        gallery.add(f"finger-{number}", synthetic.impression(master, rng))
    for number in range(300):  # cheap fillers so stage A has something to filter
        points, directions = synthetic.random_arrays(rng)
        gallery.add_encoded(f"filler-{number}", matcher.encode_arrays(points, directions))
    return gallery, masters


def test_search_finds_the_mate_first() -> None:
    gallery, masters = build(15)
    rng = np.random.default_rng(99)
    for number in (0, 7, 14):
        # A shortlist of the whole gallery tests the full re-rank; the pre-filter is tested below.
        hits = gallery.search(synthetic.impression(masters[number], rng), top_k=5, shortlist=len(gallery))
        assert hits[0].gallery_id == f"finger-{number}"
        assert hits[0].score >= hits[-1].score
        assert hits[0].pairs


def test_prefilter_ranks_the_mate_high() -> None:
    # Stage A (the pre-filter) on fingers of one generator: the mate must get the best stage-A score.
    # The shortlist test with 600 fillers is in test_fingerprint_vectorised.py.
    masters = synthetic.fingers(15, seed=1)
    gallery = Gallery()
    for number, master in enumerate(masters):
        gallery.add(f"finger-{number}", master)
    rng = np.random.default_rng(5)
    mild = synthetic.Distortion(warp=2.0, missing=0.1, spurious=0.05, angle_jitter_degrees=3.0)
    for number in (0, 4, 7):
        numbers, votes = gallery.prefilter(
            matcher.encode(synthetic.impression(masters[number], rng, mild)), 15
        )
        assert numbers[0] == number
        assert list(votes) == sorted(votes, reverse=True)


def test_serialisation_round_trip() -> None:
    gallery, masters = build(5, seed=7)
    again = Gallery.from_bytes(gallery.to_bytes())
    assert again.ids == gallery.ids
    probe = synthetic.impression(masters[2], np.random.default_rng(8))
    assert [h.gallery_id for h in again.search(probe, top_k=3)] == [
        h.gallery_id for h in gallery.search(probe, top_k=3)
    ]


def test_bad_blob_and_empty_gallery() -> None:
    with pytest.raises(ValueError, match="gallery"):
        Gallery.from_bytes(b"not a gallery")
    assert Gallery().search(synthetic.fingers(1)[0]) == []
