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


# Where the check's values came from: a document's or a person's MRZ, typed fields, a print's file.
_SOURCES = {
    "mrz": "from the MRZ",
    "fields": "typed",
    "image": "from an image",
    "template": "from a template",
}


def _asked(database: str, query: dict[str, Any]) -> str:
    """What the searching officer asked, in one line (the API's ``query``); empty for an old hit."""
    parts: list[str] = []
    if database == "persons":
        parts.append(" / ".join(f'"{name}"' for name in query.get("names") or []))
        if query.get("date_of_birth"):
            parts.append(f"born {query['date_of_birth']}")
        if query.get("nationality"):
            parts.append(f"nationality {query['nationality']}")
        if query.get("sex"):
            parts.append(str(query["sex"]))
        if query.get("document"):
            country = f" ({query['document_country']})" if query.get("document_country") else ""
            parts.append(f"document {query['document']}{country}")
    elif database == "documents":
        parts.append(" ".join(str(query[k]) for k in ("issuing_country", "number") if query.get(k)))
        if query.get("document_type"):
            parts.append(str(query["document_type"]))
    elif database == "vehicles":
        if query.get("vin"):
            parts.append(f"VIN {query['vin']}")
        if query.get("plate"):
            parts.append(f"plate {query['plate']} ({query.get('country') or '?'})")
    elif database == "fingerprints":
        if query.get("finger_position"):
            parts.append(f"finger {query['finger_position']}")
        if query.get("minutiae") is not None:
            parts.append(f"{query['minutiae']} minutiae")
    elif database.startswith("dna"):
        loci = query.get("loci")
        if isinstance(loci, dict) and "omitted_chars" not in loci:
            parts.append(f"{len(loci)} loci")
        if query.get("stringency"):
            parts.append(f"stringency {query['stringency']}")
    if query.get("source"):
        parts.append(_SOURCES.get(query["source"], f"from {query['source']}"))
    return ", ".join(part for part in parts if part)


def _line(hit: dict[str, Any]) -> str:
    record = hit["record"]
    what = (
        record.get("number")
        or record.get("vin")
        or record.get("plate")
        or record.get("name")
        or record.get("reference")
        or record.get("family")
        or hit["record_id"]
    )
    score = "" if hit["score"] is None else f" score {hit['score']:.2f}"
    flag = " [excluded agency]" if hit["excluded_agency"] else ""
    asked = _asked(hit["database"], hit["query"])
    return (
        f"{hit['id']}  {hit['status']:<9} {hit['database']:<9} {what!s:<18} {hit['confidence']:<4}{score} "
        f"from {hit['searching_agency']}/{hit['searching_user']}{flag}  {hit['note']}"
        + (f"\n    asked: {asked}" if asked else "")
        # The person's full record, for the owner (it always may) or a searcher its owner still lets see it.
        + (f"\n    record: peacelink persons show {hit['record_id']}" if hit["database"] == "persons" else "")
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
