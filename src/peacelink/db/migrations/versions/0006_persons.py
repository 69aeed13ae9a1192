"""persons: person records, names, blocking keys and their counts, links, photos

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=False),
        sa.Column("dates_of_birth", sa.String(length=200), nullable=False),
        sa.Column("birth_year_min", sa.Integer(), nullable=True),
        sa.Column("birth_year_max", sa.Integer(), nullable=True),
        sa.Column("place_of_birth", sa.String(length=200), nullable=False),
        sa.Column("nationalities", sa.String(length=200), nullable=False),
        sa.Column("identifiers", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("crime_areas", sa.String(length=200), nullable=False),
        sa.Column("warnings", sa.String(length=200), nullable=False),
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
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_persons_created_by_users")),
        sa.ForeignKeyConstraint(
            ["owner_agency_id"], ["agencies.id"], name=op.f("fk_persons_owner_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_persons_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index("ix_persons_birth_year", ["birth_year_min"], unique=False)
        batch_op.create_index(batch_op.f("ix_persons_owner_agency_id"), ["owner_agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_persons_review_due"), ["review_due"], unique=False)
        batch_op.create_index("uq_persons_reference", ["owner_agency_id", "reference"], unique=True)

    op.create_table(
        "person_names",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("script", sa.String(length=4), nullable=False),
        sa.Column("parts", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_person_names_person_id_persons"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_names")),
    )
    with op.batch_alter_table("person_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_names_person_id"), ["person_id"], unique=False)

    # WITHOUT ROWID on SQLite: the (key, person_id) primary key is the table, so the look-up by key is an
    # index range read that never touches another structure.
    op.create_table(
        "person_name_keys",
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_name_keys_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "person_id", name=op.f("pk_person_name_keys")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("person_name_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name_keys_person_id"), ["person_id"], unique=False)

    op.create_table(
        "person_key_counts",
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_person_key_counts")),
        sqlite_with_rowid=False,
    )

    op.create_table(
        "person_document_links",
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["travel_documents.id"],
            name=op.f("fk_person_document_links_document_id_travel_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_document_links_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "document_id", name=op.f("pk_person_document_links")),
    )
    with op.batch_alter_table("person_document_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_document_links_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "person_vehicle_links",
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("vehicle_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_vehicle_links_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["stolen_vehicles.id"],
            name=op.f("fk_person_vehicle_links_vehicle_id_stolen_vehicles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "vehicle_id", name=op.f("pk_person_vehicle_links")),
    )
    with op.batch_alter_table("person_vehicle_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_vehicle_links_vehicle_id"), ["vehicle_id"], unique=False)

    op.create_table(
        "person_photos",
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_person_photos_person_id_persons"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_photos")),
    )


def downgrade() -> None:
    op.drop_table("person_photos")
    with op.batch_alter_table("person_vehicle_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_vehicle_links_vehicle_id"))
    op.drop_table("person_vehicle_links")
    with op.batch_alter_table("person_document_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_document_links_document_id"))
    op.drop_table("person_document_links")
    op.drop_table("person_key_counts")
    with op.batch_alter_table("person_name_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name_keys_person_id"))
    op.drop_table("person_name_keys")
    with op.batch_alter_table("person_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_names_person_id"))
    op.drop_table("person_names")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index("uq_persons_reference")
        batch_op.drop_index(batch_op.f("ix_persons_review_due"))
        batch_op.drop_index(batch_op.f("ix_persons_owner_agency_id"))
        batch_op.drop_index("ix_persons_birth_year")
    op.drop_table("persons")
