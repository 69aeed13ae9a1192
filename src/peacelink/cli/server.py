"""Commands that run the server: serve and demo."""

from __future__ import annotations

import errno
import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from fastapi import FastAPI

from peacelink.cli.context import CliContext, state
from peacelink.db.migrate import is_current, upgrade
from peacelink.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

DEMO_DATABASE = Path("var/demo.db")
# The server's own start-up lines go where uvicorn writes its own ("INFO:     Started server process").
log = logging.getLogger("uvicorn.error")


def build_served_app() -> FastAPI:
    """The app as ``peacelink serve`` runs it, from the environment (each worker process calls this)."""
    from peacelink.api.app import create_app
    from peacelink.dna.index import warm_in_background
    from peacelink.matching.names import COMPILED, CORE_STATE

    # The person checks' speed figures are the compiled core's (tools/compile_core.py): say when it is not.
    (log.info if COMPILED else log.warning)("%s", CORE_STATE)
    app = create_app(Settings())
    # Load the DNA indexes from their stored snapshot and models while the server starts, so the first
    # DNA check does not pay for it (dna.index; seconds at 100,000 profiles).
    warm_in_background(app.state.peacelink.sessions)
    preload_name_forms(app.state.peacelink.sessions)
    return serving(app)


# A server started without persons builds the tagger this long after start-up: not at once, when a restarted
# node catches up with its peers (building it then, the GIL held for 5-10 s, slowed a mission node's catch-up
# of 11 messages from 5.1 to 12.9 s, tests/e2e/test_nodes.py), and before the first person is stored on a new
# node in most cases (its keys need the tagger: that request waited 8.96 s for it).
BACKGROUND_TAGGER_DELAY = 60.0


def preload_name_forms(sessions: sessionmaker[Session]) -> threading.Timer | None:
    """Build the name-form tagger (``matching.names.forms``: about 5 s and 270 MB), so that no request waits
    for it. With persons in the database, before the server takes requests (the first person check would
    wait); without, in the background ``BACKGROUND_TAGGER_DELAY`` seconds after start-up (a request needing
    it before then builds it, as a one-shot command does). Returns that background timer, or None."""
    from sqlalchemy import select

    from peacelink.db.unit_of_work import unit_of_work
    from peacelink.matching.names.forms import preload
    from peacelink.persons.models import Person

    with unit_of_work(sessions) as session:
        if session.scalar(select(Person.id).limit(1)) is None:
            timer = threading.Timer(BACKGROUND_TAGGER_DELAY, preload)
            timer.name, timer.daemon = "name-form-preload", True
            timer.start()
            return timer
    preload()
    return None


def serving(app: FastAPI) -> FastAPI:
    """What a long-running server process adds to its app: the collector policy (``gc_policy``)."""
    from peacelink.gc_policy import FreezeAfterRequests

    # What the name caches keep later is frozen too, every few requests (gc_policy: full collections walking
    # them took up to 0.9 s once they were full).
    app.add_middleware(FreezeAfterRequests)
    # Everything built so far (modules, models, routes, compiled schemas) lives as long as the process:
    # move it out of the collector's view. Otherwise each full collection walks it all again, and those
    # pauses (120-150 ms, a few every 10 s under load) were the whole p99 of a document check over HTTP.
    gc.collect()
    gc.freeze()
    return app


def _config(host: str, port: int, access_log: bool) -> Any:
    import uvicorn

    return uvicorn.Config(
        "peacelink.cli.server:build_served_app",
        factory=True,
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        proxy_headers=False,
        server_header=False,
    )


def serve_worker(host: str, port: int, access_log: bool) -> None:
    """One of several server processes: its own listening socket on the shared port (SO_REUSEPORT).

    With one socket shared by all workers (uvicorn's own ``workers``), whichever worker wakes first accepts
    every connection waiting at that moment: a burst of 32 keep-alive connections went 32 to 0 or 24 to 8,
    and the busier worker's queue set the latency tail. With a socket per worker, the kernel spreads new
    connections over the workers.
    """
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind((host, port))
    listener.listen(2048)
    uvicorn.Server(_config(host, port, access_log)).run(sockets=[listener])


def _port_in_use(host: str, port: int) -> bool:
    """Whether a socket without SO_REUSEPORT cannot bind ``host:port``: something listens there, a
    ``serve --workers`` server's sockets included (those would take the workers' SO_REUSEPORT sockets in)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:  # another error (an address not on this host) is the workers' to report
            return error.errno == errno.EADDRINUSE
    return False


def _run(
    settings: Settings, host: str | None, port: int | None, workers: int = 1, access_log: bool = False
) -> None:
    import uvicorn

    # Worker processes build their own app from the environment: hand them the database chosen here, and
    # make sure a generated secret key exists on disk before they start, so that all of them share it.
    os.environ["PEACELINK_DATABASE_URL"] = settings.database_url
    settings.resolved_secret_key()
    bind_host, bind_port = host or settings.host, port or settings.port
    if workers > 1 and _port_in_use(bind_host, bind_port):
        # uvicorn's own bind refuses a taken port; the workers' SO_REUSEPORT sockets would share it with
        # another server's workers, and the kernel would split the connections between the two servers.
        typer.echo(f"error: port {bind_port} on {bind_host} is already in use (another server?)", err=True)
        raise typer.Exit(2)
    if workers == 1:
        uvicorn.Server(_config(bind_host, bind_port, access_log)).run()
        return
    # A plain supervisor: when one worker ends, the others are stopped and serve exits with an error, so
    # that the service manager restarts the whole server. SIGTERM stops the workers gracefully.
    spawn = multiprocessing.get_context("spawn")
    processes = [
        spawn.Process(target=serve_worker, args=(bind_host, bind_port, access_log), name=f"peacelink-{n}")
        for n in range(workers)
    ]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for process in processes:
            process.start()
        multiprocessing.connection.wait([p.sentinel for p in processes])
        failed = any(p.exitcode not in (None, 0) for p in processes)
    except (KeyboardInterrupt, SystemExit):
        failed = False
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(20)
    if failed:
        raise typer.Exit(1)


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
    # The server builds its own engines (one per worker); this one would keep a second WAL checkpointer
    # thread running in the supervisor for nothing.
    cli.engine.dispose()
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
