"""User and token use cases. Web sign-in lives in users/signin.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from peacelink.access import CENTRAL_ONLY_ROLES, Actor, AgencyKind, Role, require_role
from peacelink.agencies import service as agencies
from peacelink.agencies.models import Agency
from peacelink.audit import service as audit
from peacelink.db.base import utcnow
from peacelink.db.direct import DirectStatement
from peacelink.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from peacelink.translatable import Translatable
from peacelink.users import security
from peacelink.users.models import ApiToken, User
from peacelink.users.schemas import TokenCreate, UserCreate, UserOut, UserUpdate

# last_used_at is refreshed at most this often, so busy clients do not turn every read into a write.
LAST_USED_GRANULARITY = dt.timedelta(minutes=5)


def actor_for(user: User) -> Actor:
    """The Actor a user acts as."""
    agency = user.agency
    return Actor(
        user_id=user.id,
        username=user.username,
        agency_id=agency.id,
        agency_code=agency.code,
        agency_kind=AgencyKind(agency.kind),
        agency_country=agency.country,
        roles=frozenset(Role(r) for r in user.roles),
    )


def to_out(user: User) -> UserOut:
    """API shape of a user."""
    return UserOut(
        username=user.username,
        full_name=user.full_name,
        agency=user.agency.code,
        roles=[Role(r) for r in user.roles],
        language=user.language,
        active=user.active,
        web_sign_in=user.password_hash is not None and user.totp_secret_sealed is not None,
    )


def _check_roles_for_agency(roles: list[Role], agency: Agency) -> None:
    """Reviewer and system_admin exist only at the central agency."""
    central_only = sorted(r.value for r in roles if r in CENTRAL_ONLY_ROLES)
    if central_only and agency.kind != AgencyKind.CENTRAL:
        raise Invalid(f"roles {', '.join(central_only)} are for the central agency only", field="roles")


def _check_may_manage(actor: Actor, agency: Agency, roles: list[Role] | None = None) -> None:
    """System admins manage everyone; agency admins only their own agency, without central-only roles."""
    if Role.SYSTEM_ADMIN in actor.roles:
        return
    require_role(actor, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)  # the same words, keyed for the pages
    if agency.id != actor.agency_id:
        own = "an agency admin manages only their own agency's users"
        raise Forbidden(Translatable(own, "users.error.own_agency_only"))
    if roles and any(r in CENTRAL_ONLY_ROLES for r in roles):
        grants = "only a system admin grants reviewer or system_admin"
        raise Forbidden(Translatable(grants, "users.error.central_roles_granted"))


@dataclass
class NewUser:
    """A created user with its first token and optional TOTP enrolment."""

    user: User
    token: str
    totp_uri: str | None
    totp_secret: str | None


def create_unchecked(session: Session, *, data: UserCreate, secret_key: bytes, token_days: int) -> NewUser:
    """Insert a user and its first token without an actor (``init`` and the demo use this)."""
    agency = agencies.get_named(session, code=data.agency)
    _check_roles_for_agency(data.roles, agency)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(f"user {data.username} already exists", field="username")
    user = User(
        username=data.username,
        full_name=data.full_name,
        agency_id=agency.id,
        roles=sorted({r.value for r in data.roles}),
        language=data.language,
    )
    user.agency = agency
    totp_secret = None
    if data.password is not None:
        user.password_hash = security.hash_password(data.password)
        totp_secret = security.new_totp_secret()
        user.totp_secret_sealed = security.seal_totp(secret_key, totp_secret)
    session.add(user)
    session.flush()
    token = _issue_token(session, user=user, name="first", days=token_days)
    uri = security.provisioning_uri(totp_secret, user.username) if totp_secret else None
    return NewUser(user=user, token=token, totp_uri=uri, totp_secret=totp_secret)


def create(
    session: Session, *, actor: Actor, data: UserCreate, secret_key: bytes, token_days: int
) -> NewUser:
    """Create a user of an agency the actor manages."""
    agency = agencies.get_named(session, code=data.agency)
    _check_may_manage(actor, agency, data.roles)
    created = create_unchecked(session, data=data, secret_key=secret_key, token_days=token_days)
    audit.record(
        session,
        actor=actor,
        action="user.create",
        object_type="user",
        object_id=created.user.username,
        query={"agency": agency.code, "roles": sorted(r.value for r in data.roles)},
    )
    return created


def get_by_username(session: Session, *, username: str) -> User:
    """The user or NotFound."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def get_named(session: Session, *, username: str, field: str = "username") -> User:
    """The user a request body or query names, or Invalid on ``field`` (422); NotFound (404) is for the
    user a path names (``get_by_username``)."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise Invalid(f"unknown user {username.strip().lower()!r}", field=field)
    return user


def read(session: Session, *, actor: Actor, username: str) -> User:
    """A user the actor manages (or the actor themself)."""
    user = get_by_username(session, username=username)
    if user.id != actor.user_id:
        _check_may_manage(actor, user.agency)
    audit.record(session, actor=actor, action="user.read", object_type="user", object_id=user.username)
    return user


def list_users(session: Session, *, actor: Actor, agency: str | None = None) -> list[User]:
    """Users the actor manages: all for system admins, their own agency's for agency admins."""
    stmt = select(User).order_by(User.username)
    if Role.SYSTEM_ADMIN in actor.roles:
        if agency:
            stmt = stmt.where(User.agency_id == agencies.get_named(session, code=agency).id)
    else:
        own = session.get(Agency, actor.agency_id)
        assert own is not None
        _check_may_manage(actor, own)
        if agency and agency.strip().upper() != actor.agency_code:
            lists = "an agency admin lists only their own agency's users"
            raise Forbidden(Translatable(lists, "users.error.own_agency_list"))
        stmt = stmt.where(User.agency_id == actor.agency_id)
    users = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="user.list",
        object_type="user",
        query={"agency": agency},
        result_ids=[u.username for u in users],
    )
    return users


