"""Shared fixtures: every data-layer test runs on SQLite, and on PostgreSQL when
PEACELINK_TEST_POSTGRES_URL is set (CI always sets it)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from peacelink.access import Actor, AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.api.app import create_app
from peacelink.api.state import AppState
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.db.registry import load_models
from peacelink.db.unit_of_work import unit_of_work
from peacelink.settings import Settings
from peacelink.setup import initialise
from peacelink.users import security
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate

POSTGRES_URL = os.environ.get("PEACELINK_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
SECRET = b"test-secret-key-not-for-production"

# Passwords are hashed with argon2id's cheapest parameters inside the test processes: the production profile
# (64 MiB, 3 passes) costs 0.25-0.3 s a hash on this machine, and every test network hashes its admin's and
# each user's password (and every sign-in verifies one), about a third of the suite's time. A hash records
# its own parameters, so verifying follows. tests/unit/test_password_profile.py holds the production
# profile; servers the tests start in another process (CLI, serve, browser) keep it.
PRODUCTION_HASHER = security._HASHER
security._HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test gets a copy (much faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = build_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """A migrated PostgreSQL schema private to this test process."""
    assert POSTGRES_URL is not None
    schema = f"pl_test_{uuid.uuid4().hex[:10]}"
    admin = build_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = build_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine)
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.db"
        shutil.copy(template, path)
        sqlite_engine = build_engine(f"sqlite:///{path}")
        yield sqlite_engine
        sqlite_engine.dispose()
        return
    pg: Engine = request.getfixturevalue("postgres_engine")
    tables = ", ".join(f'"{t.name}"' for t in load_models().sorted_tables)
    with pg.begin() as connection:
        # TRUNCATE bypasses the row-level append-only trigger on audit_events, as intended for tests.
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield pg


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for tests: cookies without Secure so the test client over http sends them."""
    return Settings(
        database_url="sqlite://",
        var_dir=tmp_path / "var",
        cookie_secure=False,
        lockout_threshold=3,
        lockout_minutes=15,
    )


@pytest.fixture
def state(engine: Engine, settings: Settings) -> AppState:
    """The AppState of a test app on the test database."""
    return AppState(settings=settings, engine=engine, sessions=session_factory(engine), secret_key=SECRET)


@dataclass
class Account:
    """A test user: its actor, API token, password and TOTP secret."""

    actor: Actor
    token: str
    password: str
    totp_secret: str

    @property
    def headers(self) -> dict[str, str]:
        """Authorization header for the API."""
        return {"Authorization": f"Bearer {self.token}"}


PASSWORD = "correct horse battery"


class World:
    """A small network: central (admin), NCB-UTO, NCB-CAF, a mission, with users made on demand."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        init = initialise(state.sessions, secret_key=SECRET, token_days=30, admin_password=PASSWORD)
        with unit_of_work(state.sessions) as session:
            admin_actor = users.actor_for_username(session, username="admin")
        self.admin = Account(admin_actor, init.token, PASSWORD, init.totp_secret or "")
        with unit_of_work(state.sessions) as session:
            for data in (
                AgencyCreate(code="NCB-UTO", name="NCB Utopia", kind=AgencyKind.NCB, country="UTO"),
                AgencyCreate(code="NCB-CAF", name="NCB Bangui", kind=AgencyKind.NCB, country="CAF"),
                AgencyCreate(
                    code="MINUSCA",
                    name="MINUSCA",
                    kind=AgencyKind.MISSION,
                    area=["CAF"],
                    mandate_end=__import__("datetime").date(2030, 1, 1),
                ),
            ):
                agencies.create(session, actor=admin_actor, data=data)
        self._count = 0

    def user(self, agency: str, *roles: Role, language: str = "en") -> Account:
        """Create a user of ``agency`` with ``roles`` and a web password."""
        self._count += 1
        with unit_of_work(self.state.sessions) as session:
            created = users.create_unchecked(
                session,
                data=UserCreate(
                    username=f"u{self._count}-{agency.lower()}",
                    agency=agency,
                    roles=list(roles),
                    password=PASSWORD,
                    language=language,
                ),
                secret_key=SECRET,
                token_days=30,
            )
            actor = users.actor_for(created.user)
        return Account(actor, created.token, PASSWORD, created.totp_secret or "")


@pytest.fixture
def world(state: AppState) -> World:
    """An initialised network on the test database."""
    return World(state)


@pytest.fixture
def client(state: AppState, settings: Settings) -> Iterator[TestClient]:
    """An HTTP client on the app; server errors are returned, not raised, as a real client sees them."""
    app = create_app(settings, state=state)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def passport_mrz(**fields: str) -> list[str]:
    """The two MRZ lines of a Utopian passport (TD3) of the tests' wanted person, Mohamed Al-Hashimi, born
    1978-05-02; ``fields`` change any of ``mrz_generate.generate``'s."""
    from peacelink.identifiers.mrz_generate import generate

    values = {
        "document_code": "P",
        "issuing_country": "UTO",
        "document_number": "L898902C3",
        "surname": "AL HASHIMI",
        "given_names": "MOHAMED",
        "nationality": "UTO",
        "birth_date": "1978-05-02",
        "sex": "M",
        "expiry_date": "2031-01-01",
        **fields,
    }
    return generate("TD3", **values)
