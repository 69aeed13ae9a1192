"""DNA profile use cases: enrol (one or many), read, cancel, list. Only the owner agency changes a profile.

Profiles are anonymous: the API takes no name, only the owner's ``reference`` (and, for a known person's
reference profile, an optional ``person_id``). Relatives of a missing person are grouped into a family
(``DNAFamily``, one per owner case id), which is what a kinship search ranks and what its hits point to.
Review dates: 5 years for profiles of known persons (references, relatives), 15 for stains and remains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from peacelink.access import Role, can_see, require_role
from peacelink.access.actor import Actor
from peacelink.access.visibility import RecordStatus, decode_agencies
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.db.base import new_id, utcnow
from peacelink.dna import family_models
from peacelink.dna.index import bump_generation
from peacelink.dna.models import DNAFamily, DNAProfile, ProfileKind
from peacelink.dna.schemas import ProfileCreate, ProfileOut
from peacelink.errors import Conflict, Forbidden, Invalid, NotFound
from peacelink.matching.dna import DNAError, Profile, Relationship, family_pedigree, read_stored_loci
from peacelink.matching.dna.loci import is_sex_locus
from peacelink.records.changes import future_review, visibility_columns
from peacelink.records.envelope import review_due_from
from peacelink.translatable import TextList, Translatable

REPORTING_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR)
# Known persons 5 years, crime-scene traces and remains 15 (ARCHITECTURE.md "Records expire").
REVIEW_YEARS = {
    ProfileKind.REFERENCE: 5,
    ProfileKind.RELATIVE: 5,
    ProfileKind.STAIN: 15,
    ProfileKind.UNIDENTIFIED_REMAINS: 15,
}
FAMILY_REVIEW_YEARS = 5


def parse_profile(loci: dict[str, list[str]], *, kind: str, relationship: str | None = None) -> Profile:
    """Validate and canonicalise loci (names across kits, allele labels); Invalid names the locus."""
    try:
        return Profile.from_mapping(loci, kind=kind, relationship=relationship)
    except DNAError as error:
        # The message as raised: a keyed text (an unknown locus) keeps its key, so a page translates it.
        said = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
        raise Invalid(said, field="loci") from error


@dataclass(frozen=True)
class _Prepared:
    data: ProfileCreate
    profile: Profile
    review_due: dt.date


def _prepare(data: ProfileCreate, *, today: dt.date) -> _Prepared:
    kind = ProfileKind(data.kind)
    if kind is ProfileKind.RELATIVE and not (data.family or "").strip():
        needs = "a relative's profile needs the family (case id of the missing person)"
        raise Invalid(Translatable(needs, "dna.error.family_needed"), field="family")
    if kind is not ProfileKind.RELATIVE and data.family:
        only = Translatable("only relatives belong to a family", "dna.error.family_only")
        raise Invalid(only, field="family")
    if data.person_id and kind is not ProfileKind.REFERENCE:
        only_reference = "only a known person's reference profile links to a person"
        raise Invalid(Translatable(only_reference, "dna.error.person_link"), field="person_id")
    profile = parse_profile(data.loci, kind=kind.value, relationship=data.relationship)
    review = future_review(data.review_due, today=today, years=REVIEW_YEARS[kind])
    return _Prepared(data, profile, review)


def _family(session: Session, actor: Actor, case: str, *, today: dt.date, action: str) -> DNAFamily:
    """The owner's family for a case id, created at the first relative enrolled."""
    case = case.strip()
    family = session.scalar(
        select(DNAFamily).where(
            DNAFamily.owner_agency_id == actor.agency_id, DNAFamily.case_reference == case
        )
    )
    if family is None:
        family = DNAFamily(
            case_reference=case,
            action=action,
            owner_agency_id=actor.agency_id,
            created_by=actor.user_id,
            updated_by=actor.user_id,
            review_due=review_due_from(today, FAMILY_REVIEW_YEARS),
        )
        session.add(family)
        session.flush()
    return family


def _check_pedigree(session: Session, family: DNAFamily, new: Sequence[Profile]) -> None:
    """Refuse a relative that makes the family's pedigree impossible (three parents, two spouses...)."""
    rows = session.execute(
        select(DNAProfile.loci, DNAProfile.relationship).where(
            DNAProfile.family_id == family.id, DNAProfile.status == RecordStatus.ACTIVE.value
        )
    )
    relatives = [
        Profile(
            loci={k: tuple(v) for k, v in read_stored_loci(loci).loci.items()},
            kind=ProfileKind.RELATIVE,
            relationship=Relationship(relation),
        )
        for loci, relation in rows
    ]
    try:
        family_pedigree([*relatives, *new])
    except DNAError as error:
        # The pedigree's reason as raised: a keyed text keeps its key, so a page translates it.
        reason = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
        said = f"family {family.case_reference}: {error}"
        keyed = Translatable(said, "dna.error.family_pedigree", family=family.case_reference, reason=reason)
        raise Invalid(keyed, field="relationship") from error


