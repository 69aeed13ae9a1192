"""Hit commands: the owner's queue, our checks' outcomes, confirm and reject."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from peacelink.cli.context import emit, handles_errors, state
from peacelink.cli.record_commands import JsonOpt, emit_rows
from peacelink.hits import service
from peacelink.hits.models import HitStatus
from peacelink.hits.service import HitView

hits_app = typer.Typer(help="Hits: possible matches waiting for the owner's decision.", no_args_is_help=True)


def _line(hit: dict[str, Any]) -> str:
    record = hit["record"]
    what = record.get("number") or record.get("vin") or record.get("plate") or hit["record_id"]
    flag = " [excluded agency]" if hit["excluded_agency"] else ""
    return (
        f"{hit['id']}  {hit['status']:<9} {hit['database']:<9} {what!s:<18} {hit['confidence']:<4} "
        f"from {hit['searching_agency']}/{hit['searching_user']}{flag}  {hit['note']}"
    )


@hits_app.command("list")
@handles_errors
def list_hits(
    ctx: typer.Context,
    view: Annotated[HitView, typer.Option(help="queue: hits on our records; mine: our checks' outcomes")] = (
        HitView.QUEUE
    ),
    status: Annotated[HitStatus | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List hits, newest first."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            service.to_out(session, h).model_dump(mode="json")
            for h in service.list_hits(
                session, actor=cli.actor(session), view=view, status=status, limit=limit
            )
        ]
    emit_rows(rows, as_json=as_json, line=_line)


def _decide(ctx: typer.Context, hit_id: str, note: str, *, confirm: bool, as_json: bool) -> None:
    cli = state(ctx)
    with cli.transaction() as session:
        hit = service.decide(session, actor=cli.actor(session), hit_id=hit_id, confirm=confirm, note=note)
        out = service.to_out(session, hit).model_dump(mode="json")
    emit(out, as_json=as_json, text=_line(out))


@hits_app.command("confirm")
@handles_errors
def confirm(
    ctx: typer.Context,
    hit_id: Annotated[str, typer.Argument()],
    note: Annotated[str, typer.Option(help="what the searcher should know and do")],
    as_json: JsonOpt = False,
) -> None:
    """Confirm a hit on your agency's record (supervisor)."""
    _decide(ctx, hit_id, note, confirm=True, as_json=as_json)


@hits_app.command("reject")
@handles_errors
def reject(
    ctx: typer.Context,
    hit_id: Annotated[str, typer.Argument()],
    note: Annotated[str, typer.Option(help="why it is not a match")],
    as_json: JsonOpt = False,
) -> None:
    """Reject a hit on your agency's record (supervisor)."""
    _decide(ctx, hit_id, note, confirm=False, as_json=as_json)
