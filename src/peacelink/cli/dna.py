"""DNA commands: ``peacelink dna add|show|list|cancel|check|kinship|import-frequencies|frequencies``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from peacelink.cli.context import CliContext, emit, handles_errors, state
from peacelink.cli.record_commands import JsonOpt, fields_text, validated
from peacelink.dna import checks, frequencies, service, stored_loci
from peacelink.dna.schemas import DirectCheck, KinshipCheck, ProfileCreate, StoredLociReportOut
from peacelink.dna.service import parse_profile
from peacelink.errors import Invalid
from peacelink.json_text import parse_json
from peacelink.matching.dna import ProfileKind
from peacelink.matching.dna.loci import locus_as_typed
from peacelink.messaging.delivery import Channel
from peacelink.nodes.config import from_settings

dna_app = typer.Typer(help="DNA profiles (STR), direct and kinship searches.", no_args_is_help=True)
LocusOpt = Annotated[
    list[str] | None,
    typer.Option("--locus", help="LOCUS=A,B (repeat per locus), e.g. --locus D3S1358=15,16 --locus TH01=9.3"),
]
FileOpt = Annotated[
    Path | None, typer.Option("--loci-file", help='JSON file {"locus": ["allele", ...]}', exists=True)
]


def _loci(pairs: list[str] | None, file: Path | None) -> dict[str, list[str]]:
    """Loci from --locus LOCUS=A,B options and/or a JSON file; a locus given twice (in the file, in two
    options, or in the file and an option, under any spelling) is refused, not its last typing kept."""
    loci: dict[str, list[str]] = {}
    given: dict[str, str] = {}  # each locus (locus_as_typed) and where it was given
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, ValueError) as error:
            raise Invalid(f"cannot read {file}: {error}", field="loci-file") from error
        # Strictly (json_text): json.loads would keep the last of a locus given twice in the object.
        data = parse_json(text, what=f"the loci file {file}", field="loci-file")
        if not isinstance(data, dict):
            raise Invalid("the loci file holds a JSON object locus -> alleles", field="loci-file")
        for name in data:
            given.setdefault(locus_as_typed(name), "in the loci file")
        loci.update(data)
    for pair in pairs or []:
        name, sep, alleles = pair.partition("=")
        if not sep:
            raise Invalid(f"--locus {pair!r}: write LOCUS=A,B", field="locus")
        locus = locus_as_typed(name)
        if locus in given:
            raise Invalid(
                f"locus {locus} given twice (--locus {pair!r} and {given[locus]}): give each locus once",
                field="locus",
            )
        given[locus] = f"--locus {pair!r}"
        loci[name] = [a.strip() for a in alleles.split(",") if a.strip()]
    if not loci:
        raise Invalid("give the loci with --locus or --loci-file", field="locus")
    return loci


def _channel(cli: CliContext) -> Channel:
    """The messaging channel hit notifications go through (the CLI has no app to attach one)."""
    secret = cli.settings.resolved_secret_key()
    return Channel(secret_key=secret, node=from_settings(cli.settings, secret))


def _answer_text(answer: dict[str, Any], *, loci_typed: int | None = None) -> str:
    """The answer for an officer: "NOT SEARCHED" when the answer says ``searched: false`` (a direct check
    typing ``loci_typed`` autosomal loci, too few), never "NO HIT", which reads as "nobody is known"."""
    if answer.get("searched") is False:
        verdict = f"NOT SEARCHED ({answer['database']}): {loci_typed} autosomal loci, too few to be compared"
    else:
        verdict = f"{'HIT' if answer['result'] == 'hit' else 'NO HIT'} ({answer['database']})"
    lines = [verdict]
    for rank, candidate in enumerate(answer.get("candidates", []), start=1):
        mark = "HIT " if candidate["hit_id"] else "    "
        if answer["database"] == "dna":
            lines.append(
                f"{rank:>3}. {mark}{candidate['owner_agency']} {candidate['reference']} "
                f"({candidate['kind']}) matched {candidate['matched_loci']}/"
                f"{candidate['compared_loci']} loci, "
                f"mismatched {candidate['mismatched_loci']}, log10 LR {candidate['log10_lr']}"
            )
            for row in candidate["comparison"]:
                lines.append(
                    f"       {row['locus']:<10} {','.join(row['query']) or '-':<12} "
                    f"{','.join(row['candidate']) or '-':<12} {row['outcome']}"
                )
        else:
            lines.append(
                f"{rank:>3}. {mark}{candidate['owner_agency']} family {candidate['family']} "
                f"({', '.join(candidate['relatives'])}) log10 LR {candidate['log10_lr']}"
            )
    if answer["hits"]:
        lines.append("A hit is a lead: confirm with the owner agency before acting.")
    lines += [f"warning: {w}" for w in answer["warnings"]]
    lines.append(f"check id: {answer['check_id']}")
    return "\n".join(lines)


@dna_app.command("add")
@handles_errors
def add(
    ctx: typer.Context,
    kind: Annotated[ProfileKind, typer.Option(help="reference, stain, unidentified_remains, relative")],
    reference: Annotated[str, typer.Option(help="your own reference (no name)")],
    locus: LocusOpt = None,
    loci_file: FileOpt = None,
    relationship: Annotated[
        str | None, typer.Option(help="relatives: parent, child, full_sibling...")
    ] = None,
    family: Annotated[str | None, typer.Option(help="relatives: case id of the missing person")] = None,
    person_id: Annotated[str | None, typer.Option(help="references: the person record id")] = None,
    action: Annotated[str, typer.Option(help="what to do on a hit")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Enrol an anonymous STR profile for your agency."""
    cli = state(ctx)
    data = validated(
        ProfileCreate,
        kind=kind.value,
        reference=reference,
        loci=_loci(locus, loci_file),
        relationship=relationship,
        family=family,
        person_id=person_id,
        action=action,
    )
    with cli.transaction() as session:
        out = service.to_out(session, service.create(session, actor=cli.actor(session), data=data))
    emit(
        out.model_dump(mode="json"),
        as_json=as_json,
        text=f"{out.id}  {out.kind} {out.reference} v{out.version}",
    )


