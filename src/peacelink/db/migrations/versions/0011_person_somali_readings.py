"""persons: Somali readings and the Arabic-script nasab links, in the stored parts and keys

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 05:00:00.000000

A name written in Somali orthography (Maxamed Cali Faarax) is now also read as such (mahamed ali farah:
``matching.names.normalisation.somali_reading``) and keyed under that reading, so a check for Mohamed Ali
Farah finds the record, and the other way round. The normaliser also drops the nasab links as the Arabic
script gives them (ولد -> wld, بنت -> bnt) and ``bent`` between two parts (Aicha bent Hassan).

This brings the persons whose names may be concerned (stored parts holding an x, a c, wld, bnt or bent)
up to date: their names' parts are normalised again, and their key rows become exactly what the current
code keys them under (rows added and removed, counts adjusted by the difference). Downgrade removes the
readings' keys again; the re-normalised parts stay (the previous code reads them as well).
"""

from __future__ import annotations

from alembic import op

from peacelink.persons.keys import resync_persons

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Stored parts that may read as Somali or hold one of the new particles.
_CONCERNED = ("x", "c", "wld", "bnt", "bent")


def upgrade() -> None:
    resync_persons(op.get_bind(), _CONCERNED, readings={"somali"}, renormalise=True)


def downgrade() -> None:
    resync_persons(op.get_bind(), _CONCERNED, readings=(), renormalise=False)
