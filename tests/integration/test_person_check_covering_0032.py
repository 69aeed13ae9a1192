"""Migration 0032: on SQLite, the two reads of a person check after its shortlist (the shortlisted persons'
facts, the scored persons' names) are answered from one index each, without the table; PostgreSQL keeps
its indexes as they were. Down to 0031 and up again, and a check finds the same persons all along."""

from __future__ import annotations

from sqlalchemy import Connection, inspect
from sqlalchemy.engine import Engine
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_person_readings_0015 import _hits, create_records

from peacelink.db.direct import DirectStatement
from peacelink.persons.lookup import _facts_statement, _names_statement

_RECORDS = {"one": ("UTO-1", "Seydou Kanoutebe", "Seydou Kanoutebe")}


def _plan(connection: Connection, statement: DirectStatement) -> str:
    """The plan of the SQL the check runs (with its index named, where it names one)."""
    compiled = statement._compile(connection, tuple(f"p{i}" for i in range(8)))
    values = tuple("x" for _ in compiled.order or ())
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.sql}", values).all()
    return " | ".join(str(row[-1]) for row in rows)


def _indexes(engine: Engine, table: str) -> set[str]:
    return {str(index["name"]) for index in inspect(engine).get_indexes(table)}


def test_on_sqlite_a_check_reads_facts_and_names_from_covering_indexes(world: World) -> None:
    engine = world.state.engine
    if engine.dialect.name != "sqlite":
        assert "ix_persons_check_facts" not in _indexes(engine, "persons")
        assert "ix_person_names_person_id" in _indexes(engine, "person_names")
        return
    with engine.connect() as connection:
        facts = _plan(connection, _facts_statement(8))
        names = _plan(connection, _names_statement(8))
    # Before 0032: "SEARCH persons USING INDEX sqlite_autoindex_persons_1 (id=?)", then the table by rowid.
    assert "USING COVERING INDEX ix_persons_check_facts" in facts, facts
    assert "USING COVERING INDEX ix_person_names_check_read" in names, names
    assert "TEMP B-TREE" not in names, names  # read in (person_id, position) order, nothing sorted
    # The covering index begins with person_id: it replaces the plain one (one index more per write, not two).
    assert "ix_person_names_person_id" not in _indexes(engine, "person_names")


def test_migration_0032_goes_down_and_up_and_checks_find_the_same(world: World) -> None:
    officer, ids = create_records(world, _RECORDS)
    engine = world.state.engine
    assert _hits(world, officer, "Seydou Kanoutebe") == [ids["one"]]
    downgrade_to(engine, "0031")
    # 0032's facts index (on the ids) is gone; below 0035 the test database has one on the numbers, which
    # this code's facts read names (tests/integration/revisions.py).
    facts = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("persons")}
    assert facts.get("ix_persons_check_facts", ["number"])[0] == "number"
    assert "ix_person_names_check_read" not in _indexes(engine, "person_names")
    assert "ix_person_names_person_id" in _indexes(engine, "person_names")
    assert _hits(world, officer, "Seydou Kanoutebe") == [ids["one"]]
    upgrade_again(engine)
    if engine.dialect.name == "sqlite":
        assert "ix_persons_check_facts" in _indexes(engine, "persons")
        assert "ix_person_names_check_read" in _indexes(engine, "person_names")
    assert _hits(world, officer, "Seydou Kanoutebe") == [ids["one"]]
