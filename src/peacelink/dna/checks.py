"""DNA check entry points (direct and kinship), through the shared pipeline, and the hit notifications.

A DNA hit notifies both sides: after the pipeline has created the hits (in the owner's queue and the
searcher's outcomes), one system message per hit goes over the secure channel to the owning agency and
the searching agency (only the owner when its visibility excluded the searcher). Sending happens in a
savepoint: when no channel is available (a script without one) or sealing fails, the check still stands,
the hits are still in both queues, and the answer carries a warning.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from peacelink.access import Actor
from peacelink.agencies.models import Agency
from peacelink.checks import pipeline
from peacelink.dna import index
from peacelink.dna.lookup import DirectLookup, KinshipLookup, normalise_direct, normalise_kinship
from peacelink.dna.schemas import DirectCheck, KinshipCheck
from peacelink.errors import PeacelinkError
from peacelink.hits.models import Hit
from peacelink.messaging.delivery import Channel
from peacelink.messaging.service import send_system_message
from peacelink.translatable import Translatable

log = logging.getLogger("peacelink.dna")
DIRECT = DirectLookup()
KINSHIP = KinshipLookup()


def notify_hits(session: Session, *, check_id: str, channel: Channel | None = None) -> list[str]:
    """Send one system message per hit of a check to the owner and the searcher; returns warnings."""
    hits = list(session.scalars(select(Hit).where(Hit.check_id == check_id).order_by(Hit.created_at, Hit.id)))
    if not hits:
        return []
    ids = {h.owner_agency_id for h in hits} | {h.searching_agency_id for h in hits}
    codes: dict[int, str] = {
        row[0]: row[1] for row in session.execute(select(Agency.id, Agency.code).where(Agency.id.in_(ids)))
    }
    for hit in hits:
        owner, searcher = codes[hit.owner_agency_id], codes[hit.searching_agency_id]
        recipients = [owner] if hit.excluded_agency or owner == searcher else [owner, searcher]
        what = "a family of a missing person" if hit.database == "dna_kinship" else "a DNA profile"
        reference = hit.summary.get("reference") or hit.summary.get("family") or hit.record_id
        body = (
            f"A DNA check by {searcher} matched {what} of {owner} (owner reference {reference}, "
            f"log10 LR {hit.summary.get('log10_lr')}). This is a lead, not an identification: {owner} "
            f"confirms or rejects hit {hit.id} in its hit queue."
        )
        if hit.excluded_agency:
            body += f" Your visibility setting excludes {searcher}: it was told nothing."
        try:
            with session.begin_nested():
                send_system_message(
                    session,
                    to_agencies=recipients,
                    subject=f"DNA hit for {owner}: confirm",
                    body=body,
                    links=[("hit", hit.id)],
                    channel=channel,
                )
        except Exception as error:  # a failed notification must never undo the check
            # The single place to change if notifications must become mandatory.
            reason = error.message if isinstance(error, PeacelinkError) else type(error).__name__
            log.warning("DNA hit notification not sent: %s", reason)
            said = f"hit notifications not sent ({reason}); the hits are in both agencies' hit queues"
            return [Translatable(said, "dna.warning.not_notified", reason=reason)]
    return []


def _warn_without_table(session: Session, population: str | None) -> list[str]:
    try:
        table = index.frequency_table(session, population)
    except KeyError:
        return []  # the lookup reports the unknown population as invalid input
    if table is None:
        said = "no allele frequency table is loaded: RMP and LR are not computed, ranked by matched loci"
        return [Translatable(said, "dna.warning.no_frequencies")]
    return []


def check_direct(
    session: Session,
    *,
    actor: Actor,
    data: DirectCheck,
    channel: Channel | None = None,
    today: dt.date | None = None,
) -> pipeline.CheckResult:
    """Search a profile against every visible profile at a CODIS stringency."""
    query = normalise_direct(data)
    result = pipeline.run(session, actor=actor, lookup=DIRECT, query=query, today=today)
    result.warnings += _warn_without_table(session, data.population)
    result.warnings += notify_hits(session, check_id=result.check_id, channel=channel)
    return result


def check_kinship(
    session: Session,
    *,
    actor: Actor,
    data: KinshipCheck,
    channel: Channel | None = None,
    today: dt.date | None = None,
) -> pipeline.CheckResult:
    """Rank the families of missing persons for an unidentified profile by likelihood ratio."""
    query = normalise_kinship(data)  # a mixture is refused here: only stains may be mixtures
    result = pipeline.run(session, actor=actor, lookup=KINSHIP, query=query, today=today)
    result.warnings += notify_hits(session, check_id=result.check_id, channel=channel)
    return result
