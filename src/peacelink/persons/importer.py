"""Bulk import of person records: CSV or JSON Lines with the API's field names.

Reuses the shared importer (``checks/bulk_import``: reading, validation, envelope, report) and adds what a
person needs besides its row: its names and blocking keys, and the key counts. Idempotent on the natural
key (owner agency, ``reference``): references already present for the owner are skipped by the unique
index ``uq_persons_reference`` in the insert itself (``db.bulk.insert_new``); a reference twice in one file:
the first line wins and the report names the others (``checks/import_duplicates``); all-or-nothing per batch.
A line may link the person to travel documents and vehicles (``travel_document_ids``, ``vehicle_ids``), as
``PersonCreate`` does, each linked record held to the create's rule (it exists and the importing agency may
see it: ``service.visible_links``), looked up once for a whole batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session, sessionmaker

from peacelink.access import Actor, require_role
from peacelink.checks import bulk_import
from peacelink.checks.bulk_import import DEFAULT_BATCH, ImportReport, ImportSpec
from peacelink.checks.import_duplicates import NaturalKey
from peacelink.checks.import_fields import TEXT, TEXT_LIST, list_of, text_or_object
from peacelink.db.bulk import insert_new, insert_rows
from peacelink.errors import Invalid, PeacelinkError
from peacelink.persons import keys as person_keys
from peacelink.persons.models import (
    Person,
    PersonDocumentLink,
    PersonKeyCount,
    PersonName,
    PersonNameKey,
    PersonVehicleLink,
    table_of,
)
from peacelink.persons.service import REPORTING_ROLES, checked_links, visible_links
from peacelink.persons.values import (
    IMPORT_FIELDS,
    LINK_FIELDS,
    REQUIRED_FIELDS,
    check_link_ids,
    person_values,
)

# The link tables an import fills, and the column of each holding the linked record's id.
_LINK_TABLES = {
    "travel_document_ids": (table_of(PersonDocumentLink), "document_id"),
    "vehicle_ids": (table_of(PersonVehicleLink), "vehicle_id"),
}


def _validate(actor: Actor, row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    values = person_values(row, today=today)
    links = {field: check_link_ids(row.get(field), field) for field in LINK_FIELDS}
    return {**values.columns, "_names": values.names, "_links": links}


def check_links(
    session: Session, *, actor: Actor, values: Sequence[dict[str, Any]]
) -> dict[int, PeacelinkError]:
    """The lines of a batch whose links the create would refuse (an id of no record, or of one hidden from
    ``actor``), by index, each with the create's error; the others' links are replaced by their checked
    ids, each once. The ids of the whole batch are looked up at once, none when no line links anything."""
    visible = {
        field: visible_links(
            session, actor=actor, field=field, ids={i for line in values for i in line["_links"][field]}
        )
        for field in LINK_FIELDS
    }
    refused: dict[int, PeacelinkError] = {}
    for index, line in enumerate(values):
        try:
            line["_links"] = {
                field: checked_links(field, line["_links"][field], visible[field]) for field in LINK_FIELDS
            }
        except Invalid as error:
            refused[index] = error
    return refused


def may_import(actor: Actor) -> None:
    """Importing persons is for reporting staff of any agency."""
    require_role(actor, *REPORTING_ROLES)


def insert_persons(session: Session, *, rows: list[dict[str, Any]]) -> list[str]:
    """Insert one batch of new persons with names, keys and counts; return the ids that went in.

    ``rows`` carry each person's names under ``_names``; each reference comes once (the shared importer
    keeps the first line of a reference repeated in the file).
    """
    if not rows:
        return []
    connection = session.connection()
    person_rows: list[dict[str, Any]] = []
    names_by_person: dict[str, list[Any]] = {}
    links_by_person: dict[str, dict[str, list[str]]] = {}
    numbers = person_keys.allocate_numbers(connection, len(rows))
    for row, number in zip(rows, numbers, strict=True):
        person_rows.append({**{k: v for k, v in row.items() if not k.startswith("_")}, "number": number})
        names_by_person[row["id"]] = row["_names"]
        links_by_person[row["id"]] = row.get("_links", {})
    # The unique index (owner agency, reference) skips the references the owner already has, in the
    # insert itself; names and keys follow for the persons that went in.
    inserted = set(insert_new(connection, table_of(Person), person_rows, returning="id"))
    name_rows: list[dict[str, Any]] = []
    keys_by_person: dict[int, set[str]] = {}
    kept: list[str] = []
    for row in person_rows:
        pid = row["id"]
        if pid not in inserted:
            continue
        kept.append(pid)
        names = names_by_person[pid]
        name_rows.extend(
            {
                "person_id": pid,
                "position": i,
                "name": n.name,
                "kind": n.kind,
                "script": n.script,
                "parts": n.parts,
                "prepared": person_keys.stored_form(n.name, n.parts),
            }
            for i, n in enumerate(names)
        )
        keys_by_person[row["number"]] = person_keys.person_keys(
            [(n.name, n.parts) for n in names],
            row["identifiers"],
            dates_of_birth=row["dates_of_birth"],
            nationalities=row["nationalities"],
            crime_areas=row["crime_areas"],
            warnings=row["warnings"],
        )
    if inserted:
        insert_rows(connection, table_of(PersonName), name_rows)
        person_keys.add_keys(connection, keys_by_person)
        for field, (link_table, column) in _LINK_TABLES.items():
            link_rows = [
                {"person_id": pid, column: linked}
                for pid in kept
                for linked in links_by_person[pid].get(field, [])
            ]
            if link_rows:
                insert_rows(connection, link_table, link_rows)
    return [row["id"] for row in person_rows if row["id"] in inserted]


table = Person.__table__
assert isinstance(table, Table)

# The JSON types of the fields that are not text, as PersonCreate takes them (the others take a string).
SHAPES = {
    "names": list_of(
        text_or_object("a JSON string or an object {name, kind, script} of strings"),
        "a JSON list of names, each a string or an object {name, kind, script} of strings",
    ),
    "identifiers": list_of(
        text_or_object("a JSON string (the number) or an object {type, number, country} of strings"),
        "a JSON list of identifiers, each a string (the number) or an object {type, number, country}",
    ),
    "dates_of_birth": TEXT_LIST,
    "nationalities": TEXT_LIST,
    "crime_areas": TEXT_LIST,
    "warnings": TEXT_LIST,
    "travel_document_ids": list_of(
        TEXT, "a JSON list of strings, the ids of travel documents your agency may see"
    ),
    "vehicle_ids": list_of(TEXT, "a JSON list of strings, the ids of stolen vehicles your agency may see"),
}

SPEC = ImportSpec(
    database="persons",
    table=table,
    fields=IMPORT_FIELDS,
    required=REQUIRED_FIELDS,
    validate=_validate,
    natural_key=NaturalKey("reference"),  # uq_persons_reference: (owner agency, reference)
    insert=insert_persons,
    also_loads=(
        table_of(PersonName),
        table_of(PersonNameKey),
        table_of(PersonKeyCount),
        table_of(PersonDocumentLink),
        table_of(PersonVehicleLink),
    ),
    shapes=SHAPES,
    check_references=check_links,
)


def import_stream(
    sessions: sessionmaker[Session],
    *,
    actor: Actor,
    stream: Iterable[str],
    fmt: str,
    source: str,
    batch_size: int = DEFAULT_BATCH,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Import a whole file batch by batch, one transaction per batch (the CLI path)."""
    may_import(actor)
    return bulk_import.import_stream(
        sessions,
        actor=actor,
        spec=SPEC,
        stream=stream,
        fmt=fmt,
        source=source,
        batch_size=batch_size,
        skip_invalid=skip_invalid,
        progress=progress,
        today=today,
    )


def import_text(
    session: Session, *, actor: Actor, text: str, fmt: str, source: str, today: dt.date | None = None
) -> ImportReport:
    """Import a request body in the caller's transaction: one batch, nothing written if a line is bad."""
    may_import(actor)
    return bulk_import.import_text(
        session, actor=actor, spec=SPEC, text=text, fmt=fmt, source=source, today=today
    )
