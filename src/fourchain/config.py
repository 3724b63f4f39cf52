"""The one reader of the environment: every setting, its default and its meaning."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from fourchain.errors import ConfigError

DEFAULT_SECRET = "development-only-secret-change-me"
DEFAULT_AUDIT_KEY = "development-only-audit-key-change-me"
JOB_QUEUES = ("redis://", "rediss://", "unix://")  # FOURCHAIN_JOB_QUEUE: empty, or Redis


def sqlite_url(path: str | Path) -> str:
    """The SQLAlchemy URL of a SQLite database file."""
    return f"sqlite:///{Path(path)}"


class Settings(BaseSettings):
    """fourchain's settings; each may be set as an environment variable of the same name."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the registry database. Empty: a SQLite file in data_dir.",
    )
    fourchain_env: Literal["development", "test", "production"] = Field(
        default="development",
        description="development relaxes cookie and secret checks; production enforces them.",
    )
    fourchain_data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the default SQLite database, the demo city and search indexes.",
    )
    fourchain_secret_key: str = Field(
        default=DEFAULT_SECRET,
        description="Signs sessions and CSRF tokens. Must be set outside development.",
    )
    fourchain_audit_key: str = Field(
        default=DEFAULT_AUDIT_KEY,
        description="Keys the audit log's chain (HMAC) and signs its anchors. Kept outside the "
        "database; must be set outside development, and kept: entries it sealed verify "
        "only with it.",
    )
    fourchain_max_body_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description="The largest request body the web app reads (413 beyond it); uploads too.",
    )
    fourchain_max_anonymous_body_bytes: int = Field(
        default=64 * 1024,
        ge=1024,
        description="The largest body read from a caller that is not signed in (sign-in forms).",
    )
    fourchain_login_max_failures: int = Field(
        default=5, ge=1, description="Failed logins in a row that lock an account."
    )
    fourchain_lockout_minutes: int = Field(
        default=15, ge=1, description="How long a locked account stays locked."
    )
    fourchain_session_idle_minutes: int = Field(
        default=30, ge=1, description="A web session or API token ends after this long unused."
    )
    fourchain_session_max_hours: int = Field(
        default=12, ge=1, description="A web session or API token ends this long after sign-in."
    )
    fourchain_web_workers: int = Field(
        default=1,
        ge=1,
        description="Web worker processes sharing the database; sizes each one's connection pool "
        "(`fourchain serve --workers N` sets it).",
    )
    fourchain_web_threads: int = Field(
        default=8,
        ge=1,
        le=256,
        description="Threads per web worker process that run request handlers and their "
        "database calls. Few keep requests first come, first served; 40 (the framework's "
        "default) made the 95th percentile about 1.4 times as long at 32 clients "
        "(docs/deploy.md).",
    )
    fourchain_cookie_secure: bool | None = Field(
        default=None,
        description="Mark session cookies Secure (HTTPS only). Unset: on outside development.",
    )

    fourchain_job_queue: str = Field(
        default="",
        description="The job queue. Empty: an embedded SQLite file beside the database (or in "
        "data_dir); a redis:// URL: Redis (production).",
    )
    fourchain_job_retention_hours: int = Field(
        default=168, ge=1, description="A finished job's files are removed this long after."
    )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or sqlite_url(self.fourchain_data_dir / "fourchain.db")

    @property
    def demo_database_path(self) -> Path:
        return self.fourchain_data_dir / "demo.db"

    @property
    def secure_cookies(self) -> bool:
        if self.fourchain_cookie_secure is not None:
            return self.fourchain_cookie_secure
        return self.fourchain_env != "development"

    @property
    def audit_key(self) -> bytes:
        return self.fourchain_audit_key.encode("utf-8")

    def check(self) -> Settings:
        """Refuse a job queue that is neither embedded nor Redis; outside development, refuse
        a default secret or audit key."""
        if self.fourchain_job_queue and not self.fourchain_job_queue.startswith(JOB_QUEUES):
            raise ConfigError(
                f"FOURCHAIN_JOB_QUEUE {self.fourchain_job_queue!r}: leave it empty (embedded "
                "SQLite) or give a redis:// URL"
            )
        if self.fourchain_env == "development":
            return self
        if self.fourchain_secret_key == DEFAULT_SECRET:
            raise ConfigError(
                "FOURCHAIN_SECRET_KEY is the development default; set a secret outside development"
            )
        if self.fourchain_audit_key == DEFAULT_AUDIT_KEY:
            raise ConfigError(
                "FOURCHAIN_AUDIT_KEY is the development default; set a key outside development"
            )
        if self.fourchain_audit_key == self.fourchain_secret_key:
            raise ConfigError("FOURCHAIN_AUDIT_KEY must differ from FOURCHAIN_SECRET_KEY")
        return self


def get_settings() -> Settings:
    return Settings().check()
