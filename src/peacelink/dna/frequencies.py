"""Population allele frequency tables: import (CSV, long or wide layout), list, and choose one per check.

Frequency tables are reference data shared by every agency: they set the RMP and LR that every owner's
match is reported with. So one authority curates them: the central agency's ``system_admin`` imports or
replaces a table (audited); every operational user lists them and picks a population per check.
The NRC II minimum allele frequency 5/2N is applied at import (``matching.dna.frequencies``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from peacelink.access import OPERATIONAL_ROLES, Actor, Role, require_role
from peacelink.audit import service as audit
from peacelink.db.base import new_id, utcnow
from peacelink.dna.index import bump_generation
from peacelink.dna.models import DNAFrequencyTable
from peacelink.dna.schemas import FrequencyImportOut
from peacelink.errors import Conflict, Forbidden, Invalid
from peacelink.matching.dna import DNAError, FrequencyTable, list_populations, read_frequency_csv
from peacelink.request_body import refusal, refused_character

IMPORT_ROLES = (Role.SYSTEM_ADMIN,)
READ_ROLES = (*OPERATIONAL_ROLES, Role.SYSTEM_ADMIN)
MAX_BYTES = 5_000_000


def _to_json(table: FrequencyTable) -> dict[str, Any]:
    return {
        locus: {"observed": dict(item.observed), "minimum": item.minimum, "n_alleles": item.n_alleles}
        for locus, item in table.loci.items()
    }


def parse(text: str, *, population: str, column: str | None = None) -> FrequencyTable:
    """Parse CSV text into a table named ``population``; ``column`` picks one of several in a file."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise Invalid(f"a frequency file is at most {MAX_BYTES} bytes", field="file")
    try:
        found = list_populations(text)
        if found and column is None:
            if len(found) > 1:
                raise Invalid(
                    f"the file holds several populations ({', '.join(found)}): name one", field="column"
                )
            column = found[0]
        table = read_frequency_csv(text, population=column)
    except DNAError as error:
        raise Invalid(str(error), field="file") from error
    return FrequencyTable(population=population, loci=table.loci)


def import_table(
    session: Session,
    *,
    actor: Actor,
    population: str,
    text: str,
    source: str = "",
    column: str | None = None,
    replace: bool = False,
    make_default: bool = False,
) -> DNAFrequencyTable:
    """Store (or with ``replace`` overwrite) one population's table; the first table becomes the default."""
    require_role(actor, *IMPORT_ROLES)
    if not actor.is_central:
        raise Forbidden("frequency tables are imported by the central agency")
    name = population.strip()
    if not name or len(name) > 64:
        raise Invalid("population: 1 to 64 characters", field="population")
    if len(source) > 200:
        raise Invalid("source: at most 200 characters", field="source")
    for field, value in (("population", name), ("source", source)):
        if (found := refused_character(value)) is not None:
            raise Invalid(f"{field}: {refusal(*found)}", field=field)
    table = parse(text, population=name, column=column)
    existing = session.scalar(select(DNAFrequencyTable).where(DNAFrequencyTable.population == name))
    if existing is not None and not replace:
        raise Conflict(f"population {name} already has a table; replace it explicitly", field="population")
    first = session.scalar(select(DNAFrequencyTable.id).limit(1)) is None
    if make_default:
        session.execute(update(DNAFrequencyTable).values(is_default=False))
    row = existing or DNAFrequencyTable(population=name, imported_by=actor.user_id)
    row.source = source
    row.data = _to_json(table)
    row.locus_count = len(table.loci)
    row.token = new_id()
    row.imported_by = actor.user_id
    row.imported_at = utcnow()
    row.is_default = make_default or first or (existing is not None and existing.is_default)
    if existing is None:
        session.add(row)
    bump_generation(session)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="dna.frequencies.import",
        object_type="dna_frequencies",
        object_id=name,
        query={"population": name, "source": row.source, "loci": row.locus_count, "replace": replace},
    )
    return row


def list_tables(session: Session, *, actor: Actor) -> list[DNAFrequencyTable]:
    """Every stored table, default first."""
    require_role(actor, *READ_ROLES)
    rows = list(
        session.scalars(
            select(DNAFrequencyTable).order_by(
                DNAFrequencyTable.is_default.desc(), DNAFrequencyTable.population
            )
        )
    )
    audit.record(session, actor=actor, action="dna.frequencies.list", object_type="dna_frequencies")
    return rows


def to_out(row: DNAFrequencyTable) -> FrequencyImportOut:
    """The API shape of a stored table."""
    sized = all(item.get("n_alleles") for item in row.data.values())
    return FrequencyImportOut(
        population=row.population,
        source=row.source,
        locus_count=row.locus_count,
        loci=sorted(row.data),
        is_default=row.is_default,
        minimum_frequency_rule="5/2N (NRC II 4.1)"
        if sized
        else "5/2N where N is given, else the table minimum",
        imported_at=row.imported_at,
    )
