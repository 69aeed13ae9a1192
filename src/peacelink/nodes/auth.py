"""Node authentication: every link request is signed with the sending node's Ed25519 key.

Signed string: ``b"peacelink.node-request.v1\\0" + METHOD + "\\n" + path + "\\n" + from + "\\n" + to + "\\n"
+ timestamp + "\\n" + BLAKE2b-256(body)``, sent in ``X-PeaceLink-Node`` / ``-To`` / ``-Time`` / ``-Signature``
headers. The receiver knows each peer's verify key from its configuration (out of band, like the directory
key), refuses requests more than five minutes off its clock, and names itself in ``to`` so a request meant
for one node cannot be replayed to another. A replay within the window is harmless: applying is idempotent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import nacl.exceptions

from peacelink.errors import Unauthenticated
from peacelink.messaging.canonical import b64decode, b64encode, format_time, parse_time
from peacelink.nodes.config import NodeConfig, Peer

DOMAIN = b"peacelink.node-request.v1\x00"
MAX_SKEW = timedelta(minutes=5)
NODE, TO, TIME, SIGNATURE = "X-PeaceLink-Node", "X-PeaceLink-To", "X-PeaceLink-Time", "X-PeaceLink-Signature"


def _message(method: str, path: str, sender: str, receiver: str, timestamp: str, body: bytes) -> bytes:
    digest = hashlib.blake2b(body, digest_size=32).hexdigest()
    text = "\n".join([method.upper(), path, sender, receiver, timestamp, digest])
    return DOMAIN + text.encode("utf-8")


def sign_request(node: NodeConfig, *, peer: str, method: str, path: str, body: bytes) -> dict[str, str]:
    """The headers that authenticate a request from this node to ``peer``."""
    timestamp = format_time(datetime.now(UTC))
    signature = node.signing_key.sign(_message(method, path, node.name, peer, timestamp, body)).signature
    return {NODE: node.name, TO: peer, TIME: timestamp, SIGNATURE: b64encode(signature)}


def verify_request(
    node: NodeConfig, *, headers: Mapping[str, str], method: str, path: str, body: bytes
) -> Peer:
    """The configured peer that signed this request; Unauthenticated otherwise."""
    sender = headers.get(NODE, "")
    peer = node.peer(sender)
    if peer is None:
        raise Unauthenticated("not a signed request from a configured peer node")
    if headers.get(TO, "") != node.name:
        raise Unauthenticated("this request is addressed to another node")
    timestamp = headers.get(TIME, "")
    try:
        sent = parse_time(timestamp)
        signature = b64decode(headers.get(SIGNATURE, ""))
        peer.key.verify(_message(method, path, sender, node.name, timestamp, body), signature)
    except (ValueError, nacl.exceptions.BadSignatureError) as error:
        raise Unauthenticated("node signature does not verify") from error
    if abs(datetime.now(UTC) - sent) > MAX_SKEW:
        raise Unauthenticated("node request time is more than five minutes off")
    return peer
