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

Relatives of missing persons are only in the family indexes: I-Familia keeps relatives' profiles out of
direct (crime) searches, they are given for identification only.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Engine, event, insert, select, update
from sqlalchemy.orm import Session

from peacelink.access.visibility import RecordStatus
from peacelink.db.base import new_id
from peacelink.dna.models import DNAFrequencyTable, DNAIndexState, DNAProfile, ProfileKind
from peacelink.matching.dna import (
    DirectHit,
    DirectSearchIndex,
    FamilyIndex,
    FrequencyTable,
    Profile,
    Relationship,
)
from peacelink.matching.dna.frequencies import LocusFrequencies
from peacelink.matching.dna.kinship_search import KinshipHit

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


def table_from_json(population: str, data: dict[str, Any]) -> FrequencyTable:
    """Rebuild a stored frequency table (the minimum is stored as applied at import)."""
    loci = {
        locus: LocusFrequencies(
            observed={a: float(f) for a, f in item["observed"].items()},
            minimum=float(item["minimum"]),
            n_alleles=item.get("n_alleles"),
        )
        for locus, item in data.items()
    }
    return FrequencyTable(population=population, loci=loci)


def _profile(loci: dict[str, Any], kind: str = ProfileKind.STAIN.value) -> Profile:
    # Stored loci were validated and canonicalised at enrolment: no need to parse them again.
    return Profile(loci={locus: tuple(alleles) for locus, alleles in loci.items()}, kind=ProfileKind(kind))


def _bulk_load(index: DirectSearchIndex, rows: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Load many profiles: single-source ones coded in bulk (numpy), the rest one by one."""
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
    default_population: str | None = None
    families: dict[str, _FamilyState] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

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
        table = DNAProfile
        columns = (table.id, table.status, table.loci)
        not_relative = table.kind != ProfileKind.RELATIVE.value
        if self.key is None or self.key[0] != key[0] or key[1] < self.key[1]:
            self.direct = DirectSearchIndex(capacity=1024)
            self.families.clear()
            stmt = select(table.id, table.loci).where(not_relative, table.status == RecordStatus.ACTIVE.value)
            rows = [(row[0], row[1]) for row in session.execute(stmt)]
            _bulk_load(self.direct, rows)
        else:
            stmt = select(*columns).where(not_relative, table.index_generation > self.key[1])
            for profile_id, status, loci in session.execute(stmt):
                if profile_id in self.direct._rows:
                    self.direct.remove(profile_id)
                if status == RecordStatus.ACTIVE.value:
                    self.direct.add(profile_id, _profile(loci))
        self._load_tables(session)
        self.key = key
        return key

    def _load_tables(self, session: Session) -> None:
        found = session.execute(
            select(DNAFrequencyTable.population, DNAFrequencyTable.token, DNAFrequencyTable.is_default)
        ).all()
        tokens = {population: token for population, token, _ in found}
        for population, token in tokens.items():
            if self.tokens.get(population) != token:
                data = session.scalar(
                    select(DNAFrequencyTable.data).where(DNAFrequencyTable.population == population)
                )
                self.tables[population] = table_from_json(population, data or {})
        for gone in set(self.tables) - set(tokens):
            del self.tables[gone]
        self.tokens = tokens
        defaults = [population for population, _, is_default in found if is_default]
        self.default_population = defaults[0] if defaults else None

    def _family_rows(self, session: Session, family_ids: Iterable[str] | None) -> dict[str, list[Profile]]:
        table = DNAProfile
        stmt = select(table.family_id, table.loci, table.relationship).where(
            table.kind == ProfileKind.RELATIVE.value, table.status == RecordStatus.ACTIVE.value
        )
        if family_ids is not None:
            stmt = stmt.where(table.family_id.in_(list(family_ids)))
        families: dict[str, list[Profile]] = {}
        for family_id, loci, relationship in session.execute(stmt):
            profile = Profile(
                loci={locus: tuple(alleles) for locus, alleles in loci.items()},
                kind=ProfileKind.RELATIVE,
                relationship=Relationship(relationship),
            )
            families.setdefault(family_id, []).append(profile)
        return families

    def family_index(self, session: Session, population: str, key: Key) -> FamilyIndex:
        """The families of missing persons modelled with ``population``'s frequencies, up to date."""
        state = self.families.get(population)
        token = self.tokens[population]
        if state is None or state.token != token or state.key[0] != key[0]:
            index = FamilyIndex(self.tables[population])
            for family_id, relatives in self._family_rows(session, None).items():
                index.add(family_id, relatives)
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
            rows = self._family_rows(session, changed) if changed else {}
            for family_id in changed:
                state.index.models.pop(family_id, None)
                if family_id in rows:
                    state.index.add(family_id, rows[family_id])
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
