"""The server's collector policy (``gc_policy``): every few requests the young garbage is collected and the
survivors frozen, so that full collections no longer walk the name caches; a periodic revisit collects the
cycles that died frozen."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from peacelink.gc_policy import FreezeAfterRequests, Freezer


class Node:
    """A cycle-capable object (a weak reference tells when it is freed)."""

    other: Any = None


def _cycle() -> weakref.ref[Node]:
    """A two-node reference cycle with no other reference to it: garbage only the collector frees."""
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    """No automatic collection during a test (only the freezer's own), and the test process's collector left
    as it was: nothing frozen."""
    enabled = gc.isenabled()
    gc.disable()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.collect()
    if enabled:
        gc.enable()


def test_every_nth_request_collects_the_young_garbage_and_freezes_the_rest() -> None:
    freezer = Freezer(every=3)
    kept = Node()
    dead = _cycle()
    freezer.tick()
    freezer.tick()
    assert gc.get_freeze_count() == 0 and dead() is not None  # not yet: two requests of three
    freezer.tick()
    assert dead() is None  # collected before the freeze, not frozen with the rest
    assert gc.get_freeze_count() > 0
    assert not any(obj is kept for obj in gc.get_objects())  # frozen: no collection walks it


def test_a_cycle_that_dies_frozen_is_collected_at_the_revisit() -> None:
    freezer = Freezer(every=1, revisit_every=3)
    first, second = Node(), Node()
    first.other, second.other = second, first
    died = weakref.ref(first)
    freezer.tick()  # freeze 1: the live cycle is frozen
    del first, second
    gc.collect()
    assert died() is not None  # frozen: no collection frees it
    freezer.tick()  # freeze 2
    assert died() is not None
    freezer.tick()  # freeze 3: the revisit unfreezes and collects everything
    assert died() is None


def test_the_middleware_ticks_after_each_http_request_only() -> None:
    sent: list[dict[str, Any]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 204})

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    freezer = Freezer(every=2)
    middleware = FreezeAfterRequests(app, freezer)
    dead = _cycle()
    asyncio.run(middleware({"type": "lifespan"}, receive, send))
    asyncio.run(middleware({"type": "http"}, receive, send))
    assert dead() is not None  # one HTTP request of two
    asyncio.run(middleware({"type": "http"}, receive, send))
    assert dead() is None and gc.get_freeze_count() > 0
    assert len(sent) == 3  # the answers went out first


def test_the_counts_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Freezer(every=0)
