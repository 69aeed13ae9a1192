"""Shared fixtures: deterministic agency keys, a signed key directory and a fixed clock."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from peacelink.messaging.directory import KeyDirectory
from peacelink.messaging.envelope import SealedMessage
from peacelink.messaging.keys import AgencyKeyPair
from peacelink.messaging.replay import InMemoryReplayCache
from peacelink.messaging.sealing import OpenedMessage, open_message, seal

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
AGENCIES = ("CENTRAL", "NCB-UTO", "NCB-ARC", "MINUSCA", "UNMIK")


def make_pair(code: str, generation: int = 0) -> AgencyKeyPair:
    """Deterministic key pair: seeds derived from the agency code and generation."""
    sign_seed = hashlib.sha256(f"{code}/{generation}/sign".encode()).digest()
    enc_secret = hashlib.sha256(f"{code}/{generation}/enc".encode()).digest()
    return AgencyKeyPair.from_seeds(code, sign_seed=sign_seed, enc_secret=enc_secret)


@dataclass
class World:
    """Agencies with keys published at T0 in a central-signed directory."""

    pairs: dict[str, AgencyKeyPair]
    directory: KeyDirectory
    cache: InMemoryReplayCache = field(default_factory=InMemoryReplayCache)

    t0: datetime = T0
    later: datetime = T0 + timedelta(hours=2)  # the default "now" when opening
    make_pair = staticmethod(make_pair)

    @property
    def central(self) -> AgencyKeyPair:
        return self.pairs["CENTRAL"]

    def seal(
        self, *, sender: str = "NCB-UTO", to: tuple[str, ...] = ("NCB-ARC", "MINUSCA"), **kwargs: Any
    ) -> SealedMessage:
        at = kwargs.pop("created_at", T0 + timedelta(hours=1))
        arguments: dict[str, Any] = {
            "sender_agency": sender,
            "sender_user": "officer.kim",
            "sender_signing_key": self.pairs[sender].signing_key,
            "subject": "Stolen vehicle sighting",
            "body": "The blue truck VIN WVWZZZ1JZXW000001 was seen at the border post.",
            "classification": "RESTRICTED",
            "created_at": at,
        }
        arguments.update(kwargs)
        if "recipients" not in arguments:
            arguments["recipients"] = self.directory.recipient_keys(to, at=at)
        return seal(**arguments)

    def open(self, sealed: SealedMessage | bytes, reader: str = "NCB-ARC", **kwargs: Any) -> OpenedMessage:
        arguments: dict[str, Any] = {
            "recipient_agency": reader,
            "recipient_private_key": self.pairs[reader].encryption_key,
            "sender_keys": self.directory,
            "now": T0 + timedelta(hours=2),
            "seen_ids": self.cache,
        }
        arguments.update(kwargs)
        return open_message(sealed, **arguments)


@pytest.fixture
def world() -> World:
    pairs = {code: make_pair(code) for code in AGENCIES}
    directory = KeyDirectory()
    for pair in pairs.values():
        directory = directory.add(pair.public(), valid_from=T0)
    return World(pairs=pairs, directory=directory)
