"""Agency key pairs: an Ed25519 signing key and an X25519 encryption key, generated on the agency's own node.

Issue 7 "Keys": each agency signs with Ed25519 and receives with X25519 (libsodium ``crypto_sign`` and
``crypto_box`` keys via PyNaCl). Only the public halves leave the node (``AgencyPublicKeys``, published in the
central-signed directory); the private halves are stored only encrypted under a passphrase
(Argon2id13 ``crypto_pwhash`` + XSalsa20-Poly1305 ``crypto_secretbox``).

Key IDs are BLAKE2b with a 16-byte output over ``"<algorithm>:" + public key`` with a PeaceLink
personalisation, written as 32 lower-case hex characters. The algorithm prefix keeps a signing key and an
encryption key from ever sharing an ID.

>>> len(key_id(bytes(32), algorithm="ed25519"))
32
>>> key_id(bytes(32), algorithm="ed25519") != key_id(bytes(32), algorithm="x25519")
True
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

import nacl.exceptions
import nacl.hash
import nacl.pwhash.argon2id as argon2id
import nacl.secret
import nacl.utils
from nacl.encoding import RawEncoder
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey

from peacelink.messaging.canonical import b64decode, b64encode, canonical_json, parse_json_strict
from peacelink.messaging.errors import InvalidMessage, KeyFileInvalid, WrongPassphrase

__all__ = [
    "AGENCY_CODE_PATTERN",
    "AgencyKeyPair",
    "AgencyPublicKeys",
    "check_agency_code",
    "enc_key_id",
    "key_id",
    "sign_key_id",
]

# Same rule as peacelink.agencies.schemas.AgencyCode; repeated here because this package must stay pure.
AGENCY_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,15}$")

_KEY_ID_PERSON = b"peacelink.kid.v1"  # BLAKE2b personalisation: exactly 16 bytes, domain-separates key IDs
_KEY_FILE_TYPE = "peacelink.agency-private-key"
_KEY_FILE_VERSION = 1
_KDF_NAME = "argon2id13"
_SECRET_LENGTH = 64  # 32-byte Ed25519 seed + 32-byte X25519 secret

# Upper bounds accepted from a key file: a forged file must not make the node allocate 100 GB on unlock.
_MAX_OPSLIMIT = argon2id.OPSLIMIT_SENSITIVE
_MAX_MEMLIMIT = argon2id.MEMLIMIT_SENSITIVE

Algorithm = Literal["ed25519", "x25519"]


def key_id(public_key: bytes, *, algorithm: Algorithm) -> str:
    """Return the 32-hex-character ID of a raw 32-byte public key of the given algorithm."""
    return _key_id(bytes(public_key), algorithm)


# Cached: seal() and the directory ask for the same few IDs over and over, and PyNaCl's argument checks cost
# more than the hash itself (about 20% of seal time for 10 recipients before caching).
@functools.lru_cache(maxsize=4096)
def _key_id(public_key: bytes, algorithm: Algorithm) -> str:
    if len(public_key) != 32:
        raise ValueError("public keys are 32 bytes")
    digest: bytes = nacl.hash.blake2b(
        algorithm.encode("ascii") + b":" + public_key,
        digest_size=16,
        person=_KEY_ID_PERSON,
        encoder=RawEncoder,
    )
    return digest.hex()


def sign_key_id(verify_key: VerifyKey) -> str:
    """Return the key ID of an Ed25519 verify (public signing) key."""
    return key_id(bytes(verify_key), algorithm="ed25519")


def enc_key_id(public_key: PublicKey) -> str:
    """Return the key ID of an X25519 public encryption key."""
    return key_id(bytes(public_key), algorithm="x25519")


def check_agency_code(code: str) -> str:
    """Return ``code`` if it is a valid agency code, else raise InvalidMessage."""
    if not isinstance(code, str) or not AGENCY_CODE_PATTERN.match(code):
        raise InvalidMessage(f"invalid agency code {code!r}")
    return code


@dataclass(frozen=True, slots=True)
class AgencyPublicKeys:
    """The public halves an agency publishes: what goes into the key directory."""

    agency_code: str
    sign_key: bytes
    enc_key: bytes

    def __post_init__(self) -> None:
        check_agency_code(self.agency_code)
        if len(self.sign_key) != 32 or len(self.enc_key) != 32:
            raise ValueError("public keys are 32 bytes")

    @property
    def sign_key_id(self) -> str:
        """Key ID of the Ed25519 verify key."""
        return key_id(self.sign_key, algorithm="ed25519")

    @property
    def enc_key_id(self) -> str:
        """Key ID of the X25519 public key."""
        return key_id(self.enc_key, algorithm="x25519")

    @property
    def verify_key(self) -> VerifyKey:
        """The signing public key as a PyNaCl VerifyKey."""
        return VerifyKey(self.sign_key)

    @property
    def public_key(self) -> PublicKey:
        """The encryption public key as a PyNaCl PublicKey."""
        return PublicKey(self.enc_key)

    def to_json(self) -> dict[str, str]:
        """Return the JSON form (base64url keys plus their IDs, for display and checking)."""
        return {
            "agency": self.agency_code,
            "sign_key": b64encode(self.sign_key),
            "sign_key_id": self.sign_key_id,
            "enc_key": b64encode(self.enc_key),
            "enc_key_id": self.enc_key_id,
        }

    @classmethod
    def from_json(cls, data: Any) -> AgencyPublicKeys:
        """Parse the JSON form; key IDs, if present, must match the keys."""
        try:
            keys = cls(
                agency_code=data["agency"],
                sign_key=b64decode(data["sign_key"]),
                enc_key=b64decode(data["enc_key"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"invalid public key document: {error}") from error
        for name in ("sign_key_id", "enc_key_id"):
            if name in data and data[name] != getattr(keys, name):
                raise ValueError(f"{name} does not match the key")
        return keys


@dataclass(frozen=True, slots=True)
class AgencyKeyPair:
    """One generation of an agency's private keys. Rotation makes a new pair; keep old ones to read."""

    agency_code: str
    signing_key: SigningKey
    encryption_key: PrivateKey

    def __post_init__(self) -> None:
        check_agency_code(self.agency_code)

    @classmethod
    def generate(cls, agency_code: str) -> AgencyKeyPair:
        """Generate a fresh key pair from the OS CSPRNG (libsodium randombytes)."""
        return cls(agency_code, SigningKey.generate(), PrivateKey.generate())

    @classmethod
    def from_seeds(cls, agency_code: str, *, sign_seed: bytes, enc_secret: bytes) -> AgencyKeyPair:
        """Rebuild a key pair from its 32-byte secrets (deterministic tests, key-file import)."""
        return cls(agency_code, SigningKey(sign_seed), PrivateKey(enc_secret))

    def public(self) -> AgencyPublicKeys:
        """Return the public halves to publish."""
        return AgencyPublicKeys(
            self.agency_code, bytes(self.signing_key.verify_key), bytes(self.encryption_key.public_key)
        )

    @property
    def sign_key_id(self) -> str:
        """Key ID of this pair's signing key."""
        return sign_key_id(self.signing_key.verify_key)

    @property
    def enc_key_id(self) -> str:
        """Key ID of this pair's encryption key."""
        return enc_key_id(self.encryption_key.public_key)

    def export_encrypted(
        self,
        passphrase: bytes,
        *,
        opslimit: int = argon2id.OPSLIMIT_MODERATE,
        memlimit: int = argon2id.MEMLIMIT_MODERATE,
    ) -> bytes:
        """Return the private keys as a JSON key file encrypted under ``passphrase`` (Argon2id, secretbox)."""
        if not passphrase:
            raise ValueError("an empty passphrase protects nothing")
        if not (argon2id.OPSLIMIT_MIN <= opslimit <= _MAX_OPSLIMIT):
            raise ValueError("opslimit out of range")
        if not (argon2id.MEMLIMIT_MIN <= memlimit <= _MAX_MEMLIMIT):
            raise ValueError("memlimit out of range")
        salt = nacl.utils.random(argon2id.SALTBYTES)
        box_key = argon2id.kdf(nacl.secret.SecretBox.KEY_SIZE, passphrase, salt, opslimit, memlimit)
        # The agency code rides inside the plaintext so a file cannot be relabelled for another agency.
        secret = bytes(self.signing_key) + bytes(self.encryption_key) + self.agency_code.encode("ascii")
        sealed = bytes(nacl.secret.SecretBox(box_key).encrypt(secret))
        document = {
            "type": _KEY_FILE_TYPE,
            "version": _KEY_FILE_VERSION,
            "agency": self.agency_code,
            "sign_key_id": self.sign_key_id,
            "enc_key_id": self.enc_key_id,
            "kdf": {"name": _KDF_NAME, "opslimit": opslimit, "memlimit": memlimit, "salt": b64encode(salt)},
            "box": b64encode(sealed),
        }
        return canonical_json(document)

    @classmethod
    def import_encrypted(cls, data: bytes, passphrase: bytes) -> AgencyKeyPair:
        """Decrypt a key file made by ``export_encrypted``; raises WrongPassphrase or KeyFileInvalid."""
        try:
            document = parse_json_strict(data)
            if document.get("type") != _KEY_FILE_TYPE or document.get("version") != _KEY_FILE_VERSION:
                raise KeyFileInvalid("not a PeaceLink agency key file (version 1)")
            kdf = document["kdf"]
            if kdf["name"] != _KDF_NAME:
                raise KeyFileInvalid(f"unsupported KDF {kdf['name']!r}")
            opslimit, memlimit = kdf["opslimit"], kdf["memlimit"]
            if not isinstance(opslimit, int) or not isinstance(memlimit, int):
                raise KeyFileInvalid("KDF limits must be integers")
            if not (argon2id.OPSLIMIT_MIN <= opslimit <= _MAX_OPSLIMIT) or not (
                argon2id.MEMLIMIT_MIN <= memlimit <= _MAX_MEMLIMIT
            ):
                raise KeyFileInvalid("KDF limits out of range")
            salt = b64decode(kdf["salt"])
            sealed = b64decode(document["box"])
            agency_code = document["agency"]
        except KeyFileInvalid:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise KeyFileInvalid(f"malformed key file: {error}") from error
        if len(salt) != argon2id.SALTBYTES:
            raise KeyFileInvalid("bad salt length")
        box_key = argon2id.kdf(nacl.secret.SecretBox.KEY_SIZE, passphrase, salt, opslimit, memlimit)
        try:
            secret = nacl.secret.SecretBox(box_key).decrypt(sealed)
        except nacl.exceptions.CryptoError as error:
            raise WrongPassphrase("wrong passphrase or altered key file") from error
        if len(secret) <= _SECRET_LENGTH or secret[_SECRET_LENGTH:] != str(agency_code).encode("ascii"):
            raise KeyFileInvalid("key file agency does not match its encrypted content")
        pair = cls.from_seeds(agency_code, sign_seed=secret[:32], enc_secret=secret[32:_SECRET_LENGTH])
        if pair.sign_key_id != document.get("sign_key_id") or pair.enc_key_id != document.get("enc_key_id"):
            raise KeyFileInvalid("key IDs in the file do not match the decrypted keys")
        return pair
