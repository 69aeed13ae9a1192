"""In-process DNA search indexes, one set per engine, kept in step with the database by a generation counter.

A 1:N STR search cannot be a SQL query at speed: CODIS stringency is set logic over every locus of every
profile. So each process keeps the core's :class:`DirectSearchIndex` (allele bitmask columns) and, per
population, a :class:`FamilyIndex` (precomputed family models) in memory, built from the database at first
use. The database stays the truth:

* every change the indexes hold (a profile enrolled or cancelled, a frequency table imported) bumps the
  one-row ``dna_index_state.generation`` in the writer's transaction and stamps the changed profile rows
  with the new generation (``bump_generation``). The row lock taken by the UPDATE orders the writers, so a
  committed generation G means every change stamped <= G is committed;
* every search first reads ``(epoch, generation)`` in its own transaction (one primary-key read). When it
  differs from what the cache holds, only the rows stamped later are read and applied (removed, re-added);
  a new ``epoch`` (the row was recreated: a restored or truncated database) means a full rebuild;
* another process (a second API worker, the CLI) therefore sees a change at its next search, without any
  message between processes;
* a transaction that changed DNA data and then rolled back may have shown its uncommitted rows to a
  search in the same transaction: the cache is then dropped and rebuilt at the next search.

A cold process does not rebuild everything: it loads the direct index from the saved snapshot
(``dna/snapshots.py``) and the family models stored with each family (``dna/family_models.py``), then catches
up with the rows stamped later, as above. ``warm`` does it before the first search.

Relatives of missing persons are only in the family indexes: I-Familia keeps relatives' profiles out of
direct (crime) searches, they are given for identification only.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Engine, event, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from peacelink.access.visibility import RecordStatus
from peacelink.db.base import new_id
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import family_models, snapshots
from peacelink.dna.family_models import table_from_json
from peacelink.dna.models import DNAFrequencyTable, DNAIndexState, DNAProfile, ProfileKind
from peacelink.matching.dna import DirectHit, DirectSearchIndex, FamilyIndex, FrequencyTable, Profile
from peacelink.matching.dna.kinship_search import FamilyModel, KinshipHit
from peacelink.matching.dna.loci import read_stored_loci

log = logging.getLogger(__name__)
STATE_ID = 1
_PENDING = "peacelink.dna.pending"
_BULK_THRESHOLD = 5000  # below this, profile-by-profile adds are fast enough
Key = tuple[str, int]


def bump_generation(session: Session) -> int:
    """Advance the generation in the caller's transaction and return it (stamp changed rows with it)."""
    connection = session.connection()
    state = DNAIndexState
    new = connection.execute(
        update(state)
        .where(state.id == STATE_ID)
        .values(generation=state.generation + 1)
        .returning(state.generation)
    ).scalar()
    if new is None:
        connection.execute(insert(state).values(id=STATE_ID, epoch=new_id(), generation=1))
        new = 1
    if not session.info.get(_PENDING):
        session.info[_PENDING] = True
        engine = session.get_bind()

        def _rolled_back(rolled: Session, *_: Any) -> None:
            if rolled.info.pop(_PENDING, None) and isinstance(engine, Engine):
                cache_for(engine).invalidate()

        def _committed(committed: Session) -> None:
            committed.info.pop(_PENDING, None)

        event.listen(session, "after_rollback", _rolled_back, once=True)
        event.listen(session, "after_commit", _committed, once=True)
    return int(new)


def current_key(session: Session) -> Key:
    """The (epoch, generation) the database is at, read in the caller's transaction."""
    row = session.execute(
        select(DNAIndexState.epoch, DNAIndexState.generation).where(DNAIndexState.id == STATE_ID)
    ).first()
    return ("", 0) if row is None else (row[0], int(row[1]))


def _profile(loci: dict[str, Any], kind: str = ProfileKind.STAIN.value) -> Profile:
    # Stored loci were validated at enrolment (``comparable`` has kept only the known, canonical names).
    return Profile(loci={locus: tuple(alleles) for locus, alleles in loci.items()}, kind=ProfileKind(kind))


def comparable(loci: dict[str, Any]) -> dict[str, Any]:
    """A stored profile's loci as every search compares them: known loci under their canonical names.

    A profile stored before the known-locus rule (7a5282c) may hold a name kept as spelled then: an unknown
    one (FOO, DYS19) is left out, a known one under another spelling (HUMTH01) is read as its locus (TH01).
    """
    return read_stored_loci(loci).loci


