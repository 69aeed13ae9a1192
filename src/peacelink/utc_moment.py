"""A moment a request gives (the audit list's ``since`` and ``until``, a key revocation's ``at``): with its
time zone, and one that UTC can hold, since every timestamp is stored in UTC (``db.base.UTCDateTime``).

Without its zone such a moment reached the database layer, which refuses naive datetimes, as a 500;
``0001-01-01T00:00:00+14:00`` lies before year 1 in UTC, which Python's calendar cannot hold (an
OverflowError in the same place). Both are the caller's bad input: a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

__all__ = ["UtcMoment", "in_utc"]


def in_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC; ValueError (a validation error naming the field) when UTC cannot hold it.

    >>> in_utc(dt.datetime(2030, 1, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))).isoformat()
    '2030-01-01T00:00:00+00:00'
    """
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError as error:
        raise ValueError("the moment lies outside the years 1 to 9999 in UTC") from error


# A timezone-aware moment, converted to UTC; pydantic refuses one without its zone.
UtcMoment = Annotated[AwareDatetime, AfterValidator(in_utc)]
