"""The web app's wiring: one database, the settings, and the services every route shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fourchain.adapters.db.accounts_repo import SqlAccounts, SqlAuditLog
from fourchain.adapters.db.registry_read import SqlRegistryReader, is_synthetic
from fourchain.bootstrap import Database
from fourchain.config import Settings
from fourchain.domain.accounts import LockoutPolicy, SessionPolicy
from fourchain.services.accounts import Accounts
from fourchain.services.audit import AuditTrail
from fourchain.services.registry_views import RegistryViews


@dataclass
class Platform:
    """Everything a request handler may reach, built once per app."""

    settings: Settings
    database: Database
    accounts: Accounts
    audit: AuditTrail
    registry: RegistryViews
    synthetic: bool
    # Other areas hang their services here by name (see docs/web.md).
    areas: dict[str, Any] = field(default_factory=dict)


def lockout_policy(settings: Settings) -> LockoutPolicy:
    return LockoutPolicy(settings.fourchain_login_max_failures, settings.fourchain_lockout_minutes)


def session_policy(settings: Settings) -> SessionPolicy:
    return SessionPolicy(
        idle=timedelta(minutes=settings.fourchain_session_idle_minutes),
        absolute=timedelta(hours=settings.fourchain_session_max_hours),
    )


def build_platform(database: Database, settings: Settings) -> Platform:
    audit = AuditTrail(SqlAuditLog(database.engine))
    accounts = Accounts(
        SqlAccounts(database.engine),
        audit,
        lockout=lockout_policy(settings),
        sessions=session_policy(settings),
    )
    registry = RegistryViews(SqlRegistryReader(database.engine), audit)
    return Platform(
        settings=settings,
        database=database,
        accounts=accounts,
        audit=audit,
        registry=registry,
        synthetic=is_synthetic(database.engine),
    )
