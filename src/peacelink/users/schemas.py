"""Request and response shapes for users and tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from peacelink.access.roles import Role
from peacelink.request_body import RequestBody
from peacelink.typed_input import JSON_INTEGER

Username = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
]
Language = Literal["en", "fr", "es", "ar"]


class UserCreate(RequestBody):
    """A new user of an agency."""

    username: Username
    agency: str = Field(min_length=1, max_length=16, description="agency code")
    roles: list[Role] = Field(min_length=1, max_length=7)
    full_name: str = Field("", max_length=200)
    language: Language = "en"
    password: str | None = Field(
        None, min_length=12, max_length=200, description="web password; a TOTP secret is issued with it"
    )


class UserUpdate(RequestBody):
    """Changes to a user."""

    roles: list[Role] | None = Field(None, min_length=1, max_length=7)
    full_name: str | None = Field(None, max_length=200)
    language: Language | None = None
    active: bool | None = None


class UserOut(BaseModel):
    """A user as the API shows it (never any credential)."""

    username: str
    full_name: str
    agency: str
    roles: list[Role]
    language: str
    active: bool
    web_sign_in: bool = Field(description="whether a password and TOTP second factor are set")


class UserCreated(BaseModel):
    """Answer to user creation: the user, a first API token, and the TOTP enrolment if a password was set."""

    user: UserOut
    token: str = Field(description="shown once; only its hash is stored")
    totp_uri: str | None = Field(None, description="otpauth:// URI for the authenticator app, shown once")


class TokenCreate(RequestBody):
    """A new API token for the caller (or, for admins, a user they manage)."""

    name: str = Field("", max_length=100)
    days: Annotated[int, Field(ge=1, le=3650), JSON_INTEGER] | None = Field(
        None, description="lifetime in days"
    )
    username: Username | None = Field(None, description="for admins: the user to issue it to")


class TokenOut(BaseModel):
    """A token's metadata (never its value)."""

    id: int
    username: str
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class TokenCreated(TokenOut):
    """A new token, with its value shown once."""

    token: str
