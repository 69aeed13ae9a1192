"""Reading an import from an HTTP request body (shared by the documents and vehicles routes)."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from peacelink.access import Actor
from peacelink.checks.bulk_import import ImportReport, ImportSpec, detect_format, import_text
from peacelink.errors import Invalid

# Larger files go through the CLI, which streams them in batches.
MAX_BODY_BYTES = 20 * 1024 * 1024


async def import_request(
    request: Request, session: Session, *, actor: Actor, spec: ImportSpec
) -> ImportReport:
    """Import the CSV or JSON Lines body of ``request`` in the request's transaction."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise Invalid(
            f"the body exceeds {MAX_BODY_BYTES} bytes; use 'peacelink {spec.database} import'", field="body"
        )
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("the body is not UTF-8 text", field="body") from exc
    fmt = detect_format(request.headers.get("content-type"), text[:100])
    return await run_in_threadpool(
        import_text, session, actor=actor, spec=spec, text=text, fmt=fmt, source="api"
    )
