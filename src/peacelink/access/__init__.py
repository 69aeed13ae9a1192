"""Access rules: roles, the acting user, owner-set visibility: the one place that decides who sees what."""

from peacelink.access.actor import Actor, require_role
from peacelink.access.roles import ALL_ROLES, CENTRAL_ONLY_ROLES, OPERATIONAL_ROLES, AgencyKind, Role
from peacelink.access.visibility import RecordStatus, Visibility, can_see, visible_clause

__all__ = [
    "ALL_ROLES",
    "CENTRAL_ONLY_ROLES",
    "OPERATIONAL_ROLES",
    "Actor",
    "AgencyKind",
    "RecordStatus",
    "Role",
    "Visibility",
    "can_see",
    "require_role",
    "visible_clause",
]
