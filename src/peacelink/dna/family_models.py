"""Stored kinship models of the families of missing persons, so that no process has to rebuild them all.

Building a family's model (the missing person's predictive genotypes at every locus, with mutation) costs
milliseconds per family; 10,000 families took 108 s at a process's first kinship search. So each model is
built once, in the transaction that changes the family's relatives (``store``), for every stored frequency
table, and saved as ``FamilyModel.to_bytes()`` in ``dna_family_models``. A process loads them (``load``).

A stored model is used only while it is current, checked at every load:

* its ``token`` is the frequency table's current token (a replaced table makes every model of it stale);
* its ``generation`` is at least the newest ``index_generation`` of the family's relatives, active or
  cancelled (a relative enrolled or cancelled later makes it stale);
* it is stored in this format: ``_READ_MARK`` then ``FamilyModel.to_bytes()``, built from the relatives'
  loci as searches read them (``read_stored_loci``: a relative stored before 7a5282c with TH01 under
  "HUMTH01" is modelled at TH01). The models stored without the mark (before 3b54ce1; those older than
  92de44f were built from the names as stored) were deleted by migration 0034, so a row without it is not
  trusted but treated as missing.

A missing or stale model is rebuilt at load and written back in a savepoint: the write-back is an
optimisation for the next process, so its failure (two processes racing) never fails the search.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from peacelink.access.visibility import RecordStatus
from peacelink.db.dialect import dialect_insert
from peacelink.dna.models import DNAFamilyModel, DNAFrequencyTable, DNAProfile, ProfileKind
from peacelink.matching.dna import (
    DNAError,
    FamilyModel,
    FrequencyTable,
    Profile,
    Relationship,
    family_pedigree,
    read_stored_loci,
)
from peacelink.matching.dna.frequencies import LocusFrequencies

log = logging.getLogger(__name__)
_CHUNK = 500  # ids per IN (...) clause
# The stored format's prefix, before FamilyModel.to_bytes(): built from the loci as ``read_stored_loci`` reads
# them. Migration 0034 deleted the models stored without it; a row without it is rebuilt, never read.
_READ_MARK = b"PLRSL1"


def table_from_json(population: str, data: Mapping[str, Any]) -> FrequencyTable:
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


def build_model(relatives: Sequence[Profile], table: FrequencyTable) -> FamilyModel:
    """Compute one family's model (as ``FamilyIndex.add`` does: same pedigree, default mutation rate)."""
    return FamilyModel.build(family_pedigree(relatives), table)


