"""Accounts, sessions and the audit log in SQL (the ports of services/accounts and audit)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, case, delete, func, null, select, text, update
from sqlalchemy.exc import IntegrityError

from fourchain.adapters.db.engine import write_without_waiting
from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.adapters.db.tables_accounts import audit_log, sessions, users
from fourchain.adapters.db.unit_of_work import Bind, reading, writing
from fourchain.domain.accounts import Role, username_key
from fourchain.domain.audit import AuditEntry, AuditEvent
from fourchain.errors import Busy, Conflict
from fourchain.services.accounts import Account, StoredSession
from fourchain.services.audit import AUDIT_SORTS, AuditFilter, AuditTrail


def _naive(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


def _account(row: Row[tuple[object, ...]]) -> Account:
    m = row._mapping
    return Account(
        id=int(m["id"]),
        username=str(m["username"]),
        password_hash=str(m["password_hash"]),
        role=Role(m["role"]),
        enterprise=m["enterprise"],
        institution=m["institution"],
        active=bool(m["active"]),
        failed_logins=int(m["failed_logins"]),
        locked_until=_aware(m["locked_until"]),
    )


def _stored(row: Row[tuple[object, ...]]) -> StoredSession:
    m = row._mapping
    created, last_seen = _aware(m["created"]), _aware(m["last_seen"])
    assert created is not None and last_seen is not None
    return StoredSession(int(m["user_id"]), str(m["kind"]), created, last_seen)


class SqlAccounts:
    """The accounts port: on an `Engine` each method is its own transaction; on an open
    `Connection` it joins the caller's unit of work."""

    def __init__(self, bind: Bind) -> None:
        self.bind = bind

    def by_username(self, username: str) -> Account | None:
        """The account whose name is `username` regardless of case and width."""
        query = select(users).where(users.c.username_key == username_key(username))
        with reading(self.bind) as connection:
            row = connection.execute(query).first()
        return None if row is None else _account(row)

    def by_id(self, user_id: int) -> Account | None:
        with reading(self.bind) as connection:
            row = connection.execute(select(users).where(users.c.id == user_id)).first()
        return None if row is None else _account(row)

    def of_institution(self, institution_id: str) -> list[Account]:
        query = (
            select(users).where(users.c.institution == institution_id).order_by(users.c.username)
        )
        with reading(self.bind) as connection:
            return [_account(row) for row in connection.execute(query)]

    def all(self) -> list[Account]:
        with reading(self.bind) as connection:
            rows = connection.execute(select(users).order_by(users.c.username)).all()
        return [_account(row) for row in rows]

    def create(
        self,
        username: str,
        password_hash: str,
        role: Role,
        enterprise: str | None,
        institution: str | None,
        now: datetime,
    ) -> int:
        values = {
            "username": username,
            "username_key": username_key(username),
            "password_hash": password_hash,
            "role": role.value,
            "enterprise": enterprise,
            "institution": institution,
            "active": True,
            "failed_logins": 0,
            "locked_until": None,
            "created": _naive(now),
        }
        try:
            with writing(self.bind) as connection:
                result = connection.execute(users.insert().values(**values))
        except IntegrityError:
            raise Conflict(f"the username {username!r} is taken") from None
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def set_role(
        self, user_id: int, role: Role, enterprise: str | None, institution: str | None
    ) -> None:
        with writing(self.bind) as connection:
            connection.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(role=role.value, enterprise=enterprise, institution=institution)
            )
            # A changed role takes effect at once: the account signs in again.
            connection.execute(delete(sessions).where(sessions.c.user_id == user_id))

    def set_password(self, user_id: int, password_hash: str) -> None:
        with writing(self.bind) as connection:
            connection.execute(
                update(users).where(users.c.id == user_id).values(password_hash=password_hash)
            )
            connection.execute(delete(sessions).where(sessions.c.user_id == user_id))

    def set_login_state(self, user_id: int, failures: int, locked_until: datetime | None) -> None:
        with writing(self.bind) as connection:
            connection.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(failed_logins=failures, locked_until=_naive(locked_until))
            )

    def count_attempt(
        self, user_id: int, now: datetime, max_failures: int, lock_until: datetime
    ) -> tuple[int, datetime | None]:
        """Raise the account's count of sign-in attempts in a row by one, in one statement,
        and lock it when the count reaches `max_failures`; returns the new count and lock.
        Concurrent attempts each get their own number (the row is locked while it changes).
        A lock that has run out starts the count again."""
        stamp = _naive(now)
        held = users.c.locked_until
        expired = and_(held.is_not(None), held <= stamp)
        active = and_(held.is_not(None), held > stamp)
        count = case((expired, 1), else_=users.c.failed_logins + 1)
        lock = case((active, held), (count >= max_failures, _naive(lock_until)), else_=null())
        statement = (
            update(users)
            .where(users.c.id == user_id)
            .values(failed_logins=count, locked_until=lock)
            .returning(users.c.failed_logins, users.c.locked_until)
        )
        with writing(self.bind) as connection:
            row = connection.execute(statement).one()
        return int(row[0]), _aware(row[1])

    def username_taken(self, key: str) -> bool:
        query = select(users.c.id).where(users.c.username_key == key)
        with reading(self.bind) as connection:
            return connection.execute(query).first() is not None

    def enterprise_exists(self, credit_code: str) -> bool:
        query = select(enterprises.c.credit_code).where(enterprises.c.credit_code == credit_code)
        with reading(self.bind) as connection:
            return connection.execute(query).first() is not None

    def institution_exists(self, institution_id: str) -> bool:
        query = select(institutions.c.id).where(institutions.c.id == institution_id)
        with reading(self.bind) as connection:
            return connection.execute(query).first() is not None

    def add_session(self, token_hash: str, user_id: int, kind: str, now: datetime) -> None:
        with writing(self.bind) as connection:
            connection.execute(
                sessions.insert().values(
                    token_hash=token_hash,
                    user_id=user_id,
                    kind=kind,
                    created=_naive(now),
                    last_seen=_naive(now),
                )
            )

    def session_holder(self, token_hash: str) -> tuple[StoredSession, Account] | None:
        """The session and its account in one statement (asked on every signed-in request)."""
        query = select(
            sessions.c.user_id,
            sessions.c.kind,
            sessions.c.created.label("session_created"),
            sessions.c.last_seen,
            *(column for column in users.c if column.name != "created"),
        ).join_from(sessions, users, sessions.c.user_id == users.c.id)
        with reading(self.bind) as connection:
            row = connection.execute(query.where(sessions.c.token_hash == token_hash)).first()
        if row is None:
            return None
        m = row._mapping
        created, last_seen = _aware(m["session_created"]), _aware(m["last_seen"])
        assert created is not None and last_seen is not None
        return StoredSession(int(m["user_id"]), str(m["kind"]), created, last_seen), _account(row)

    def touch_session(self, token_hash: str, now: datetime) -> bool:
        change = (
            update(sessions)
            .where(sessions.c.token_hash == token_hash)
            .values(last_seen=_naive(now))
        )
        if isinstance(self.bind, Connection):  # inside the caller's unit: its transaction
            self.bind.execute(change)
            return True
        try:
            with write_without_waiting(self.bind) as connection:
                connection.execute(change)
        except Busy:
            return False
        return True

    def drop_session(self, token_hash: str) -> None:
        with writing(self.bind) as connection:
            connection.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    def sessions_of(self, user_id: int) -> list[tuple[str, StoredSession]]:
        query = select(sessions).where(sessions.c.user_id == user_id)
        with reading(self.bind) as connection:
            rows = connection.execute(query).all()
        return [(str(row._mapping["token_hash"]), _stored(row)) for row in rows]

    def drop_session_by_prefix(self, user_id: int, prefix: str) -> bool:
        """Drop the account's one session whose digest starts with `prefix` (hex only)."""
        with writing(self.bind) as connection:
            result = connection.execute(
                delete(sessions).where(
                    sessions.c.user_id == user_id, sessions.c.token_hash.startswith(prefix)
                )
            )
        return bool(result.rowcount)


