"""Check commands: ``peacelink check person``, ``check document`` and ``check vehicle``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from peacelink.checks import service
from peacelink.cli.context import emit, handles_errors, state
from peacelink.cli.record_commands import JsonOpt, validated
from peacelink.documents.models import DocumentType
from peacelink.documents.schemas import DocumentCheck
from peacelink.persons import checkpoint
from peacelink.persons.models import Sex
from peacelink.persons.schemas import PersonCheck
from peacelink.vehicles.schemas import VehicleCheck

check_app = typer.Typer(
    help="Check a person, a travel document or a vehicle against the databases.", no_args_is_help=True
)


def _text(answer: dict[str, Any]) -> str:
    if answer["result"] == "no_hit":
        lines = ["NO HIT"]
    else:
        lines = [
            f"HIT: {len(answer['hits'])} possible match(es). Confirm with the owner agency before acting."
        ]
        for hit in answer["hits"]:
            record = ", ".join(f"{k}={v}" for k, v in hit["record"].items() if v not in (None, ""))
            lines.append(f"  [{hit['confidence']}/{hit['match']}] owner {hit['owner_agency']}: {record}")
            if hit["action"]:
                lines.append(f"    action: {hit['action']}")
            lines.append(f"    hit id: {hit['hit_id']}")
    lines += [f"warning: {w}" for w in answer["warnings"]]
    lines.append(f"check id: {answer['check_id']}")
    return "\n".join(lines)


@check_app.command("document")
@handles_errors
def check_document(
    ctx: typer.Context,
    issuing_country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-3")] = None,
    number: Annotated[str | None, typer.Option(help="document number")] = None,
    document_type: Annotated[DocumentType | None, typer.Option("--type")] = None,
    mrz: Annotated[list[str] | None, typer.Option(help="an MRZ line (repeat for each line)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a travel document by issuing country and number, or by its MRZ. Exit 3 on a hit."""
    cli = state(ctx)
    data = validated(
        DocumentCheck,
        issuing_country=issuing_country,
        number=number,
        document_type=document_type,
        mrz=mrz or None,
    )
    with cli.transaction() as session:
        answer = service.check_document(session, actor=cli.actor(session), data=data).to_dict()
    emit(answer, as_json=as_json, text=_text(answer))
    if answer["result"] == "hit":
        raise typer.Exit(3)


@check_app.command("vehicle")
@handles_errors
def check_vehicle(
    ctx: typer.Context,
    vin: Annotated[str | None, typer.Option(help="VIN")] = None,
    plate: Annotated[str | None, typer.Option(help="registration plate")] = None,
    country: Annotated[str | None, typer.Option(help="registration country (with --plate)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a vehicle by VIN, or by plate and registration country. Exit 3 on a hit."""
    cli = state(ctx)
    data = validated(VehicleCheck, vin=vin, plate=plate, country=country)
    with cli.transaction() as session:
        answer = service.check_vehicle(session, actor=cli.actor(session), data=data).to_dict()
    emit(answer, as_json=as_json, text=_text(answer))
    if answer["result"] == "hit":
        raise typer.Exit(3)


@check_app.command("person")
@handles_errors
def check_person(
    ctx: typer.Context,
    name: Annotated[
        list[str] | None, typer.Option(help="a name as read, any script (repeat for other spellings)")
    ] = None,
    mrz: Annotated[
        list[str] | None,
        typer.Option(
            help="a line of a passport's or ID card's MRZ (repeat for each line): its holder's name, date of "
            "birth, nationality, sex and document are checked, each unless given in its own option"
        ),
    ] = None,
    dob: Annotated[str | None, typer.Option(help="date of birth: YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    nationality: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-3")] = None,
    sex: Annotated[Sex | None, typer.Option()] = None,
    document: Annotated[
        str | None,
        typer.Option(
            help="identity document number presented (with --document-country): its holder is shown whatever "
            "the name, and the document is checked against the stolen and lost documents"
        ),
    ] = None,
    document_country: Annotated[
        str | None,
        typer.Option(
            help="the document's issuing country (ISO 3166-1 alpha-3), needed with --document unless it is "
            "the --mrz's document: another country's is no match"
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a person by name(s) or a scanned MRZ, and what else is known: ranked candidates, explained.
    The document presented (--mrz, or --document and --document-country) is checked too, against the stolen
    and lost documents: its verdict comes first (JSON: "document_check"). Exit 3 when either is a hit."""
    from peacelink.cli.persons import candidates_text

    cli = state(ctx)
    presented: str | dict[str, str] | None = document
    if document_country is not None:
        presented = {"number": document or "", "country": document_country}
    data = validated(
        PersonCheck,
        names=name or [],
        mrz=mrz,
        date_of_birth=dob,
        nationality=nationality,
        sex=sex,
        document=presented,
    )
    with cli.transaction() as session:
        answers = checkpoint.check(session, actor=cli.actor(session), data=data)
    answer = answers.person
    text = candidates_text(answer)
    if answers.document is not None:
        # The document's own check (stolen and lost documents), beside the holder's.
        answer["document_check"] = answers.document
        text = f"document: {_text(answers.document)}\n\nholder: {text}"
    emit(answer, as_json=as_json, text=text)
    if answers.hit:
        raise typer.Exit(3)
