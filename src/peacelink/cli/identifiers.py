"""Identifier commands: ``peacelink mrz parse`` and ``peacelink vin decode`` (no database needed)."""

from __future__ import annotations

from typing import Annotated

import typer

from peacelink.cli.context import emit, fail
from peacelink.identifiers import mrz, vin
from peacelink.identifiers.exceptions import IdentifierError

mrz_app = typer.Typer(help="Machine-readable zones (ICAO Doc 9303).", no_args_is_help=True)
vin_app = typer.Typer(help="Vehicle identification numbers (ISO 3779).", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


@mrz_app.command("parse")
def mrz_parse(
    lines: Annotated[list[str], typer.Argument(help="the 2 or 3 MRZ lines")], as_json: JsonOpt = False
) -> None:
    """Parse and check an MRZ; exit 1 when a check digit fails, 2 when it cannot be read."""
    try:
        result = mrz.parse(lines)
    except IdentifierError as exc:
        fail(str(exc), code=2, as_json=as_json, error="invalid")
    data = result.to_dict()
    text = "\n".join(f"{key}: {value}" for key, value in data.items())
    emit(data, as_json=as_json, text=text)
    if not result.valid:
        raise typer.Exit(1)


@vin_app.command("decode")
def vin_decode(vin_number: Annotated[str, typer.Argument(metavar="VIN")], as_json: JsonOpt = False) -> None:
    """Decode a VIN: validity, manufacturer, country, check digit, model years (exit 1 when invalid)."""
    result = vin.decode(vin_number)
    data = result.to_dict()
    emit(data, as_json=as_json, text="\n".join(f"{key}: {value}" for key, value in data.items()))
    if not result.valid:
        raise typer.Exit(1)
