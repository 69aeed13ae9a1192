"""Hash chaining of audit events: the canonical form and the digest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_event(
    *,
    seq: int,
    at: dt.datetime,
    user_id: int | None,
    username: str,
    agency_code: str,
    action: str,
    object_type: str,
    object_id: str | None,
    query: dict[str, Any],
    result_ids: list[str],
) -> bytes:
    """Canonical JSON of an event's content: sorted keys, no spaces, UTC timestamp in microseconds."""
    content = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "user_id": user_id,
        "username": username,
        "agency_code": agency_code,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "query": query,
        "result_ids": result_ids,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """SHA-256 over the previous hash and this event's canonical form."""
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical).hexdigest()
