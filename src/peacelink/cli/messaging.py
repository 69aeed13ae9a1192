"""Secure-channel commands: send, inbox, outbox, read, keys, the signed directory; and the node link."""

from __future__ import annotations

import datetime as dt
import mimetypes
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import select

from peacelink.cli.context import CliContext, emit, handles_errors, state
from peacelink.errors import Invalid
from peacelink.messaging import keys_service, keystore, service
from peacelink.messaging.delivery import Channel
from peacelink.messaging.schemas import Classification, KeyRevoke, MessageCreate
from peacelink.messaging.views import to_out
from peacelink.nodes.config import from_settings, node_public_key
from peacelink.nodes.models import LinkState
from peacelink.request_body import invalid_from

message_app = typer.Typer(help="Signed, encrypted messages between agencies.", no_args_is_help=True)
keys_app = typer.Typer(help="Agency messaging keys and the signed key directory.", no_args_is_help=True)
node_app = typer.Typer(help="This node and its store-and-forward links to peer nodes.", no_args_is_help=True)
message_app.add_typer(keys_app, name="keys")

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


def _channel(cli: CliContext) -> Channel:
    secret = cli.settings.resolved_secret_key()
    return Channel(secret_key=secret, node=from_settings(cli.settings, secret))


def _data(**fields: Any) -> MessageCreate:
    from pydantic import ValidationError

    try:
        return MessageCreate(**fields)
    except ValidationError as exc:
        raise invalid_from(exc) from exc


def _revocation(**fields: Any) -> KeyRevoke:
    """The revocation's options as the API takes them; a refused one is exit code 2 naming the option."""
    from pydantic import ValidationError

    try:
        return KeyRevoke(**fields)
    except ValidationError as exc:
        raise invalid_from(exc) from exc


def _line(item: dict[str, Any]) -> str:
    flag = " " if item.get("read_at") or item["folder"] == "outbox" else "*"
    subject = item["subject"] if item["subject"] is not None else f"[cannot open: {item['error']}]"
    return f"{flag} {item['id']}  {item['created_at'][:16]}  {item['sender_agency']:<10} {subject}"