def _bulk_load(index: DirectSearchIndex, stored: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Load many profiles: single-source ones coded in bulk (numpy), the rest one by one."""
    rows = [(profile_id, comparable(loci)) for profile_id, loci in stored]
    if len(rows) < _BULK_THRESHOLD:
        for profile_id, loci in rows:
            index.add(profile_id, _profile(loci))
        return
    vocab: dict[str, dict[str, int]] = {}
    simple: list[tuple[str, dict[str, Any]]] = []
    other: list[tuple[str, dict[str, Any]]] = []
    for profile_id, loci in rows:
        if any(len(alleles) > 2 for alleles in loci.values()):
            other.append((profile_id, loci))
            continue
        simple.append((profile_id, loci))
        for locus, alleles in loci.items():
            at = vocab.setdefault(locus, {})
            for allele in alleles:
                at.setdefault(allele, len(at))
    # Loci with more alleles than a 64-bit mask holds are rare (SE33): profiles typing them go one by one.
    wide = {locus for locus, at in vocab.items() if len(at) > 62}
    if wide:
        keep: list[tuple[str, dict[str, Any]]] = []
        for profile_id, loci in simple:
            (other if wide.intersection(loci) else keep).append((profile_id, loci))
        simple = keep
        vocab = {locus: at for locus, at in vocab.items() if locus not in wide}
    codes = {locus: np.full((len(simple), 2), -1, dtype=np.int64) for locus in vocab}
    for row, (_, loci) in enumerate(simple):
        for locus, alleles in loci.items():
            at, column = vocab[locus], codes[locus]
            column[row, 0] = at[alleles[0]]
            column[row, 1] = at[alleles[-1]]
    lists = {locus: list(at) for locus, at in vocab.items()}
    index.add_coded([profile_id for profile_id, _ in simple], lists, codes)
    for profile_id, loci in other:
        index.add(profile_id, _profile(loci))


@dataclass
class _FamilyState:
    token: str
    key: Key
    index: FamilyIndex


@dataclass
class DNACache:
    """The indexes of one engine's database, as of ``key``."""

    key: Key | None = None
    direct: DirectSearchIndex = field(default_factory=DirectSearchIndex)
    tables: dict[str, FrequencyTable] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    table_ids: dict[str, int] = field(default_factory=dict)
    default_population: str | None = None
    families: dict[str, _FamilyState] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # Whether the database holds a snapshot of ``direct`` (this epoch) and how many rows came in since.
    snapshot_saved: bool = False
    loaded_from_snapshot: bool = False
    changes_since_snapshot: int = 0
    # Family models this process had to compute (the stored ones are only read): tests and benchmarks.
    models_built: int = 0

    def invalidate(self) -> None:
        """Forget everything: the next search rebuilds from the database."""
        with self.lock:
            self.key = None
            self.direct = DirectSearchIndex()
            self.families.clear()

    def refresh(self, session: Session) -> Key:
        """Bring the direct index and the table list up to the database's generation."""
        key = current_key(session)
        if key == self.key:
            return key
        if self.key is None or self.key[0] != key[0] or key[1] < self.key[1]:
            self.families.clear()
            saved = snapshots.load(session, epoch=key[0], generation=key[1])
            if saved is not None:
                self.direct, since = saved
                self.snapshot_saved = self.loaded_from_snapshot = True
                self.changes_since_snapshot = self._apply_changes(session, since)
            else:
                self.direct = DirectSearchIndex(capacity=1024)
                table = DNAProfile
                stmt = select(table.id, table.loci).where(
                    table.kind != ProfileKind.RELATIVE.value, table.status == RecordStatus.ACTIVE.value
                )
                _bulk_load(self.direct, [(row[0], row[1]) for row in session.execute(stmt)])
                self.snapshot_saved = self.loaded_from_snapshot = False
                self.changes_since_snapshot = 0
        else:
            self.changes_since_snapshot += self._apply_changes(session, self.key[1])
        self._load_tables(session)
        self.key = key
        # Rows this transaction wrote itself could still roll back: never save them into a snapshot.
        due = snapshots.is_due(
            size=len(self.direct), changes=self.changes_since_snapshot, saved=self.snapshot_saved
        )
        saving = due and not session.info.get(_PENDING)
        if saving and snapshots.save(session, self.direct, epoch=key[0], generation=key[1]):
            self.snapshot_saved, self.changes_since_snapshot = True, 0
        return key

    def _apply_changes(self, session: Session, since: int) -> int:
        """Remove and re-add the direct-search rows stamped after ``since``; return how many."""
        table = DNAProfile
        stmt = select(table.id, table.status, table.loci).where(
            table.kind != ProfileKind.RELATIVE.value, table.index_generation > since
        )
        changed = session.execute(stmt).all()
        active = []
        for profile_id, status, loci in changed:
            if profile_id in self.direct._rows:
                self.direct.remove(profile_id)
            if status == RecordStatus.ACTIVE.value:
                active.append((profile_id, loci))
        _bulk_load(self.direct, active)
        return len(changed)

    def _load_tables(self, session: Session) -> None:
        table = DNAFrequencyTable
        found = session.execute(select(table.id, table.population, table.token, table.is_default)).all()
        tokens = {population: token for _, population, token, _ in found}
        for population, token in tokens.items():
            if self.tokens.get(population) != token:
                data = session.scalar(select(table.data).where(table.population == population))
                self.tables[population] = table_from_json(population, data or {})
        for gone in set(self.tables) - set(tokens):
            del self.tables[gone]
        self.tokens = tokens
        self.table_ids = {population: table_id for table_id, population, _, _ in found}
        defaults = [population for _, population, _, is_default in found if is_default]
        self.default_population = defaults[0] if defaults else None

    def _models(
        self, session: Session, population: str, family_ids: set[str] | None
    ) -> dict[str, FamilyModel]:
        models, built = family_models.load(
            session,
            table_id=self.table_ids[population],
            token=self.tokens[population],
            table=self.tables[population],
            family_ids=family_ids,
        )
        self.models_built += built
        return models

    def family_index(self, session: Session, population: str, key: Key) -> FamilyIndex:
        """The families of missing persons modelled with ``population``'s frequencies, up to date."""
        state = self.families.get(population)
        token = self.tokens[population]
        if state is None or state.token != token or state.key[0] != key[0]:
            index = FamilyIndex(self.tables[population])
            index.models.update(self._models(session, population, None))
            self.families[population] = _FamilyState(token, key, index)
            return index
        if state.key != key:
            changed: set[str] = set(
                session.scalars(
                    select(DNAProfile.family_id)
                    .where(
                        DNAProfile.kind == ProfileKind.RELATIVE.value,
                        DNAProfile.index_generation > state.key[1],
                    )
                    .where(DNAProfile.family_id.is_not(None))
                    .distinct()
                )
            )
            if changed:
                models = self._models(session, population, changed)
                for family_id in changed:
                    state.index.models.pop(family_id, None)
                state.index.models.update(models)
            state.key = key
        return state.index

    def table(self, population: str | None) -> FrequencyTable | None:
        """The named table, or the default one (None when no table is stored); KeyError when unknown."""
        name = population or self.default_population
        if name is None:
            return None
        return self.tables[name]


_caches: weakref.WeakKeyDictionary[Engine, DNACache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(engine: Engine) -> DNACache:
    """The cache of one engine's database (created empty at first use)."""
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = DNACache()
        return cache


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return engine


def search_direct(
    session: Session,
    query: Profile,
    *,
    stringency: str,
    min_loci: int,
    allow_mismatch: bool,
    population: str | None,
    limit: int,
) -> tuple[list[DirectHit], FrequencyTable | None]:
    """Run a direct search on the up-to-date index; returns the hits and the table used (if any)."""
    cache = cache_for(_engine(session))
    with cache.lock:
        cache.refresh(session)
        table = cache.table(population)
        hits = cache.direct.search(
            query,
            stringency=stringency,
            min_loci=min_loci,
            allow_mismatch=allow_mismatch,
            frequencies=table,
            limit=limit,
        )
    return hits, table


def search_families(
    session: Session, query: Profile, *, population: str | None, limit: int
) -> tuple[list[KinshipHit], FrequencyTable]:
    """Rank the families of missing persons for an unidentified profile; KeyError without a table."""
    cache = cache_for(_engine(session))
    with cache.lock:
        key = cache.refresh(session)
        table = cache.table(population)
        if table is None:
            raise KeyError(population or "default")
        index = cache.family_index(session, table.population, key)
        return index.search(query, limit=limit), table


def frequency_table(session: Session, population: str | None) -> FrequencyTable | None:
    """The up-to-date named (or default) frequency table; KeyError when the name is unknown."""
    cache = cache_for(_engine(session))
    with cache.lock:
        cache.refresh(session)
        return cache.table(population)


def warm(sessions: sessionmaker[Session]) -> None:
    """Load the direct index and every population's family index now (at start-up, before any search)."""
    with unit_of_work(sessions) as session:
        cache = cache_for(_engine(session))
        with cache.lock:
            key = cache.refresh(session)
            for population in list(cache.tables):
                cache.family_index(session, population, key)


def warm_in_background(sessions: sessionmaker[Session]) -> threading.Thread:
    """Start ``warm`` in a daemon thread (a server's start-up); a failure is logged, never raised."""

    def run() -> None:
        try:
            warm(sessions)
        except Exception:  # the first search will load the indexes instead
            log.exception("warming the DNA indexes failed")

    thread = threading.Thread(target=run, name="dna-index-warm", daemon=True)
    thread.start()
    return thread
