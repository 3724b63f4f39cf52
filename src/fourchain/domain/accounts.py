"""Accounts and the access policy: roles, who may see what, lock-out and session-expiry rules."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from fourchain.errors import InvalidInput


class Role(StrEnum):
    """What a signed-in account is; the anonymous public has no role."""

    BUREAU_ADMIN = "bureau_admin"  # 科技局管理员
    BUREAU_ANALYST = "bureau_analyst"  # 科技局分析员
    ENTERPRISE_USER = "enterprise_user"  # 企业用户（绑定一家企业）
    INSTITUTION_USER = "institution_user"  # 机构用户（绑定一个机构）
    EXPERT_REVIEWER = "expert_reviewer"  # 评审专家


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.BUREAU_ADMIN: ("科技局管理员", "Bureau administrator"),
    Role.BUREAU_ANALYST: ("科技局分析员", "Bureau analyst"),
    Role.ENTERPRISE_USER: ("企业用户", "Enterprise user"),
    Role.INSTITUTION_USER: ("机构用户", "Institution user"),
    Role.EXPERT_REVIEWER: ("评审专家", "Expert reviewer"),
}

BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_ANALYST})

USERNAME_MAX = 80
# NIST SP 800-63B: at least 8 characters, at least 64 allowed; no composition rules.
PASSWORD_MIN = 8
PASSWORD_MAX = 256
# Unicode categories a username must not hold: controls, format characters (zero-width
# space and joiners, direction marks, the BOM), separators, unassigned and private use.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in account, or the anonymous public (user_id None)."""

    user_id: int | None = None
    username: str = ""
    role: Role | None = None
    enterprise: str | None = None  # credit code, for an enterprise user
    institution: str | None = None  # institution id, for an institution user

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def is_bureau(self) -> bool:
        return self.role in BUREAU_ROLES

    def has_role(self, *roles: Role) -> bool:
        return self.role is not None and self.role in roles


ANONYMOUS = Principal()


def may_read_figures(principal: Principal, credit_code: str) -> bool:
    """An enterprise's yearly figures are confidential: bureau staff and that enterprise's own
    users may read them; nobody else, ever."""
    if principal.is_bureau:
        return True
    return principal.role is Role.ENTERPRISE_USER and principal.enterprise == credit_code


def may_read_institution_private(principal: Principal, institution_id: str) -> bool:
    """An institution's own account details (its users) are for it and the bureau only."""
    if principal.is_bureau:
        return True
    return principal.role is Role.INSTITUTION_USER and principal.institution == institution_id


def check_binding(role: Role, enterprise: str | None, institution: str | None) -> None:
    """An enterprise user is bound to exactly one enterprise, an institution user to exactly one
    institution; other roles to neither."""
    if role is Role.ENTERPRISE_USER and not enterprise:
        raise InvalidInput("an enterprise user needs --enterprise CREDIT_CODE")
    if role is Role.INSTITUTION_USER and not institution:
        raise InvalidInput("an institution user needs --institution ID")
    if role is not Role.ENTERPRISE_USER and enterprise:
        raise InvalidInput(f"role {role.value} cannot be bound to an enterprise")
    if role is not Role.INSTITUTION_USER and institution:
        raise InvalidInput(f"role {role.value} cannot be bound to an institution")


def check_username(username: str) -> str:
    """The username as stored: NFKC-normalised (full-width ａｄｍｉｎ is admin), with no space
    or invisible character anywhere in it."""
    name = unicodedata.normalize("NFKC", username).strip()
    if not name or len(name) > USERNAME_MAX:
        raise InvalidInput(f"username must be 1 to {USERNAME_MAX} characters")
    if any(ch.isspace() for ch in name):
        raise InvalidInput("username must not contain spaces")
    hidden = [ch for ch in name if unicodedata.category(ch) in _INVISIBLE]
    if hidden:
        raise InvalidInput(
            f"username must not contain invisible characters (U+{ord(hidden[0]):04X})"
        )
    return name


def username_key(username: str) -> str:
    """What makes two usernames the same account: NFKC, then case-folded (Admin is admin)."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def check_password(password: str) -> None:
    """The length rule; the blocklist of common and contextual passwords is the services'
    (it needs a password dictionary)."""
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(f"password must be at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(f"password must be at most {PASSWORD_MAX} characters")


def parse_role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        allowed = ", ".join(role.value for role in Role)
        raise InvalidInput(f"unknown role {text!r}; one of: {allowed}") from None


@dataclass(frozen=True)
class LockoutPolicy:
    """The account locks for `minutes` after `max_failures` failed logins in a row."""

    max_failures: int = 5
    minutes: int = 15

    def is_locked(self, locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and now < locked_until

    def lock_until(self, now: datetime) -> datetime:
        """When a lock that starts now ends."""
        return now + timedelta(minutes=self.minutes)

    def refuses_unchecked(self, attempts: int) -> bool:
        """Whether a sign-in that is attempt number `attempts` in a row (counted in the
        database before the password is checked) is refused whatever the password: the
        attempts before it already reached the limit."""
        return attempts > self.max_failures

    def locks(self, attempts: int) -> bool:
        """Whether `attempts` in a row lock the account (if this one fails too)."""
        return attempts >= self.max_failures


@dataclass(frozen=True)
class SessionPolicy:
    """A session ends after `idle` without use, and after `absolute` in all."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)

    def is_live(self, created: datetime, last_seen: datetime, now: datetime) -> bool:
        return now - last_seen < self.idle and now - created < self.absolute
