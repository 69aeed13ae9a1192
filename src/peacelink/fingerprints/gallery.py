"""The in-process 1:N gallery of enrolled prints, loaded from the database and kept in step with it.

Each process (API worker, CLI command) keeps one :class:`GalleryCache` per engine. The database is the
truth; the cache is a copy of the active rows' stored MCC encodings, arranged for
:class:`peacelink.matching.fingerprints.index.Gallery`.

Consistency across processes: the one-row table ``fingerprint_gallery_state`` holds ``(epoch,
generation)``. Every enrol or cancel bumps ``generation`` with ``UPDATE ... RETURNING`` in its own
transaction and stamps the changed rows' ``gallery_seq`` with the new value. The UPDATE locks that row
until commit, so generations become visible strictly in order: a reader that sees generation G also sees
every row stamped <= G. Before each search a process reads the state (one primary-key read) and

* same epoch and generation: searches its cache as is;
* a higher generation: reads only the rows with ``gallery_seq`` above its own (an index range) and adds the
  new prints to a small *delta* gallery and the cancelled ones to a *removed* set;
* another epoch (the row was recreated: a restored or truncated database) or a lower generation: reloads.

The big *main* gallery's stacked arrays are rebuilt only when the delta outgrows ``MERGE_AT``, because a
rebuild recomputes the descriptors of every print (seconds at 100,000). A transaction that bumped the
generation and then rolls back drops the cache (it may hold the rolled-back rows): the next search reloads.
"""

from __future__ import annotations

import struct
import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, Engine, event, insert, select, update
from sqlalchemy.orm import Session

from peacelink.access.visibility import RecordStatus
from peacelink.db.base import new_id
from peacelink.fingerprints.models import Fingerprint, FingerprintGalleryState
from peacelink.matching.fingerprints import matcher, vectorised
from peacelink.matching.fingerprints.index import Gallery, SearchHit

# Bump when matcher.encode changes: rows with another version are re-encoded from their ISO template.
ENCODING_VERSION = 1
STATE_ID = 1
MERGE_AT = 2000
_HEADER = struct.Struct("<HH")  # encoding version, number of minutiae
_CYLINDER_BYTES = matcher.BITS // 8


def pack(encoded: matcher.Encoded) -> bytes:
    """Serialise an encoding: header, points (n,2) f32, directions (n,) f32, bits (n,48) u8, valid (n,)."""
    count = len(encoded.points)
    return b"".join(
        (
            _HEADER.pack(ENCODING_VERSION, count),
            np.ascontiguousarray(encoded.points, np.float32).tobytes(),
            np.ascontiguousarray(encoded.directions, np.float32).tobytes(),
            np.ascontiguousarray(encoded.bits, np.uint8).tobytes(),
            np.ascontiguousarray(encoded.valid, np.bool_).tobytes(),
        )
    )


def unpack(data: bytes) -> matcher.Encoded:
    """Inverse of :func:`pack`; ValueError if the bytes are not a current encoding."""
    version, count = _HEADER.unpack_from(data)
    if version != ENCODING_VERSION:
        raise ValueError(f"encoding version {version}, expected {ENCODING_VERSION}")
    expected = _HEADER.size + count * (8 + 4 + _CYLINDER_BYTES + 1)
    if len(data) != expected:
        raise ValueError(f"encoding of {len(data)} bytes, expected {expected}")
    offset = _HEADER.size
    points = np.frombuffer(data, np.float32, count * 2, offset).reshape(count, 2)
    offset += count * 8
    directions = np.frombuffer(data, np.float32, count, offset)
    offset += count * 4
    bits = np.frombuffer(data, np.uint8, count * _CYLINDER_BYTES, offset).reshape(count, _CYLINDER_BYTES)
    offset += count * _CYLINDER_BYTES
    valid = np.frombuffer(data, np.bool_, count, offset)
    return matcher.Encoded(points, directions, bits, valid)


def read_state(session: Session) -> tuple[str, int]:
    """The committed (epoch, generation); ("", 0) when the state row is missing."""
    row = session.execute(
        select(FingerprintGalleryState.epoch, FingerprintGalleryState.generation).where(
            FingerprintGalleryState.id == STATE_ID
        )
    ).first()
    return (row[0], int(row[1])) if row else ("", 0)


def bump(session: Session, count: int = 1) -> int:
    """Reserve ``count`` generations for rows this transaction changes; return the last one.

    The UPDATE row lock serialises enrolments until commit (see the module docstring for why).
    """
    new = session.execute(
        update(FingerprintGalleryState)
        .where(FingerprintGalleryState.id == STATE_ID)
        .values(generation=FingerprintGalleryState.generation + count)
        .returning(FingerprintGalleryState.generation)
    ).scalar()
    if new is None:
        # Recreated after the table was emptied: a new epoch makes every process reload.
        session.execute(insert(FingerprintGalleryState).values(id=STATE_ID, epoch=new_id(), generation=count))
        new = count
    cache = for_session(session)
    if not session.info.get("fingerprint_gallery_listener"):
        session.info["fingerprint_gallery_listener"] = True
        event.listen(session, "after_rollback", lambda _s: cache.invalidate())
    return int(new)