def upsert(
    session: Session, table: Any, rows: list[dict[str, Any]], keys: list[str], where: Any = None
) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE (optionally only WHERE ``where``) on SQLite and PostgreSQL."""
    if not rows:
        return
    stmt = dialect_insert(table, session.get_bind().dialect.name)
    values = {name: stmt.excluded[name] for name in rows[0] if name not in keys}
    stmt = stmt.on_conflict_do_update(index_elements=keys, set_=values, where=where)
    session.connection().execute(stmt, rows)


def _chunks(ids: Collection[str] | None) -> Iterator[list[str] | None]:
    if ids is None:
        yield None
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def relatives_of(session: Session, family_ids: Collection[str] | None) -> dict[str, list[Profile]]:
    """The active relatives of some families (all families when None), as core profiles."""
    table = DNAProfile
    families: dict[str, list[Profile]] = {}
    for chunk in _chunks(family_ids):
        stmt = select(table.family_id, table.loci, table.relationship).where(
            table.kind == ProfileKind.RELATIVE.value, table.status == RecordStatus.ACTIVE.value
        )
        if chunk is not None:
            stmt = stmt.where(table.family_id.in_(chunk))
        for family_id, loci, relationship in session.execute(stmt.order_by(table.family_id, table.id)):
            # Stored loci were validated at enrolment; a name kept as spelled before 7a5282c is read as
            # its locus or left out (``read_stored_loci``), as the direct index does.
            profile = Profile(
                loci={locus: tuple(alleles) for locus, alleles in read_stored_loci(loci).loci.items()},
                kind=ProfileKind.RELATIVE,
                relationship=Relationship(relationship),
            )
            families.setdefault(family_id, []).append(profile)
    return families


def _generations(session: Session, family_ids: Collection[str] | None) -> dict[str, tuple[int, int]]:
    """family -> (newest index_generation of its relatives, number of active relatives)."""
    table = DNAProfile
    active = func.sum(case((table.status == RecordStatus.ACTIVE.value, 1), else_=0))
    found: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(family_ids):
        stmt = (
            select(table.family_id, func.max(table.index_generation), active)
            .where(table.kind == ProfileKind.RELATIVE.value, table.family_id.is_not(None))
            .group_by(table.family_id)
        )
        if chunk is not None:
            stmt = stmt.where(table.family_id.in_(chunk))
        for family_id, newest, count in session.execute(stmt):
            found[family_id] = (int(newest or 0), int(count or 0))
    return found


def _build_all(relatives: Mapping[str, Sequence[Profile]], table: FrequencyTable) -> dict[str, FamilyModel]:
    models = {}
    for family_id, members in relatives.items():
        try:
            models[family_id] = build_model(members, table)
        except DNAError as error:
            # Enrolment refuses impossible pedigrees; a family that still fails is left out (and logged).
            log.warning("family %s: no kinship model: %s", family_id, error)
    return models


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    # Sorted by family: concurrent writers take the row locks in one order (no deadlock on PostgreSQL).
    for start in range(0, len(rows), _CHUNK):
        upsert(session, DNAFamilyModel, rows[start : start + _CHUNK], ["family_id", "frequency_table_id"])


def _row(family_id: str, table_id: int, token: str, generation: int, model: bytes) -> dict[str, Any]:
    return {
        "family_id": family_id,
        "frequency_table_id": table_id,
        "token": token,
        "generation": generation,
        "model": model,
    }


def store(session: Session, family_ids: Collection[str], *, generation: int) -> None:
    """Rebuild and store the models of families whose relatives just changed, for every stored table.

    Runs in the writer's transaction, after its relative rows are written and stamped with ``generation``.
    """
    if not family_ids:
        return
    relatives = relatives_of(session, family_ids)
    emptied = sorted(set(family_ids) - set(relatives))
    for chunk in _chunks(emptied):
        session.execute(delete(DNAFamilyModel).where(DNAFamilyModel.family_id.in_(chunk or [])))
    frequency = DNAFrequencyTable
    tables = session.execute(
        select(frequency.id, frequency.population, frequency.token, frequency.data)
    ).all()
    for table_id, population, token, data in tables:
        models = _build_all(relatives, table_from_json(population, data))
        rows = [
            _row(family_id, table_id, token, generation, _READ_MARK + model.to_bytes())
            for family_id, model in sorted(models.items())
        ]
        _write(session, rows)


def load(
    session: Session,
    *,
    table_id: int,
    token: str,
    table: FrequencyTable,
    family_ids: Collection[str] | None = None,
) -> tuple[dict[str, FamilyModel], int]:
    """The current models of some families (all when None) for one table, and how many had to be built.

    Families without an active relative are left out. Missing or stale models, and rows not in the stored
    format (no ``_READ_MARK``), are rebuilt and written back.
    """
    generations = _generations(session, family_ids)
    wanted = {family_id for family_id, (_, active) in generations.items() if active}
    models: dict[str, FamilyModel] = {}
    model = DNAFamilyModel
    for chunk in _chunks(family_ids):
        stmt = select(model.family_id, model.token, model.generation, model.model).where(
            model.frequency_table_id == table_id
        )
        if chunk is not None:
            stmt = stmt.where(model.family_id.in_(chunk))
        for family_id, stored_token, stored_generation, blob in session.execute(stmt):
            if family_id not in wanted or stored_token != token:
                continue
            if stored_generation < generations[family_id][0]:
                continue
            view = memoryview(blob)
            if view[: len(_READ_MARK)] != _READ_MARK:
                continue  # not a model of this format (0034 deleted the unmarked ones): missing
            models[family_id] = FamilyModel.from_bytes(bytes(view[len(_READ_MARK) :]))
    missing = wanted - set(models)
    if not missing:
        return models, 0
    built = _build_all(relatives_of(session, missing), table)
    models.update(built)
    rows = [
        _row(family_id, table_id, token, generations[family_id][0], _READ_MARK + fresh.to_bytes())
        for family_id, fresh in sorted(built.items())
    ]
    try:
        with session.begin_nested():
            _write(session, rows)
    except SQLAlchemyError as error:  # another process wrote them first, or a lock timed out
        log.warning("family models not written back: %s", error)
    return models, len(built)
