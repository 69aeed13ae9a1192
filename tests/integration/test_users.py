"""Users and tokens: who manages whom, central-only roles, token hashing, expiry and revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from tests.conftest import SECRET, World

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import Conflict, Forbidden, Invalid, Unauthenticated
from peacelink.users import security
from peacelink.users import service as users
from peacelink.users.models import ApiToken, User
from peacelink.users.schemas import TokenCreate, UserCreate, UserUpdate


def test_tokens_and_passwords_are_stored_only_as_hashes(world: World) -> None:
    account = world.user("NCB-UTO", Role.FIELD_OFFICER)
    with unit_of_work(world.state.sessions) as session:
        rows = session.scalars(select(ApiToken)).all()
        user = session.scalar(select(User).where(User.username == account.actor.username))
    assert user is not None
    assert all(account.token not in (r.token_hash, r.prefix) for r in rows)
    assert any(r.token_hash == security.token_digest(account.token) for r in rows)
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert user.totp_secret_sealed is not None and account.totp_secret.encode() not in user.totp_secret_sealed


def test_agency_admin_manages_only_own_agency(world: World) -> None:
    uto_admin = world.user("NCB-UTO", Role.AGENCY_ADMIN)
    with unit_of_work(world.state.sessions) as session:
        users.create(
            session,
            actor=uto_admin.actor,
            secret_key=SECRET,
            token_days=1,
            data=UserCreate(username="officer1", agency="NCB-UTO", roles=[Role.FIELD_OFFICER]),
        )
    with pytest.raises(Forbidden), unit_of_work(world.state.sessions) as session:
        users.create(
            session,
            actor=uto_admin.actor,
            secret_key=SECRET,
            token_days=1,
            data=UserCreate(username="officer2", agency="NCB-CAF", roles=[Role.FIELD_OFFICER]),
        )
    with unit_of_work(world.state.sessions) as session:
        listed = users.list_users(session, actor=uto_admin.actor)
    assert {u.agency.code for u in listed} == {"NCB-UTO"}


def test_central_only_roles(world: World) -> None:
    with pytest.raises(Invalid), unit_of_work(world.state.sessions) as session:
        users.create(
            session,
            actor=world.admin.actor,
            secret_key=SECRET,
            token_days=1,
            data=UserCreate(username="rev", agency="NCB-UTO", roles=[Role.REVIEWER]),
        )
    central_admin = world.user("CENTRAL", Role.AGENCY_ADMIN)
    with pytest.raises(Forbidden), unit_of_work(world.state.sessions) as session:
        users.create(
            session,
            actor=central_admin.actor,
            secret_key=SECRET,
            token_days=1,
            data=UserCreate(username="rev", agency="CENTRAL", roles=[Role.SYSTEM_ADMIN]),
        )


def test_duplicate_username_conflicts(world: World) -> None:
    with pytest.raises(Conflict), unit_of_work(world.state.sessions) as session:
        users.create(
            session,
            actor=world.admin.actor,
            secret_key=SECRET,
            token_days=1,
            data=UserCreate(username="admin", agency="NCB-UTO", roles=[Role.ANALYST]),
        )


def test_token_revocation_and_expiry(world: World) -> None:
    account = world.user("NCB-CAF", Role.ANALYST)
    with unit_of_work(world.state.sessions) as session:
        assert users.authenticate_token(session, token=account.token).username == account.actor.username
        token, value = users.create_token(
            session, actor=account.actor, data=TokenCreate(name="x", days=1), default_days=30
        )
    with unit_of_work(world.state.sessions) as session:
        users.revoke_token(session, actor=account.actor, token_id=token.id)
    with pytest.raises(Unauthenticated), unit_of_work(world.state.sessions) as session:
        users.authenticate_token(session, token=value)
    with unit_of_work(world.state.sessions) as session:
        row = session.scalar(
            select(ApiToken).where(ApiToken.token_hash == security.token_digest(account.token))
        )
        assert row is not None
        row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    with pytest.raises(Unauthenticated), unit_of_work(world.state.sessions) as session:
        users.authenticate_token(session, token=account.token)


def test_deactivated_user_cannot_authenticate(world: World) -> None:
    account = world.user("NCB-CAF", Role.ANALYST)
    with unit_of_work(world.state.sessions) as session:
        users.update(
            session, actor=world.admin.actor, username=account.actor.username, data=UserUpdate(active=False)
        )
    with pytest.raises(Unauthenticated), unit_of_work(world.state.sessions) as session:
        users.authenticate_token(session, token=account.token)


def test_cannot_revoke_someone_elses_token(world: World) -> None:
    a = world.user("NCB-CAF", Role.ANALYST)
    b = world.user("NCB-UTO", Role.ANALYST)
    with unit_of_work(world.state.sessions) as session:
        token_id = session.scalar(
            select(ApiToken.id).where(ApiToken.token_hash == security.token_digest(a.token))
        )
    assert token_id is not None
    from peacelink.errors import NotFound

    with pytest.raises(NotFound), unit_of_work(world.state.sessions) as session:
        users.revoke_token(session, actor=b.actor, token_id=token_id)
