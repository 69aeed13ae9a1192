"""Stolen vehicle commands: add, show, list, update, cancel, import."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from peacelink.checks.bulk_import import DEFAULT_BATCH
from peacelink.cli.context import emit, handles_errors, state
from peacelink.cli.imports import BatchSize, ImportFile, ImportFormat, SkipInvalid, run_import
from peacelink.cli.record_commands import JsonOpt, emit_rows, fields_text, validated
from peacelink.typed_input import whole_number_text
from peacelink.vehicles import service
from peacelink.vehicles.importer import SPEC, may_import
from peacelink.vehicles.models import VehicleStatus
from peacelink.vehicles.schemas import VehicleCreate, VehicleUpdate

vehicles_app = typer.Typer(help="Stolen motor vehicles.", no_args_is_help=True)


def _line(out: dict[str, Any]) -> str:
    plate = f"{out['plate']} ({out['plate_country']})" if out.get("plate") else "-"
    return (
        f"{out['id']}  {out['vin'] or '-':<17} {plate:<18} {out['make']} {out['model']} {out['status']:<9} "
        f"{out['record_status']:<9} v{out['version']}"
    )


@vehicles_app.command("add")
@handles_errors
def add(
    ctx: typer.Context,
    vin: Annotated[str | None, typer.Option(help="VIN (ISO 3779)")] = None,
    plate: Annotated[str | None, typer.Option(help="registration plate")] = None,
    plate_country: Annotated[str | None, typer.Option(help="registration country, alpha-3")] = None,
    make: Annotated[str, typer.Option()] = "",
    model: Annotated[str, typer.Option()] = "",
    # Text, read as the import reads a CSV cell: click's int() took Arabic-Indic digits, "+2019", "2_019".
    year: Annotated[str | None, typer.Option(help="model year, ASCII digits")] = None,
    colour: Annotated[str, typer.Option()] = "",
    engine_number: Annotated[str, typer.Option()] = "",
    status: Annotated[VehicleStatus, typer.Option()] = VehicleStatus.STOLEN,
    reported_at: Annotated[str | None, typer.Option(help="date of the theft, YYYY-MM-DD")] = None,
    place: Annotated[str, typer.Option()] = "",
    action: Annotated[str, typer.Option(help="what an officer does on a hit")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Report a stolen vehicle for your agency."""
    cli = state(ctx)
    data = validated(
        VehicleCreate,
        vin=vin,
        plate=plate,
        plate_country=plate_country,
        make=make,
        model=model,
        year=whole_number_text(year, "year"),
        colour=colour,
        engine_number=engine_number,
        status=status,
        reported_at=reported_at,
        place=place,
        action=action,
    )
    with cli.transaction() as session:
        out = service.to_out(session, service.create(session, actor=cli.actor(session), data=data))
    emit(out.model_dump(mode="json"), as_json=as_json, text=_line(out.model_dump(mode="json")))


@vehicles_app.command("show")
@handles_errors
def show(ctx: typer.Context, vehicle_id: Annotated[str, typer.Argument()], as_json: JsonOpt = False) -> None:
    """Show one vehicle your agency may see."""
    cli = state(ctx)
    with cli.transaction() as session:
        out = service.to_out(session, service.read(session, actor=cli.actor(session), vehicle_id=vehicle_id))
    data = out.model_dump(mode="json")
    emit(data, as_json=as_json, text=fields_text(data))


@vehicles_app.command("list")
@handles_errors
def list_vehicles(
    ctx: typer.Context, limit: Annotated[int, typer.Option(min=1, max=1000)] = 50, as_json: JsonOpt = False
) -> None:
    """Your agency's own reports, newest first."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            service.to_out(session, v).model_dump(mode="json")
            for v in service.list_own(session, actor=cli.actor(session), limit=limit)
        ]
    emit_rows(rows, as_json=as_json, line=_line)


@vehicles_app.command("update")
@handles_errors
def update(
    ctx: typer.Context,
    vehicle_id: Annotated[str, typer.Argument()],
    version: Annotated[int, typer.Option(help="the version you read (stale: refused)")],
    plate: Annotated[str | None, typer.Option()] = None,
    plate_country: Annotated[str | None, typer.Option()] = None,
    colour: Annotated[str | None, typer.Option()] = None,
    status: Annotated[VehicleStatus | None, typer.Option()] = None,
    place: Annotated[str | None, typer.Option()] = None,
    action: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change your report."""
    cli = state(ctx)
    data = validated(
        VehicleUpdate,
        version=version,
        plate=plate,
        plate_country=plate_country,
        colour=colour,
        status=status,
        place=place,
        action=action,
    )
    with cli.transaction() as session:
        vehicle = service.update(session, actor=cli.actor(session), vehicle_id=vehicle_id, data=data)
        out = service.to_out(session, vehicle).model_dump(mode="json")
    emit(out, as_json=as_json, text=_line(out))


@vehicles_app.command("cancel")
@handles_errors
def cancel(
    ctx: typer.Context,
    vehicle_id: Annotated[str, typer.Argument()],
    version: Annotated[int, typer.Option(help="the version you read")],
    as_json: JsonOpt = False,
) -> None:
    """Withdraw your report."""
    cli = state(ctx)
    with cli.transaction() as session:
        vehicle = service.cancel(session, actor=cli.actor(session), vehicle_id=vehicle_id, version=version)
        out = service.to_out(session, vehicle).model_dump(mode="json")
    emit(out, as_json=as_json, text=_line(out))


@vehicles_app.command("import")
@handles_errors
def import_file(
    ctx: typer.Context,
    file: ImportFile,
    fmt: ImportFormat = None,
    batch_size: BatchSize = DEFAULT_BATCH,
    skip_invalid: SkipInvalid = False,
    as_json: JsonOpt = False,
) -> None:
    """Import vehicles; re-running is safe (existing ones are skipped). Exit 1 if lines were rejected."""
    run_import(
        state(ctx),
        spec=SPEC,
        path=file,
        fmt=fmt,
        batch_size=batch_size,
        skip_invalid=skip_invalid,
        as_json=as_json,
        may_import=may_import,
    )
