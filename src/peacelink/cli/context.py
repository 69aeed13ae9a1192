"""Shared CLI plumbing: settings from options, the database, the acting user, output and errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from peacelink.access import Actor
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import PeacelinkError, Unauthenticated
from peacelink.settings import Settings
from peacelink.users import service as users

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class CliContext:
    """Per-invocation state: settings and, once needed, the engine."""

    settings: Settings
    username: str | None
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        """The engine, built on first use."""
        if self._engine is None:
            self._engine = build_engine(self.settings.database_url, mmap_mb=self.settings.sqlite_mmap_mb)
        return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        """A session factory on the engine."""
        return session_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work."""
        with unit_of_work(self.sessions) as session:
            yield session

    def actor(self, session: Session) -> Actor:
        """The named user the command acts as (``--user`` or ``PEACELINK_USER``)."""
        if not self.username:
            raise Unauthenticated("name the user to act as with --user or PEACELINK_USER")
        return users.actor_for_username(session, username=self.username)


def state(ctx: typer.Context) -> CliContext:
    """The CliContext the root callback stored."""
    obj = ctx.find_root().obj
    assert isinstance(obj, CliContext)
    return obj


def emit(data: Any, *, as_json: bool, text: str | None = None) -> None:
    """Print ``data`` as JSON or the human ``text``."""
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        typer.echo(text if text is not None else json.dumps(data, indent=2, ensure_ascii=False, default=str))


def fail(message: str, *, code: int = 1, as_json: bool = False, error: str = "error") -> NoReturn:
    """Print an error to stderr (JSON on stdout with --json) and exit non-zero."""
    if as_json:
        typer.echo(json.dumps({"error": error, "message": message}))
    else:
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def handles_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn PeacelinkErrors into a clear message and exit code 2 (bad input, forbidden...)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except PeacelinkError as exc:
            where = f" ({exc.field})" if exc.field else ""
            as_json = bool(kwargs.get("as_json"))
            fail(f"{exc.message}{where}", code=2, as_json=as_json, error=exc.code)

    return wrapper


def stdin_is_tty() -> bool:
    """Whether standard input is interactive."""
    return sys.stdin.isatty()