@dataclass(frozen=True)
class Snapshot:
    """An immutable view of the gallery that one search uses without holding the lock."""

    main: Gallery
    delta: Gallery
    removed: frozenset[str] = field(default_factory=frozenset)

    @property
    def size(self) -> int:
        """Active prints in the gallery."""
        return len(self.main) + len(self.delta) - len(self.removed)

    def search(self, probe: matcher.Encoded, *, top_k: int, shortlist: int = 200) -> list[SearchHit]:
        """The ``top_k`` best active prints: main and delta searched, merged by pairwise score."""
        want = top_k + min(len(self.removed), top_k)
        hits = [
            hit
            for part in (self.main, self.delta)
            if len(part)
            for hit in part.search(probe, top_k=want, shortlist=shortlist)
            if hit.gallery_id not in self.removed
        ]
        hits.sort(key=lambda hit: (-hit.score, -hit.relaxed))
        return hits[:top_k]


def _empty() -> Gallery:
    return Gallery(vectorised.fit_projection())


def _decoded(row_encoding: bytes, version: int) -> matcher.Encoded | None:
    if version != ENCODING_VERSION:
        return None
    try:
        return unpack(row_encoding)
    except (ValueError, struct.error):
        return None


class GalleryCache:
    """One engine's gallery: synced from the database before every search."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._epoch: str | None = None
        self._generation = 0
        self._members: set[str] = set()
        self._snapshot = Snapshot(_empty(), _empty())

    def current(self) -> Snapshot:
        """The snapshot as last synced (no database read)."""
        return self._snapshot

    def invalidate(self) -> None:
        """Forget everything: the next search reloads from the database."""
        with self._lock:
            self._epoch = None

    def _rows(self, session: Session, after: int | None) -> list[tuple[str, str, bytes, int, bytes]]:
        stmt = select(
            Fingerprint.id,
            Fingerprint.status,
            Fingerprint.encoded,
            Fingerprint.encoding_version,
            Fingerprint.template,
        )
        if after is None:
            stmt = stmt.where(Fingerprint.status == RecordStatus.ACTIVE.value)
        else:
            stmt = stmt.where(Fingerprint.gallery_seq > after)
        return [
            (r[0], r[1], r[2], r[3], r[4]) for r in session.execute(stmt.order_by(Fingerprint.gallery_seq))
        ]

    @staticmethod
    def _encoding(encoded: bytes, version: int, template: bytes) -> matcher.Encoded:
        found = _decoded(encoded, version)
        if found is not None:
            return found
        from peacelink.matching.fingerprints import iso19794_2

        # A row encoded by an older matcher: encode again from the exchange template.
        return matcher.encode(iso19794_2.decode(template))

    def snapshot(self, session: Session) -> Snapshot:
        """Bring the cache up to the database's committed generation and return a view to search."""
        epoch, generation = read_state(session)
        with self._lock:
            if self._epoch == epoch and generation == self._generation:
                return self._snapshot
            full = self._epoch != epoch or generation < self._generation
            rows = self._rows(session, None if full else self._generation)
            if full:
                main, delta, removed, members = _empty(), _empty(), set[str](), set[str]()
            else:
                snap = self._snapshot
                main, removed, members = snap.main, set(snap.removed), set(self._members)
                delta = _empty()
                for gallery_id, kept in zip(snap.delta.ids, snap.delta._encoded, strict=True):
                    delta.add_encoded(gallery_id, kept)
            target = main if full else delta
            for record_id, status, stored, version, template in rows:
                if status != RecordStatus.ACTIVE.value:
                    if record_id in members:
                        removed.add(record_id)
                    continue
                if record_id in members:
                    continue  # read twice while another transaction committed between our reads
                target.add_encoded(record_id, self._encoding(stored, version, template))
                members.add(record_id)
            if len(delta) >= MERGE_AT or len(removed) > max(MERGE_AT, len(members) // 10):
                main = self._merged(main, delta, removed)
                delta, members, removed = _empty(), set(main.ids), set()
            # Build the stacked arrays here, under the lock, so concurrent searches never build twice.
            main._build()
            delta._build()
            self._snapshot = Snapshot(main, delta, frozenset(removed))
            self._members, self._epoch, self._generation = members, epoch, generation
            return self._snapshot

    @staticmethod
    def _merged(main: Gallery, delta: Gallery, removed: set[str]) -> Gallery:
        merged = _empty()
        for part in (main, delta):
            for gallery_id, encoded in zip(part.ids, part._encoded, strict=True):
                if gallery_id not in removed:
                    merged.add_encoded(gallery_id, encoded)
        return merged


_CACHES: weakref.WeakKeyDictionary[Engine, GalleryCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def for_engine(engine: Engine) -> GalleryCache:
    """The gallery cache of ``engine`` in this process (created empty on first use)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _CACHES[engine] = GalleryCache()
        return cache


def for_session(session: Session) -> GalleryCache:
    """The gallery cache of the engine ``session`` is bound to."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    return for_engine(engine)
