"""Who a check answers (``Reader``), for the look-ups that cut their own lists: records the reader may not
report on are left out before any cut (docs/checks.md, "The pipeline")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from peacelink.access import Actor, RecordStatus, can_see
from peacelink.access.visibility import VisibleRecord, excluded_by_owner

T = TypeVar("T")

# The key of ``Query.values`` under which ``evaluate`` hands the look-up its ``Reader``.
READER = "reader"


@dataclass(frozen=True)
class Reader:
    """Who a check answers, for a look-up that cuts its own list (a shortlist, a scored head, the shown
    candidates): the records it may not report on are left out *before* the cut, so records hidden from
    this agency never take a visible record's place (and an answer cut short by them cannot betray them).

    ``reports(record)``: the record may appear in this answer (``can_see``), or, with ``tells_owner``, it
    is served but its owner excluded this agency, and a hit on it goes to the owner alone.
    """

    actor: Actor
    today: dt.date
    tells_owner: bool = True
    # What the look-up found worth saying (a name too common to look up alone): the answer's warnings.
    notes: list[str] = field(default_factory=list)

    def warn(self, note: str) -> None:
        """Add ``note`` to the answer's warnings: English, and keyed for the web pages' languages when it
        is a ``Translatable``: ``reader.warn(Translatable("the names ...", "persons.check.warning..."))``."""
        self.notes.append(note)

    def sees(self, record: VisibleRecord) -> bool:
        return can_see(self.actor, record, today=self.today)

    def owner_only(self, record: VisibleRecord) -> bool:
        """Hidden from this agency by its owner, yet served: a hit on it is reported to the owner only."""
        return (
            self.tells_owner
            and not self.sees(record)
            and served(record, self.today)
            and excluded_by_owner(self.actor, record)
        )

    def first_seen(
        self,
        ranked: Sequence[T],
        records: Mapping[str, VisibleRecord],
        record_id: Callable[[T], str],
        limit: int,
    ) -> tuple[list[T], bool]:
        """The first ``limit`` of ``ranked`` this reader may see (their records by ``record_id``; an item
        whose record is gone is dropped), with the owner-only ones among them kept (their hits go to the
        owner); and whether records it may not see were passed over while fewer than ``limit`` were seen
        (a look-up that asked its index for ``limit`` should then ask for more)."""
        kept: list[T] = []
        seen = 0
        passed_over = False
        for item in ranked:
            found = records.get(record_id(item))
            if found is None:
                continue
            if self.sees(found):
                if seen < limit:
                    kept.append(item)
                seen += 1
            elif self.owner_only(found):
                kept.append(item)
                passed_over = True
            else:
                passed_over = True
        return kept, passed_over and seen < limit


# An in-memory index asked for the first ``limit`` results is asked for 4 times more, up to this factor,
# while records the reader may not see fill them (``search_widening``).
WIDEN_MAX = 64
R = TypeVar("R", bound=VisibleRecord)


def search_widening(
    reader: Reader | None,
    limit: int,
    search: Callable[[int], tuple[list[T], int, Mapping[str, R]]],
    record_id: Callable[[T], str],
) -> tuple[list[T], Mapping[str, R]]:
    """Run ``search(want)`` (the items it ranks, how many the index gave before its own filters, and their
    records by id) for ``want = limit`` and, while records the reader may not see fill the first ``limit``
    (``Reader.first_seen``), for 4 times more, up to WIDEN_MAX times; the items the reader may report on
    (all of them without a reader) and their records."""
    want = limit
    while True:
        items, given, records = search(want)
        if reader is None:
            return items, records
        kept, short = reader.first_seen(items, records, record_id, limit)
        if not short or given < want or want >= limit * WIDEN_MAX:
            return kept, records
        want *= 4


def served(record: VisibleRecord, today: dt.date) -> bool:
    """Whether the record is still served to other agencies at all (active, before its review date)."""
    return record.status == RecordStatus.ACTIVE and record.review_due >= today