@dna_app.command("show")
@handles_errors
def show(ctx: typer.Context, profile_id: Annotated[str, typer.Argument()], as_json: JsonOpt = False) -> None:
    """Show one profile your agency may see."""
    cli = state(ctx)
    with cli.transaction() as session:
        out = service.to_out(session, service.read(session, actor=cli.actor(session), profile_id=profile_id))
    data = out.model_dump(mode="json")
    emit(data, as_json=as_json, text=fields_text(data))


@dna_app.command("list")
@handles_errors
def list_profiles(ctx: typer.Context, limit: int = 100, as_json: JsonOpt = False) -> None:
    """Your agency's own profiles, newest first."""
    cli = state(ctx)
    with cli.transaction() as session:
        found = [
            service.to_out(session, p)
            for p in service.list_own(session, actor=cli.actor(session), limit=limit)
        ]
    rows = [p.model_dump(mode="json") for p in found]
    emit(rows, as_json=as_json, text="\n".join(f"{p['id']}  {p['kind']:<20} {p['reference']}" for p in rows))


def _report_text(report: dict[str, Any]) -> str:
    heading = "profiles hold locus names searches do not take as stored"
    lines = [f"{report['affected']} of {report['checked']} {heading}"]
    for row in report["profiles"]:
        said = [f"{row['id']}  {row['reference']} ({row['kind']}, {row['record_status']})"]
        if row["ignored_loci"]:
            said.append(f"ignored: {', '.join(row['ignored_loci'])}")
        if row["respelled_loci"]:
            said.append("read as: " + ", ".join(f"{a} -> {b}" for a, b in row["respelled_loci"].items()))
        said.append(f"{row['comparable_loci']} loci compared")
        lines.append("  ".join(said))
    tables = report["frequency_tables"]
    lines.append(
        f"{len(tables)} of {report['frequency_tables_checked']} frequency tables hold rows no check reads"
    )
    for table in tables:
        said = [f"{table['population']}{' (default)' if table['is_default'] else ''}"]
        said.append(f"ignored: {', '.join(table['ignored_loci'])}")
        if table["old_spellings"]:
            said.append(
                "old spellings: " + ", ".join(f"{a} -> {b}" for a, b in table["old_spellings"].items())
            )
        if table["unweighed_loci"]:
            said.append(f"no frequencies for: {', '.join(table['unweighed_loci'])}")
        lines.append("  ".join(said))
    return "\n".join(lines)


@dna_app.command("stored-loci-report")
@handles_errors
def stored_loci_report(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="affected profiles listed")] = 100,
    as_json: JsonOpt = False,
) -> None:
    """Your agency's profiles stored (before the known-locus rule) with locus names searches ignore or read
    under another name; to fix one, cancel it and enrol it again. Also the frequency tables with rows
    under names no check reads (unknown loci, old spellings), which the central system admin re-imports."""
    cli = state(ctx)
    with cli.transaction() as session:
        found = stored_loci.report(session, actor=cli.actor(session), limit=limit)
    report = StoredLociReportOut.model_validate(found, from_attributes=True).model_dump(mode="json")
    emit(report, as_json=as_json, text=_report_text(report))


