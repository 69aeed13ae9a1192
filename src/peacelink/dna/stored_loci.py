"""The owner's report of its profiles stored with locus names no search compares (before 7a5282c).

Since 7a5282c an unknown locus name is refused at input (``matching.dna.known_locus``), but a profile stored
earlier may hold a name that was kept as spelled: an unknown one (FOO, an SNP, a Y-STR such as DYS19, an
X-STR), which every search now leaves out (``index.comparable``), or a known locus under a spelling read
only since (HUMTH01), which searches now read as its locus (TH01). Neither is rewritten in place: the loci
are the owner's data, and only the owner changes them (cancel, then enrol again with the right names, under
another reference: a cancelled profile keeps its own). This
report is how the owner finds them. No migration is needed: the names are read at every load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import OPERATIONAL_ROLES, Actor, require_role
from peacelink.audit import service as audit
from peacelink.dna.models import DNAProfile
from peacelink.matching.dna import read_stored_loci
from peacelink.matching.dna.loci import is_sex_locus

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


@dataclass
class StoredLociReport:
    """How many of the owner's profiles were read, how many are affected, and the first ``limit`` of them."""

    checked: int = 0
    affected: int = 0
    profiles: list[AffectedProfile] = field(default_factory=list)


def report(session: Session, *, actor: Actor, limit: int = 100) -> StoredLociReport:
    """The actor's agency's own profiles (active and cancelled) holding a locus name no search compares as
    stored, by reference; audited. Other agencies' profiles are never read."""
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
    audit.record(
        session,
        actor=actor,
        action="dna.profile.stored_loci_report",
        object_type="dna_profile",
        query={"limit": limit, "checked": found.checked, "affected": found.affected},
        result_ids=[p.id for p in found.profiles],
    )
    return found
