"""Administration commands: init, migrate, agencies, users, tokens, TOTP codes."""

from __future__ import annotations

from typing import Annotated

import pyotp
import typer

from peacelink.access import AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate, AgencyOut
from peacelink.cli.context import emit, fail, handles_errors, state
from peacelink.db.migrate import upgrade
from peacelink.request_body import invalid_from
from peacelink.setup import initialise
from peacelink.users import service as users
from peacelink.users.schemas import TokenCreate, UserCreate

agency_app = typer.Typer(help="Agencies on the network.", no_args_is_help=True)
user_app = typer.Typer(help="Users of an agency.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (bearer tokens for the HTTP API).", no_args_is_help=True)
totp_app = typer.Typer(help="TOTP second-factor helper.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


def _pydantic(model: type[AgencyCreate] | type[UserCreate] | type[TokenCreate], **data: object) -> object:
    """Validate CLI input with the same schema the API uses; errors name the field."""
    from pydantic import ValidationError

    try:
        return model(**data)
    except ValidationError as exc:
        raise invalid_from(exc) from exc


@handles_errors
def init_command(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    agency_code: Annotated[str, typer.Option(help="code of the central agency")] = "CENTRAL",
    agency_name: Annotated[
        str, typer.Option(help="name of the central agency")
    ] = "PeaceLink Central Secretariat",
    admin: Annotated[str, typer.Option(help="username of the first system admin")] = "admin",
) -> None:
    """Migrate the database, create the central agency and a first system admin; print its token once."""
    cli = state(ctx)
    upgrade(cli.engine)
    result = initialise(
        cli.sessions,
        secret_key=cli.settings.resolved_secret_key(),
        token_days=cli.settings.token_days,
        agency_code=agency_code,
        agency_name=agency_name,
        admin_username=admin,
    )
    data = {
        "agency": result.agency.model_dump(mode="json"),
        "user": result.user.model_dump(mode="json"),
        "token": result.token,
    }
    emit(
        data,
        as_json=as_json,
        text=(
            f"Initialised: central agency {result.agency.code}, system admin {result.user.username}.\n"
            f"API token (shown once, store it safely): {result.token}\n"
            f"Set a web password with: "
            f"peacelink --user {result.user.username} user set-password {result.user.username}"
        ),
    )


def migrate_command(ctx: typer.Context) -> None:
    """Apply database migrations (safe to run repeatedly)."""
    upgrade(state(ctx).engine)
    typer.echo("database is up to date")


@agency_app.command("add")
@handles_errors
def agency_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="short unique code, e.g. NCB-UTO")],
    name: Annotated[str, typer.Option(help="full name")],
    kind: Annotated[AgencyKind, typer.Option(help="central, ncb, mission or international")],
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-3 (ncb)")] = None,
    area: Annotated[str | None, typer.Option(help="mission area, comma-separated alpha-3 codes")] = None,
    mandate_end: Annotated[str | None, typer.Option(help="mission mandate end, YYYY-MM-DD")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Register an agency (central system_admin)."""
    cli = state(ctx)
    data = _pydantic(
        AgencyCreate,
        code=code,
        name=name,
        kind=kind,
        country=country,
        area=[a for a in (area or "").split(",") if a.strip()],
        mandate_end=mandate_end or None,  # AgencyCreate reads YYYY-MM-DD only (typed_input.IsoDate)
    )
    assert isinstance(data, AgencyCreate)
    with cli.transaction() as session:
        agency = agencies.create(session, actor=cli.actor(session), data=data)
        out = AgencyOut.model_validate(agency).model_dump(mode="json")
    emit(out, as_json=as_json, text=f"agency {out['code']} ({out['kind']}) added")


@agency_app.command("list")
@handles_errors
def agency_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List agencies."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            AgencyOut.model_validate(a).model_dump(mode="json")
            for a in agencies.list_all(session, actor=cli.actor(session))
        ]
    lines = [f"{r['code']:<16} {r['kind']:<14} {r['country'] or '-':<4} {r['name']}" for r in rows]
    emit(rows, as_json=as_json, text="\n".join(lines))


@user_app.command("add")
@handles_errors
def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="login name")],
    agency: Annotated[str, typer.Option(help="agency code")],
    role: Annotated[list[Role], typer.Option(help="role (repeat for several)")],
    full_name: Annotated[str, typer.Option(help="display name")] = "",
    language: Annotated[str, typer.Option(help="en, fr, es or ar")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """Create a user and print its first API token (shown once)."""
    cli = state(ctx)
    data = _pydantic(
        UserCreate, username=username, agency=agency, roles=role, full_name=full_name, language=language
    )
    assert isinstance(data, UserCreate)
    with cli.transaction() as session:
        created = users.create(
            session,
            actor=cli.actor(session),
            data=data,
            secret_key=cli.settings.resolved_secret_key(),
            token_days=cli.settings.token_days,
        )
        user_out = users.to_out(created.user).model_dump(mode="json")
    emit(
        {"user": user_out, "token": created.token},
        as_json=as_json,
        text=f"user {user_out['username']} created\nAPI token (shown once): {created.token}",
    )


@user_app.command("list")
@handles_errors
def user_list(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="only this agency")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the users you manage."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            users.to_out(u).model_dump(mode="json")
            for u in users.list_users(session, actor=cli.actor(session), agency=agency)
        ]
    lines = [f"{r['username']:<24} {r['agency']:<16} {','.join(r['roles'])}" for r in rows]
    emit(rows, as_json=as_json, text="\n".join(lines))


@user_app.command("set-password")
@handles_errors
def user_set_password(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="the user")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="new password (prompted; at least 12 characters)",
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Set a web password and issue a new TOTP second factor (secret shown once)."""
    cli = state(ctx)
    with cli.transaction() as session:
        secret, uri = users.set_password(
            session,
            actor=cli.actor(session),
            username=username,
            password=password,
            secret_key=cli.settings.resolved_secret_key(),
        )
    emit(
        {"username": username, "totp_secret": secret, "totp_uri": uri},
        as_json=as_json,
        text=f"password set for {username}\nTOTP secret (add to the authenticator app): {secret}\n{uri}",
    )


@token_app.command("create")
@handles_errors
def token_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="label, e.g. the client's name")] = "",
    days: Annotated[int | None, typer.Option(help="lifetime in days")] = None,
    for_user: Annotated[str | None, typer.Option("--for", help="admins: issue to this user")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Issue an API token (shown once)."""
    cli = state(ctx)
    data = _pydantic(TokenCreate, name=name, days=days, username=for_user)
    assert isinstance(data, TokenCreate)
    with cli.transaction() as session:
        token, value = users.create_token(
            session, actor=cli.actor(session), data=data, default_days=cli.settings.token_days
        )
        out = {
            "id": token.id,
            "username": token.user.username,
            "expires_at": token.expires_at.isoformat(),
            "token": value,
        }
    emit(out, as_json=as_json, text=f"token {out['id']} for {out['username']} (shown once): {value}")


@token_app.command("revoke")
@handles_errors
def token_revoke(
    ctx: typer.Context, token_id: Annotated[int, typer.Argument(help="token id")], as_json: JsonOpt = False
) -> None:
    """Revoke a token at once."""
    cli = state(ctx)
    with cli.transaction() as session:
        token = users.revoke_token(session, actor=cli.actor(session), token_id=token_id)
        out = {"id": token.id, "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None}
    emit(out, as_json=as_json, text=f"token {token_id} revoked")


@token_app.command("list")
@handles_errors
def token_list(
    ctx: typer.Context,
    for_user: Annotated[str | None, typer.Option("--for", help="admins: this user's tokens")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List tokens (never their values)."""
    cli = state(ctx)
    with cli.transaction() as session:
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "prefix": t.prefix,
                "expires_at": t.expires_at.isoformat(),
                "revoked": t.revoked_at is not None,
            }
            for t in users.list_tokens(session, actor=cli.actor(session), username=for_user)
        ]
    lines = [
        f"{r['id']:>5} {r['prefix']:<12} {r['expires_at']} {'revoked' if r['revoked'] else ''}" for r in rows
    ]
    emit(rows, as_json=as_json, text="\n".join(lines))


@totp_app.command("code")
def totp_code(secret: Annotated[str, typer.Argument(help="base32 TOTP secret")]) -> None:
    """Print the current 6-digit code for a TOTP secret (for the demo and for testing)."""
    try:
        code = pyotp.TOTP(secret.replace(" ", "").upper()).now()
    except (ValueError, TypeError) as exc:  # binascii.Error is a ValueError
        fail(f"not a usable base32 TOTP secret: {exc}", code=2)
    typer.echo(code)