@dna_app.command("cancel")
@handles_errors
def cancel(
    ctx: typer.Context,
    profile_id: Annotated[str, typer.Argument()],
    version: Annotated[int, typer.Option(help="the version you read")],
    as_json: JsonOpt = False,
) -> None:
    """Withdraw your profile: it is no longer searched."""
    cli = state(ctx)
    with cli.transaction() as session:
        profile = service.cancel(session, actor=cli.actor(session), profile_id=profile_id, version=version)
        out = service.to_out(session, profile)
    emit(out.model_dump(mode="json"), as_json=as_json, text=f"{out.id} cancelled")


@dna_app.command("check")
@handles_errors
def check(
    ctx: typer.Context,
    locus: LocusOpt = None,
    loci_file: FileOpt = None,
    stringency: Annotated[str, typer.Option(help="high, moderate or low")] = "moderate",
    min_loci: Annotated[int, typer.Option(help="minimum loci compared")] = 8,
    allow_mismatch: Annotated[bool, typer.Option(help="tolerate one mismatching locus")] = False,
    population: Annotated[str | None, typer.Option(help="frequency table (default if unset)")] = None,
    kind: Annotated[str, typer.Option(help="stain, reference or unidentified_remains")] = "stain",
    limit: int = 20,
    as_json: JsonOpt = False,
) -> None:
    """Direct search at a CODIS stringency. Exit 3 on a hit."""
    cli = state(ctx)
    data = validated(
        DirectCheck,
        loci=_loci(locus, loci_file),
        stringency=stringency,
        min_loci=min_loci,
        allow_mismatch=allow_mismatch,
        population=population,
        kind=kind,
        limit=limit,
    )
    with cli.transaction() as session:
        result = checks.check_direct(session, actor=cli.actor(session), data=data, channel=_channel(cli))
        answer = result.to_dict()
    typed = (
        len(parse_profile(data.loci, kind=data.kind).autosomal_loci)
        if answer.get("searched") is False
        else None
    )
    emit(answer, as_json=as_json, text=_answer_text(answer, loci_typed=typed))
    if answer["result"] == "hit":
        raise typer.Exit(3)


@dna_app.command("kinship")
@handles_errors
def kinship(
    ctx: typer.Context,
    locus: LocusOpt = None,
    loci_file: FileOpt = None,
    population: Annotated[str | None, typer.Option(help="frequency table (default if unset)")] = None,
    hit_lr: Annotated[float, typer.Option(help="LR at or above which a family is a hit")] = 10_000.0,
    limit: int = 20,
    as_json: JsonOpt = False,
) -> None:
    """Rank families of missing persons for an unidentified profile. Exit 3 on a hit."""
    cli = state(ctx)
    data = validated(
        KinshipCheck, loci=_loci(locus, loci_file), population=population, hit_lr=hit_lr, limit=limit
    )
    with cli.transaction() as session:
        result = checks.check_kinship(session, actor=cli.actor(session), data=data, channel=_channel(cli))
        answer = result.to_dict()
    emit(answer, as_json=as_json, text=_answer_text(answer))
    if answer["result"] == "hit":
        raise typer.Exit(3)


@dna_app.command("import-frequencies")
@handles_errors
def import_frequencies(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    population: Annotated[str, typer.Option(help="name the checks will use")],
    source: Annotated[str, typer.Option(help="where the table comes from")] = "",
    column: Annotated[str | None, typer.Option(help="value of the file's population column to take")] = None,
    replace: Annotated[bool, typer.Option(help="replace an existing table of that name")] = False,
    default: Annotated[bool, typer.Option(help="make it the default population")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a population's allele frequencies (central system admin; CSV long or wide layout)."""
    cli = state(ctx)
    text = file.read_text(encoding="utf-8-sig")
    with cli.transaction() as session:
        row = frequencies.import_table(
            session,
            actor=cli.actor(session),
            population=population,
            text=text,
            source=source or file.name,
            column=column,
            replace=replace,
            make_default=default,
        )
        out = frequencies.to_out(row).model_dump(mode="json")
    emit(
        out,
        as_json=as_json,
        text=f"{out['population']}: {out['locus_count']} loci, default={out['is_default']}",
    )


@dna_app.command("frequencies")
@handles_errors
def list_frequencies(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The stored population frequency tables."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            frequencies.to_out(t).model_dump(mode="json")
            for t in frequencies.list_tables(session, actor=cli.actor(session))
        ]
    emit(rows, as_json=as_json, text="\n".join(f"{r['population']} ({r['locus_count']} loci)" for r in rows))
