"""Fingerprint commands: enrol, check, show, list, cancel, import-nist, compare (the examiner's PNG)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from peacelink.cli.context import emit, handles_errors, state
from peacelink.cli.record_commands import JsonOpt, emit_rows, fields_text, validated
from peacelink.errors import Invalid
from peacelink.fingerprints import service
from peacelink.fingerprints.lookup import from_bytes
from peacelink.fingerprints.models import PrintKind
from peacelink.fingerprints.schemas import FingerprintCreate

fingerprints_app = typer.Typer(
    help="Fingerprints and crime-scene marks: enrol, check, examine.", no_args_is_help=True
)
TemplateOpt = Annotated[
    bool, typer.Option("--template", help="FILE is an ISO/IEC 19794-2 record, not an image")
]
MAX_FILE = 8 * 1024 * 1024


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE:
            raise Invalid(f"{path} is larger than {MAX_FILE} bytes", field="file")
        return path.read_bytes()
    except OSError as error:
        raise Invalid(f"cannot read {path}: {error.strerror}", field="file") from error


def _line(out: dict[str, Any]) -> str:
    return (
        f"{out['id']}  {out['reference']:<20} {out['kind']:<8} finger {out['finger_position']:>2} "
        f"q{out['quality']:<3} {out['minutiae_count']:>3} min. {out['record_status']:<9} v{out['version']}"
    )


def _check_text(answer: dict[str, Any]) -> str:
    lines = [
        "POSSIBLE MATCH: the owner's examiner must confirm before anyone acts."
        if answer["result"] == "hit"
        else "NO HIT"
    ]
    for candidate in answer.get("candidates", []):
        flag = "HIT " if candidate["hit_id"] else "    "
        lines.append(
            f"  {flag}{candidate['score']:>7.2f}  {candidate['owner_agency']:<10} {candidate['reference']} "
            f"finger {candidate['finger_position']}"
            + (f"  hit {candidate['hit_id']}" if candidate["hit_id"] else "")
        )
    lines += [f"warning: {w}" for w in answer["warnings"]]
    lines.append(f"check id: {answer['check_id']}")
    return "\n".join(lines)


@fingerprints_app.command("enrol")
@handles_errors
def enrol(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="image (TIFF/PNG/BMP/JPEG, 500 ppi) or --template ISO record")],
    reference: Annotated[str, typer.Option(help="your own reference")],
    finger: Annotated[int, typer.Option(help="finger position 1-10 (0: unknown, marks only)")],
    kind: Annotated[PrintKind, typer.Option()] = PrintKind.TENPRINT,
    person_id: Annotated[str | None, typer.Option()] = None,
    action: Annotated[str, typer.Option()] = "",
    is_template: TemplateOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Enrol a print or a crime-scene mark for your agency."""
    import base64

    encoded = base64.b64encode(_read(file)).decode()
    data = validated(
        FingerprintCreate,
        template=encoded if is_template else None,
        image=None if is_template else encoded,
        reference=reference,
        finger_position=finger,
        kind=kind,
        person_id=person_id,
        action=action,
    )
    cli = state(ctx)
    with cli.transaction() as session:
        out = service.to_out(session, service.enrol(session, actor=cli.actor(session), data=data))
    emit(out.model_dump(mode="json"), as_json=as_json, text=_line(out.model_dump(mode="json")))


@fingerprints_app.command("check")
@handles_errors
def check(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="image, or --template ISO record")],
    is_template: TemplateOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Search a print against the database. Exit 3 on a hit."""
    raw = _read(file)
    probe = from_bytes(template=raw) if is_template else from_bytes(image=raw)
    cli = state(ctx)
    with cli.transaction() as session:
        answer = service.check_print(session, actor=cli.actor(session), probe=probe).to_dict()
    emit(answer, as_json=as_json, text=_check_text(answer))
    if answer["result"] == "hit":
        raise typer.Exit(3)


@fingerprints_app.command("show")
@handles_errors
def show(
    ctx: typer.Context, fingerprint_id: Annotated[str, typer.Argument()], as_json: JsonOpt = False
) -> None:
    """Show one print your agency may see."""
    cli = state(ctx)
    with cli.transaction() as session:
        out = service.to_out(
            session, service.read(session, actor=cli.actor(session), fingerprint_id=fingerprint_id)
        )
    data = out.model_dump(mode="json")
    emit(data, as_json=as_json, text=fields_text(data))


@fingerprints_app.command("list")
@handles_errors
def list_prints(
    ctx: typer.Context,
    reference: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Your agency's own prints, newest first."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            service.to_out(session, f).model_dump(mode="json")
            for f in service.list_own(session, actor=cli.actor(session), reference=reference, limit=limit)
        ]
    emit_rows(rows, as_json=as_json, line=_line)


@fingerprints_app.command("cancel")
@handles_errors
def cancel(
    ctx: typer.Context,
    fingerprint_id: Annotated[str, typer.Argument()],
    version: Annotated[int, typer.Option(help="the version you read")],
    as_json: JsonOpt = False,
) -> None:
    """Withdraw your print; it is no longer searched."""
    cli = state(ctx)
    with cli.transaction() as session:
        record = service.cancel(
            session, actor=cli.actor(session), fingerprint_id=fingerprint_id, version=version
        )
        out = service.to_out(session, record).model_dump(mode="json")
    emit(out, as_json=as_json, text=_line(out))


@fingerprints_app.command("import-nist")
@handles_errors
def import_nist(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="ANSI/NIST-ITL 1-2011 transaction (traditional encoding)")],
    reference: Annotated[str, typer.Option(help="your reference for the person or case")],
    kind: Annotated[PrintKind, typer.Option()] = PrintKind.TENPRINT,
    person_id: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOpt = False,
) -> None:
    """Enrol every finger of a transaction: Type-9 minutiae, else uncompressed Type-4/14 images."""
    raw = _read(file)
    cli = state(ctx)
    with cli.transaction() as session:
        ids = service.import_nist(
            session, actor=cli.actor(session), data=raw, reference=reference, kind=kind, person_id=person_id
        )
    emit({"enrolled": len(ids), "ids": ids}, as_json=as_json, text=f"enrolled {len(ids)} finger(s)")


@fingerprints_app.command("compare")
@handles_errors
def compare(
    ctx: typer.Context,
    hit_id: Annotated[str, typer.Argument()],
    out: Annotated[Path, typer.Option("--out", help="where to write the PNG")],
    as_json: JsonOpt = False,
) -> None:
    """Write the examiner's picture of a fingerprint hit on your agency's record (both prints, pairs)."""
    cli = state(ctx)
    with cli.transaction() as session:
        png = service.comparison_png(session, actor=cli.actor(session), hit_id=hit_id)
    out.write_bytes(png)
    emit({"written": str(out), "bytes": len(png)}, as_json=as_json, text=f"wrote {out} ({len(png)} bytes)")
