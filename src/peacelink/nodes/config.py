"""The node's view of the network: its name, its peers, and which node hosts which agency's inbox.

Configured in settings (``PEACELINK_NODE_NAME``, ``PEACELINK_NODE_AGENCIES``, ``PEACELINK_NODE_PEERS``,
``PEACELINK_NODE_DIRECTORY_KEY``). A peer is ``{"name", "url", "key", "agencies"}``: ``key`` is the peer's
node verify key (``peacelink node info``), ``agencies`` the agency codes whose inboxes it hosts, or ``["*"]``
for the default route (a mission node points ``*`` at the central node).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nacl.signing import SigningKey, VerifyKey

from peacelink.errors import Invalid
from peacelink.messaging.canonical import b64decode, b64encode

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
DEFAULT_ROUTE = "*"


@dataclass(frozen=True, slots=True)
class Peer:
    """Another PeaceLink node this one exchanges link items with."""

    name: str
    url: str
    key: VerifyKey
    agencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NodeConfig:
    """This node's name, signing key, hosted agencies, peers and trusted directory key."""

    name: str
    signing_key: SigningKey
    local_agencies: frozenset[str] = frozenset()
    peers: tuple[Peer, ...] = ()
    directory_key: VerifyKey | None = None
    _routes: Mapping[str, str] = field(default_factory=dict)

    def peer(self, name: str) -> Peer | None:
        """The configured peer called ``name``."""
        return next((p for p in self.peers if p.name == name), None)

    def route(self, agency_code: str) -> str | None:
        """The peer hosting ``agency_code``'s inbox, or None when it lives on this node."""
        if agency_code in self.local_agencies:
            return None
        explicit = self._routes.get(agency_code)
        if explicit is not None:
            return explicit
        if self.local_agencies:
            return self._routes.get(DEFAULT_ROUTE)
        return None

    def is_local(self, agency_code: str) -> bool:
        """True when the agency's inbox (and private keys) live on this node."""
        return self.route(agency_code) is None


def node_signing_key(secret_key: bytes) -> SigningKey:
    """The node's Ed25519 key, derived from the server secret (nothing more to store or back up)."""
    return SigningKey(hashlib.blake2b(secret_key, digest_size=32, person=b"pl-node-key").digest())


def node_public_key(secret_key: bytes) -> str:
    """The node's verify key as base64url: what its peers put in their ``key`` field."""
    return b64encode(bytes(node_signing_key(secret_key).verify_key))


def _verify_key(text: Any, where: str) -> VerifyKey:
    try:
        raw = b64decode(str(text))
        if len(raw) != 32:
            raise ValueError("32 bytes expected")
        return VerifyKey(raw)
    except ValueError as error:
        raise Invalid(f"{where}: not a base64url Ed25519 verify key ({error})", field=where) from error


def build(
    *,
    name: str,
    secret_key: bytes,
    agencies: Iterable[str] = (),
    peers: Iterable[Mapping[str, Any]] = (),
    directory_key: str | None = None,
) -> NodeConfig:
    """Validate the node settings into a NodeConfig (Invalid names the bad field)."""
    parsed: list[Peer] = []
    routes: dict[str, str] = {}
    for index, raw in enumerate(peers):
        where = f"node_peers.{index}"
        peer_name = str(raw.get("name", ""))
        url = str(raw.get("url", "")).rstrip("/")
        if not _NAME.match(peer_name) or peer_name == name:
            raise Invalid(f"{where}.name: a lower-case node name other than this node's", field=where)
        if not url.startswith(("http://", "https://")):
            raise Invalid(f"{where}.url: an http(s) URL", field=where)
        hosted = tuple(str(code).upper() for code in raw.get("agencies", []))
        for code in hosted:
            if code in routes:
                raise Invalid(f"{where}: agency {code} is routed to two peers", field=where)
            routes[code] = peer_name
        parsed.append(Peer(peer_name, url, _verify_key(raw.get("key"), f"{where}.key"), hosted))
    directory = _verify_key(directory_key, "node_directory_key") if directory_key else None
    return NodeConfig(
        name=name,
        signing_key=node_signing_key(secret_key),
        local_agencies=frozenset(code.upper() for code in agencies),
        peers=tuple(parsed),
        directory_key=directory,
        _routes=routes,
    )


def from_settings(settings: Any, secret_key: bytes) -> NodeConfig:
    """The NodeConfig of a Settings object."""
    return build(
        name=settings.node_name,
        secret_key=secret_key,
        agencies=settings.node_agencies,
        peers=settings.node_peers,
        directory_key=settings.node_directory_key,
    )
