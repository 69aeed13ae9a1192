"""Demo fingerprints: a few synthetic prints and one officer's check, so the examiner page has a hit."""

from __future__ import annotations

import base64

import numpy as np
from sqlalchemy.orm import Session

from peacelink.fingerprints import service
from peacelink.fingerprints.schemas import FingerprintCheck, FingerprintCreate
from peacelink.matching.fingerprints import iso19794_2, synthetic
from peacelink.users import service as users

DEMO_HINT = (
    "Fingerprints: 'supervisor' (NCB-CAF) has a fingerprint hit to examine at /fingerprints/hits "
    "(synthetic prints; an officer's check of finger 2 of CAF-TP-0001)."
)


def seed(session: Session, *, owner_user: str, officer_user: str) -> str:
    """Enrol five synthetic prints as ``owner_user`` and check one as ``officer_user``; return a hint."""
    owner = users.actor_for_username(session, username=owner_user)
    officer = users.actor_for_username(session, username=officer_user)
    masters = synthetic.fingers(5, seed=2026)
    for position, master in enumerate(masters, start=1):
        service.enrol(
            session,
            actor=owner,
            data=FingerprintCreate(
                template=base64.b64encode(iso19794_2.encode(master)).decode(),
                finger_position=position,
                reference="CAF-TP-0001",
                person_id="demo-person-1",
                action="Hold the person for identification; call NCB Bangui",
            ),
        )
    probe = synthetic.impression(masters[1], np.random.default_rng(7))
    service.check(
        session,
        actor=officer,
        data=FingerprintCheck(template=base64.b64encode(iso19794_2.encode(probe)).decode()),
    )
    return DEMO_HINT
