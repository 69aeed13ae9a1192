"""Commands that run the server: serve and demo."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Annotated

import typer
from fastapi import FastAPI

from peacelink.cli.context import CliContext, state
from peacelink.db.migrate import is_current, upgrade
from peacelink.settings import Settings

DEMO_DATABASE = Path("var/demo.db")


def build_served_app() -> FastAPI:
    """The app as ``peacelink serve`` runs it, from the environment (each worker process calls this)."""
    from peacelink.api.app import create_app
    from peacelink.dna.index import warm_in_background

    app = create_app(Settings())
    # Load the DNA indexes from their stored snapshot and models while the server starts, so the first
    # DNA check does not pay for it (dna.index; seconds at 100,000 profiles).
    warm_in_background(app.state.peacelink.sessions)
    # Everything built so far (modules, models, routes, compiled schemas) lives as long as the process:
    # move it out of the collector's view. Otherwise each full collection walks it all again, and those
    # pauses (120-150 ms, a few every 10 s under load) were the whole p99 of a document check over HTTP.
    gc.collect()
    gc.freeze()
    return app


def _run(
    settings: Settings, host: str | None, port: int | None, workers: int = 1, access_log: bool = False
) -> None:
    import uvicorn

    # Worker processes build their own app from the environment: hand them the database chosen here, and
    # make sure a generated secret key exists on disk before they start, so that all of them share it.
    os.environ["PEACELINK_DATABASE_URL"] = settings.database_url
    settings.resolved_secret_key()
    uvicorn.run(
        "peacelink.cli.server:build_served_app",
        factory=True,
        workers=workers,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        access_log=access_log,
        proxy_headers=False,
        server_header=False,
    )


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="bind address (PEACELINK_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (PEACELINK_PORT, default 8000)")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="server processes; more than one uses more cores (PostgreSQL, or SQLite on a local disk)",
        ),
    ] = 1,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log",
            help="log every HTTP request line (off by default: every query is in the audit log already)",
        ),
    ] = False,
) -> None:
    """Serve the web app and the API."""
    cli = state(ctx)
    if not is_current(cli.engine):
        typer.echo(
            "error: the database is not migrated; run 'peacelink init' or 'peacelink migrate'", err=True
        )
        raise typer.Exit(2)
    _run(cli.settings, host, port, workers, access_log)


def demo(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="port (PEACELINK_PORT, default 8000)")] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="only build the demo database")] = False,
) -> None:
    """Build a fresh demo database (var/demo.db) with demo agencies and users, print the sign-ins, serve."""
    from peacelink.demo import build_demo

    cli = state(ctx)
    settings = cli.settings
    if "database_url" not in settings.model_fields_set:
        settings = settings.model_copy(update={"database_url": f"sqlite:///{DEMO_DATABASE}"})
    if settings.database_url.startswith("sqlite:///"):
        path = Path(settings.database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    demo_cli = CliContext(settings=settings, username=None)
    upgrade(demo_cli.engine)
    summary = build_demo(
        demo_cli.sessions, secret_key=settings.resolved_secret_key(), token_days=settings.token_days
    )
    typer.echo(summary)
    if not no_serve:
        bound = port or settings.port
        typer.echo(f"\nPeaceLink demo on http://{host or settings.host}:{bound}/  (API: /api/v1/docs)\n")
        _run(settings, host, port)
