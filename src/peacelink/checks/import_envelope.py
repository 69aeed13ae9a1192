"""The record envelope's fields every import line may set, as the API's create sets them: the review date
(here) and the visibility (``import_visibility``).

The create of every record (persons, travel documents, vehicles) takes ``review_due``: by default, and at
the latest, 5 years from today (INTERPOL's RPD; ``records.changes.future_review``). An import line takes it
too, written YYYY-MM-DD (a JSON string, or a CSV cell; blank or null is the default), held to the create's
own rule, called here, never copied: a date not after today or after the latest rejects the line naming
``review_due``, with the create's words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peacelink.checks.import_visibility import VISIBILITY_FIELDS
from peacelink.records.changes import future_review, iso_date

__all__ = ["ENVELOPE_FIELDS", "REVIEW_FIELD", "review_column"]

REVIEW_FIELD = "review_due"
# Every import takes these besides its database's own fields, in this order.
ENVELOPE_FIELDS = (REVIEW_FIELD, *VISIBILITY_FIELDS)


def review_column(row: dict[str, Any], *, today: dt.date) -> dict[str, dt.date]:
    """The ``review_due`` column of a line: as given, else the default; Invalid naming the field.

    >>> review_column({"review_due": "2027-01-31"}, today=dt.date(2026, 11, 23))
    {'review_due': datetime.date(2027, 1, 31)}
    >>> review_column({}, today=dt.date(2026, 11, 23))
    {'review_due': datetime.date(2031, 11, 23)}
    """
    return {REVIEW_FIELD: future_review(iso_date(row.get(REVIEW_FIELD), REVIEW_FIELD), today=today)}