@message_app.command("send")
@handles_errors
def send(
    ctx: typer.Context,
    to: Annotated[list[str], typer.Option("--to", help="agency code, mission:CODE or area:ISO3 (repeat)")],
    subject: Annotated[str, typer.Option(help="subject (encrypted)")],
    body: Annotated[str | None, typer.Option(help="body text (or --body-file)")] = None,
    body_file: Annotated[Path | None, typer.Option(help="read the body from this file")] = None,
    classification: Annotated[Classification, typer.Option()] = Classification.OFFICIAL_USE,
    handling: Annotated[str, typer.Option(help="handling instructions")] = "",
    attach: Annotated[list[Path] | None, typer.Option(help="file to attach (repeat; 25 MiB each)")] = None,
    link: Annotated[list[str] | None, typer.Option(help="record link KIND:ID (repeat)")] = None,
    reply_to: Annotated[str | None, typer.Option(help="msg_id this answers")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Seal and send a message from your agency."""
    import base64

    cli = state(ctx)
    text = body_file.read_text(encoding="utf-8") if body_file else (body or "")
    attachments = [
        {
            "name": path.name,
            "content_type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            "data": base64.b64encode(path.read_bytes()).decode("ascii"),
        }
        for path in attach or []
    ]
    links = []
    for item in link or []:
        kind, _, record = item.partition(":")
        links.append({"kind": kind, "id": record})
    data = _data(
        recipients=to,
        subject=subject,
        body=text,
        classification=classification,
        handling=handling,
        attachments=attachments,
        links=links,
        reply_to=reply_to,
    )
    channel = _channel(cli)
    with cli.transaction() as session:
        actor = cli.actor(session)
        message = service.send(session, actor=actor, channel=channel, data=data)
        out = to_out(
            service.read(session, actor=actor, channel=channel, message_id=message.id, mark_read=False)
        )
    result = out.model_dump(mode="json")
    emit(result, as_json=as_json, text=f"sent {result['id']} (msg_id {result['msg_id']})")


@message_app.command("inbox")
@handles_errors
def inbox(
    ctx: typer.Context,
    unread: Annotated[bool, typer.Option(help="only unread messages")] = False,
    limit: int = 50,
    as_json: JsonOpt = False,
) -> None:
    """Your agency's inbox, newest first (* = unread)."""
    cli = state(ctx)
    channel = _channel(cli)
    with cli.transaction() as session:
        views = service.inbox(session, actor=cli.actor(session), channel=channel, limit=limit, unread=unread)
        rows = [to_out(v).model_dump(mode="json") for v in views]
    emit(rows, as_json=as_json, text="\n".join(_line(r) for r in rows) or "inbox is empty")


@message_app.command("outbox")
@handles_errors
def outbox(ctx: typer.Context, limit: int = 50, as_json: JsonOpt = False) -> None:
    """Messages your agency sent, with receipts (delivered/read per recipient)."""
    cli = state(ctx)
    channel = _channel(cli)
    with cli.transaction() as session:
        views = service.outbox(session, actor=cli.actor(session), channel=channel, limit=limit)
        rows = [to_out(v).model_dump(mode="json") for v in views]
    lines = []
    for row in rows:
        marks = [
            f"{r['agency']}:{'read' if r['read_at'] else 'delivered' if r['delivered_at'] else 'queued'}"
            for r in row["recipients"]
        ]
        lines.append(_line(row) + "  [" + ", ".join(marks) + "]")
    emit(rows, as_json=as_json, text="\n".join(lines) or "outbox is empty")


@message_app.command("read")
@handles_errors
def read(ctx: typer.Context, message_id: str, as_json: JsonOpt = False) -> None:
    """Open one message (sets the read receipt)."""
    cli = state(ctx)
    channel = _channel(cli)
    with cli.transaction() as session:
        view = service.read(session, actor=cli.actor(session), channel=channel, message_id=message_id)
        out = to_out(view).model_dump(mode="json")
    text = (
        f"From: {out['sender_agency']} ({out['sender_user']})\nDate: {out['created_at']}\n"
        f"Classification: {out['classification']}\nSubject: {out['subject']}\n\n{out['body']}"
        if out["error"] is None
        else f"cannot open: {out['error']}"
    )
    emit(out, as_json=as_json, text=text)


@message_app.command("prune")
@handles_errors
def prune(ctx: typer.Context) -> None:
    """Delete messages past their signed expiry (and old replay-cache entries)."""
    cli = state(ctx)
    with cli.transaction() as session:
        count = service.prune_expired(session)
    typer.echo(f"{count} expired messages deleted")


@keys_app.command("generate")
@handles_errors
def keys_generate(ctx: typer.Context, agency: str, as_json: JsonOpt = False) -> None:
    """Generate (or rotate to) a new key pair for an agency hosted on this node."""
    cli = state(ctx)
    channel = _channel(cli)
    with cli.transaction() as session:
        out = keys_service.generate(session, actor=cli.actor(session), channel=channel, agency=agency)
    emit(out.model_dump(mode="json"), as_json=as_json, text=f"{out.agency}: new key {out.sign_key_id}")


@keys_app.command("revoke")
@handles_errors
def keys_revoke(
    ctx: typer.Context,
    agency: str,
    at: Annotated[str | None, typer.Option(help="revoked from (ISO 8601 with zone); default now")] = None,
    key_id: Annotated[str | None, typer.Option(help="a key ID; default the active key")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Revoke an agency key (a lost laptop); messages it signs from --at on are refused."""
    cli = state(ctx)
    channel = _channel(cli)
    try:
        moment = dt.datetime.fromisoformat(at) if at else None
    except ValueError as exc:
        raise Invalid("--at must be an ISO 8601 time with its zone", field="at") from exc
    data = _revocation(key_id=key_id, at=moment)
    with cli.transaction() as session:
        out = keys_service.revoke(
            session, actor=cli.actor(session), channel=channel, agency=agency, data=data
        )
    emit(out.model_dump(mode="json"), as_json=as_json, text=f"{out.agency}: key {out.sign_key_id} revoked")


@keys_app.command("list")
@handles_errors
def keys_list(ctx: typer.Context, agency: str | None = None, as_json: JsonOpt = False) -> None:
    """Key generations known here; with --json they include the public signing key (base64url)."""
    from peacelink.messaging.canonical import b64encode

    cli = state(ctx)
    with cli.transaction() as session:
        rows = []
        for out in keys_service.list_keys(session, actor=cli.actor(session), agency=agency):
            row = out.model_dump(mode="json")
            key = keystore.history(session, out.agency)
            row["sign_key"] = next(
                b64encode(bytes(k.sign_key)) for k in key if k.sign_key_id == out.sign_key_id
            )
            rows.append(row)
    lines = [f"{r['agency']:<16} {r['sign_key_id']} {r['status']:<10} {r['valid_from'][:19]}" for r in rows]
    emit(rows, as_json=as_json, text="\n".join(lines))


@keys_app.command("directory")
@handles_errors
def keys_directory(ctx: typer.Context, out: Annotated[Path | None, typer.Option()] = None) -> None:
    """Print (or save) the central-signed key directory."""
    cli = state(ctx)
    with cli.transaction() as session:
        document = keys_service.directory_document(session, actor=cli.actor(session))
    if out:
        out.write_bytes(document)
    else:
        typer.echo(document.decode("utf-8"))


@keys_app.command("export")
@handles_errors
def keys_export(
    ctx: typer.Context,
    agency: str,
    out: Annotated[Path, typer.Option(help="key file to write")],
    passphrase: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Export an agency's active private keys under a passphrase (Argon2id), e.g. to move its node."""
    cli = state(ctx)
    with cli.transaction() as session:
        keys_service.check_may_manage(cli.actor(session), agency.upper())
        data = keystore.export_private(
            session,
            agency_code=agency.upper(),
            secret_key=cli.settings.resolved_secret_key(),
            passphrase=passphrase.encode(),
        )
    out.touch(mode=0o600)
    out.write_bytes(data)
    typer.echo(f"private keys of {agency.upper()} written to {out}")


@node_app.command("info")
def node_info(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """This node's name and public key (what its peers configure as its ``key``)."""
    cli = state(ctx)
    data = {"name": cli.settings.node_name, "key": node_public_key(cli.settings.resolved_secret_key())}
    emit(data, as_json=as_json, text=f"node {data['name']}\nkey  {data['key']}")


@node_app.command("status")
def node_status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Per peer: sequence numbers queued, acknowledged and applied, and the last error."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            {
                "peer": s.peer,
                "queued": s.last_queued,
                "acknowledged": s.last_acked,
                "applied": s.last_applied,
                "last_error": s.last_error,
            }
            for s in session.scalars(select(LinkState).order_by(LinkState.peer))
        ]
    lines = [
        f"{r['peer']:<16} q={r['queued']} ack={r['acknowledged']} in={r['applied']} {r['last_error'] or ''}"
        for r in rows
    ]
    emit(rows, as_json=as_json, text="\n".join(lines) or "no links yet")
