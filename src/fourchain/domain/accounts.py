"""Accounts and the access policy: roles, who may see what, lock-out and session-expiry rules."""

from __future__ import annotations

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
PASSWORD_MIN = 8


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
    name = username.strip()
    if not name or len(name) > USERNAME_MAX:
        raise InvalidInput(f"username must be 1 to {USERNAME_MAX} characters")
    if any(ch.isspace() for ch in name):
        raise InvalidInput("username must not contain spaces")
    return name


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(f"password must be at least {PASSWORD_MIN} characters")


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

    def after_failure(self, failures: int, now: datetime) -> tuple[int, datetime | None]:
        """The new failure count and lock (None: not locked) after one more failed login.
        Reaching the limit locks and starts the count again."""
        failures += 1
        if failures >= self.max_failures:
            return 0, now + timedelta(minutes=self.minutes)
        return failures, None


@dataclass(frozen=True)
class SessionPolicy:
    """A session ends after `idle` without use, and after `absolute` in all."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)

    def is_live(self, created: datetime, last_seen: datetime, now: datetime) -> bool:
        return now - last_seen < self.idle and now - created < self.absolute
