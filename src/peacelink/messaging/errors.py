"""Errors raised by the secure-channel crypto core.

One small tree rooted at ``MessagingError`` so the API layer can map the whole family to 4xx answers, while
the delivery code can tell a replay (drop it) from tampering (alert) from a revoked key (security event).
"""

from __future__ import annotations

__all__ = [
    "AttachmentTooLarge",
    "DirectoryInvalid",
    "DirectoryRollback",
    "InvalidMessage",
    "KeyFileInvalid",
    "KeyNotValid",
    "KeyRevoked",
    "KeySuperseded",
    "MalformedMessage",
    "MessageExpired",
    "MessageNotFresh",
    "MessageTampered",
    "MessagingError",
    "NotARecipient",
    "ReplayDetected",
    "SignatureInvalid",
    "UnknownAgency",
    "UnknownKey",
    "WrongPassphrase",
]


class MessagingError(Exception):
    """Base class of every secure-channel error."""


class InvalidMessage(MessagingError, ValueError):
    """The arguments given to ``seal`` cannot make a valid message (bad agency code, empty recipients...)."""


class AttachmentTooLarge(InvalidMessage):
    """An attachment is larger than the 25 MB per-attachment limit of issue 7."""


class MessageTampered(MessagingError):
    """Ciphertext, wrapped key or content hash does not authenticate: the blob was altered or corrupted."""


class MalformedMessage(MessageTampered):
    """The blob cannot even be parsed; treated as a kind of tampering (a relay or disk altered it)."""


class SignatureInvalid(MessagingError):
    """The Ed25519 signature over the header does not verify with the sender's key."""


class KeyNotValid(MessagingError):
    """The sender's signing key was not valid at the header's created_at."""


class UnknownKey(KeyNotValid):
    """The sender's key ID is not in the key directory (or not for that agency)."""


class KeyRevoked(KeyNotValid):
    """The sender's key was revoked at or before the header's created_at."""


class KeySuperseded(KeyNotValid):
    """The sender's key had been rotated out (valid_until passed) when the header was created."""


class MessageNotFresh(MessagingError):
    """created_at is too far in the future, or too far before the reception time (back-dating limit)."""


class NotARecipient(MessagingError):
    """The reader (agency or key) is not among the recipients named in the signed header."""


class MessageExpired(MessagingError):
    """The message's signed expires_at has passed."""


class ReplayDetected(MessagingError):
    """This msg_id was already accepted once."""


class UnknownAgency(MessagingError, LookupError):
    """The key directory has no key for this agency at the requested time."""


class DirectoryInvalid(MessagingError):
    """A key-directory document is malformed, inconsistent, or its central signature does not verify."""


class DirectoryRollback(DirectoryInvalid):
    """A validly signed directory is older than one already accepted (would un-revoke keys)."""


class KeyFileInvalid(MessagingError):
    """An encrypted private-key file is malformed."""


class WrongPassphrase(KeyFileInvalid):
    """The passphrase does not decrypt the private-key file (or the file was altered)."""
