"""Accounts and audit: sign-in, sessions and the hash-chained audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fourchain.adapters.db.accounts_repo import SqlAccounts, SqlAuditLog, account_units
from fourchain.bootstrap.database import Database
from fourchain.config import Settings
from fourchain.domain.accounts import LockoutPolicy, SessionPolicy
from fourchain.services.accounts import Accounts
from fourchain.services.audit import AuditTrail


@dataclass(frozen=True)
class AccountsArea:
    accounts: Accounts
    audit: AuditTrail


def lockout_policy(settings: Settings) -> LockoutPolicy:
    return LockoutPolicy(settings.fourchain_login_max_failures, settings.fourchain_lockout_minutes)


def session_policy(settings: Settings) -> SessionPolicy:
    return SessionPolicy(
        idle=timedelta(minutes=settings.fourchain_session_idle_minutes),
        absolute=timedelta(hours=settings.fourchain_session_max_hours),
    )


def build(database: Database, settings: Settings) -> AccountsArea:
    audit = AuditTrail(SqlAuditLog(database.engine), database.audit_key)
    accounts = Accounts(
        SqlAccounts(database.engine),
        audit,
        lockout=lockout_policy(settings),
        sessions=session_policy(settings),
        units=account_units(database.engine, database.audit_key),
    )
    return AccountsArea(accounts=accounts, audit=audit)
