"""The checkpoint's person check (web form, CLI): the person, and the identity document presented.

A document given with the person, scanned (the MRZ) or typed (its number and issuing country), is a factor
of the person's score and is also checked against the stolen and lost documents: a passport reported stolen
is never "no hit" on the person form. Two checks, two answers, two audit events. Both are looked up before
either is written (``pipeline.evaluate``, then ``persist``), so an input either check refuses refuses both
and nothing is audited. The API keeps the two apart (``POST /api/v1/checks/persons`` and ``/documents``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from peacelink.access import Actor
from peacelink.checks import service as checks
from peacelink.documents.lookup import read_mrz
from peacelink.documents.rows import country
from peacelink.documents.schemas import DocumentCheck
from peacelink.errors import Invalid
from peacelink.persons.lookup import evaluate_person
from peacelink.persons.schemas import DocumentIn, PersonCheck
from peacelink.persons.values import compact_number
from peacelink.translatable import Translatable


@dataclass(frozen=True)
class CheckpointAnswer:
    """The person check's answer and the presented document's (None when no document was given)."""

    person: dict[str, Any]
    document: dict[str, Any] | None

    @property
    def hit(self) -> bool:
        """Whether either check is a hit (the CLI's exit code 3)."""
        return self.person["result"] == "hit" or (self.document or {}).get("result") == "hit"


def _number_field(data: PersonCheck) -> str:
    """The person check's name of the document number's field (as ``check_input`` names it)."""
    return "document.number" if isinstance(data.document, DocumentIn) else "document"


def _typed(data: PersonCheck) -> tuple[str, str | None] | None:
    """The typed document's number (compacted as the person check reads it) and issuing country, if given.

    The person check has already refused a bad number or country code.
    """
    if data.document is None or (isinstance(data.document, str) and not data.document.strip()):
        return None
    if isinstance(data.document, str):
        return compact_number(data.document), None
    issuer = (data.document.country or "").strip().upper()
    return compact_number(data.document.number), country(issuer, "document.country") if issuer else None


def _scanned_issuer(code: str) -> str | None:
    """The MRZ's issuing country as stored (D is DEU), or None when the zone's code is no country."""
    try:
        return country(code.strip().upper())
    except Invalid:
        return None


def _beside_mrz(data: PersonCheck, number: str, issuer: str | None) -> DocumentCheck:
    """The document check of a number typed beside an MRZ: the MRZ's, when it is the MRZ's own document
    (the typed country fills one the zone cannot hold, an OCR slip); another document is refused."""
    parsed, _ = read_mrz(data.mrz or "")
    read_number = compact_number(parsed.document_number)
    read_issuer = _scanned_issuer(parsed.issuing_country)
    if read_number != number or (issuer and read_issuer and issuer != read_issuer):
        read = f"{read_number} ({read_issuer or parsed.issuing_country})"
        typed = f"{number} ({issuer})" if issuer else number
        message = f"the MRZ is of document {read}, not of the document typed, {typed}: check one at a time"
        raise Invalid(
            Translatable(message, "persons.check.error.document_not_mrz", read=read, typed=typed),
            field=_number_field(data),
        )
    if issuer is not None and read_issuer is None:
        return DocumentCheck(issuing_country=issuer, number=number)
    return DocumentCheck(mrz=data.mrz)


def presented_document(data: PersonCheck) -> DocumentCheck | None:
    """The document check a person check brings with it, or None: the scanned MRZ, else the typed number
    and issuing country.

    Like the document check, a number needs its issuing country (from the MRZ or typed): a number alone is
    refused, never checked against a country guessed for it. A number typed beside an MRZ must be the
    MRZ's own document (``_beside_mrz``): another is refused, so that neither goes unchecked.
    """
    typed = _typed(data)
    if typed is None:
        return DocumentCheck(mrz=data.mrz) if data.mrz else None
    number, issuer = typed
    if data.mrz:
        return _beside_mrz(data, number, issuer)
    if issuer is None:
        message = (
            f"give the issuing country of document {number} (ISO 3166-1 alpha-3): a document is checked "
            "against the stolen and lost documents by its issuing country and number"
        )
        raise Invalid(
            Translatable(message, "persons.check.error.document_country", number=number),
            field="document.country",
        )
    return DocumentCheck(issuing_country=issuer, number=number)


def check(
    session: Session, *, actor: Actor, data: PersonCheck, today: dt.date | None = None
) -> CheckpointAnswer:
    """Check the person and the document presented (``presented_document``), each audited."""
    person = evaluate_person(session, actor=actor, data=data, today=today)
    document_data = presented_document(data)
    document = None
    if document_data is not None:
        try:
            document = checks.evaluate_document(session, actor=actor, data=document_data, today=today)
        except Invalid as exc:  # named as the person check's field, the box the officer typed in
            if document_data.mrz:
                field = "mrz"
            else:
                field = "document.country" if exc.field == "issuing_country" else _number_field(data)
            raise Invalid(exc.message, field=field, details=exc.details) from exc
    return CheckpointAnswer(
        person=person.persist(session).to_dict(),
        document=document.persist(session).to_dict() if document is not None else None,
    )
