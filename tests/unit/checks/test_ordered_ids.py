"""Check and hit ids: time-ordered, same shape as record ids, unique."""

from __future__ import annotations

import re

from peacelink.db.base import new_id, new_ordered_id


def test_ordered_ids_have_the_record_id_shape_and_sort_by_creation() -> None:
    ids = [new_ordered_id() for _ in range(2000)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    stamps = [i[:16] for i in ids]
    assert stamps == sorted(stamps)  # later ids never sort before earlier ones
    assert len(new_id()) == len(ids[0])
