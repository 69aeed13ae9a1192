"""Down to an earlier revision and up again, for the tests of a migration that check with this code.

This code reads ``person_names.prepared`` (migration 0033) in every person check. A test that goes down to
a revision before 0033 to see what a check found before its migration gets the column back, empty: a name
with no stored form is prepared from its parts as the code before 0033 did (``persons.keys.
prepared_from_stored``), so the check is that code's. Going up, the column is dropped again first, and 0033
makes it and fills it as it does on any database.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from peacelink.db.migrate import alembic_config, upgrade

FORMS_REVISION = "0033"


def _has_forms(engine: Engine) -> bool:
    return "prepared" in {c["name"] for c in inspect(engine).get_columns("person_names")}


def downgrade_to(engine: Engine, revision: str) -> None:
    """Down to ``revision``; before 0033, with ``person_names.prepared`` back as a column of NULLs."""
    command.downgrade(alembic_config(engine), revision)
    if revision < FORMS_REVISION and not _has_forms(engine):
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE person_names ADD COLUMN prepared TEXT"))


def upgrade_again(engine: Engine) -> None:
    """Up to the head from a revision ``downgrade_to`` went to."""
    with engine.connect() as connection:
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    if current < FORMS_REVISION and _has_forms(engine):
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE person_names DROP COLUMN prepared"))
    upgrade(engine)
