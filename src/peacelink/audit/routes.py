"""HTTP routes for the audit log (central system_admin only)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from peacelink.access import Actor, Role
from peacelink.api.dependencies import DbSession, State, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.audit import service
from peacelink.typed_input import DIGITS
from peacelink.utc_moment import UtcMoment

router = APIRouter(route_class=TransactionalRoute, prefix="/audit", tags=["audit"])

Auditor = Annotated[Actor, Depends(require(Role.SYSTEM_ADMIN))]


class _ClosingStream(StreamingResponse):
    """A streamed answer that runs ``close`` however the stream ends: read to the end, failed, or a client
    gone before its first line was sent or in the middle of it.

    The stream's own ``finally`` was not enough: Starlette cancels a stream whose client is gone (or fails
    its first send), and a generator cancelled before it started never runs its ``finally``, one stopped
    halfway only when the garbage collector gets to it; until then the export's session held its connection
    and its read transaction (PostgreSQL: idle in transaction; SQLite: a read holding back the WAL
    checkpoint).
    """

    def __init__(self, content: Iterator[str], *, close: Callable[[], None], media_type: str) -> None:
        super().__init__(content, media_type=media_type)
        self._close = close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # In a worker thread (it meets the database), shielded: a cancelled request still closes it.
            # No other thread runs the stream by then: Starlette waits for its thread even when cancelled.
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(self._close)


@router.get(
    "/events",
    openapi_extra=roles_extra(Role.SYSTEM_ADMIN),
    responses=error_responses(401, 403, 422),
)
def list_events(
    session: DbSession,
    actor: Auditor,
    after_seq: Annotated[int, Query(ge=0, le=2**62), DIGITS] = 0,
    limit: Annotated[int, Query(ge=1, le=1000), DIGITS] = 100,
    action: Annotated[str | None, Query(max_length=64)] = None,
    agency: Annotated[str | None, Query(max_length=16)] = None,
    since: UtcMoment | None = None,
    until: UtcMoment | None = None,
) -> list[dict[str, Any]]:
    """Audit events in sequence order; page with ``after_seq``."""
    events = service.list_events(
        session,
        actor=actor,
        after_seq=after_seq,
        limit=limit,
        action=action,
        agency_code=agency,
        since=since,
        until=until,
    )
    return [service.event_to_dict(e) for e in events]


@router.get(
    "/export",
    openapi_extra=roles_extra(Role.SYSTEM_ADMIN),
    response_class=StreamingResponse,
    responses=error_responses(401, 403, 422),
)
def export_events(
    state: State, actor: Auditor, after_seq: Annotated[int, Query(ge=0, le=2**62), DIGITS] = 0
) -> StreamingResponse:
    """Every event after ``after_seq`` as JSON Lines (application/x-ndjson), streamed."""
    # Checked here, before the response starts: inside the stream a refusal came after the 200 had been
    # sent, as a body that broke off. The stream checks again (export_lines serves the CLI too).
    service.require_auditor(actor)
    # So are the export's own audit event and the first read, by taking the first line here: a busy or
    # unreachable database there is the handlers' clean 503, not a 200 whose body breaks off. The rest is
    # read as the client takes it.
    session = state.sessions()
    try:
        lines = service.export_lines(session, actor=actor, after_seq=after_seq)
        first = next(lines, None)
    except BaseException:
        session.rollback()
        session.close()
        raise

    def rest() -> Generator[str]:
        if first is not None:
            yield first
            yield from lines
        session.commit()

    stream = rest()

    def close() -> None:
        stream.close()  # a stream stopped halfway: its generators end here, not when collected
        if isinstance(lines, Generator):  # started above even if the stream never was
            lines.close()
        session.close()  # rolls back what was not committed and returns the connection

    return _ClosingStream(stream, close=close, media_type="application/x-ndjson")


@router.get(
    "/verify",
    openapi_extra=roles_extra(Role.SYSTEM_ADMIN),
    responses=error_responses(401, 403, 422),
)
def verify_chain(session: DbSession, actor: Auditor) -> dict[str, Any]:
    """Recompute the hash chain: ``{ok, events, first_bad, reason}``."""
    service.require_auditor(actor)
    result = service.verify(session).to_dict()
    service.record(session, actor=actor, action="audit.verify", object_type="audit", query=result)
    return result
