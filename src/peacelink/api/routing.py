"""The route class every PeaceLink router uses: the endpoint's transaction commits in the endpoint's thread.

FastAPI runs a sync endpoint in a worker thread and the exit of a ``yield`` dependency in another, so a
transaction opened by the endpoint and committed by the dependency would stay open across two thread hops
and an event-loop round trip. SQLite has one writer at a time (db.dialect.SQLiteWriterGate), so that idle
time is the whole server's lost throughput, and a writer that waits for a thread to commit while other
threads wait for the writer can starve the pool. Committing at the end of the endpoint's own thread keeps
each write transaction inside one thread, start to finish.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session


def _sessions(arguments: dict[str, Any]) -> list[Session]:
    return [value for value in arguments.values() if isinstance(value, Session)]


def transactional(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a sync endpoint: commit its sessions when it returns, roll them back when it raises."""

    @functools.wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = endpoint(*args, **kwargs)
        except BaseException:
            for session in _sessions(kwargs):
                session.rollback()
            raise
        for session in _sessions(kwargs):
            session.commit()
        return result

    return wrapper


class TransactionalRoute(APIRoute):
    """An APIRoute whose sync endpoint commits its database session before it leaves its thread."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = transactional(endpoint)
        super().__init__(path, endpoint, **kwargs)
