"""Person record commands: add, show, list, update, cancel, search, import (and the check's text output)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from peacelink.checks.bulk_import import DEFAULT_BATCH
from peacelink.cli.context import emit, handles_errors, state
from peacelink.cli.imports import BatchSize, ImportFile, ImportFormat, SkipInvalid, run_import
from peacelink.cli.record_commands import JsonOpt, emit_rows, fields_text, validated
from peacelink.persons import importer, service
from peacelink.persons.models import CrimeArea, NameKind, OfficerWarning, Sex
from peacelink.persons.schemas import PersonCreate, PersonUpdate
from peacelink.persons.search import SearchFilters, search

persons_app = typer.Typer(help="Wanted and known persons.", no_args_is_help=True)


def _line(out: dict[str, Any]) -> str:
    names = " / ".join(n["name"] for n in out["names"][:3])
    dobs = ",".join(out["dates_of_birth"]) or "-"
    return (
        f"{out['id']}  {out['reference']:<14} {names}  born {dobs}  {out['record_status']} v{out['version']}"
    )


def candidates_text(answer: dict[str, Any]) -> str:
    """The human form of a person check answer: ranked candidates with their reasons."""
    lines = []
    if answer["result"] == "hit":
        lines.append(
            f"HIT: {len(answer['hits'])} possible match(es). Confirm with the owner agency before acting."
        )
    else:
        lines.append("NO HIT")
    for rank, candidate in enumerate(answer.get("candidates") or [], start=1):
        person = candidate["person"]
        names = " / ".join(n["name"] for n in person["names"][:3])
        flag = " HIT" if candidate["hit_id"] else ""
        lines.append(
            f"{rank:>2}. {candidate['score']:.2f}{flag}  {names}  (owner {candidate['owner_agency']})"
        )
        explanation = candidate["explanation"]
        parts = ", ".join(
            f"{p['query']}~{p['candidate']} ({p['method']})" for p in explanation["name"]["parts"]
        )
        lines.append(f"      name: {parts or '-'}")
        for factor in explanation["factors"]:
            lines.append(
                f"      {factor['effect']} {factor['weight']:+.2f} {factor['factor']}: {factor['detail']}"
            )
        if person["warnings"]:
            lines.append(f"      WARNING: {', '.join(person['warnings'])}")
    for hit in answer["hits"]:
        if hit["action"]:
            lines.append(f"action ({hit['owner_agency']}): {hit['action']}   hit id {hit['hit_id']}")
    lines += [f"warning: {w}" for w in answer["warnings"]]
    lines.append(f"check id: {answer['check_id']}")
    return "\n".join(lines)


def _names(names: list[str], aliases: list[str] | None) -> list[dict[str, str]]:
    out = [
        {"name": n, "kind": NameKind.PRIMARY.value if i == 0 else NameKind.ALIAS.value}
        for i, n in enumerate(names)
    ]
    return out + [{"name": a, "kind": NameKind.ALIAS.value} for a in aliases or []]


@persons_app.command("add")
@handles_errors
def add(
    ctx: typer.Context,
    reference: Annotated[str, typer.Option(help="your own file number (unique for your agency)")],
    name: Annotated[list[str], typer.Option(help="a name (repeat; the first is the primary name)")],
    alias: Annotated[list[str] | None, typer.Option(help="an alias (repeat)")] = None,
    sex: Annotated[Sex, typer.Option()] = Sex.UNKNOWN,
    dob: Annotated[list[str] | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD (repeat)")] = None,
    nationality: Annotated[list[str] | None, typer.Option(help="ISO alpha-3 (repeat)")] = None,
    crime_area: Annotated[list[CrimeArea] | None, typer.Option()] = None,
    warning: Annotated[list[OfficerWarning] | None, typer.Option()] = None,
    description: Annotated[str, typer.Option()] = "",
    action: Annotated[str, typer.Option(help="what an officer does on a hit")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Create a person record for your agency."""
    cli = state(ctx)
    data = validated(
        PersonCreate,
        reference=reference,
        names=_names(name, alias),
        sex=sex,
        dates_of_birth=dob or [],
        nationalities=nationality or [],
        crime_areas=crime_area or [],
        warnings=warning or [],
        description=description,
        action=action,
    )
    with cli.transaction() as session:
        actor = cli.actor(session)
        out = service.to_out(session, service.create(session, actor=actor, data=data), actor=actor)
    data_out = out.model_dump(mode="json")
    emit(data_out, as_json=as_json, text=_line(data_out))


@persons_app.command("show")
@handles_errors
def show(ctx: typer.Context, person_id: Annotated[str, typer.Argument()], as_json: JsonOpt = False) -> None:
    """Show one person record your agency may see."""
    cli = state(ctx)
    with cli.transaction() as session:
        actor = cli.actor(session)
        out = service.to_out(session, service.read(session, actor=actor, person_id=person_id), actor=actor)
    data = out.model_dump(mode="json")
    emit(data, as_json=as_json, text=fields_text(data))


