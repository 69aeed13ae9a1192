"""The owner's report of its profiles stored with locus names no search compares (before 7a5282c).

Since 7a5282c an unknown locus name is refused at input (``matching.dna.known_locus``), but a profile stored
earlier may hold a name that was kept as spelled: an unknown one (FOO, an SNP, a Y-STR such as DYS19, an
X-STR), which every search now leaves out (``index.comparable``), or a known locus under a spelling read
only since (HUMTH01), which searches now read as its locus (TH01). Neither is rewritten in place: the loci
are the owner's data, and only the owner changes them (cancel, then enrol again with the right names, under
another reference: a cancelled profile keeps its own). This
report is how the owner finds them. No migration is needed: the names are read at every load.

It also lists the stored frequency tables (shared reference data every operational user may list) holding
a row under a name no check reads: an unknown locus, or a known one under an old spelling. A table is read
as stored, so checks weigh a locus whose row is spelled the old way with no frequencies (factor 1,
``no_frequencies``). Migration 0034 renamed such rows as the import names them in every table it could; it
kept unknown names as stored, and left unchanged a table holding one locus under two names (TH01 and
HUMTH01), which it cannot merge. Only the central agency's system admin re-imports a table; the import
refuses unknown names and reads old spellings as their locus.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import OPERATIONAL_ROLES, Actor, require_role
from peacelink.audit import service as audit
from peacelink.dna.models import DNAFrequencyTable, DNAProfile
from peacelink.matching.dna import read_stored_loci
from peacelink.matching.dna.loci import InvalidLocusError, is_known_locus, is_sex_locus, normalise_locus

_BATCH = 5000  # rows read at a time: an agency may hold a million profiles


@dataclass(frozen=True)
class AffectedProfile:
    """One of the owner's profiles with a stored locus name that searches do not take as stored."""

    id: str
    reference: str
    kind: str
    record_status: str
    ignored_loci: tuple[str, ...]
    respelled_loci: dict[str, str]
    comparable_loci: int


@dataclass(frozen=True)
class AffectedFrequencyTable:
    """A stored frequency table with rows under locus names no check reads."""

    population: str
    is_default: bool
    ignored_loci: tuple[str, ...]  # every such row name, sorted
    old_spellings: dict[str, str]  # of those, a known locus's old spelling -> the locus (HUMTH01 -> TH01)
    unweighed_loci: tuple[str, ...]  # known loci held only under an old spelling: weighed without frequencies


@dataclass
class StoredLociReport:
    """How many of the owner's profiles were read, how many are affected, and the first ``limit`` of them;
    then the frequency tables read and those affected (all of them: one table per population)."""

    checked: int = 0
    affected: int = 0
    profiles: list[AffectedProfile] = field(default_factory=list)
    frequency_tables_checked: int = 0
    frequency_tables: list[AffectedFrequencyTable] = field(default_factory=list)


def _affected_table(
    population: str, is_default: bool, data: dict[str, object]
) -> AffectedFrequencyTable | None:
    """The table's rows no check reads (``dna.family_models.table_from_json`` keeps every name as stored)."""
    ignored: list[str] = []
    old_spellings: dict[str, str] = {}
    for name in sorted(data):
        try:
            canonical = normalise_locus(name)
        except InvalidLocusError:
            canonical = ""
        if canonical == name and is_known_locus(name):
            continue
        ignored.append(name)
        if canonical and is_known_locus(canonical):
            old_spellings[name] = canonical
    if not ignored:
        return None
    unweighed = tuple(sorted(set(old_spellings.values()) - set(data)))
    return AffectedFrequencyTable(population, is_default, tuple(ignored), old_spellings, unweighed)


def _frequency_tables(session: Session, found: StoredLociReport) -> None:
    table = DNAFrequencyTable
    stmt = select(table.population, table.is_default, table.data).order_by(table.population)
    for population, is_default, data in session.execute(stmt):
        found.frequency_tables_checked += 1
        affected = _affected_table(population, is_default, data)
        if affected is not None:
            found.frequency_tables.append(affected)


def report(session: Session, *, actor: Actor, limit: int = 100) -> StoredLociReport:
    """The actor's agency's own profiles (active and cancelled) holding a locus name no search compares as
    stored, by reference, and the frequency tables holding rows no check reads; audited. Other agencies'
    profiles are never read."""
    require_role(actor, *OPERATIONAL_ROLES)
    table = DNAProfile
    stmt = (
        select(table.id, table.reference, table.kind, table.status, table.loci)
        .where(table.owner_agency_id == actor.agency_id)
        .order_by(table.reference, table.id)
        .execution_options(yield_per=_BATCH)
    )
    found = StoredLociReport()
    for profile_id, reference, kind, status, loci in session.execute(stmt):
        found.checked += 1
        read = read_stored_loci(loci)
        if not read.ignored and not read.respelled:
            continue
        found.affected += 1
        if len(found.profiles) < limit:
            found.profiles.append(
                AffectedProfile(
                    id=profile_id,
                    reference=reference,
                    kind=kind,
                    record_status=status,
                    ignored_loci=read.ignored,
                    respelled_loci=read.respelled,
                    comparable_loci=sum(1 for locus in read.loci if not is_sex_locus(locus)),
                )
            )
    _frequency_tables(session, found)
    audit.record(
        session,
        actor=actor,
        action="dna.profile.stored_loci_report",
        object_type="dna_profile",
        query={
            "limit": limit,
            "checked": found.checked,
            "affected": found.affected,
            "frequency_tables": [t.population for t in found.frequency_tables],
        },
        result_ids=[p.id for p in found.profiles],
    )
    return found
