"""The web platform's tables: users, their sessions and bearer tokens, the audit log; and the
index its directory pages need on the registry's enterprises."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from fourchain.adapters.db.tables import enterprises, metadata

# Times are naive UTC in storage (both backends read them back alike); the repository adds
# the zone on the way out.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False, unique=True),
    # NFKC and case-folded (domain.accounts.username_key): Admin, ａｄｍｉｎ and admin are one.
    Column("username_key", String(80), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(30), nullable=False),
    Column("enterprise", String(18), ForeignKey("enterprises.credit_code")),
    Column("institution", String(40), ForeignKey("institutions.id")),
    Column("active", Boolean, nullable=False),
    Column("failed_logins", Integer, nullable=False),
    Column("locked_until", DateTime),
    Column("created", DateTime, nullable=False),
)

# A browser session or a bearer token: only the SHA-256 of the secret is stored.
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("created", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Index("ix_sessions_user_id", "user_id"),
)

# Append-only and hash-chained; seq is the chain position, so two writers racing for the same
# place collide on the primary key instead of forking the chain.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("username", String(80), nullable=False),
    Column("address", String(64), nullable=False),
    Column("action", String(40), nullable=False),
    Column("object", String(200), nullable=False),
    Column("result", String(20), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # HMAC of hash under the audit key (kept outside the database); NULL: before keying.
    Column("mac", String(64)),
    Index("ix_audit_log_at", "at"),
)

# The directory lists enterprises by name, a page at a time: without this each page sorts the
# whole table (30,000 rows in the demo city: about 27 ms a page against 5 ms with it).
ix_enterprises_name = Index("ix_enterprises_name", enterprises.c.name, enterprises.c.credit_code)