@persons_app.command("list")
@handles_errors
def list_persons(
    ctx: typer.Context, limit: Annotated[int, typer.Option(min=1, max=1000)] = 50, as_json: JsonOpt = False
) -> None:
    """Your agency's own person records, newest first."""
    cli = state(ctx)
    with cli.transaction() as session:
        actor = cli.actor(session)
        found = service.list_own(session, actor=actor, limit=limit)
        rows = [out.model_dump(mode="json") for out in service.to_out_many(session, found, actor=actor)]
    emit_rows(rows, as_json=as_json, line=_line)


@persons_app.command("update")
@handles_errors
def update(
    ctx: typer.Context,
    person_id: Annotated[str, typer.Argument()],
    version: Annotated[int, typer.Option(help="the version you read (stale: refused)")],
    name: Annotated[list[str] | None, typer.Option(help="replace the names (repeat)")] = None,
    dob: Annotated[list[str] | None, typer.Option(help="replace the dates of birth (repeat)")] = None,
    warning: Annotated[list[OfficerWarning] | None, typer.Option()] = None,
    action: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change your record (the lists given replace the stored ones)."""
    cli = state(ctx)
    data = validated(
        PersonUpdate,
        version=version,
        names=_names(name, None) if name else None,
        dates_of_birth=dob,
        warnings=warning,
        action=action,
    )
    with cli.transaction() as session:
        actor = cli.actor(session)
        person = service.update(session, actor=actor, person_id=person_id, data=data)
        out = service.to_out(session, person, actor=actor).model_dump(mode="json")
    emit(out, as_json=as_json, text=_line(out))


@persons_app.command("cancel")
@handles_errors
def cancel(
    ctx: typer.Context,
    person_id: Annotated[str, typer.Argument()],
    version: Annotated[int, typer.Option(help="the version you read")],
    as_json: JsonOpt = False,
) -> None:
    """Withdraw your record."""
    cli = state(ctx)
    with cli.transaction() as session:
        actor = cli.actor(session)
        person = service.cancel(session, actor=actor, person_id=person_id, version=version)
        out = service.to_out(session, person, actor=actor).model_dump(mode="json")
    emit(out, as_json=as_json, text=_line(out))


@persons_app.command("search")
@handles_errors
def search_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="a name in any script")] = "",
    born_from: Annotated[int | None, typer.Option(help="born in or after this year")] = None,
    born_to: Annotated[int | None, typer.Option(help="born in or before this year")] = None,
    nationality: Annotated[str, typer.Option(help="ISO 3166 alpha-3 code, e.g. UTO")] = "",
    crime_area: Annotated[CrimeArea | None, typer.Option()] = None,
    warning: Annotated[OfficerWarning | None, typer.Option()] = None,
    owner: Annotated[str, typer.Option(help="owner agency code")] = "",
    limit: Annotated[int, typer.Option(min=1, max=100)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Search the active person records your agency may see (investigators, analysts, supervisors).

    With --name, candidates are ranked by score among the persons holding the nationality, crime area and
    warning given; without it, the newest records matching every filter come first. What a check of the
    name would warn about (too common to look up alone, initials only) follows as "warning:" lines (on
    stderr with --json, which prints the rows alone).
    """
    cli = state(ctx)
    filters = SearchFilters(
        name=name,
        born_from=born_from,
        born_to=born_to,
        nationality=nationality,
        crime_area=crime_area.value if crime_area else "",
        warning=warning.value if warning else "",
        owner=owner,
        limit=limit,
    )
    with cli.transaction() as session:
        actor = cli.actor(session)
        notes: list[str] = []
        found = search(session, actor=actor, filters=filters, notes=notes)
        persons = service.to_out_many(session, [p for p, _ in found], actor=actor)
        rows: list[dict[str, Any]] = [
            {"person": out.model_dump(mode="json"), "score": s}
            for out, (_, s) in zip(persons, found, strict=True)
        ]
    text = "\n".join(
        (f"{r['score']:.2f} " if r["score"] is not None else "") + _line(r["person"]) for r in rows
    )
    warnings = [f"warning: {note}" for note in notes]
    emit(rows, as_json=as_json, text="\n".join([text or "no person found", *warnings]))
    if as_json:  # the JSON on stdout stays the list of rows
        for line in warnings:
            typer.echo(line, err=True)


@persons_app.command("import")
@handles_errors
def import_file(
    ctx: typer.Context,
    file: ImportFile,
    fmt: ImportFormat = None,
    batch_size: BatchSize = DEFAULT_BATCH,
    skip_invalid: SkipInvalid = False,
    as_json: JsonOpt = False,
) -> None:
    """Import persons; re-running is safe (known references are skipped). Exit 1 if lines were rejected.

    Names and identifiers are lists of strings or objects ({name, kind, script}, {type, number, country});
    travel_document_ids and vehicle_ids link records that exist and your agency may see, as the create does.
    """
    run_import(
        state(ctx),
        spec=importer.SPEC,
        path=file,
        fmt=fmt,
        batch_size=batch_size,
        skip_invalid=skip_invalid,
        as_json=as_json,
        may_import=importer.may_import,
    )
