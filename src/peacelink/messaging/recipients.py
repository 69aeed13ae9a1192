"""Who a message goes to: agency codes, or a group such as every agency in a mission's area.

Accepted forms (case-insensitive):

- ``NCB-UTO`` -- one agency;
- ``mission:MINUSCA`` -- the mission and every agency in its mandate area: NCBs of those countries and
  other missions whose area overlaps;
- ``area:CAF`` -- every agency working in that country: its NCB and the missions whose area includes it.

Anything else (an empty recipient, ``mission:`` with no name, ``:X`` with no group, ``team:X``) is refused
on its own field, ``recipients.N``, with a message naming these forms.

Groups skip deactivated agencies; naming a deactivated agency directly is an error. An agency removed this
way receives nothing sent afterwards, because keys are wrapped only for the agencies resolved here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from peacelink.access import AgencyKind
from peacelink.agencies.models import Agency
from peacelink.errors import Invalid
from peacelink.translatable import Translatable

MAX_RECIPIENTS = 500
GROUPS = ("mission", "area")
FORMS = "a recipient is an agency code (NCB-UTO), mission:CODE (a mission and its area) or area:COUNTRY"


def parse(spec: str) -> tuple[str, str]:
    """A recipient as ``(group, name)``: ``("", CODE)`` for an agency, ``("mission", CODE)`` or
    ``("area", COUNTRY)`` for a group; ValueError saying what a recipient may be when it is none of them.

    >>> parse(" ncb-uto "), parse("Mission: minusca")
    (('', 'NCB-UTO'), ('mission', 'MINUSCA'))
    >>> form_error("mission:").partition(": a recipient is")[0]
    "recipient 'mission:' names no mission after its colon"
    """
    text = spec.strip()
    prefix, colon, rest = text.partition(":")
    group, name = prefix.strip().lower(), rest.strip().upper()
    if not text:
        raise ValueError(f"a recipient is empty: {FORMS}")
    if not colon:
        return "", text.upper()
    if not group:
        raise ValueError(f"recipient {text!r} has no group before its colon: {FORMS}")
    if group not in GROUPS:
        raise ValueError(f"recipient {text!r}: unknown recipient group {group!r}: {FORMS}")
    if not name:
        raise ValueError(f"recipient {text!r} names no {group} after its colon: {FORMS}")
    return group, name


def form_error(spec: str) -> str | None:
    """Why ``spec`` is no recipient (``parse``), or None: the request shapes check each one with it."""
    try:
        parse(spec)
    except ValueError as error:
        return str(error)
    return None


class _Agency(NamedTuple):
    code: str
    kind: str
    country: str | None
    area: list[str] | None
    active: bool


# Built once so SQLAlchemy's compiled-statement cache stays warm on the sending hot path.
_ALL = select(Agency.code, Agency.kind, Agency.country, Agency.area, Agency.active)
_NAMED = _ALL.where(Agency.code.in_(bindparam("codes", expanding=True)))


def _in_area(agency: _Agency, countries: set[str]) -> bool:
    if agency.country and agency.country in countries:
        return True
    return agency.kind == AgencyKind.MISSION.value and bool(countries.intersection(agency.area or []))


def resolve(session: Session, specs: Iterable[str]) -> list[str]:
    """The sorted agency codes named by ``specs``; Invalid (field ``recipients``) for unknown names."""
    specs = list(specs)
    if any(":" in spec for spec in specs):
        rows = session.execute(_ALL)
    else:
        # Plain codes (the common case, and every hot path): load only the named agencies.
        rows = session.execute(_NAMED, {"codes": sorted({spec.strip().upper() for spec in specs})})
    agencies = {row[0]: _Agency(*row) for row in rows}
    codes: set[str] = set()
    for index, raw in enumerate(specs):
        try:
            prefix, name = parse(raw)
        except ValueError as error:
            raise Invalid(str(error), field=f"recipients.{index}") from error
        if prefix == "":
            agency = agencies.get(name)
            if agency is None:
                unknown = Translatable(f"unknown agency {name!r}", "messages.error.unknown_agency", code=name)
                raise Invalid(unknown, field="recipients")
            if not agency.active:
                raise Invalid(f"agency {name} is deactivated", field="recipients")
            codes.add(name)
        elif prefix == "mission":
            mission = agencies.get(name)
            if mission is None or mission.kind != AgencyKind.MISSION.value:
                raise Invalid(f"unknown mission {name!r}", field="recipients")
            area = set(mission.area or [])
            codes.update(
                a.code for a in agencies.values() if a.active and (a is mission or _in_area(a, area))
            )
        else:  # "area", the one group parse leaves
            codes.update(a.code for a in agencies.values() if a.active and _in_area(a, {name}))
    if not codes:
        raise Invalid("no recipient agency", field="recipients")
    if len(codes) > MAX_RECIPIENTS:
        raise Invalid(f"at most {MAX_RECIPIENTS} recipient agencies", field="recipients")
    return sorted(codes)