def _values(prepared: _Prepared, actor: Actor, *, family_id: str | None, generation: int) -> dict[str, Any]:
    data, profile = prepared.data, prepared.profile
    now = utcnow()
    return {
        "id": new_id(),
        "kind": data.kind.value,
        "reference": data.reference.strip(),
        "person_id": data.person_id,
        "relationship": profile.relationship.value if profile.relationship else None,
        "family_id": family_id,
        "is_mixture": profile.is_mixture,
        "loci": profile.to_mapping(),
        "locus_count": len(profile.autosomal_loci),
        "action": data.action,
        "index_generation": generation,
        "owner_agency_id": actor.agency_id,
        "created_by": actor.user_id,
        "created_at": now,
        "updated_by": actor.user_id,
        "updated_at": now,
        "status": RecordStatus.ACTIVE.value,
        "review_due": prepared.review_due,
        "version": 1,
    }


def create(
    session: Session, *, actor: Actor, data: ProfileCreate, today: dt.date | None = None
) -> DNAProfile:
    """Enrol one profile for the actor's agency (validated: bad loci or alleles change nothing)."""
    require_role(actor, *REPORTING_ROLES)
    day = today or dt.date.today()
    prepared = _prepare(data, today=day)
    duplicate = session.scalar(
        select(DNAProfile.id).where(
            DNAProfile.owner_agency_id == actor.agency_id, DNAProfile.reference == data.reference.strip()
        )
    )
    if duplicate is not None:
        said = f"reference {data.reference} is already enrolled (id {duplicate})"
        keyed = Translatable(said, "dna.error.reference_taken", reference=data.reference, id=duplicate)
        raise Conflict(keyed, field="reference")
    visibility = visibility_columns(session, data.visibility, data.visibility_agencies)
    family_id = None
    if prepared.profile.kind.value == ProfileKind.RELATIVE:
        family = _family(session, actor, data.family or "", today=day, action=data.action)
        _check_pedigree(session, family, [prepared.profile])
        family.review_due = max(family.review_due, prepared.review_due)
        family_id = family.id
    generation = bump_generation(session)
    values = _values(prepared, actor, family_id=family_id, generation=generation)
    profile = DNAProfile(**{**values, **visibility})
    session.add(profile)
    session.flush()
    if family_id is not None:
        # The family's kinship model is stored with the change, so no process has to rebuild it.
        family_models.store(session, [family_id], generation=generation)
    audit.record(
        session,
        actor=actor,
        action="dna.profile.create",
        object_type="dna_profile",
        object_id=profile.id,
        query={"kind": profile.kind, "reference": profile.reference, "loci": profile.locus_count},
    )
    return profile


def create_many(
    session: Session, *, actor: Actor, items: Sequence[ProfileCreate], today: dt.date | None = None
) -> list[str]:
    """Enrol many profiles in the caller's transaction: all or none, one audit event (imports, demo)."""
    require_role(actor, *REPORTING_ROLES)
    day = today or dt.date.today()
    prepared: list[_Prepared] = []
    for number, data in enumerate(items, start=1):
        try:
            prepared.append(_prepare(data, today=day))
        except Invalid as error:
            said = f"profile {number} ({data.reference}): {error.message}"
            # The reason as raised: a keyed text keeps its key, so a page translates it too.
            keyed = Translatable(
                said, "dna.error.bulk_profile", number=number, reference=data.reference, reason=error.message
            )
            raise Invalid(keyed, field=error.field) from error
    references = [p.data.reference.strip() for p in prepared]
    if len(set(references)) != len(references):
        twice = Translatable("the same reference is given twice", "dna.error.bulk_reference_twice")
        raise Conflict(twice, field="reference")
    taken = set()
    for start in range(0, len(references), 1000):
        chunk = references[start : start + 1000]
        taken |= set(
            session.scalars(
                select(DNAProfile.reference).where(
                    DNAProfile.owner_agency_id == actor.agency_id, DNAProfile.reference.in_(chunk)
                )
            )
        )
    if taken:
        listed = TextList(sorted(taken)[:10])
        keyed = Translatable(f"already enrolled: {listed}", "dna.error.bulk_enrolled", references=listed)
        raise Conflict(keyed, field="reference")
    generation = bump_generation(session)
    families: dict[str, DNAFamily] = {}
    grouped: dict[str, list[Profile]] = {}
    for item in prepared:
        if item.data.family:
            case = item.data.family.strip()
            if case not in families:
                families[case] = _family(session, actor, case, today=day, action=item.data.action)
            grouped.setdefault(case, []).append(item.profile)
    for case, relatives in grouped.items():
        _check_pedigree(session, families[case], relatives)
    rows = []
    for item in prepared:
        family = families.get((item.data.family or "").strip())
        rows.append(
            {
                **_values(item, actor, family_id=family.id if family else None, generation=generation),
                **visibility_columns(session, item.data.visibility, item.data.visibility_agencies),
            }
        )
    for start in range(0, len(rows), 5000):
        session.connection().execute(insert(DNAProfile), rows[start : start + 5000])
    family_models.store(session, [family.id for family in families.values()], generation=generation)
    audit.record(
        session,
        actor=actor,
        action="dna.profile.import",
        object_type="dna_profile",
        query={"count": len(rows), "families": len(families)},
    )
    return [row["id"] for row in rows]


