"""Record review reminders: what of your agency's data falls due for review."""

from __future__ import annotations

from typing import Annotated

import typer

from peacelink.cli.context import emit, handles_errors, state
from peacelink.records import review

records_app = typer.Typer(help="Review dates of your agency's records.", no_args_is_help=True)


@records_app.command("due")
@handles_errors
def due(
    ctx: typer.Context,
    within_days: Annotated[int, typer.Option(help="window in days (default about six months)")] = (
        review.DEFAULT_WINDOW_DAYS
    ),
    limit: Annotated[int, typer.Option(min=1, max=5000)] = 500,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """List your agency's records due for review (renew them by updating review_due)."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            d.to_dict()
            for d in review.due_for_review(
                session, actor=cli.actor(session), within_days=within_days, limit=limit
            )
        ]
    lines = [
        f"{r['review_due']} {'EXPIRED ' if r['expired'] else ''}{r['database']}:{r['record_id']} "
        f"(version {r['version']})"
        for r in rows
    ] or ["nothing due"]
    emit(rows, as_json=as_json, text="\n".join(lines))
