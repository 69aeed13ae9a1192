"""dna: stored family models and frequency tables as searches read them, so no reading rule is left for them

Revision ID: 0034
Revises: 0033
Create Date: 2026-11-25 04:00:00.000000

Family models. Since 3b54ce1 a model is stored after the mark ``PLRSL1``: built from the relatives' loci as
searches read them (``matching.dna.read_stored_loci``: HUMTH01 as TH01). One stored without it may be older
than 92de44f and built from the names as stored, so a relative stored under "HUMTH01" gave its family no
TH01 evidence; every load looked at such a family's relatives to decide whether to keep it. This deletes
every model without the mark instead: a model is derived data, and the next load of its population rebuilds
a missing one and writes it back. The mark stays the stored format's prefix (rewriting every marked row to
drop six bytes would write about 11 KB per family and table for nothing), and a row without it is now
treated as missing.

Frequency tables. A table imported before 7a5282c kept its locus names as spelled, and checks read a table
as stored, so a row under "HUMTH01" gave TH01 no frequencies. Each stored table's rows are renamed as the
import names them today (``matching.dna.known_locus``: HUMTH01 -> TH01, "vWA " -> vWA; a sex marker's row
is left out, as the import leaves it out); ``locus_count`` is counted again and the table gets a new
``token``, so every model built on it is stale, and those models are deleted too. A name the import would
refuse (an unknown locus: FOO, an SNP, DYS19) is kept as stored: it is the curator's data, no check reads
it, and the stored-loci report keeps naming it. A table where two stored names read as one locus (TH01 and
HUMTH01) is left unchanged: which rows hold the frequencies cannot be told, so it is logged (one line naming
the table and the loci) and the report keeps naming it until the central system admin imports it again.
When a table changed, ``dna_index_state.generation`` is advanced, so a running process reloads its tables.

The migrations run in one transaction (``env.py``): all of this or nothing. Run again (after a downgrade), it
finds nothing left to change. Downgrade changes nothing: the code before it reads marked models and canonical
table rows as they are, and it has no use for the deleted models (it would rebuild them too).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

from peacelink.matching.dna.loci import InvalidLocusError, UnknownLocusError, is_sex_locus, known_locus

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

log = logging.getLogger("peacelink.db.migrations")
# The prefix of every family model stored since 3b54ce1 (``dna.family_models._READ_MARK``), kept here as it
# was: this migration must mean the same rows whatever the code later calls the mark.
MARK = b"PLRSL1"
STATE_ID = 1

_tables = sa.table(
    "dna_frequency_tables",
    sa.column("id", sa.Integer),
    sa.column("population", sa.String),
    sa.column("data", sa.JSON),
    sa.column("locus_count", sa.Integer),
    sa.column("token", sa.String),
)
_models = sa.table(
    "dna_family_models",
    sa.column("frequency_table_id", sa.Integer),
    sa.column("model", sa.LargeBinary),
)
_state = sa.table("dna_index_state", sa.column("id", sa.Integer), sa.column("generation", sa.Integer))


def _imported_name(name: str) -> str:
    """The name the import gives a stored row's locus today; the stored name when it would refuse it."""
    try:
        return known_locus(name)
    except (InvalidLocusError, UnknownLocusError):
        return name


def _as_imported(population: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """The table's rows under the names the import gives them, or None when two rows read as one locus."""
    read: dict[str, list[str]] = {}
    for name in data:
        read.setdefault(_imported_name(name), []).append(name)
    twice = {locus: sorted(names) for locus, names in read.items() if len(names) > 1}
    if twice:
        said = "; ".join(f"{locus} as {', '.join(names)}" for locus, names in sorted(twice.items()))
        log.warning(
            "frequency table %s left as stored: a locus stored under two names (%s)", population, said
        )
        return None
    # A sex marker is never weighed and the import keeps no row of it: one stored under another name goes.
    return {
        locus: data[names[0]]
        for locus, names in sorted(read.items())
        if locus == names[0] or not is_sex_locus(locus)
    }


def upgrade() -> None:
    connection = op.get_bind()
    changed: list[int] = []
    stored = connection.execute(
        sa.select(_tables.c.id, _tables.c.population, _tables.c.data).order_by(_tables.c.id)
    ).all()  # a few tables, read before any is written
    for table_id, population, data in stored:
        rows = _as_imported(population, data)
        if rows is None or rows == data:
            continue
        connection.execute(
            sa.update(_tables)
            .where(_tables.c.id == table_id)
            .values(data=rows, locus_count=len(rows), token=uuid.uuid4().hex)
        )
        # Stale under the new token anyway; deleted so no row built on the old rows is left.
        connection.execute(sa.delete(_models).where(_models.c.frequency_table_id == table_id))
        changed.append(table_id)
        log.info("frequency table %s: rows renamed as the import names them", population)
    # SQLite and PostgreSQL both take substr() of a BLOB / bytea in bytes (a shorter row has no mark either).
    prefix = sa.func.substr(_models.c.model, 1, len(MARK), type_=sa.LargeBinary)
    connection.execute(sa.delete(_models).where(prefix != sa.literal(MARK, sa.LargeBinary)))
    if changed:
        connection.execute(
            sa.update(_state).where(_state.c.id == STATE_ID).values(generation=_state.c.generation + 1)
        )


def downgrade() -> None:
    pass
