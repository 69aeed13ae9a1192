"""Tables of the node link: the per-peer outbox and the per-peer link state (sequence numbers)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from peacelink.db.base import Base, UTCDateTime, utcnow


class LinkItem(Base):
    """One item queued for a peer: ``seq`` grows by one per peer, so the receiver applies in order, once."""

    __tablename__ = "node_outbox"

    peer: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # What the payload is ("message", "receipt", "keys", "directory"; database replication next).
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class LinkState(Base):
    """Per peer: the last sequence number queued, the last one the peer acknowledged, the last one applied."""

    __tablename__ = "node_links"

    peer: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_queued: Mapped[int] = mapped_column(BigInteger, default=0)
    last_acked: Mapped[int] = mapped_column(BigInteger, default=0)
    # Inbound: the highest seq from this peer applied here (same transaction as its effect).
    last_applied: Mapped[int] = mapped_column(BigInteger, default=0)
    last_contact_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
