"""persons: dates of birth written in the digits of another script are stored in ASCII digits and re-keyed

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-24 07:00:00.000000

A date of birth typed on an Arabic keyboard (١٩٧٨-٠٥-٠٢) or in full-width digits (１９７８) passed the date
check (its pattern's \\d matches any decimal digit) and was stored as typed, so its fact key,
``f:١٩٧٨-٠٥-٠٢|UTO``, never met a check giving 1978-05-02; the birth years were read right. Since d05a1bf the
record and the check store and look up ASCII digits (``persons.values.ascii_digits``). This migration converts
the dates stored before it, on every record, and re-keys the active ones (``resync_persons``: the stale fact
keys go, their counts move). The dates are read and tested here: SQL has no portable test for other digits.

Downgrade changes nothing: the code before it reads ASCII dates as it always did.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import bindparam, select, update

from peacelink.matching.names.parts import READINGS
from peacelink.persons.keys import resync_persons
from peacelink.persons.models import Person, table_of
from peacelink.persons.values import ascii_digits

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    persons = table_of(Person)
    rows = connection.execute(select(persons.c.id, persons.c.dates_of_birth, persons.c.status))
    changed = [
        (pid, ascii_digits(dates), status) for pid, dates, status in rows if dates and not dates.isascii()
    ]
    if not changed:
        return
    statement = (
        update(persons).where(persons.c.id == bindparam("pid")).values(dates_of_birth=bindparam("dates"))
    )
    connection.execute(statement, [{"pid": pid, "dates": dates} for pid, dates, _status in changed])
    active = [pid for pid, _dates, status in changed if status == "active"]
    resync_persons(connection, (), readings=READINGS, renormalise=False, ids=active)


def downgrade() -> None:
    pass
