"""Short pauses of Python's cyclic garbage collector in a long-running server process.

The name-matching caches (``matching.names.parts._part``, ``persons.keys._prepared_name`` and others) keep
hundreds of thousands of objects alive that the collector tracks. A full (generation 2) collection walks
every one of them, and CPython starts one whenever the objects that survived into generation 2 since the last
one reach a quarter of those already there: as the caches filled, one process's full collections took 0.16,
0.26 and 0.34 s in its first 3,000 person checks at 1M persons, and about 0.9 s once the caches held 600,000
objects, a pause in whichever request was running.

``Freezer.tick`` is called after each request (``FreezeAfterRequests``): every ``every`` requests it collects
what is garbage among the objects made since the last freeze (a few milliseconds: the frozen ones are not
walked) and freezes the survivors (``gc.freeze``), so that no collection walks them again. A frozen object
that later becomes garbage is still freed by its reference count; only one caught in a reference cycle waits
(an object of a request in flight at the moment of the freeze, about 30 objects per freeze measured): every
``revisit_every`` freezes, everything is unfrozen and collected once, a full collection again, but one in
tens of thousands of requests.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["FREEZE_EVERY", "REVISIT_EVERY", "FreezeAfterRequests", "Freezer"]

# Requests between two freezes: 50 made each collection about 8 ms (1M persons, person checks), and the
# longest collection 24 ms instead of 0.34 s.
FREEZE_EVERY = 50
# Freezes between two full collections of everything (a full collection's pause, once per 50,000 requests).
REVISIT_EVERY = 1000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Freezer:
    """Counts requests; every ``every`` of them collects the young garbage and freezes the rest."""

    def __init__(self, every: int = FREEZE_EVERY, revisit_every: int = REVISIT_EVERY) -> None:
        if every < 1 or revisit_every < 1:
            raise ValueError("every and revisit_every must be at least 1")
        self.every = every
        self.revisit_every = revisit_every
        self._requests = 0
        self._freezes = 0
        self._lock = threading.Lock()

    def tick(self) -> None:
        """One request done: on every ``every``-th, collect the young garbage and freeze the rest; on every
        ``revisit_every``-th freeze, unfreeze and collect everything first. Requests finishing in other
        threads meanwhile wait for the lock."""
        with self._lock:
            self._requests += 1
            if self._requests < self.every:
                return
            self._requests = 0
            self._freezes += 1
            if self._freezes >= self.revisit_every:
                self._freezes = 0
                gc.unfreeze()
            gc.collect()
            gc.freeze()


class FreezeAfterRequests:
    """ASGI middleware: ``Freezer.tick`` once a request's response is sent (its pause then delays the next
    request of the process, never the answer already sent)."""

    def __init__(self, app: ASGIApp, freezer: Freezer | None = None) -> None:
        self.app = app
        self.freezer = freezer or Freezer()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.freezer.tick()
