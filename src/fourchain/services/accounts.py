"""Account use cases: create and change accounts, sign in with lock-out, sessions and tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fourchain.domain.accounts import (
    LockoutPolicy,
    Principal,
    Role,
    SessionPolicy,
    check_binding,
    check_username,
    may_read_institution_private,
    username_key,
)
from fourchain.domain.audit import Action, Result, details
from fourchain.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from fourchain.services.audit import AuditTrail
from fourchain.services.passwords import screen_password
from fourchain.services.ports import AccountStore, AccountsUnit

BROWSER = "browser"
BEARER = "bearer"
# One answer for an unknown, inactive, locked or wrongly answered account: which of these it
# was is for the audit log, never for the caller (it would tell which usernames exist).
SIGN_IN_REFUSED = "wrong username or password, or the account is locked for a while"
# Writing last_seen on every request would turn each read into a write; a minute's slack only
# ever ends a session earlier, never later.
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    password_hash: str
    role: Role
    enterprise: str | None
    institution: str | None
    active: bool
    failed_logins: int
    locked_until: datetime | None

    @property
    def principal(self) -> Principal:
        return Principal(self.id, self.username, self.role, self.enterprise, self.institution)


@dataclass(frozen=True)
class StoredSession:
    user_id: int
    kind: str
    created: datetime
    last_seen: datetime


# A token is shown and revoked by the start of its stored digest: enough to tell an
# account's tokens apart, and no use to anyone who reads it (it is not the secret).
TOKEN_ID_LENGTH = 16


@dataclass(frozen=True)
class TokenInfo:
    """One of an account's live sessions or bearer tokens, as its holder may see it."""

    id: str
    kind: str
    created: datetime
    last_seen: datetime
    current: bool


AccountsUnits = Callable[[], AbstractContextManager[AccountsUnit]]


@dataclass
class _Unit:
    store: AccountStore
    audit: AuditTrail