def update(session: Session, *, actor: Actor, username: str, data: UserUpdate) -> User:
    """Change a user's roles, name, language or active flag."""
    user = get_by_username(session, username=username)
    _check_may_manage(actor, user.agency, data.roles)
    if data.roles is not None:
        _check_roles_for_agency(data.roles, user.agency)
        if (
            user.id == actor.user_id
            and Role.SYSTEM_ADMIN in actor.roles
            and Role.SYSTEM_ADMIN not in data.roles
        ):
            raise Conflict("you cannot remove your own system_admin role", field="roles")
        user.roles = sorted({r.value for r in data.roles})
    if data.full_name is not None:
        user.full_name = data.full_name
    if data.language is not None:
        user.language = data.language
    if data.active is not None:
        if user.id == actor.user_id and not data.active:
            raise Conflict("you cannot deactivate yourself", field="active")
        user.active = data.active
    audit.record(
        session,
        actor=actor,
        action="user.update",
        object_type="user",
        object_id=user.username,
        query=data.model_dump(mode="json", exclude_unset=True),
    )
    return user


def set_password(
    session: Session, *, actor: Actor, username: str, password: str, secret_key: bytes
) -> tuple[str, str]:
    """Set a web password and issue a fresh TOTP secret; returns (secret, otpauth URI), shown once."""
    if len(password) < security.MIN_PASSWORD_LENGTH:
        raise Invalid(f"passwords have at least {security.MIN_PASSWORD_LENGTH} characters", field="password")
    user = get_by_username(session, username=username)
    if user.id != actor.user_id:
        _check_may_manage(actor, user.agency)
    user.password_hash = security.hash_password(password)
    secret = security.new_totp_secret()
    user.totp_secret_sealed = security.seal_totp(secret_key, secret)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(
        session, actor=actor, action="user.set_password", object_type="user", object_id=user.username
    )
    return secret, security.provisioning_uri(secret, user.username)


def _issue_token(session: Session, *, user: User, name: str, days: int) -> str:
    """Create a token row and return the token value (the only time it exists in clear)."""
    value = security.new_token()
    session.add(
        ApiToken(
            user_id=user.id,
            token_hash=security.token_digest(value),
            prefix=value[:10],
            name=name,
            expires_at=utcnow() + dt.timedelta(days=days),
        )
    )
    session.flush()
    return value


def create_token(
    session: Session, *, actor: Actor, data: TokenCreate, default_days: int
) -> tuple[ApiToken, str]:
    """Issue a token to the actor, or (admins) to a user they manage."""
    user = get_named(session, username=data.username or actor.username)
    if user.id != actor.user_id:
        _check_may_manage(actor, user.agency)
    if not user.active:
        raise Conflict(f"user {user.username} is deactivated", field="username")
    value = _issue_token(session, user=user, name=data.name, days=data.days or default_days)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == security.token_digest(value)))
    assert token is not None
    audit.record(
        session,
        actor=actor,
        action="token.create",
        object_type="token",
        object_id=str(token.id),
        query={"username": user.username, "name": data.name, "days": data.days or default_days},
    )
    return token, value


