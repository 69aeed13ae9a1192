"""The actor: who is doing something, resolved once per request or CLI command."""

from __future__ import annotations

from dataclasses import dataclass

from peacelink.access.roles import AgencyKind, Role
from peacelink.errors import Forbidden
from peacelink.translatable import TextList, Translatable


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated user acting for their agency."""

    user_id: int
    username: str
    agency_id: int
    agency_code: str
    agency_kind: AgencyKind
    agency_country: str | None
    roles: frozenset[Role]

    @property
    def is_central(self) -> bool:
        """True for users of the central agency."""
        return self.agency_kind is AgencyKind.CENTRAL

    def has_any(self, roles: frozenset[Role] | set[Role]) -> bool:
        """True when the actor holds at least one of ``roles``."""
        return bool(self.roles & roles)


def require_role(actor: Actor, *roles: Role) -> None:
    """Raise Forbidden unless the actor holds one of ``roles``."""
    if not actor.roles.intersection(roles):
        codes = sorted(r.value for r in roles)
        message = f"this needs one of the roles: {', '.join(codes)}"
        # A page names each role by its label in the user's language (joined as its language joins a list).
        labels = TextList(Translatable(code, f"value.role.{code}") for code in codes)
        raise Forbidden(Translatable(message, "access.error.roles", roles=labels))
