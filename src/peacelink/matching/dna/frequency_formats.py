"""Read allele frequency tables from CSV text in the formats PeaceLink accepts.

Two layouts are recognised from the header:

* **long** (one row per allele) - the documented PeaceLink CSV::

      locus,allele,frequency[,n]

  ``marker`` may stand for ``locus``; ``n``/``n_alleles`` is the number of alleles sampled
  (2N), used for the 5/2N minimum. A ``population`` column selects one population
  (NIST 1036 and UK DNA-17 count tables, FBI 2015 / Moretti 2016 table); a ``count`` column
  without ``frequency`` gives frequency = count / n_alleles (dvir ``allele_freqs.csv`` is this
  layout too);
* **wide** (alleles as rows, one column per locus: EuroForMix ``FreqDatabases`` and the
  "FSIgen" layout): first column ``Allele``, optional last row ``N`` with the alleles sampled.

Separators ``,``, ``;`` and tab are detected.

>>> text = 'locus,allele,frequency,n\\nvWA,16,0.2,400\\nvWA,17,0.3,400\\n'
>>> read_frequency_csv(text, population='demo').frequency('VWA', '16')
0.2
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from peacelink.matching.dna.alleles import InvalidAlleleError
from peacelink.matching.dna.frequencies import FrequencyTable, InvalidFrequencyTableError
from peacelink.matching.dna.loci import InvalidLocusError, is_sex_locus
from peacelink.translatable import TextList, Translatable

__all__ = ["list_populations", "read_frequency_csv", "read_frequency_file"]

_Row = tuple[str, str, float, int | None]


def _records(text: str) -> list[list[str]]:
    sample = text[:4096]
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = max((",", ";", "\t"), key=first_line.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]


def _number(cell: str, *, what: str, line: int) -> float:
    try:
        return float(cell.strip().replace(",", "."))
    except ValueError:
        said = f"line {line}: {what} {cell!r} is not a number"
        keyed = Translatable(said, "dna.error.frequency_number", line=line, what=what, cell=cell)
        raise InvalidFrequencyTableError(keyed) from None


def _long_rows(records: list[list[str]], population: str | None) -> list[_Row]:
    header = [cell.strip().lower() for cell in records[0]]
    column = {name: index for index, name in enumerate(header)}
    locus_col = column.get("locus", column.get("marker"))
    allele_col = column.get("allele")
    if locus_col is None or allele_col is None:
        said = "long format needs 'locus' (or 'marker') and 'allele' columns"
        raise InvalidFrequencyTableError(Translatable(said, "dna.error.frequency_locus_columns"))
    frequency_col = column.get("frequency")
    count_col = column.get("count")
    n_col = column.get("n", column.get("n_alleles"))
    population_col = column.get("population")
    if frequency_col is None and (count_col is None or n_col is None):
        said = "long format needs 'frequency', or 'count' and 'n_alleles'"
        raise InvalidFrequencyTableError(Translatable(said, "dna.error.frequency_value_columns"))
    if population_col is not None:
        populations = sorted({row[population_col] for row in records[1:]})
        if population is None and len(populations) > 1:
            listed = TextList(populations)
            keyed = Translatable(
                f"choose a population: {listed}", "dna.error.frequency_choose", populations=listed
            )
            raise InvalidFrequencyTableError(keyed)
    rows: list[_Row] = []
    for line, record in enumerate(records[1:], start=2):
        if population_col is not None and population is not None and record[population_col] != population:
            continue
        n = int(_number(record[n_col], what="n", line=line)) if n_col is not None and record[n_col] else None
        if frequency_col is not None and record[frequency_col].strip():
            frequency = _number(record[frequency_col], what="frequency", line=line)
        elif count_col is not None and n:
            frequency = _number(record[count_col], what="count", line=line) / n
        else:
            continue
        rows.append((record[locus_col], record[allele_col], frequency, n))
    if population is not None and population_col is not None and not rows:
        said = f"no rows for population {population!r}"
        raise InvalidFrequencyTableError(
            Translatable(said, "dna.error.frequency_no_rows", population=population)
        )
    return rows


def _wide_rows(records: list[list[str]]) -> list[_Row]:
    loci = [cell.strip() for cell in records[0][1:]]
    sizes: dict[int, int] = {}
    body = records[1:]
    if body and body[-1][0].strip().upper() == "N":
        for index, cell in enumerate(body[-1][1:]):
            if cell.strip():
                sizes[index] = int(_number(cell, what="N", line=len(records)))
        body = body[:-1]
    rows: list[_Row] = []
    for line, record in enumerate(body, start=2):
        allele = record[0]
        for index, cell in enumerate(record[1:]):
            # EuroForMix writes NA for "not observed".
            if index >= len(loci) or cell.strip().upper() in {"", "NA"} or not loci[index]:
                continue
            frequency = _number(cell, what="frequency", line=line)
            rows.append((loci[index], allele, frequency, sizes.get(index) or None))
    return rows


def read_frequency_csv(
    text: str, *, population: str | None = None, minimum_frequency: float | None = None
) -> FrequencyTable:
    """Parse frequency CSV text (long or wide layout) into a FrequencyTable for one population."""
    records = _records(text)
    if len(records) < 2:
        raise InvalidFrequencyTableError(
            Translatable("the frequency file is empty", "dna.error.frequency_empty")
        )
    first = records[0][0].strip().lower()
    rows = _wide_rows(records) if first == "allele" else _long_rows(records, population)
    # Sex markers carry genotype labels like "X,X" in some tables: drop them before parsing.
    kept: list[_Row] = []
    for row in rows:
        try:
            if is_sex_locus(row[0]):
                continue
        except InvalidLocusError as error:
            raise InvalidFrequencyTableError(_reason(error)) from error
        kept.append(row)
    try:
        return FrequencyTable.from_rows(population or "default", kept, minimum_frequency=minimum_frequency)
    except (InvalidAlleleError, InvalidLocusError) as error:
        raise InvalidFrequencyTableError(_reason(error)) from error


def _reason(error: Exception) -> str:
    """The message as raised: a keyed text (``Translatable``) keeps its key for the pages."""
    return error.args[0] if error.args and isinstance(error.args[0], str) else str(error)


def read_frequency_file(
    path: str | Path, *, population: str | None = None, minimum_frequency: float | None = None
) -> FrequencyTable:
    """Read a frequency table from a CSV file (see read_frequency_csv)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return read_frequency_csv(text, population=population, minimum_frequency=minimum_frequency)


def list_populations(text: str) -> tuple[str, ...]:
    """Return the populations named in a long-format table's 'population' column (empty if none)."""
    records = _records(text)
    if not records:
        return ()
    header = [cell.strip().lower() for cell in records[0]]
    if "population" not in header:
        return ()
    index = header.index("population")
    return tuple(sorted({row[index] for row in records[1:] if len(row) > index}))
