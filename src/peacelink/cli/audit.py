"""Audit commands: verify the chain, list and export events."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peacelink.audit import service as audit
from peacelink.cli.context import emit, handles_errors, state

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


@audit_app.command("verify")
def verify(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Recompute the hash chain. Exit 0 when intact, 1 when any event was altered, deleted or moved."""
    cli = state(ctx)
    with cli.transaction() as session:
        result = audit.verify(session)
    data = result.to_dict()
    text = (
        f"audit chain intact: {result.events} events"
        if result.ok
        else f"audit chain BROKEN at event {result.first_bad}: {result.reason}"
    )
    emit(data, as_json=as_json, text=text)
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("list")
@handles_errors
def list_events(
    ctx: typer.Context,
    after: Annotated[int, typer.Option(help="only events after this sequence number")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 50,
    action: Annotated[str | None, typer.Option(help="only this action, e.g. agency.create")] = None,
    agency: Annotated[str | None, typer.Option(help="only this agency's events")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List audit events (central system_admin)."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            audit.event_to_dict(e)
            for e in audit.list_events(
                session,
                actor=cli.actor(session),
                after_seq=after,
                limit=limit,
                action=action,
                agency_code=agency,
            )
        ]
    lines = [
        f"{r['seq']:>7} {r['at'][:19]} {r['agency_code']:<12} {r['username']:<16} {r['action']:<24} "
        f"{r['object_type']}:{r['object_id'] or ''}"
        for r in rows
    ]
    emit(rows, as_json=as_json, text="\n".join(lines))


@audit_app.command("export")
@handles_errors
def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default: stdout)")
    ] = None,
    after: Annotated[int, typer.Option(help="only events after this sequence number")] = 0,
) -> None:
    """Export events as JSON Lines (central system_admin)."""
    cli = state(ctx)
    session = cli.sessions()
    try:
        lines = audit.export_lines(session, actor=cli.actor(session), after_seq=after)
        if output is None:
            for line in lines:
                typer.echo(line, nl=False)
        else:
            with output.open("w", encoding="utf-8") as handle:
                handle.writelines(lines)
    finally:
        session.close()
