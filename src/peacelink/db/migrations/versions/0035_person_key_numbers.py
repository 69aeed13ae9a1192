"""persons: the blocking-key table names each person by an integer number, not its 32-character id

Revision ID: 0035
Revises: 0034
Create Date: 2026-11-25 05:00:00.000000

A check's shortlist sums the weights of its keys' rows per person (``persons.retrieval``: ``GROUP BY``
the person, the largest single cost of a check at 1M persons). Grouping and ordering 32-character ids cost a
third more than integers: on the 1M-person benchmark database, 400 real shortlists took 3.05 ms each over
``person_name_keys(key, person_id)`` and 2.12 ms over the same rows keyed by integers (SQLite; the same
weights for every one).

``persons.number`` is new: an integer, unique, given at creation (``persons.keys.allocate_numbers``: a
sequence on PostgreSQL, the highest number plus one on SQLite's single writer). Existing persons are
numbered in the order of their ids, so a shortlist's ties (equal weights, broken by the person) fall as
before. ``person_name_keys`` is rebuilt as ``(key, person_number)`` referring to it, with the same rows. On
SQLite the covering index of a check's facts read (0032) begins with the number, which the read now goes by.

SQLite cannot make the new column NOT NULL without rebuilding ``persons``, which other tables refer to; a key
row of a person without a number is refused by the key table's own NOT NULL, and this code always gives one.

At 1M persons (16.2M key rows) it took 2 min 38 s on SQLite and 39–46 s on PostgreSQL 15 (down again 34–36
s), where the rows go in before the primary and foreign keys and the tables are analysed at the end.

Downgrade rebuilds the key table on the ids and drops the number.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

FACTS_COLUMNS = [
    "id",
    "status",
    "dates_of_birth",
    "nationalities",
    "sex",
    "identifiers",
    "owner_agency_id",
    "visibility",
    "visibility_agencies",
    "review_due",
]
OLD = "person_name_keys_before_0035"


def _key_table(sqlite: bool, person_column: sa.Column[object], target: str, select_rows: str) -> None:
    """Create ``person_name_keys`` keyed by ``person_column``, a reference to ``persons.<target>``, and fill
    it with ``select_rows``. SQLite's table is WITHOUT ROWID, so its primary key comes first and the rows in
    its order. On PostgreSQL the rows go in first and the primary key and foreign key follow, each built or
    checked in one pass: inserting 16M rows under both took over 8 minutes at 1M persons."""
    name = person_column.name
    key = sa.Column("key", sa.String(length=48), nullable=False)
    reference = f"fk_person_name_keys_{name}_persons"
    if sqlite:
        op.create_table(
            "person_name_keys",
            key,
            person_column,
            sa.ForeignKeyConstraint([name], [f"persons.{target}"], name=reference, ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("key", name, name="pk_person_name_keys"),
            sqlite_with_rowid=False,
        )
        op.execute(f"INSERT INTO person_name_keys (key, {name}) {select_rows} ORDER BY 1, 2")
        return
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    op.create_table("person_name_keys", key, person_column)
    op.execute(f"INSERT INTO person_name_keys (key, {name}) {select_rows}")
    op.create_primary_key("pk_person_name_keys", "person_name_keys", ["key", name])
    op.create_foreign_key(reference, "person_name_keys", "persons", [name], [target], ondelete="CASCADE")
    # A new table has no statistics until autovacuum gets to it: the planner then reads all 16M rows for
    # every shortlist (0.44 s a check at 1M, measured) instead of the primary key's range of each key.
    op.execute("ANALYZE person_name_keys")
    op.execute("ANALYZE persons")


def _set_aside_key_table(sqlite: bool, index: str) -> None:
    """Rename the key table out of the way (its index dropped, its primary key renamed on PostgreSQL, where
    the names are the schema's), so the new table takes the names."""
    op.drop_index(index, table_name="person_name_keys")
    op.rename_table("person_name_keys", OLD)
    if not sqlite:
        op.execute(f'ALTER TABLE "{OLD}" RENAME CONSTRAINT pk_person_name_keys TO "pk_{OLD}"')


def to_numbers() -> None:
    """Number the persons and key the key table by their numbers (``tests/integration/revisions.py`` runs it
    on a test database taken down to an older revision too)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("persons", sa.Column("number", sa.Integer(), nullable=True))
    # Numbered in the order of the ids: a shortlist's ties (ordered by the person) fall as before.
    if sqlite:
        op.execute(
            "CREATE TEMP TABLE numbered_0035 AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM persons"
        )
        op.execute("CREATE UNIQUE INDEX temp.numbered_0035_id ON numbered_0035 (id, n)")
        op.execute("UPDATE persons SET number = t.n FROM numbered_0035 AS t WHERE t.id = persons.id")
        op.execute("DROP TABLE temp.numbered_0035")
        op.create_index("uq_persons_number", "persons", ["number"], unique=True)
    else:
        op.execute(
            "UPDATE persons SET number = t.n "
            "FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM persons) AS t WHERE t.id = persons.id"
        )
        op.alter_column("persons", "number", nullable=False)
        op.create_unique_constraint("uq_persons_number", "persons", ["number"])
        op.execute("CREATE SEQUENCE persons_number_seq OWNED BY persons.number")
        op.execute("SELECT setval('persons_number_seq', COALESCE(MAX(number), 0) + 1, false) FROM persons")

    _set_aside_key_table(sqlite, "ix_person_name_keys_person_id")
    _key_table(
        sqlite,
        sa.Column("person_number", sa.Integer(), nullable=False),
        "number",
        "SELECT k.key, p.number FROM person_name_keys_before_0035 AS k "
        "JOIN persons AS p ON p.id = k.person_id",
    )
    op.drop_table(OLD)
    op.create_index("ix_person_name_keys_person_number", "person_name_keys", ["person_number"])


def to_ids() -> None:
    """``to_numbers`` undone: the key table keyed by the persons' ids, the numbers gone."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    _set_aside_key_table(sqlite, "ix_person_name_keys_person_number")
    _key_table(
        sqlite,
        sa.Column("person_id", sa.String(length=32), nullable=False),
        "id",
        "SELECT k.key, p.id FROM person_name_keys_before_0035 AS k "
        "JOIN persons AS p ON p.number = k.person_number",
    )
    op.drop_table(OLD)
    op.create_index("ix_person_name_keys_person_id", "person_name_keys", ["person_id"])
    if sqlite:
        op.drop_index("uq_persons_number", table_name="persons")
    else:
        op.execute("DROP SEQUENCE persons_number_seq")
        op.drop_constraint("uq_persons_number", "persons", type_="unique")
    op.drop_column("persons", "number")


def upgrade() -> None:
    to_numbers()
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_persons_check_facts", table_name="persons")
        op.create_index("ix_persons_check_facts", "persons", ["number", *FACTS_COLUMNS])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_persons_check_facts", table_name="persons")
        op.create_index("ix_persons_check_facts", "persons", FACTS_COLUMNS)
    to_ids()
