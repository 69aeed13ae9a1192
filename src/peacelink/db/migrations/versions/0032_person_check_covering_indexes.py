"""persons: on SQLite, covering indexes for the two reads of a check after its shortlist

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-24 23:20:00.000000

A person check reads, after its shortlist, the shortlisted persons' facts (``persons.lookup.load_facts``:
dates of birth, nationalities, sex, identifiers and the access envelope) and the names of those it scores
(``load_names``). On SQLite each row was two B-tree searches: the primary key's index (or the person_id
index of ``person_names``), then the table by rowid. These indexes hold every column those two statements
read, so each row is one search (``USING COVERING INDEX``). Measured on the 1M-person benchmark database
(400 shortlists of 150 ids): the facts read 1.0 -> 0.69 ms and the names read 1.27 -> 1.02 ms, medians.

The names index begins with person_id, so it serves the foreign key's look-ups too and replaces
``ix_person_names_person_id``: a write keeps one index more than before, not two.

PostgreSQL is left as it is: a B-tree entry there is limited to about 2.7 kB, which identifiers
(2,000 characters) and visibility_agencies (1,000) together could pass, and a check there waits on the
server rather than on these reads.
"""

from __future__ import annotations

from alembic import op

revision = "0032"
down_revision = "0031"
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
NAMES_COLUMNS = ["person_id", "position", "name", "kind", "script", "parts"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index("ix_persons_check_facts", "persons", FACTS_COLUMNS)
    op.create_index("ix_person_names_check_read", "person_names", NAMES_COLUMNS)
    op.drop_index("ix_person_names_person_id", table_name="person_names")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index("ix_person_names_person_id", "person_names", ["person_id"])
    op.drop_index("ix_person_names_check_read", table_name="person_names")
    op.drop_index("ix_persons_check_facts", table_name="persons")
