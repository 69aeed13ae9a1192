"""Replay protection: a cache of accepted message ids, as a Protocol the lead backs with a database table.

A msg_id is remembered until its signed ``expires_at``; after that the expiry check rejects the message
anyway, so entries can be pruned and the cache stays bounded. Entries are keyed by (recipient agency,
sender agency, msg_id): per recipient, because one node may hold several agencies' inboxes and each must
accept the message once; per sender, so that one agency cannot burn another agency's message ids in advance.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Protocol

__all__ = ["InMemoryReplayCache", "ReplayCache"]


class ReplayCache(Protocol):
    """Where accepted msg_ids are remembered; in a DB, a table unique on (recipient, sender, msg_id)."""

    def check_and_add(
        self, *, recipient_agency: str, sender_agency: str, msg_id: str, expires_at: datetime
    ) -> bool:
        """Atomically record the id; return True if it was new, False if it had been seen before."""
        ...


class InMemoryReplayCache:
    """A thread-safe, process-local ReplayCache (tests, benchmarks, a single-process relay)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str], datetime] = {}
        self._lock = threading.Lock()

    def check_and_add(
        self, *, recipient_agency: str, sender_agency: str, msg_id: str, expires_at: datetime
    ) -> bool:
        """Record (recipient, sender, msg_id); False if it was already there."""
        key = (recipient_agency, sender_agency, msg_id)
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = expires_at
            return True

    def prune(self, *, now: datetime) -> int:
        """Forget ids whose message has expired (they are rejected as expired anyway); return how many."""
        with self._lock:
            old = [key for key, expires_at in self._seen.items() if expires_at <= now]
            for key in old:
                del self._seen[key]
            return len(old)

    def __len__(self) -> int:
        return len(self._seen)