def token_hash(token: str) -> str:
    """Only this digest of a session or bearer secret is ever stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Caller:
    """Who acts and from where, for the audit log."""

    username: str = ""
    address: str = ""


class Accounts:
    """The accounts use cases over a store, writing what matters to the audit trail."""

    def __init__(
        self,
        store: AccountStore,
        audit: AuditTrail,
        lockout: LockoutPolicy | None = None,
        sessions: SessionPolicy | None = None,
        hasher: PasswordHasher | None = None,
        units: AccountsUnits | None = None,
    ) -> None:
        self.store = store
        self.audit = audit
        # Account changes and their audit entries share one transaction through `units`.
        self.units = units or self._same_stores
        self.lockout = lockout or LockoutPolicy()
        self.sessions = sessions or SessionPolicy()
        self.hasher = hasher or PasswordHasher()
        self._dummy: tuple[PasswordHasher, str] | None = None

    @contextmanager
    def _same_stores(self) -> Iterator[AccountsUnit]:
        yield _Unit(self.store, self.audit)

    @property
    def _dummy_hash(self) -> str:
        """Verifying against this when the username is unknown keeps both answers equally
        slow (made on first use, with the hasher's current parameters)."""
        if self._dummy is None or self._dummy[0] is not self.hasher:
            self._dummy = (self.hasher, self.hasher.hash(secrets.token_urlsafe(16)))
        return self._dummy[1]

    def create(
        self,
        username: str,
        password: str,
        role: Role,
        now: datetime,
        *,
        enterprise: str | None = None,
        institution: str | None = None,
        caller: Caller | None = None,
    ) -> int:
        name = check_username(username)
        screen_password(password, name)
        check_binding(role, enterprise, institution)
        self._check_objects(enterprise, institution)
        if self.store.username_taken(username_key(name)):
            raise Conflict(f"the username {name!r} is taken")
        caller = caller or Caller()
        with self.units() as unit:
            user_id = unit.store.create(
                name, self.hasher.hash(password), role, enterprise, institution, now
            )
            unit.audit.record(
                now,
                Action.ACCOUNT_CREATED,
                Result.SUCCESS,
                username=caller.username,
                address=caller.address,
                object=f"user:{name}",
                detail=_binding_text(role, enterprise, institution),
            )
        return user_id

    def change_role(
        self,
        user_id: int,
        role: Role,
        now: datetime,
        *,
        enterprise: str | None = None,
        institution: str | None = None,
        caller: Caller | None = None,
    ) -> None:
        account = self.store.by_id(user_id)
        if account is None:
            raise NotFound(f"no account {user_id}")
        check_binding(role, enterprise, institution)
        self._check_objects(enterprise, institution)
        caller = caller or Caller()
        with self.units() as unit:
            unit.store.set_role(user_id, role, enterprise, institution)
            unit.audit.record(
                now,
                Action.ROLE_CHANGED,
                Result.SUCCESS,
                username=caller.username,
                address=caller.address,
                object=f"user:{account.username}",
                detail=_binding_text(role, enterprise, institution, was=account.role),
            )

    def everyone(self) -> list[Account]:
        return self.store.all()

    def of_institution(self, principal: Principal, institution_id: str) -> list[Account]:
        """The accounts bound to an institution: for its own users and the bureau. Anyone
        else gets the same NotFound as for an institution that does not exist."""
        refused = NotFound(f"no accounts for institution {institution_id}")
        if not may_read_institution_private(principal, institution_id):
            raise refused
        if not self.store.institution_exists(institution_id):
            raise refused
        return self.store.of_institution(institution_id)

    def authenticate(self, username: str, password: str, now: datetime, address: str) -> Principal:
        """The principal for a correct password; otherwise AuthenticationFailed with the same
        message for an unknown, inactive, locked or wrongly answered account.

        The attempt is counted in the database, in one statement, before the password is
        checked: concurrent guesses each get their own number, so they cannot all slip in
        under the limit while argon2 runs."""
        # No account name holds a NUL, and PostgreSQL refuses one in any text value: drop it
        # so the attempt is an ordinary failure (and its audit entry can be written).
        username = username.replace("\x00", "")
        refused = AuthenticationFailed(SIGN_IN_REFUSED)
        account = self.store.by_username(username)
        if account is None or not account.active:
            self._verify(self._dummy_hash, password)
            self._log_login(now, username, address, Result.FAILURE, "unknown_account")
            raise refused
        if self.lockout.is_locked(account.locked_until, now):
            self._verify(self._dummy_hash, password)
            self._log_login(now, account.username, address, Result.REFUSED, "locked")
            raise refused
        lock_until = self.lockout.lock_until(now)
        attempts, _ = self.store.count_attempt(
            account.id, now, self.lockout.max_failures, lock_until
        )
        correct = self._verify(account.password_hash, password)
        if self.lockout.refuses_unchecked(attempts):
            self._log_login(now, account.username, address, Result.REFUSED, "locked")
            raise refused
        if not correct:
            self._log_login(now, account.username, address, Result.FAILURE, "wrong_password")
            if self.lockout.locks(attempts):
                self.audit.record(
                    now,
                    Action.LOCKOUT,
                    Result.SUCCESS,
                    username=account.username,
                    address=address,
                    object=f"user:{account.username}",
                    detail=details(minutes=self.lockout.minutes),
                )
            raise refused
        self.store.set_login_state(account.id, 0, None)
        if self.hasher.check_needs_rehash(account.password_hash):
            self.store.set_password(account.id, self.hasher.hash(password))
        self._log_login(now, account.username, address, Result.SUCCESS, None)
        return account.principal

    def open_session(self, principal: Principal, kind: str, now: datetime) -> str:
        """A new random secret for a browser session or bearer token; only its hash is kept."""
        if principal.user_id is None:
            raise AuthenticationFailed("sign in first")
        token = secrets.token_urlsafe(32)
        self.store.add_session(token_hash(token), principal.user_id, kind, now)
        return token

    def principal_for(self, token: str, kind: str, now: datetime) -> Principal | None:
        """Who holds `token`, if it is a live session of that kind; an expired one is removed."""
        digest = token_hash(token)
        held = self.store.session_holder(digest)
        if held is None or held[0].kind != kind:
            return None
        stored, account = held
        if not self.sessions.is_live(stored.created, stored.last_seen, now):
            self.store.drop_session(digest)
            return None
        if not account.active:
            return None
        if now - stored.last_seen >= _TOUCH_EVERY:
            # Never waits for another writer (an import): the session stays as last seen and
            # a later request touches it; a reader is not held up, nor refused, for it.
            self.store.touch_session(digest, now)
        return account.principal

    def close_session(self, token: str) -> None:
        self.store.drop_session(token_hash(token))

    def tokens(self, principal: Principal, current: str | None, now: datetime) -> list[TokenInfo]:
        """The account's live sessions and bearer tokens, newest first; `current` (the
        caller's own token) is marked."""
        if principal.user_id is None:
            raise AuthenticationFailed("sign in first")
        mine = token_hash(current) if current else ""
        found = [
            TokenInfo(digest[:TOKEN_ID_LENGTH], s.kind, s.created, s.last_seen, digest == mine)
            for digest, s in self.store.sessions_of(principal.user_id)
            if self.sessions.is_live(s.created, s.last_seen, now)
        ]
        return sorted(found, key=lambda t: t.created, reverse=True)

    def revoke(self, principal: Principal, token_id: str, now: datetime, address: str) -> None:
        """End one of the account's own sessions or tokens; anyone else's answers as missing."""
        if principal.user_id is None:
            raise AuthenticationFailed("sign in first")
        valid = len(token_id) == TOKEN_ID_LENGTH and all(c in "0123456789abcdef" for c in token_id)
        if not valid or not self.store.drop_session_by_prefix(principal.user_id, token_id):
            raise NotFound(f"no token {token_id}")
        self.audit.record(
            now,
            Action.TOKEN_REVOKED,
            Result.SUCCESS,
            username=principal.username,
            address=address,
            object=f"user:{principal.username}",
            detail=details(token_id=token_id),
        )

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _check_objects(self, enterprise: str | None, institution: str | None) -> None:
        if enterprise and not self.store.enterprise_exists(enterprise):
            raise InvalidInput(f"no enterprise with credit code {enterprise}")
        if institution and not self.store.institution_exists(institution):
            raise InvalidInput(f"no institution with id {institution}")

    def _log_login(
        self, now: datetime, username: str, address: str, result: Result, why: str | None
    ) -> None:
        """A sign-in's entry; why it was refused is structured (`{"why":"wrong_password"}`),
        said in the reader's language by the log page."""
        self.audit.record(
            now,
            Action.LOGIN,
            result,
            username=username,
            address=address,
            object=f"user:{username}"[:200],
            detail=details(why=why) if why else "",
        )


def _binding_text(
    role: Role, enterprise: str | None, institution: str | None, was: Role | None = None
) -> str:
    """An account's role and binding (and the role it had) as an entry's structured detail."""
    return details(
        role=role.value,
        enterprise=enterprise,
        institution=institution,
        was=was.value if was else None,
    )


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    bound_to: str | None


DEMO_PASSWORDS: dict[Role, tuple[str, str]] = {
    Role.BUREAU_ADMIN: ("admin", "demo-admin-2025"),
    Role.BUREAU_ANALYST: ("analyst", "demo-analyst-2025"),
    Role.ENTERPRISE_USER: ("enterprise", "demo-enterprise-2025"),
    Role.INSTITUTION_USER: ("institution", "demo-institution-2025"),
    Role.EXPERT_REVIEWER: ("expert", "demo-expert-2025"),
}


def ensure_demo_accounts(
    accounts: Accounts,
    now: datetime,
    enterprise: str | None,
    institution: str | None,
) -> list[DemoAccount]:
    """One account per role, the enterprise and institution users bound to the given demo
    objects. Idempotent: an account that exists is left as it is. Returns what to print."""
    made: list[DemoAccount] = []
    for role, (username, password) in DEMO_PASSWORDS.items():
        bound_enterprise = enterprise if role is Role.ENTERPRISE_USER else None
        bound_institution = institution if role is Role.INSTITUTION_USER else None
        if role is Role.ENTERPRISE_USER and not enterprise:
            continue
        if role is Role.INSTITUTION_USER and not institution:
            continue
        if accounts.store.by_username(username) is None:
            accounts.create(
                username,
                password,
                role,
                now,
                enterprise=bound_enterprise,
                institution=bound_institution,
                caller=Caller(username="demo"),
            )
        made.append(DemoAccount(username, password, role, bound_enterprise or bound_institution))
    return made
