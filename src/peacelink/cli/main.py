"""The ``peacelink`` command: one Typer app; each domain adds its module of commands."""

from __future__ import annotations

from typing import Annotated

import typer

from peacelink.cli import admin, audit, server
from peacelink.cli import checks as checks_cli
from peacelink.cli import dna as dna_cli
from peacelink.cli import documents as documents_cli
from peacelink.cli import fingerprints as fingerprints_cli
from peacelink.cli import hits as hits_cli
from peacelink.cli import identifiers as identifiers_cli
from peacelink.cli import messaging as messaging_cli
from peacelink.cli import persons as persons_cli
from peacelink.cli import records as records_cli
from peacelink.cli import vehicles as vehicles_cli
from peacelink.cli.context import CliContext
from peacelink.settings import Settings

app = typer.Typer(
    name="peacelink",
    help="PeaceLink: secure police information system for peace operations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="PEACELINK_DATABASE_URL",
            help="SQLAlchemy URL (default sqlite:///./var/peacelink.db)",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", envvar="PEACELINK_USER", help="the user commands act as (same rules as the API)"
        ),
    ] = None,
) -> None:
    """Global options."""
    settings = Settings(database_url=database_url) if database_url else Settings()
    ctx.obj = CliContext(settings=settings, username=user)


app.command("init")(admin.init_command)
app.command("migrate")(admin.migrate_command)
app.command("serve")(server.serve)
app.command("demo")(server.demo)
app.add_typer(admin.agency_app, name="agency")
app.add_typer(admin.user_app, name="user")
app.add_typer(admin.token_app, name="token")
app.add_typer(admin.totp_app, name="totp")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(records_cli.records_app, name="records")
app.add_typer(messaging_cli.message_app, name="message")
app.add_typer(messaging_cli.node_app, name="node")
app.add_typer(identifiers_cli.mrz_app, name="mrz")
app.add_typer(identifiers_cli.vin_app, name="vin")
app.add_typer(documents_cli.documents_app, name="documents")
app.add_typer(vehicles_cli.vehicles_app, name="vehicles")
app.add_typer(persons_cli.persons_app, name="persons")
app.add_typer(checks_cli.check_app, name="check")
app.add_typer(hits_cli.hits_app, name="hits")
app.add_typer(fingerprints_cli.fingerprints_app, name="fingerprints")
app.add_typer(dna_cli.dna_app, name="dna")
