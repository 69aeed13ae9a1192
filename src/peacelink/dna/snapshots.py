"""A saved copy of the direct search index in the database, so that a cold process need not rebuild it.

Rebuilding the index from 100,000 profile rows (JSON loci, parsed and coded) took 12.8 s. Instead, one row
of ``dna_index_snapshots`` holds the index as it was at ``(epoch, generation)``: the core's
``DirectSearchIndex.to_bytes()`` (numpy arrays and JSON, no pickle), zlib-compressed. A cold process loads
it, then applies only the profile rows stamped after ``generation``, exactly as a warm process catches up
(dna/index.py). Applying a row twice is harmless (remove, then add), so a snapshot that happens to hold a
row stamped later than its generation is still correct.

Who saves it: the process that had to build the index without a usable snapshot, and any process whose
index has taken in more than ``max(MIN_CHANGES, CHANGE_SHARE x size)`` rows since the snapshot it knows.
It is written in that search's transaction (never when that transaction itself changed DNA data, whose
rows could still roll back), in a savepoint, and never over a newer snapshot.

A snapshot with a column for a locus PeaceLink does not know was saved before stored loci were read through
``index.comparable`` (a profile stored before 7a5282c with FOO, or TH01 under "HUMTH01" where a query's TH01
never looked): it is not used, the index is built from the rows, and the new snapshot replaces it (a
snapshot may replace one of the same generation for this reason).
"""

from __future__ import annotations

import logging
import zlib

from sqlalchemy import or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from peacelink.db.base import utcnow
from peacelink.dna.family_models import upsert
from peacelink.dna.models import DNAIndexSnapshot
from peacelink.matching.dna import DirectSearchIndex
from peacelink.matching.dna.loci import is_known_locus

log = logging.getLogger(__name__)
SNAPSHOT_ID = 1
MIN_CHANGES = 1000
CHANGE_SHARE = 0.1


def load(session: Session, *, epoch: str, generation: int) -> tuple[DirectSearchIndex, int] | None:
    """The saved index and its generation, if one was saved for this epoch at or before ``generation``."""
    row = session.execute(
        select(DNAIndexSnapshot.generation, DNAIndexSnapshot.data).where(
            DNAIndexSnapshot.id == SNAPSHOT_ID,
            DNAIndexSnapshot.epoch == epoch,
            DNAIndexSnapshot.generation <= generation,
        )
    ).first()
    if row is None:
        return None
    try:
        index = DirectSearchIndex.from_bytes(zlib.decompress(row[1]))
    except (ValueError, OSError, KeyError, zlib.error) as error:  # a damaged snapshot: rebuild instead
        log.warning("DNA index snapshot unreadable, rebuilding from the rows: %s", error)
        return None
    unknown = sorted(locus for locus in index.loci if not is_known_locus(locus))
    if unknown:
        log.warning("DNA index snapshot holds loci no search compares (%s): rebuilding", ", ".join(unknown))
        return None
    return index, int(row[0])


def is_due(*, size: int, changes: int, saved: bool) -> bool:
    """Whether the index should be saved: none saved yet, or many rows taken in since."""
    return not saved or changes > max(MIN_CHANGES, CHANGE_SHARE * size)


def save(session: Session, index: DirectSearchIndex, *, epoch: str, generation: int) -> bool:
    """Save the index as of ``(epoch, generation)`` over an older snapshot; False if it could not be."""
    row = {
        "id": SNAPSHOT_ID,
        "epoch": epoch,
        "generation": generation,
        "profile_count": len(index),
        "data": zlib.compress(index.to_bytes(), 1),
        "saved_at": utcnow(),
    }
    table = DNAIndexSnapshot.__table__
    # The same generation too: the snapshot it replaces may be one ``load`` would not use (see above).
    newer = or_(table.c.epoch != epoch, table.c.generation <= generation)
    try:
        with session.begin_nested():
            upsert(session, DNAIndexSnapshot, [row], ["id"], where=newer)
    except SQLAlchemyError as error:  # another process saving at the same time
        log.warning("DNA index snapshot not saved: %s", error)
        return False
    return True
