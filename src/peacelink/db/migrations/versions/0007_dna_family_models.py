"""dna: stored family models and the direct index snapshot (fast cold start)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dna_family_models",
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("frequency_table_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("model", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["dna_families.id"], name=op.f("fk_dna_family_models_family_id_dna_families")
        ),
        sa.ForeignKeyConstraint(
            ["frequency_table_id"],
            ["dna_frequency_tables.id"],
            name=op.f("fk_dna_family_models_frequency_table_id_dna_frequency_tables"),
        ),
        sa.PrimaryKeyConstraint("family_id", "frequency_table_id", name=op.f("pk_dna_family_models")),
    )
    op.create_table(
        "dna_index_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("profile_count", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_index_snapshots")),
    )


def downgrade() -> None:
    op.drop_table("dna_index_snapshots")
    op.drop_table("dna_family_models")
