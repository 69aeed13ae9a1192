"""Request and response shapes of the secure channel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

from peacelink.messaging.payload import MAX_ATTACHMENT_BYTES, attachment_name_error, content_type_error
from peacelink.messaging.recipients import form_error as recipient_form_error
from peacelink.request_body import RequestBody
from peacelink.typed_input import WholeNumber
from peacelink.utc_moment import UtcMoment

# Base64 of the largest attachment, plus slack: longer text is refused before it is decoded.
MAX_ATTACHMENT_BASE64 = (MAX_ATTACHMENT_BYTES + 2) // 3 * 4 + 64


class Classification(StrEnum):
    """Handling classification of a message (policy labels; the crypto core only checks their syntax)."""

    UNCLASSIFIED = "UNCLASSIFIED"
    OFFICIAL_USE = "FOR OFFICIAL USE ONLY"
    RESTRICTED = "RESTRICTED"
    CONFIDENTIAL = "CONFIDENTIAL"


def _rule(kind: str, problem: Callable[[str], str | None]) -> AfterValidator:
    """A field check with the rule the service applies (``payload.py``, ``recipients.py``), here so that
    its refusal names the field (``attachments.N.name``, ``recipients.N``), not the message as a whole."""

    def check(value: str) -> str:
        reason = problem(value)
        if reason is not None:
            raise PydanticCustomError(kind, "{reason}", {"reason": reason})
        return value

    return AfterValidator(check)


class AttachmentIn(RequestBody):
    """A file to attach: its name, content type and base64 content (at most 25 MiB decoded)."""

    name: Annotated[str, _rule("attachment_name", attachment_name_error)] = Field(
        min_length=1, max_length=255, description="a file name: no slash, backslash or NUL"
    )
    content_type: Annotated[str, _rule("content_type", content_type_error)] = Field(
        "application/octet-stream", min_length=3, max_length=127, description="type/subtype"
    )
    data: str = Field(description="standard base64", max_length=MAX_ATTACHMENT_BASE64)


class LinkIn(RequestBody):
    """A link to a record: kind (hit, notice, person, case, document, vehicle...) and its id."""

    kind: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    id: str = Field(min_length=1, max_length=128)


# Each recipient's form is checked here, so a malformed one is refused on its own field (recipients.N);
# whether the agency or mission it names exists is the service's question (recipients.resolve).
Recipient = Annotated[str, _rule("recipient", recipient_form_error)]


class MessageCreate(RequestBody):
    """A message to seal and send."""

    recipients: list[Recipient] = Field(
        min_length=1,
        max_length=200,
        description="agency codes, or groups: 'mission:CODE' (the mission and its area), 'area:ISO3'",
    )
    subject: str = Field(min_length=1, max_length=500)
    body: str = Field(max_length=1_000_000)
    classification: Classification = Classification.OFFICIAL_USE
    handling: str = Field("", max_length=2000, description="handling instructions (encrypted)")
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)
    links: list[LinkIn] = Field(default_factory=list, max_length=100)
    reply_to: str | None = Field(None, max_length=64, description="msg_id of the message this answers")
    expires_in_days: WholeNumber = Field(30, ge=1, le=365, description="a JSON integer of days")


class AttachmentOut(BaseModel):
    """An attachment's description (download it from .../attachments/{index})."""

    index: int
    name: str
    content_type: str
    size: int


class RecipientOut(BaseModel):
    """A recipient agency and its receipts."""

    agency: str
    delivered_at: dt.datetime | None
    read_at: dt.datetime | None


class MessageOut(BaseModel):
    """A message as its reader sees it: header fields plus the opened content (or why it cannot open)."""

    id: str
    msg_id: str
    folder: str
    sender_agency: str
    sender_user: str
    recipients: list[RecipientOut]
    created_at: dt.datetime
    expires_at: dt.datetime
    classification: str
    system: bool
    subject: str | None = None
    body: str | None = None
    handling: str | None = None
    links: list[LinkIn] = Field(default_factory=list)
    reply_to: str | None = None
    attachments: list[AttachmentOut] = Field(default_factory=list)
    read_at: dt.datetime | None = None
    error: str | None = Field(None, description="set when the message cannot be opened (and why)")


class KeyOut(BaseModel):
    """One key generation of an agency (public halves only)."""

    agency: str
    sign_key_id: str
    enc_key_id: str
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    revoked_at: dt.datetime | None
    status: str
    private_here: bool


class KeyRevoke(RequestBody):
    """Revoke a key (default: the agency's active one) from ``at`` (default now; may be back-dated)."""

    key_id: str | None = Field(None, pattern=r"^[0-9a-f]{32}$")
    at: UtcMoment | None = None
