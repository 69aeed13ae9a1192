"""Turn a service MessageView into the API shape (shared by the API, the CLI and the web pages)."""

from __future__ import annotations

from peacelink.messaging.schemas import AttachmentOut, LinkIn, MessageOut, RecipientOut
from peacelink.messaging.service import MessageView


def to_out(view: MessageView) -> MessageOut:
    """The response model of a message view; content fields stay empty when it could not be opened."""
    message = view.message
    out = MessageOut(
        id=message.id,
        msg_id=message.msg_id,
        folder=view.folder,
        sender_agency=message.sender_agency,
        sender_user=message.sender_user,
        recipients=[
            RecipientOut(agency=r.agency_code, delivered_at=r.delivered_at, read_at=r.read_at)
            for r in view.recipients
        ],
        created_at=message.created_at,
        expires_at=message.expires_at,
        classification=message.classification,
        system=message.system,
        read_at=view.read_at,
        error=view.error,
    )
    if view.opened is not None:
        payload = view.opened.payload
        if not out.recipients:
            header = view.opened.header
            out.recipients = [
                RecipientOut(agency=code, delivered_at=None, read_at=None)
                for code in header.recipient_agencies
                if code != header.sender_agency
            ]
        out.subject, out.body, out.handling = payload.subject, payload.body, payload.handling
        out.reply_to = payload.reply_to
        out.links = [LinkIn(kind=link.kind, id=link.record_id) for link in payload.links]
        out.attachments = [
            AttachmentOut(index=i, name=a.name, content_type=a.content_type, size=len(a.content))
            for i, a in enumerate(payload.attachments)
        ]
    return out