@dataclass
class SqlAccountsUnit:
    store: SqlAccounts
    audit: AuditTrail


def account_units(
    engine: Engine, audit_key: bytes
) -> Callable[[], AbstractContextManager[SqlAccountsUnit]]:
    """Account changes and their audit entries in one transaction."""

    @contextmanager
    def unit() -> Iterator[SqlAccountsUnit]:
        with engine.begin() as connection:
            yield SqlAccountsUnit(
                SqlAccounts(connection), AuditTrail(SqlAuditLog(connection), audit_key)
            )

    return unit


def _serialise(connection: Connection) -> None:
    """Inside a unit of work on PostgreSQL, appenders queue for the end of the chain until
    commit (a transaction-scoped advisory lock), so a long import never loses its place."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK})


def _entry(row: Row[tuple[object, ...]]) -> AuditEntry:
    m = row._mapping
    event = AuditEvent(
        at=m["at"],
        username=m["username"],
        address=m["address"],
        action=m["action"],
        object=m["object"],
        result=m["result"],
        detail=m["detail"],
    )
    return AuditEntry(int(m["seq"]), event, m["prev_hash"], m["hash"], m["mac"])


# Any constant will do: PostgreSQL advisory locks are keyed by a number the app chooses.
_AUDIT_LOCK = 0x6663_6175


class SqlAuditLog:
    """The audit port: append at the end of the chain, read it back in order. On an `Engine`
    each append is its own transaction; on an open `Connection` (a unit of work) the append
    joins the change it records, and commits or rolls back with it."""

    def __init__(self, bind: Bind) -> None:
        self.bind = bind

    @property
    def engine(self) -> Engine:
        return self.bind if isinstance(self.bind, Engine) else self.bind.engine

    def last(self) -> AuditEntry | None:
        with reading(self.bind) as connection:
            if isinstance(self.bind, Connection):
                _serialise(connection)
            row = connection.execute(
                select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)
            ).first()
        return None if row is None else _entry(row)

    def insert(self, entry: AuditEntry) -> bool:
        """Write `entry`; False when another writer took its place in the chain first."""
        event = entry.event
        row = {
            "seq": entry.seq,
            "at": event.at,
            "username": event.username,
            "address": event.address,
            "action": event.action,
            "object": event.object,
            "result": event.result,
            "detail": event.detail,
            "prev_hash": entry.prev_hash,
            "hash": entry.hash,
            "mac": entry.mac,
        }
        try:
            with writing(self.bind) as connection:
                if isinstance(self.bind, Connection) and connection.dialect.name != "sqlite":
                    # A failed statement aborts a PostgreSQL transaction: the savepoint keeps
                    # the change alive for the retry. (SQLite undoes only the statement.)
                    with connection.begin_nested():
                        connection.execute(audit_log.insert().values(**row))
                else:
                    connection.execute(audit_log.insert().values(**row))
        except IntegrityError:
            return False
        return True

    def in_order(self, batch: int = 1000) -> Iterator[AuditEntry]:
        last_seq = 0
        while True:
            with reading(self.bind) as connection:
                rows = connection.execute(
                    select(audit_log)
                    .where(audit_log.c.seq > last_seq)
                    .order_by(audit_log.c.seq)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for row in rows:
                entry = _entry(row)
                last_seq = entry.seq
                yield entry

    def page(self, where: AuditFilter, offset: int, limit: int) -> tuple[list[AuditEntry], int]:
        """In the filter's order (newest first by default), with the total that matches."""
        conditions = []
        if where.username:
            conditions.append(audit_log.c.username == where.username)
        if where.action:
            conditions.append(audit_log.c.action == where.action)
        if where.result:
            conditions.append(audit_log.c.result == where.result)
        with reading(self.bind) as connection:
            total = connection.scalar(
                select(func.count()).select_from(audit_log).where(*conditions)
            )
            rows = connection.execute(
                select(audit_log)
                .where(*conditions)
                .order_by(*_audit_order(where))
                .offset(offset)
                .limit(limit)
            ).all()
        return [_entry(row) for row in rows], int(total or 0)


def _audit_order(where: AuditFilter) -> list[Any]:
    """The columns a log page is ordered by: the chosen one (an unknown key falls back to the
    sequence), then the sequence, so equal values page stably."""
    column = audit_log.c[where.sort] if where.sort in AUDIT_SORTS else audit_log.c.seq
    seq = audit_log.c.seq
    if where.descending:
        return [column.desc(), seq.desc()]
    return [column.asc(), seq.asc()]
