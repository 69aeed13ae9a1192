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
from peacelink.translatable import TextList, Translatable

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
        said = f"a frequency file is at most {MAX_BYTES} bytes"
        raise Invalid(Translatable(said, "dna.error.frequency_file_size", most=MAX_BYTES), field="file")
    try:
        found = list_populations(text)
        if found and column is None:
            if len(found) > 1:
                listed = TextList(found)
                said = f"the file holds several populations ({listed}): name one"
                keyed = Translatable(said, "dna.error.frequency_populations", populations=listed)
                raise Invalid(keyed, field="column")
            column = found[0]
        table = read_frequency_csv(text, population=column)
    except DNAError as error:
        # The reason as raised: a keyed text (a bad line, an unknown locus) keeps its key for the pages.
        reason = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
        raise Invalid(reason, field="file") from error
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
        central = "frequency tables are imported by the central agency"
        raise Forbidden(Translatable(central, "dna.error.frequency_central"))
    name = population.strip()
    if not name or len(name) > 64:
        said = "population: 1 to 64 characters"
        raise Invalid(Translatable(said, "dna.error.population_length", least=1, most=64), field="population")
    if len(source) > 200:
        said = "source: at most 200 characters"
        raise Invalid(Translatable(said, "dna.error.source_length", most=200), field="source")
    for field, value in (("population", name), ("source", source)):
        if (found := refused_character(value)) is not None:
            reason = refusal(*found)
            keyed = Translatable(
                f"{field}: {reason}", "dna.error.frequency_character", field=field, reason=reason
            )
            raise Invalid(keyed, field=field)
    table = parse(text, population=name, column=column)
    existing = session.scalar(select(DNAFrequencyTable).where(DNAFrequencyTable.population == name))
    if existing is not None and not replace:
        said = f"population {name} already has a table; replace it explicitly"
        raise Conflict(Translatable(said, "dna.error.population_taken", population=name), field="population")
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
