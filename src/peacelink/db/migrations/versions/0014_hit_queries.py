"""hits: what the searching officer asked, for the owner deciding the hit

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 09:00:00.000000

A hit kept only the owner's record and the searcher's agency and user: the owner's supervisor saw
"Persons / Ivan Petrov / MINUSCA / medium" and could not tell whether the person checked was theirs. Each
hit now keeps the check's query summary (``Query.summary``, what the audit log records of the check) in
``hits.query``. Hits made before it hold an empty object: what they asked is only in the audit log (the
check's event, ``object_id`` = the hit's ``check_id``). Downgrade drops the column.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("query", sa.JSON(), server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.drop_column("query")
