"""persons: each name's prepared form stored, so a check no longer runs the reading rules of its candidates

Revision ID: 0033
Revises: 0032
Create Date: 2026-11-25 02:00:00.000000

A check scores up to 150 shortlisted persons and rebuilt each one's names from their stored parts with every
reading (Somali, Cyrillic, Persian, Maghrebi, ...: ``matching.names.parts.with_readings``), which runs the
reading rules again. A per-process cache of 200,000 names held a third of a 1M-person database's 1.19M
distinct names: at 1M persons 68% of the names a check prepared missed it, 22 to 76 us each, and a server
kept in service for a while did worse than a fresh one. ``person_names.prepared`` now holds what that
rebuilding made (``persons.keys.stored_form``: "" for a name that is its parts alone, the common case, else
the names and readings with their parts), so a check only looks its parts up (``prepared_from_stored``).

Every row is filled, of every status (a person made active again is checked at once). On SQLite the
covering index of a check's names read (0032) is made again with the new column in it.

Downgrade drops the column: the code before it prepares the names as it did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from peacelink.persons.keys import stored_form

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

NAMES_COLUMNS = ["person_id", "position", "name", "kind", "script", "parts"]
_CHUNK = 5000


def upgrade() -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        op.drop_index("ix_person_names_check_read", table_name="person_names")
    op.add_column("person_names", sa.Column("prepared", sa.Text(), nullable=True))
    names = sa.table(
        "person_names",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("parts", sa.String),
        sa.column("prepared", sa.Text),
    )
    # Most names are their parts alone (""): one statement for all, then the others one by one.
    connection.execute(sa.update(names).values(prepared=""))
    restore = (
        sa.update(names).where(names.c.id == sa.bindparam("row_id")).values(prepared=sa.bindparam("form"))
    )
    last = -1
    while True:
        page = connection.execute(
            sa.select(names.c.id, names.c.name, names.c.parts)
            .where(names.c.id > last)
            .order_by(names.c.id)
            .limit(_CHUNK)
        ).all()
        if not page:
            break
        last = page[-1][0]
        forms = [{"row_id": i, "form": stored_form(n, p or "")} for i, n, p in page]
        kept = [f for f in forms if f["form"]]
        if kept:
            connection.execute(restore, kept)
    if sqlite:
        op.create_index("ix_person_names_check_read", "person_names", [*NAMES_COLUMNS, "prepared"])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.drop_index("ix_person_names_check_read", table_name="person_names")
    op.drop_column("person_names", "prepared")
    if sqlite:
        op.create_index("ix_person_names_check_read", "person_names", NAMES_COLUMNS)
