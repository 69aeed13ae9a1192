"""The field an error names, said as the page's form labels its box, in the page's language.

A refused value is named by the request shape's field (``issuing_country``, ``names.1``,
``attachments.0.data``): the API's name, meaningless to an officer and English on every page. Each form
page maps those names to the catalogue key of its own label for the box (the text the officer reads beside
it); a field with no box on the page (a hidden value, a page parameter) keeps its name.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from peacelink.web import i18n

_CHECKS = {
    "mrz": "checks.mrz",
    "issuing_country": "checks.issuing_country",
    "number": "checks.number",
    "vin": "checks.vin",
    "plate": "checks.plate",
    "country": "checks.plate_country",
}
_PERSON_CHECK = {
    "names": "persons.check.names",
    "mrz": "persons.check.mrz",
    "date_of_birth": "persons.dob",
    "nationality": "persons.nationality",
    "sex": "persons.sex",
    "document": "persons.document",
    "document.number": "persons.document",
    "document.country": "persons.document_country",
}
_PRINT_FILE = {
    "file": "fingerprints.file",
    "image": "fingerprints.file",
    "template": "fingerprints.file",
    "source": "fingerprints.source",
}
_PRINT_ENROL = {
    **_PRINT_FILE,
    "reference": "fingerprints.reference",
    "finger_position": "fingerprints.finger",
    "kind": "fingerprints.kind",
    "person_id": "fingerprints.person",
}
_DNA_CHECK = {
    "loci": "dna.loci",
    "stringency": "dna.stringency",
    "min_loci": "dna.min_loci",
    "allow_mismatch": "dna.allow_mismatch",
}
_DNA_ENROL = {
    "kind": "dna.kind",
    "reference": "dna.reference",
    "loci": "dna.loci",
    "relationship": "dna.relationship",
    "family": "dna.family",
    "action": "checks.action",
}
_COMPOSE = {
    "to": "messages.to",
    "recipients": "messages.to",
    "subject": "messages.subject",
    "classification": "messages.classification",
    "handling": "messages.handling",
    "body": "messages.body",
    "files": "messages.attachments",
    "attachments": "messages.attachments",
}
_DECISION = {"note": "hits.note"}
# The persons search form's boxes and their labels (web/person_pages.py reads its boxes from here).
PERSON_SEARCH_FIELDS = {
    "name": "persons.name",
    "born_from": "persons.born_from",
    "born_to": "persons.born_to",
    "nationality": "persons.nationality",
    "crime_area": "persons.crime_area",
    "warning": "persons.warning",
    "owner": "persons.owner",
}
# The service names the name box "names" when it refuses the name typed.
_PERSON_SEARCH = {**PERSON_SEARCH_FIELDS, "names": "persons.name"}

# The path a form is sent to (its page answers a refusal there) -> its labels by field name.
FORMS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (re.compile(r"/checks/(document|vehicle)"), _CHECKS),
    (re.compile(r"/checks/person"), _PERSON_CHECK),
    (re.compile(r"/checks/fingerprint"), _PRINT_FILE),
    (re.compile(r"/fingerprints/enrol"), _PRINT_ENROL),
    (re.compile(r"/checks/dna(/kinship)?"), _DNA_CHECK),
    (re.compile(r"/dna/profiles"), _DNA_ENROL),
    (re.compile(r"/messages/new"), _COMPOSE),
    (re.compile(r"(/fingerprints)?/hits/[^/]+/decide"), _DECISION),
    (re.compile(r"/persons/search"), _PERSON_SEARCH),
)


def label_key(path: str, field: str) -> tuple[str, str] | None:
    """The catalogue key of the label of the box ``field`` names on the form sent to ``path``, and the item
    of a list field it names ("2" for ``names.1``, the second line; "" for the field itself); None when
    the form has no box for it."""
    labels = next((found for pattern, found in FORMS if pattern.fullmatch(path)), None)
    if labels is None:
        return None
    if field in labels:
        return labels[field], ""
    head, _, rest = field.partition(".")
    if head not in labels:
        return None
    item = rest.split(".")[0]
    return labels[head], str(int(item) + 1) if item.isdigit() and item.isascii() else item


def field_note(language: str, path: str, field: object) -> Markup:
    """The end of an error line naming ``field``: "Field: Issuing country (ISO alpha-3)" in ``language``
    when the form has a box for it (``label_key``); else the field's own name in brackets, left to right,
    as the API names it."""
    found = label_key(path, str(field))
    if found is None:
        return Markup('<bdi dir="ltr">({})</bdi>').format(field)
    key, item = found
    label = Markup("<bdi>{}</bdi>").format(i18n.translate(language, key))
    if item:
        label += Markup(' <bdi dir="ltr">{}</bdi>').format(item)
    return escape(i18n.translate(language, "form.error_field")).format(label=label)
