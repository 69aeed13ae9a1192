"""Reading an import from an HTTP request body (shared by the documents, vehicles and persons routes)."""

from __future__ import annotations

import io
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from peacelink.access import Actor, Role
from peacelink.api.dependencies import roles_extra
from peacelink.checks.bulk_import import ImportReport, ImportSpec, import_text
from peacelink.checks.import_reading import detect_format
from peacelink.errors import Invalid
from peacelink.utf8_text import first_not_utf8, not_utf8_message

# Larger files go through the CLI, which streams them in batches.
MAX_BODY_BYTES = 20 * 1024 * 1024


def import_body(spec: ImportSpec) -> str:
    """The OpenAPI description of an import body of ``spec``'s database: its fields, and the JSON type each
    takes, from the shapes a JSON line is checked against (``spec.shapes``), so that it stays true: persons'
    ``names`` and ``identifiers`` take objects, not only strings."""
    fields = ", ".join(
        f"`{name}` (required)" if name in spec.required else f"`{name}`" for name in spec.fields
    )
    typed = [f"`{name}` {shape.described}" for name, shape in spec.shapes.items() if name in spec.fields]
    types = "; ".join(["text a JSON string, never a number", *typed])
    lists = any(shape.kind == "list" for shape in spec.shapes.values())
    cells = " In a CSV cell a list is a JSON list, or values separated by `;`." if lists else ""
    if any(shape.kind == "whole number" for shape in spec.shapes.values()):
        cells += " In a CSV cell a whole number is ASCII digits only."
    return (
        "CSV (`text/csv`, a header row naming the fields) or JSON Lines (`application/x-ndjson`, one JSON "
        f"object a line), in UTF-8, with the fields of the API's create: {fields}. In JSON Lines the JSON "
        f"types are: {types}; `null` is a field left out. A date is YYYY-MM-DD only (a JSON string; in a "
        f"CSV cell the same text).{cells} Every import also "
        "takes, per line, the optional `review_due` (YYYY-MM-DD; default and latest: 5 years from today; "
        "one not after today or later than that rejects the line, as the create refuses it), `visibility` "
        "(`all`, the default; `only`; `all_except`) and `visibility_agencies` (agency codes: a JSON list of "
        "strings, or in a CSV cell codes separated by `;`), checked as the create checks them: an unknown "
        "agency, agencies with `all`, or none with `only`/`all_except` reject the line."
    )


def import_openapi_extra(spec: ImportSpec, *roles: Role) -> dict[str, Any]:
    """The OpenAPI extras of an import route: its roles and the two body types it reads."""
    return {
        **roles_extra(*roles),
        "requestBody": {
            "description": import_body(spec),
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        },
    }


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
        found = first_not_utf8(io.BytesIO(body))
        message = not_utf8_message("the body", found) if found else "the body is not UTF-8 text"
        raise Invalid(f"{message}; nothing imported", field="body") from exc
    fmt = detect_format(request.headers.get("content-type"), text[:100])
    return await run_in_threadpool(
        import_text, session, actor=actor, spec=spec, text=text, fmt=fmt, source="api"
    )
