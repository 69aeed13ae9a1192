"""Roles a user may hold, and which agency kinds may grant them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user is allowed to do; a user holds one or more."""

    FIELD_OFFICER = "field_officer"
    INVESTIGATOR = "investigator"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    AGENCY_ADMIN = "agency_admin"
    REVIEWER = "reviewer"
    SYSTEM_ADMIN = "system_admin"


class AgencyKind(StrEnum):
    """Kinds of agencies on the network."""

    CENTRAL = "central"
    NCB = "ncb"
    MISSION = "mission"
    INTERNATIONAL = "international"


# Reviewers (notice review) and system admins exist only at the central agency that runs the system.
CENTRAL_ONLY_ROLES = frozenset({Role.REVIEWER, Role.SYSTEM_ADMIN})

# Everyone who does police work with the databases; used by routes open to all operational staff.
OPERATIONAL_ROLES = frozenset(
    {Role.FIELD_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.REVIEWER}
)
ALL_ROLES = frozenset(Role)
