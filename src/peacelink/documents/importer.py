"""Bulk import of travel documents (CSV or JSON Lines with the API's field names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table

from peacelink.access import Actor, AgencyKind, require_role
from peacelink.checks.bulk_import import ImportSpec
from peacelink.checks.import_duplicates import NaturalKey
from peacelink.documents.models import TravelDocument
from peacelink.documents.rows import IMPORT_FIELDS, RANGE_FIELD, document_values
from peacelink.documents.service import REPORTING_ROLES
from peacelink.errors import Forbidden, Invalid


def _validate(actor: Actor, row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    values = document_values(row, today=today)
    # The issuing-country rule holds per line: an NCB imports only its own country's documents.
    if values["issuing_country"] != actor.agency_country:
        raise Invalid(
            f"only the NCB of {values['issuing_country']} may report this document", field="issuing_country"
        )
    return values


def may_import(actor: Actor) -> None:
    """Importing documents is for reporting staff of a national central bureau."""
    require_role(actor, *REPORTING_ROLES)
    if actor.agency_kind is not AgencyKind.NCB:
        raise Forbidden("only a national central bureau reports travel documents")


table = TravelDocument.__table__
assert isinstance(table, Table)

SPEC = ImportSpec(
    database="documents",
    table=table,
    fields=(*IMPORT_FIELDS, RANGE_FIELD),
    required=("issuing_country", "document_type", "number", "status"),
    validate=_validate,
    # uq_travel_documents_natural: (issuing country, number, document type, owner agency).
    natural_key=NaturalKey("issuing_country", "number", "document_type"),
)