def read(session: Session, *, actor: Actor, profile_id: str) -> DNAProfile:
    """One profile the actor's agency may see, audited."""
    profile = session.get(DNAProfile, profile_id)
    if profile is None or not can_see(actor, profile):
        raise NotFound(f"no DNA profile {profile_id}")
    audit.record(
        session, actor=actor, action="dna.profile.read", object_type="dna_profile", object_id=profile.id
    )
    return profile


def cancel(session: Session, *, actor: Actor, profile_id: str, version: int) -> DNAProfile:
    """Withdraw a profile (owner only): it leaves every index at once (generation bump).

    Cancelling is final: a second cancel is a Conflict, checked before the version, so the version, the
    index generation and the family's stored model move once, on the real change.
    """
    profile = session.get(DNAProfile, profile_id)
    if profile is None or not can_see(actor, profile):
        raise NotFound(f"no DNA profile {profile_id}")
    if profile.owner_agency_id != actor.agency_id:
        raise Forbidden("only the owner agency changes this profile")
    require_role(actor, *REPORTING_ROLES)
    if profile.status == RecordStatus.CANCELLED.value:
        raise Conflict(f"DNA profile {profile.id} is already cancelled")
    if profile.version != version:
        raise Conflict(
            f"the profile is at version {profile.version}, not {version}; reload it", field="version"
        )
    profile.status = RecordStatus.CANCELLED.value
    profile.updated_by = actor.user_id
    profile.updated_at = utcnow()
    profile.index_generation = bump_generation(session)
    audit.record(
        session, actor=actor, action="dna.profile.cancel", object_type="dna_profile", object_id=profile.id
    )
    session.flush()
    if profile.family_id is not None:
        family_models.store(session, [profile.family_id], generation=profile.index_generation)
    return profile


def list_own(session: Session, *, actor: Actor, limit: int = 100, offset: int = 0) -> list[DNAProfile]:
    """The actor's agency's own profiles, newest first."""
    stmt = (
        select(DNAProfile)
        .where(DNAProfile.owner_agency_id == actor.agency_id)
        .order_by(DNAProfile.created_at.desc(), DNAProfile.id)
        .limit(limit)
        .offset(offset)
    )
    found = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="dna.profile.list",
        object_type="dna_profile",
        query={"limit": limit, "offset": offset},
        result_ids=[p.id for p in found],
    )
    return found


def to_out(session: Session, profile: DNAProfile) -> ProfileOut:
    """The API shape of a profile."""
    owner = session.get(Agency, profile.owner_agency_id)
    family = session.get(DNAFamily, profile.family_id) if profile.family_id else None
    # Counted from the loci as searches read them, not the stored count: a profile stored before 7a5282c
    # counted an unknown locus (FOO, DYS19) that no search compares.
    read = read_stored_loci(profile.loci)
    return ProfileOut(
        id=profile.id,
        kind=profile.kind,
        reference=profile.reference,
        person_id=profile.person_id,
        relationship=profile.relationship,
        family=family.case_reference if family else None,
        is_mixture=profile.is_mixture,
        loci=profile.loci,
        locus_count=sum(1 for locus in read.loci if not is_sex_locus(locus)),
        ignored_loci=list(read.ignored),
        action=profile.action,
        owner_agency=owner.code if owner else "?",
        record_status=profile.status,
        visibility=profile.visibility,
        visibility_agencies=decode_agencies(profile.visibility_agencies),
        review_due=profile.review_due,
        version=profile.version,
    )
