"""Owner-set visibility on each import line: the optional ``visibility`` and ``visibility_agencies`` fields
every import takes (persons, documents, vehicles), checked by the API create's own rule.

The owning agency decides who may see its records (ARCHITECTURE, rules of the domain), so an import may set
it per line as ``POST`` does: ``visibility`` ``all`` (the default), ``only`` or ``all_except``, and
``visibility_agencies`` the agency codes, a JSON list of strings in JSON Lines and, in a CSV cell, codes
separated by ``;`` as the other list fields are (a ``,`` inside a quoted cell is taken too: no agency code
holds one) or a JSON list. The rule itself (an unknown agency, agencies listed with ``all``, none with
``only`` or ``all_except``) is ``records.changes.visibility_columns``, called here, never copied.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.orm import Session

from peacelink.errors import Invalid
from peacelink.json_text import parse_json
from peacelink.records import changes

__all__ = ["VISIBILITY_FIELDS", "LineVisibility", "agency_codes"]

VISIBILITY_FIELDS = ("visibility", "visibility_agencies")
# As the API's request shapes (visibility_agencies: max_length=200).
MAX_AGENCIES = 200


def agency_codes(value: Any) -> list[str]:
    """The agency codes of a line's ``visibility_agencies``: a list (JSON), or a CSV cell.

    >>> agency_codes("NCB-CAF; MINUSCA"), agency_codes('["NCB-CAF"]'), agency_codes(None)
    (['NCB-CAF', 'MINUSCA'], ['NCB-CAF'], [])
    """
    if value is None:
        return []
    if isinstance(value, list):
        return [str(code) for code in value]  # a JSON line: import_fields has checked they are strings
    text = str(value).strip()
    if text.startswith("["):
        try:
            # Strictly (json_text): nesting too deep or a number too long to read is a rejected line,
            # not a RecursionError or ValueError (a 500).
            codes = parse_json(text, what="visibility_agencies", field="visibility_agencies")
        except Invalid as error:
            raise Invalid(
                "visibility_agencies is not a valid JSON list", field="visibility_agencies"
            ) from error
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise Invalid("visibility_agencies must be a list of agency codes", field="visibility_agencies")
        return codes
    return [code.strip() for code in text.replace(",", ";").split(";") if code.strip()]


class LineVisibility:
    """The visibility columns of each line of one import, the rule run once per distinct setting.

    An import repeats the same few settings over millions of lines; the agencies are looked up once for each
    (``open_session`` gives a session for it), and a setting refused once is refused again, with the same
    field and reason, without a query.
    """

    def __init__(self, open_session: Callable[[], AbstractContextManager[Session]]) -> None:
        self._open_session = open_session
        self._seen: dict[tuple[str, tuple[str, ...]], dict[str, str] | Invalid] = {}

    def columns(self, row: dict[str, Any]) -> dict[str, str]:
        """``visibility`` and ``visibility_agencies`` columns for a line, or Invalid naming the field."""
        raw_mode = row.get("visibility")
        mode = "all" if raw_mode is None or not str(raw_mode).strip() else str(raw_mode).strip()
        setting = (mode, tuple(agency_codes(row.get("visibility_agencies"))))
        if len(setting[1]) > MAX_AGENCIES:
            raise Invalid(f"at most {MAX_AGENCIES} agencies", field="visibility_agencies")
        known = self._seen.get(setting)
        if known is None:
            try:
                with self._open_session() as session:
                    known = changes.visibility_columns(session, mode, list(setting[1]))
            except Invalid as error:
                known = error
            self._seen[setting] = known
        if isinstance(known, Invalid):
            raise Invalid(known.message, field=known.field)
        return known
