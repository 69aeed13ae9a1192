"""Credential primitives: argon2id passwords, hashed bearer tokens, TOTP secrets sealed at rest."""

from __future__ import annotations

import hashlib
import secrets

import nacl.secret
import nacl.utils
import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "pl_"  # noqa: S105 - a public prefix that makes leaked tokens easy to scan for
MIN_PASSWORD_LENGTH = 12

# argon2id with the RFC 9106 "second recommended" profile (64 MiB, 3 passes, 4 lanes).
_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches; spends the same work on unknown users to resist timing probes."""
    if stored is None:
        _HASHER.hash(password)
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A random bearer token (256 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """SHA-256 of a token. Tokens carry 256 random bits, so a fast hash suffices (no dictionary to guess)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _box(secret_key: bytes) -> nacl.secret.SecretBox:
    """A secretbox keyed by a hash of the server secret, with a purpose label."""
    key = hashlib.blake2b(secret_key, digest_size=32, person=b"pl-totp-seal").digest()
    return nacl.secret.SecretBox(key)


def new_totp_secret() -> str:
    """A random base32 TOTP secret (RFC 6238)."""
    return pyotp.random_base32()


def seal_totp(secret_key: bytes, totp_secret: str) -> bytes:
    """Encrypt a TOTP secret for storage."""
    return bytes(_box(secret_key).encrypt(totp_secret.encode()))


def open_totp(secret_key: bytes, sealed: bytes) -> str:
    """Decrypt a stored TOTP secret."""
    return _box(secret_key).decrypt(sealed).decode()


def verify_totp(totp_secret: str, code: str) -> bool:
    """Check a 6-digit code, allowing one 30-second step of clock drift either way."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    return bool(pyotp.TOTP(totp_secret).verify(code, valid_window=1))


def provisioning_uri(totp_secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return str(pyotp.TOTP(totp_secret).provisioning_uri(name=username, issuer_name="PeaceLink"))
