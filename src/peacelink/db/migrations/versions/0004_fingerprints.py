"""fingerprints: enrolled prints and marks, their images, check probes, the gallery generation

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:00:00.000000
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "fingerprint_gallery_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fingerprint_gallery_state")),
    )
    # The one state row (fingerprints/gallery.py); a new epoch per database.
    op.bulk_insert(state, [{"id": 1, "epoch": uuid.uuid4().hex, "generation": 0}])
    op.create_table(
        "fingerprint_probes",
        sa.Column("check_id", sa.String(length=32), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.LargeBinary(), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=True),
        sa.Column("image", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_fingerprint_probes_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_fingerprint_probes_user_id_users")),
        sa.PrimaryKeyConstraint("check_id", name=op.f("pk_fingerprint_probes")),
    )
    op.create_table(
        "fingerprints",
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("finger_position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=True),
        sa.Column("quality", sa.Integer(), nullable=False),
        sa.Column("minutiae_count", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=500), nullable=False),
        sa.Column("template", sa.LargeBinary(), nullable=False),
        sa.Column("encoded", sa.LargeBinary(), nullable=False),
        sa.Column("encoding_version", sa.Integer(), nullable=False),
        sa.Column("gallery_seq", sa.BigInteger(), nullable=False),
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
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_fingerprints_created_by_users")),
        sa.ForeignKeyConstraint(
            ["owner_agency_id"], ["agencies.id"], name=op.f("fk_fingerprints_owner_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_fingerprints_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fingerprints")),
    )
    op.create_index(op.f("ix_fingerprints_gallery_seq"), "fingerprints", ["gallery_seq"], unique=False)
    op.create_index(
        op.f("ix_fingerprints_owner_agency_id"), "fingerprints", ["owner_agency_id"], unique=False
    )
    op.create_index("ix_fingerprints_person", "fingerprints", ["person_id"], unique=False)
    op.create_index(op.f("ix_fingerprints_review_due"), "fingerprints", ["review_due"], unique=False)
    op.create_index(
        "uq_fingerprints_natural",
        "fingerprints",
        ["owner_agency_id", "reference", "finger_position", "kind"],
        unique=True,
    )
    op.create_table(
        "fingerprint_images",
        sa.Column("fingerprint_id", sa.String(length=32), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fingerprint_id"],
            ["fingerprints.id"],
            name=op.f("fk_fingerprint_images_fingerprint_id_fingerprints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("fingerprint_id", name=op.f("pk_fingerprint_images")),
    )


def downgrade() -> None:
    op.drop_table("fingerprint_images")
    op.drop_index("uq_fingerprints_natural", table_name="fingerprints")
    op.drop_index(op.f("ix_fingerprints_review_due"), table_name="fingerprints")
    op.drop_index("ix_fingerprints_person", table_name="fingerprints")
    op.drop_index(op.f("ix_fingerprints_owner_agency_id"), table_name="fingerprints")
    op.drop_index(op.f("ix_fingerprints_gallery_seq"), table_name="fingerprints")
    op.drop_table("fingerprints")
    op.drop_table("fingerprint_probes")
    op.drop_table("fingerprint_gallery_state")
