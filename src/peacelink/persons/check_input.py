"""A person check's input: names (any script), a scanned MRZ, date of birth, nationality, sex and
document, checked and turned into the pipeline's ``Query`` (``normalise``)."""

from __future__ import annotations

from typing import Any

from peacelink.checks.pipeline import Query
from peacelink.documents.lookup import read_mrz
from peacelink.documents.rows import country
from peacelink.errors import Invalid
from peacelink.identifiers import countries
from peacelink.matching.names import (
    PersonQuery,
)
from peacelink.matching.names.normalisation import PARTICLES, TITLES
from peacelink.persons.models import Sex
from peacelink.persons.schemas import MAX_CHECK_NAMES as MAX_NAMES
from peacelink.persons.schemas import DocumentIn, PersonCheck
from peacelink.persons.values import MAX_NAME_PARTS, check_dates, compact_number
from peacelink.translatable import Translatable

# The largest names a check takes, in parts once normalised (titles and particles gone): MAX_NAME_PARTS
# in a name, as in a record, and MAX_CHECK_PARTS in all. 10 names of 40 random syllables each took 0.6 s at 1M
# persons (an officer could stall a server with them), 32 parts in all at most 93 ms.
MAX_CHECK_PARTS = 32


def _from_mrz(data: PersonCheck) -> tuple[PersonCheck, list[str], dict[str, Any]]:
    """The check with what the MRZ says of its holder filled in (fields given stay as given), the MRZ's
    warnings and what the audit keeps of it."""
    parsed, warnings = read_mrz(data.mrz or "")
    given = parsed.given_names.split()
    if len(given) >= 2 and any("name zone is full" in w for w in parsed.warnings):
        # The zone cut the last given name short (ABDULA for Abdullah): left out, not matched as written.
        message = f"MRZ: the last given name {given[-1]!r} may be cut short; it is left out"
        warnings.append(Translatable(message, "persons.check.warning.mrz_name_cut", name=given[-1]))
        given = given[:-1]
    holder = " ".join([*given, parsed.surname]).strip()
    if not holder and not data.names:
        message = "the MRZ holds no name: give the name as read"
        raise Invalid(Translatable(message, "persons.check.error.mrz_no_name"), field="names")
    # A code the MRZ parser could not place (an OCR slip: C0L, CAE) is left out, not a reason to refuse.
    nationality = parsed.nationality if countries.is_valid_alpha3(parsed.nationality) else None
    issuer = parsed.issuing_country if countries.is_valid_alpha3(parsed.issuing_country) else None
    sex = {"M": Sex.MALE, "F": Sex.FEMALE}.get(parsed.sex)
    scanned_document = (
        DocumentIn(number=parsed.document_number, country=issuer)
        if len(parsed.document_number) >= 2
        else None
    )
    # What the officer typed wins; where it differs from the document, the answer says so.
    for field, typed, read in (
        ("date_of_birth", data.date_of_birth, parsed.birth_date),
        ("nationality", (data.nationality or "").strip().upper() or None, nationality),
        ("sex", data.sex.value if data.sex else None, sex.value if sex else None),
    ):
        if typed and read and typed != read:
            message = f"{field}: the MRZ reads {read}, the check uses the {typed} given"
            key = f"persons.check.warning.mrz_differs.{field}"
            warnings.append(Translatable(message, key, read=_shown(field, read), typed=_shown(field, typed)))
    given_names = {" ".join(n.split()).casefold() for n in data.names}
    names = [*([holder] if holder and holder.casefold() not in given_names else []), *data.names]
    if len(names) > MAX_NAMES:
        # The holder's name and the names typed beside it are checked together: none is dropped.
        message = f"with an mrz, give at most {MAX_NAMES - 1} names: its holder's name is one more"
        raise Invalid(
            Translatable(message, "persons.check.error.mrz_too_many_names", most=MAX_NAMES - 1), field="names"
        )
    filled = data.model_copy(
        update={
            "names": names,
            "date_of_birth": data.date_of_birth or parsed.birth_date,
            "nationality": data.nationality or nationality,
            "sex": data.sex or sex,
            "document": data.document or scanned_document,
        }
    )
    return filled, warnings, {"source": "mrz", "mrz_format": parsed.format, "mrz_valid": parsed.valid}


def _shown(field: str, value: str) -> str:
    """A value in a warning: a sex as its name (``value.sex.male``, translated on a page), else as given."""
    return Translatable(value, f"value.sex.{value}") if field == "sex" else value


