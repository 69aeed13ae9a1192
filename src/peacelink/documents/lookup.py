"""The documents database's part of the check pipeline: normalise a query, find candidate records."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import CompoundSelect, Select, bindparam, select, union_all
from sqlalchemy.orm import Session

from peacelink.checks.pipeline import Candidate, Match, Query
from peacelink.db.direct import DirectStatement
from peacelink.documents.models import DocumentType, TravelDocument
from peacelink.documents.numbers import NumberError, number_key, split_number, validate_number
from peacelink.documents.rows import country
from peacelink.documents.schemas import DocumentCheck
from peacelink.errors import Invalid
from peacelink.identifiers import mrz
from peacelink.identifiers.exceptions import IdentifierError
from peacelink.translatable import Translatable

DATABASE = "documents"
_ORDER = {Match.EXACT: 0, Match.RANGE: 1, Match.CONFUSABLE: 2}

# ICAO Doc 9303 Part 3 §4.2.2: the first letter of the document code says the kind of document.
_MRZ_TYPES = {
    "P": DocumentType.PASSPORT,
    "I": DocumentType.IDENTITY_CARD,
    "A": DocumentType.IDENTITY_CARD,
    "C": DocumentType.IDENTITY_CARD,
    "V": DocumentType.VISA,
}


def summary(document: Any) -> dict[str, Any]:
    """What a hit shows of a document (a TravelDocument or a row of its table).

    The searcher confirms with the owner before acting.
    """
    return {
        "issuing_country": document.issuing_country,
        "document_type": document.document_type,
        "number": document.number,
        "range_end": document.range_end,
        "status": document.document_status,
        "reported_at": document.reported_at.isoformat() if document.reported_at else None,
        "place": document.place,
        "holder_name": document.holder_name,
        "holder_birth_date": document.holder_birth_date.isoformat() if document.holder_birth_date else None,
    }


def read_mrz(lines: str | list[str]) -> tuple[mrz.MRZResult, list[str]]:
    """The MRZ's fields and the warnings an officer must see (its own, and check digits that do not
    compute: the document is then to be verified by eye); Invalid on ``mrz`` when it cannot be read. The
    document check and the person check (its holder) read a scanned MRZ alike."""
    try:
        parsed = mrz.parse(lines)
    except IdentifierError as exc:
        message = f"the MRZ cannot be read: {exc.message}"
        raise Invalid(Translatable(message, "checks.error.mrz", reason=exc.message), field="mrz") from exc
    warnings: list[str] = [
        Translatable(f"MRZ: {w}", "checks.warning.mrz", warning=w) for w in parsed.warnings
    ]
    if not parsed.valid:
        failed = ", ".join(name for name, ok in parsed.checks.items() if not ok)
        message = f"MRZ check digits do not compute ({failed}): verify the document by eye"
        warnings.append(Translatable(message, "checks.warning.mrz_check_digits", fields=failed))
    return parsed, warnings


def _from_mrz(lines: str | list[str]) -> tuple[str, str, list[str], dict[str, Any]]:
    """Country, number, warnings and audit summary from MRZ lines."""
    parsed, warnings = read_mrz(lines)
    kind = _MRZ_TYPES.get(parsed.document_code[:1])
    info = {
        "source": "mrz",
        "mrz_format": parsed.format,
        "mrz_valid": parsed.valid,
        "document_type": kind.value if kind else None,
    }
    return parsed.issuing_country, parsed.document_number, warnings, info


def normalise(data: DocumentCheck) -> Query:
    """Turn API/CLI/web input into a Query; Invalid names the missing or bad field."""
    warnings: list[str] = []
    kind = data.document_type.value if data.document_type else None
    if data.mrz:
        raw_country, raw_number, warnings, info = _from_mrz(data.mrz)
    else:
        missing = Translatable("give issuing_country and number, or mrz", "checks.error.document_fields")
        if not data.issuing_country:
            raise Invalid(missing, field="issuing_country")
        if not data.number:
            raise Invalid(missing, field="number")
        raw_country, raw_number, info = data.issuing_country, data.number, {"source": "fields"}
    issuing = country(raw_country.strip().upper())
    try:
        number = validate_number(raw_number)
    except NumberError as exc:
        raise Invalid(exc.message, field="mrz" if data.mrz else exc.field) from exc
    values = {
        "issuing_country": issuing,
        "number": number,
        "key": number_key(number),
        "document_type": kind,
        "split": split_number(number),
    }
    summary_ = {
        **info,
        "issuing_country": issuing,
        "number": number,
        "document_type": kind or info.get("document_type"),
    }
    return Query(values=values, summary=summary_, warnings=tuple(warnings))


def _classify(document: Any, number: str, split: tuple[str, int, int] | None) -> str:
    if document.number == number and document.range_prefix is None:
        return Match.EXACT
    if (
        split is not None
        and document.range_prefix == split[0]
        and document.range_width == split[1]
        and document.range_first is not None
        and document.range_last is not None
        and document.range_first <= split[2] <= document.range_last
    ):
        return Match.RANGE
    return Match.EXACT if document.number == number else Match.CONFUSABLE


@cache
def _direct() -> tuple[DirectStatement, DirectStatement]:
    """The two statements below, run on the driver's cursor (db/direct.py): a check's one read."""
    exact, both = _statements()
    return DirectStatement(exact), DirectStatement(both)


@cache
def _statements() -> tuple[Select[Any], CompoundSelect[Any]]:
    """The look-ups, built once (building SQL expressions costs more than running these).

    The exact/confusable search alone, or it and the blank-range search as one ``UNION ALL`` of two
    subqueries: one statement per check instead of two, and still two index searches, each arm planned on
    its own (an OR would let SQLite pick the natural-key index on the country alone and scan every
    document of that country). The arms have their own LIMIT.
    """
    table = TravelDocument.__table__
    exact = (
        select(table)
        .where(table.c.issuing_country == bindparam("country"), table.c.number_key == bindparam("key"))
        .limit(200)
    )
    in_range = (
        select(table)
        .where(
            table.c.issuing_country == bindparam("country"),
            table.c.range_prefix == bindparam("prefix"),
            table.c.range_width == bindparam("width"),
            table.c.range_first <= bindparam("digits"),
            table.c.range_last >= bindparam("digits"),
        )
        .limit(200)
    )
    both = union_all(select(exact.subquery()), select(in_range.subquery()))
    return exact, both


class DocumentLookup:
    """Exact and OCR-confusable number lookup (one index), plus blank ranges (a small partial index)."""

    database = DATABASE

    def look_up(self, session: Session, query: Query) -> Sequence[Candidate]:
        """Candidate documents for the query, exact first."""
        values = query.values
        split = values["split"]
        exact, both = _direct()
        connection = session.connection()
        parameters: dict[str, Any] = {"country": values["issuing_country"], "key": values["key"]}
        # Named-tuple rows, not ORM objects: a check reads a handful of columns and never changes the record.
        if split is None:
            documents: list[Any] = exact.rows(connection, parameters)
        else:
            prefix, width, digits = split
            parameters.update(prefix=prefix, width=width, digits=digits)
            documents = both.rows(connection, parameters)
        if values["document_type"]:
            documents = [d for d in documents if d.document_type == values["document_type"]]
        found = [(_classify(d, values["number"], split), d) for d in documents]
        found.sort(key=lambda pair: _ORDER[pair[0]])
        return [Candidate(record=d, match=m, summary=summary(d), action=d.action) for m, d in found]
