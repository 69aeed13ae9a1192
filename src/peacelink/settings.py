"""Runtime settings: one pydantic-settings class, built once at the edge and passed inward."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from peacelink.db.dialect import DEFAULT_MMAP_MB

DEFAULT_DATABASE_URL = "sqlite:///./var/peacelink.db"


class Settings(BaseSettings):
    """Everything PeaceLink reads from its environment (``PEACELINK_*``)."""

    model_config = SettingsConfigDict(env_prefix="PEACELINK_", extra="ignore")

    database_url: str = Field(DEFAULT_DATABASE_URL, description="SQLAlchemy URL of the database")
    sqlite_mmap_mb: int = Field(
        DEFAULT_MMAP_MB,
        ge=0,
        le=1_048_576,
        description="SQLite: MiB of the database file read through a memory map (0: off, the default; never "
        "on a network file system); SQLite caps it at its build's limit, 2 GiB in common builds",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # Signs web session and CSRF cookies and encrypts TOTP secrets at rest. When unset, a random key is
    # generated once and kept in ``<var_dir>/secret.key`` so restarts do not sign everybody out.
    secret_key: SecretStr | None = None
    var_dir: Path = Path("./var")
    token_days: int = Field(90, ge=1, le=3650, description="default lifetime of API tokens")
    session_minutes: int = Field(480, ge=5, le=1440, description="web session lifetime")
    lockout_threshold: int = Field(5, ge=1, le=100, description="failed sign-ins before a lockout")
    lockout_minutes: int = Field(15, ge=1, le=1440)
    # Secure cookies are the default; the demo on http://127.0.0.1 still works because browsers treat
    # loopback as a secure context.
    cookie_secure: bool = True
    demo: bool = False
    # Node-to-node link (docs/messaging.md): this node's name, the agencies whose inboxes live here (empty:
    # every agency not routed to a peer), its peers as JSON [{"name","url","key","agencies"}], and the
    # central agency's directory verify key (base64url) that mission nodes trust.
    node_name: str = Field("local", pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    node_agencies: list[str] = Field(default_factory=list)
    node_peers: list[dict[str, Any]] = Field(default_factory=list)
    node_directory_key: str | None = None

    def resolved_secret_key(self) -> bytes:
        """Return the secret key, creating and storing one under var_dir if none was configured."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        import secrets

        path = self.var_dir / "secret.key"
        if path.exists():
            return path.read_bytes().strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48).encode()
        path.touch(mode=0o600)
        path.write_bytes(key)
        return key