def list_tokens(session: Session, *, actor: Actor, username: str | None = None) -> list[ApiToken]:
    """Tokens of the actor, or (admins) of a user they manage."""
    user = get_named(session, username=username or actor.username)
    if user.id != actor.user_id:
        _check_may_manage(actor, user.agency)
    tokens = list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))
    audit.record(
        session,
        actor=actor,
        action="token.list",
        object_type="token",
        query={"username": user.username},
        result_ids=[str(t.id) for t in tokens],
    )
    return tokens


def revoke_token(session: Session, *, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token of the actor's, or (admins) of a user they manage."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}")
    if token.user_id != actor.user_id:
        try:
            _check_may_manage(actor, token.user.agency)
        except Forbidden as exc:
            # Do not reveal that someone else's token id exists.
            raise NotFound(f"no token {token_id}") from exc
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    audit.record(session, actor=actor, action="token.revoke", object_type="token", object_id=str(token.id))
    return token


@cache
def _token_statement() -> Select[*tuple[Any, ...]]:
    """The token look-up, built once: building the join costs more than running it (every request)."""
    return (
        select(
            ApiToken.id,
            ApiToken.expires_at,
            ApiToken.revoked_at,
            ApiToken.last_used_at,
            User.id.label("user_id"),
            User.username,
            User.roles,
            User.active,
            Agency.id.label("agency_id"),
            Agency.code,
            Agency.kind,
            Agency.country,
            Agency.active.label("agency_active"),
        )
        .join(User, User.id == ApiToken.user_id)
        .join(Agency, Agency.id == User.agency_id)
        .where(ApiToken.token_hash == bindparam("digest"))
    )


@cache
def _token_lookup() -> DirectStatement:
    """``_token_statement`` on the driver's cursor: SQLAlchemy's per-execution work cost more than the
    indexed read itself."""
    return DirectStatement(_token_statement())


def resolve_token(session: Session, *, token: str) -> tuple[Actor, int | None]:
    """Resolve a bearer token to its Actor without writing; also the token's id if its last use is stale.

    One Core query joins token, user and agency: this runs on every API request.
    """
    found = _token_lookup().rows(session.connection(), {"digest": security.token_digest(token)})
    row = found[0] if found else None  # the digest is unique
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise Unauthenticated("invalid, expired or revoked token")
    if not row.active or not row.agency_active:
        raise Unauthenticated("this account is deactivated")
    stale = row.last_used_at is None or now - row.last_used_at > LAST_USED_GRANULARITY
    actor = Actor(
        user_id=row.user_id,
        username=row.username,
        agency_id=row.agency_id,
        agency_code=row.code,
        agency_kind=AgencyKind(row.kind),
        agency_country=row.country,
        roles=frozenset(Role(r) for r in row.roles),
    )
    return actor, (row.id if stale else None)


def touch_token(session: Session, *, token_id: int) -> None:
    """Record that a token was used now."""
    session.execute(sql_update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))


def authenticate_token(session: Session, *, token: str) -> Actor:
    """Resolve a bearer token to its Actor (refreshing its last-use time), or raise Unauthenticated."""
    actor, stale_token_id = resolve_token(session, token=token)
    if stale_token_id is not None:
        touch_token(session, token_id=stale_token_id)
    return actor


def actor_for_username(session: Session, *, username: str) -> Actor:
    """The Actor for a named user (CLI commands act as a named user)."""
    try:
        user = get_by_username(session, username=username)
    except NotFound as exc:
        raise Unauthenticated(f"no user {username!r}") from exc
    if not user.active or not user.agency.active:
        raise Unauthenticated(f"user {username!r} is deactivated")
    return actor_for(user)


def set_language(session: Session, *, actor: Actor, language: str) -> User:
    """Change the actor's own interface language."""
    if language not in {"en", "fr", "es", "ar"}:
        raise Invalid("language must be one of en, fr, es, ar", field="language")
    user = get_by_username(session, username=actor.username)
    user.language = language
    audit.record(
        session,
        actor=actor,
        action="user.set_language",
        object_type="user",
        object_id=user.username,
        query={"language": language},
    )
    return user
