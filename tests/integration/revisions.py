"""Down to an earlier revision and up again, for the tests of a migration that check with this code.

A test goes down to a revision before a migration to see what a check found before it, and checks with this
code. Two later migrations changed what every check reads, so below them the test database keeps this code's
form of those data, with the older revision's content:

* ``person_names.prepared`` (0033) comes back as a column of NULLs: a name with no stored form is prepared
  from its parts as the code before 0033 did (``persons.keys.prepared_from_stored``), so the check is that
  code's.
* the key table stays keyed by ``persons.number`` (0035): the rows the older revision left, under the number
  of their person instead of its id (0035's ``to_numbers``, run at once). The migrations in between key
  persons through ``persons.keys.resync_persons``, which reads either form. On SQLite the covering index of
  the facts read is made on the numbers too (this code's read names it).

Going up, both are taken back to the older revision's form first (0035's ``to_ids``, the column dropped), and
the migrations make them as they do on any database.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from peacelink.db.migrate import alembic_config, upgrade

COVERING_REVISION = "0032"
FORMS_REVISION = "0033"
NUMBERS_REVISION = "0035"
VERSIONS = Path(__file__).resolve().parents[2] / "src/peacelink/db/migrations/versions"


def _has_forms(engine: Engine) -> bool:
    return "prepared" in {c["name"] for c in inspect(engine).get_columns("person_names")}


def _has_numbers(engine: Engine) -> bool:
    return "person_number" in {c["name"] for c in inspect(engine).get_columns("person_name_keys")}


def _numbers_migration() -> ModuleType:
    (path,) = VERSIONS.glob(f"{NUMBERS_REVISION}_*.py")
    spec = importlib.util.spec_from_file_location(f"migration_{NUMBERS_REVISION}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(engine: Engine, step: str) -> None:
    """0035's ``to_numbers`` or ``to_ids`` on the database as it is, its revision left as it is."""
    with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        getattr(_numbers_migration(), step)()


def _facts_index(engine: Engine, columns: list[str] | None) -> None:
    """On SQLite, the covering index of a check's facts read made again on ``columns`` (None: only dropped).
    This code names it in that read (``persons.lookup._facts_statement``), so below 0035 it is made on the
    numbers too; going up, it is given back as the older revision had it."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX IF EXISTS ix_persons_check_facts"))
        if columns is not None:
            connection.execute(text(f"CREATE INDEX ix_persons_check_facts ON persons ({', '.join(columns)})"))


def _revision(engine: Engine) -> str:
    with engine.connect() as connection:
        current: str = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    return current


def downgrade_to(engine: Engine, revision: str) -> None:
    """Down to ``revision``; before 0033 with ``person_names.prepared`` back as a column of NULLs, before 0035
    with the key table keyed by the persons' numbers."""
    command.downgrade(alembic_config(engine), revision)
    if revision < FORMS_REVISION and not _has_forms(engine):
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE person_names ADD COLUMN prepared TEXT"))
    if revision < NUMBERS_REVISION and not _has_numbers(engine):
        _run(engine, "to_numbers")
        _facts_index(engine, ["number", *_numbers_migration().FACTS_COLUMNS])


def upgrade_again(engine: Engine) -> None:
    """Up to the head from a revision ``downgrade_to`` went to."""
    current = _revision(engine)
    if current < NUMBERS_REVISION and _has_numbers(engine):
        _facts_index(engine, _numbers_migration().FACTS_COLUMNS if current >= COVERING_REVISION else None)
        _run(engine, "to_ids")
    if current < FORMS_REVISION and _has_forms(engine):
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE person_names DROP COLUMN prepared"))
    upgrade(engine)