def normalise(data: PersonCheck) -> Query:
    """Turn check input into a Query; Invalid names the field. With an ``mrz``, its holder's name, date of
    birth, nationality, sex and document fill the fields not given (``_from_mrz``)."""
    mrz_warnings: list[str] = []
    scanned: dict[str, Any] = {}
    if data.mrz:
        data, mrz_warnings, scanned = _from_mrz(data)
    names = [" ".join(n.split()) for n in data.names if n.strip()]
    if not names:
        raise Invalid(
            Translatable("give at least one name, or an mrz", "persons.check.error.no_name"), field="names"
        )
    try:
        dates = check_dates([data.date_of_birth]) if data.date_of_birth else []
    except Invalid as exc:  # the check has one date_of_birth, not a list
        raise Invalid(exc.message, field="date_of_birth") from exc
    nationality = country(data.nationality.strip().upper(), "nationality") if data.nationality else None
    document, document_country = _document(data)
    query = PersonQuery(
        names=names,
        dates_of_birth=dates,
        nationalities=[nationality] if nationality else [],
        sex=data.sex.value if data.sex and data.sex.value != "unknown" else None,
    )
    warnings = [*mrz_warnings] + [
        Translatable(
            f"{name.original!r} holds only a title or a particle: it matches few records, if any",
            "persons.check.warning.title_only",
            name=name.original,
        )
        for name in query.prepared.names
        if not name.reading and all(p.text in PARTICLES or p.text in TITLES for p in name.parts)
    ]
    if not query.prepared.names:
        message = "the names have no letters to match on"
        raise Invalid(Translatable(message, "persons.check.error.no_letters"), field="names")
    _check_size(query)
    summary = {
        "names": names,
        "date_of_birth": dates[0] if dates else None,
        "nationality": nationality,
        "sex": query.sex,
        "document": document,
    }
    if document_country:
        summary["document_country"] = document_country
    summary.update(scanned)
    values = {"query": query, "document": document, "document_country": document_country}
    return Query(values=values, summary=summary, warnings=tuple(warnings))


def _check_size(query: PersonQuery) -> None:
    """Refuse names no person bears that would cost a check seconds (the scoring compares every part with
    every part): more than MAX_NAME_PARTS parts in one name, or MAX_CHECK_PARTS in all."""
    given = [name for name in query.prepared.names if not name.reading]
    for name in given:
        if len(name.parts) > MAX_NAME_PARTS:
            beginning, parts = " ".join(name.original.split()[:4]), len(name.parts)
            message = (
                f"the name beginning {beginning!r} has {parts} parts; "
                f"a person's name has at most {MAX_NAME_PARTS}: give its main parts"
            )
            key = "persons.check.error.name_parts"
            raise Invalid(
                Translatable(message, key, beginning=beginning, parts=parts, most=MAX_NAME_PARTS),
                field="names",
            )
    total = sum(len(name.parts) for name in given)
    if total > MAX_CHECK_PARTS:
        message = (
            f"the names have {total} parts in all; a check compares at most {MAX_CHECK_PARTS}: "
            "give fewer spellings"
        )
        key = "persons.check.error.check_parts"
        raise Invalid(Translatable(message, key, parts=total, most=MAX_CHECK_PARTS), field="names")


def _document(data: PersonCheck) -> tuple[str | None, str | None]:
    """The presented identity document's number (compacted as stored) and issuing country, if given.

    A blank number is no document; a number that is not 2 to 40 letters and digits once spaces, dashes and
    MRZ fillers are gone is refused (it would match nothing, and silently ignoring it would hide that).
    """
    if data.document is None or (isinstance(data.document, str) and not data.document.strip()):
        return None, None
    if isinstance(data.document, str):
        raw, issuer, field = data.document, None, "document"
    else:
        raw, issuer, field = data.document.number, data.document.country, "document.number"
    number = compact_number(raw)
    if not number and issuer and issuer.strip():
        message = (
            f"the document country {issuer.strip()} needs a document number: give the number of the "
            "document presented too"
        )
        key = "persons.check.error.document_country_without_number"
        raise Invalid(Translatable(message, key, country=issuer.strip()), field=field)
    if not 2 <= len(number) <= 40 or not (number.isascii() and number.isalnum()):
        message = "an identity document number has 2 to 40 letters and digits"
        raise Invalid(Translatable(message, "persons.check.error.document_number"), field=field)
    code = country(issuer.strip().upper(), "document.country") if issuer and issuer.strip() else None
    return number, code
