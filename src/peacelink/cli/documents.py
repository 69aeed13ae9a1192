"""Travel document commands: add, show, list, update, cancel, import."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from peacelink.checks.bulk_import import DEFAULT_BATCH
from peacelink.cli.context import emit, handles_errors, state
from peacelink.cli.imports import BatchSize, ImportFile, ImportFormat, SkipInvalid, run_import
from peacelink.cli.record_commands import JsonOpt, emit_rows, fields_text, validated
from peacelink.documents import service
from peacelink.documents.importer import SPEC, may_import
from peacelink.documents.models import DocumentStatus, DocumentType
from peacelink.documents.schemas import DocumentCreate, DocumentUpdate

documents_app = typer.Typer(
    help="Stolen, lost, revoked and invalidated travel documents.", no_args_is_help=True
)


def _line(out: dict[str, Any]) -> str:
    number = out["number"] + (f"..{out['range_end']}" if out.get("range_end") else "")
    return (
        f"{out['id']}  {out['issuing_country']} {out['document_type']:<13} {number:<20} {out['status']:<12} "
        f"{out['record_status']:<9} v{out['version']}"
    )


@documents_app.command("add")
@handles_errors
def add(
    ctx: typer.Context,
    issuing_country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-3")],
    number: Annotated[str, typer.Option(help="document number (first number of a blank range)")],
    document_type: Annotated[DocumentType, typer.Option("--type")] = DocumentType.PASSPORT,
    status: Annotated[DocumentStatus, typer.Option()] = DocumentStatus.STOLEN,
    range_end: Annotated[str | None, typer.Option(help="last number of a blank range")] = None,
    reported_at: Annotated[str | None, typer.Option(help="date of loss or theft, YYYY-MM-DD")] = None,
    place: Annotated[str, typer.Option()] = "",
    holder_name: Annotated[str, typer.Option()] = "",
    holder_birth_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    action: Annotated[str, typer.Option(help="what an officer does on a hit")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Report a document (NCB of the issuing country)."""
    cli = state(ctx)
    data = validated(
        DocumentCreate,
        issuing_country=issuing_country,
        number=number,
        document_type=document_type,
        status=status,
        range_end=range_end,
        reported_at=reported_at,
        place=place,
        holder_name=holder_name,
        holder_birth_date=holder_birth_date,
        action=action,
    )
    with cli.transaction() as session:
        out = service.to_out(session, service.create(session, actor=cli.actor(session), data=data))
    emit(out.model_dump(mode="json"), as_json=as_json, text=_line(out.model_dump(mode="json")))


@documents_app.command("show")
@handles_errors
def show(ctx: typer.Context, document_id: Annotated[str, typer.Argument()], as_json: JsonOpt = False) -> None:
    """Show one document your agency may see."""
    cli = state(ctx)
    with cli.transaction() as session:
        out = service.to_out(
            session, service.read(session, actor=cli.actor(session), document_id=document_id)
        )
    data = out.model_dump(mode="json")
    emit(data, as_json=as_json, text=fields_text(data))


@documents_app.command("list")
@handles_errors
def list_documents(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Your agency's own reports, newest first."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            service.to_out(session, d).model_dump(mode="json")
            for d in service.list_own(session, actor=cli.actor(session), limit=limit)
        ]
    emit_rows(rows, as_json=as_json, line=_line)


@documents_app.command("update")
@handles_errors
def update(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument()],
    version: Annotated[int, typer.Option(help="the version you read (stale: refused)")],
    status: Annotated[DocumentStatus | None, typer.Option()] = None,
    place: Annotated[str | None, typer.Option()] = None,
    holder_name: Annotated[str | None, typer.Option()] = None,
    action: Annotated[str | None, typer.Option()] = None,
    review_due: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change your report."""
    cli = state(ctx)
    data = validated(
        DocumentUpdate,
        version=version,
        status=status,
        place=place,
        holder_name=holder_name,
        action=action,
        review_due=review_due,
    )
    with cli.transaction() as session:
        document = service.update(session, actor=cli.actor(session), document_id=document_id, data=data)
        out = service.to_out(session, document).model_dump(mode="json")
    emit(out, as_json=as_json, text=_line(out))


@documents_app.command("cancel")
@handles_errors
def cancel(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument()],
    version: Annotated[int, typer.Option(help="the version you read")],
    as_json: JsonOpt = False,
) -> None:
    """Withdraw your report."""
    cli = state(ctx)
    with cli.transaction() as session:
        document = service.cancel(session, actor=cli.actor(session), document_id=document_id, version=version)
        out = service.to_out(session, document).model_dump(mode="json")
    emit(out, as_json=as_json, text=_line(out))


@documents_app.command("import")
@handles_errors
def import_file(
    ctx: typer.Context,
    file: ImportFile,
    fmt: ImportFormat = None,
    batch_size: BatchSize = DEFAULT_BATCH,
    skip_invalid: SkipInvalid = False,
    as_json: JsonOpt = False,
) -> None:
    """Import documents; re-running is safe (existing ones are skipped). Exit 1 if lines were rejected."""
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
