"""dna: anonymous STR profiles, families of missing persons, frequency tables, index generation

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 12:00:00.000000
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dna_index_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_index_state")),
    )
    op.create_table(
        "dna_families",
        sa.Column("case_reference", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=500), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_agency_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("visibility_agencies", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_dna_families_created_by_users")),
        sa.ForeignKeyConstraint(
            ["owner_agency_id"], ["agencies.id"], name=op.f("fk_dna_families_owner_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_dna_families_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_families")),
    )
    with op.batch_alter_table("dna_families", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dna_families_owner_agency_id"), ["owner_agency_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dna_families_review_due"), ["review_due"], unique=False)
        batch_op.create_index("uq_dna_families_case", ["owner_agency_id", "case_reference"], unique=True)

    op.create_table(
        "dna_frequency_tables",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("population", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("locus_count", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["users.id"], name=op.f("fk_dna_frequency_tables_imported_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_frequency_tables")),
        sa.UniqueConstraint("population", name=op.f("uq_dna_frequency_tables_population")),
    )
    op.create_table(
        "dna_profiles",
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=True),
        sa.Column("relationship", sa.String(length=16), nullable=True),
        sa.Column("family_id", sa.String(length=32), nullable=True),
        sa.Column("is_mixture", sa.Boolean(), nullable=False),
        sa.Column("loci", sa.JSON(), nullable=False),
        sa.Column("locus_count", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=500), nullable=False),
        sa.Column("index_generation", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_agency_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("visibility_agencies", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_dna_profiles_created_by_users")),
        sa.ForeignKeyConstraint(
            ["family_id"], ["dna_families.id"], name=op.f("fk_dna_profiles_family_id_dna_families")
        ),
        sa.ForeignKeyConstraint(
            ["owner_agency_id"], ["agencies.id"], name=op.f("fk_dna_profiles_owner_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_dna_profiles_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_profiles")),
    )
    with op.batch_alter_table("dna_profiles", schema=None) as batch_op:
        batch_op.create_index("ix_dna_profiles_family", ["family_id"], unique=False)
        batch_op.create_index("ix_dna_profiles_generation", ["index_generation"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dna_profiles_owner_agency_id"), ["owner_agency_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dna_profiles_review_due"), ["review_due"], unique=False)
        batch_op.create_index("uq_dna_profiles_reference", ["owner_agency_id", "reference"], unique=True)

    # The one generation row (dna/index.py); a new epoch tells every process's cache to rebuild.
    state = sa.table(
        "dna_index_state",
        sa.column("id", sa.Integer),
        sa.column("epoch", sa.String),
        sa.column("generation", sa.Integer),
    )
    op.bulk_insert(state, [{"id": 1, "epoch": uuid.uuid4().hex, "generation": 0}])


def downgrade() -> None:
    with op.batch_alter_table("dna_profiles", schema=None) as batch_op:
        batch_op.drop_index("uq_dna_profiles_reference")
        batch_op.drop_index(batch_op.f("ix_dna_profiles_review_due"))
        batch_op.drop_index(batch_op.f("ix_dna_profiles_owner_agency_id"))
        batch_op.drop_index("ix_dna_profiles_generation")
        batch_op.drop_index("ix_dna_profiles_family")

    op.drop_table("dna_profiles")
    op.drop_table("dna_frequency_tables")
    with op.batch_alter_table("dna_families", schema=None) as batch_op:
        batch_op.drop_index("uq_dna_families_case")
        batch_op.drop_index(batch_op.f("ix_dna_families_review_due"))
        batch_op.drop_index(batch_op.f("ix_dna_families_owner_agency_id"))

    op.drop_table("dna_families")
    op.drop_table("dna_index_state")
