"""Errors raised by the identifier validators (python-stdnum style).

Every error is a ``ValueError`` so callers that only care about "bad input" can catch that, while the
check pipeline can tell a wrong length from a wrong check digit and say so to the officer.
"""

from __future__ import annotations

__all__ = [
    "IdentifierError",
    "InvalidChecksum",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
]


class IdentifierError(ValueError):
    """Base class: an identifier could not be accepted."""

    message: str = "The identifier is invalid."

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.message
        self.field = field
        super().__init__(self.message)

    def __str__(self) -> str:
        if self.field:
            return f"{self.field}: {self.message}"
        return self.message


class InvalidFormat(IdentifierError):
    """The value contains characters or a structure the standard does not allow."""

    message = "The identifier has an invalid format."


class InvalidLength(InvalidFormat):
    """The value is too long or too short."""

    message = "The identifier has an invalid length."


class InvalidChecksum(IdentifierError):
    """A check digit does not compute."""

    message = "The identifier's check digit does not match."


class InvalidComponent(IdentifierError):
    """A component (country code, date, ...) is not a permitted value."""

    message = "One of the parts of the identifier is invalid."
