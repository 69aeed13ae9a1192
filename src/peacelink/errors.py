"""The PeaceLink error tree. Each error carries its HTTP status and a stable machine-readable code."""

from __future__ import annotations

from typing import Any, ClassVar


class PeacelinkError(Exception):
    """Base of every error a service raises on purpose."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "error"

    def __init__(self, message: str, *, field: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """The JSON body the API returns for this error."""
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.details is not None:
            body["details"] = self.details
        return body


class Unauthenticated(PeacelinkError):
    """No valid credentials were presented."""

    status = 401
    code = "unauthenticated"


class Forbidden(PeacelinkError):
    """The caller is known but may not do this."""

    status = 403
    code = "forbidden"


class NotFound(PeacelinkError):
    """The object does not exist or the caller may not know that it exists."""

    status = 404
    code = "not_found"


class Conflict(PeacelinkError):
    """The change clashes with the current state (duplicate key, stale version)."""

    status = 409
    code = "conflict"


class Locked(PeacelinkError):
    """The account is locked after repeated failures."""

    status = 423
    code = "locked"


class Invalid(PeacelinkError):
    """The input is malformed; ``field`` names the offending field."""

    status = 422
    code = "invalid"
