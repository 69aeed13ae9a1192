"""Tables of the secure channel: agency keys, the signed directory, sealed messages, recipients, replay cache.

Only ciphertext is stored: ``messages.envelope`` is the binary sealed envelope (envelope.py). The cleartext
columns copy what the signed header already exposes to every relay (sender, recipients, dates,
classification), so they leak nothing the envelope does not; subject, body, attachments, links and the
reply thread exist only inside the ciphertext (docs/messaging-crypto.md, "What the cleartext header exposes").
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peacelink.db.base import Base, UTCDateTime, new_id, utcnow


class AgencyKey(Base):
    """One key generation of one agency: public halves, validity, and (on its own node) sealed private keys.

    Rows of agencies hosted on other nodes come from the central-signed directory and have no private part.
    """

    __tablename__ = "agency_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(16), index=True)
    sign_key: Mapped[bytes] = mapped_column(LargeBinary)
    enc_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_key_id: Mapped[str] = mapped_column(String(32), unique=True)
    enc_key_id: Mapped[str] = mapped_column(String(32), unique=True)
    valid_from: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # secretbox(sign seed || enc secret || agency code) under a key derived from the server secret.
    private_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class KeyDirectoryState(Base):
    """The single row holding the last signed directory (made here on the central node, else received)."""

    __tablename__ = "key_directory"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[int] = mapped_column(BigInteger, default=0)
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
    issued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Message(Base):
    """A sealed message as stored on this node: the envelope bytes plus header fields copied for queries."""

    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    msg_id: Mapped[str] = mapped_column(String(64))
    sender_agency: Mapped[str] = mapped_column(String(16))
    sender_user: Mapped[str] = mapped_column(String(128))
    classification: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The peer node this message arrived from; None when it was sealed on this node.
    origin_peer: Mapped[str | None] = mapped_column(String(64))
    system: Mapped[bool] = mapped_column(default=False)
    size: Mapped[int] = mapped_column(BigInteger)
    envelope: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (
        # One copy per (sender, msg_id): a replayed envelope can never become a second message.
        UniqueConstraint("sender_agency", "msg_id", name="uq_messages_sender_msg_id"),
        Index("ix_messages_outbox", "sender_agency", "created_at"),
    )


class MessageRecipient(Base):
    """One recipient agency of a message: inbox entry (local agencies) and delivery / read receipts."""

    __tablename__ = "message_recipients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    agency_code: Mapped[str] = mapped_column(String(16))
    # True when the agency's inbox lives on this node (it can open the message here).
    local: Mapped[bool] = mapped_column(default=True)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    read_by: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (
        UniqueConstraint("message_id", "agency_code", name="uq_message_recipients_message_agency"),
        Index("ix_message_recipients_inbox", "agency_code", "local", "delivered_at"),
    )


class ReplayEntry(Base):
    """The database replay cache: (recipient, sender, msg_id) accepted once, kept until expiry."""

    __tablename__ = "message_replay"

    recipient_agency: Mapped[str] = mapped_column(String(16), primary_key=True)
    sender_agency: Mapped[str] = mapped_column(String(16), primary_key=True)
    msg_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
