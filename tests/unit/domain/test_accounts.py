"""The access policy, account bindings, lock-out and session-expiry rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fourchain.domain.accounts import (
    ANONYMOUS,
    LockoutPolicy,
    Principal,
    Role,
    SessionPolicy,
    check_binding,
    check_password,
    check_username,
    may_read_figures,
    may_read_institution_private,
    parse_role,
    username_key,
)
from fourchain.errors import InvalidInput

OWN = "91350200MA0000001W"
OTHER = "91350200MA00000020"
T0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


def principal(
    role: Role | None, enterprise: str | None = None, inst: str | None = None
) -> Principal:
    if role is None:
        return ANONYMOUS
    return Principal(1, "u", role, enterprise, inst)


@pytest.mark.parametrize(
    ("who", "credit_code", "allowed"),
    [
        (principal(Role.BUREAU_ADMIN), OTHER, True),
        (principal(Role.BUREAU_ANALYST), OTHER, True),
        (principal(Role.ENTERPRISE_USER, OWN), OWN, True),
        (principal(Role.ENTERPRISE_USER, OWN), OTHER, False),
        (principal(Role.ENTERPRISE_USER, None), OWN, False),
        (principal(Role.INSTITUTION_USER, inst="I1"), OWN, False),
        (principal(Role.EXPERT_REVIEWER), OWN, False),
        (principal(None), OWN, False),
    ],
)
def test_yearly_figures_are_seen_only_by_the_enterprise_itself_and_bureau_staff(
    who: Principal, credit_code: str, allowed: bool
) -> None:
    assert may_read_figures(who, credit_code) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (principal(Role.BUREAU_ADMIN), True),
        (principal(Role.INSTITUTION_USER, inst="I1"), True),
        (principal(Role.INSTITUTION_USER, inst="I2"), False),
        (principal(Role.ENTERPRISE_USER, OWN), False),
        (principal(None), False),
    ],
)
def test_an_institutions_private_details_are_for_itself_and_the_bureau(
    who: Principal, allowed: bool
) -> None:
    assert may_read_institution_private(who, "I1") is allowed


@pytest.mark.parametrize(
    ("role", "enterprise", "institution", "problem"),
    [
        (Role.ENTERPRISE_USER, None, None, "needs --enterprise"),
        (Role.INSTITUTION_USER, None, None, "needs --institution"),
        (Role.BUREAU_ADMIN, OWN, None, "cannot be bound to an enterprise"),
        (Role.EXPERT_REVIEWER, None, "I1", "cannot be bound to an institution"),
        (Role.ENTERPRISE_USER, OWN, "I1", "cannot be bound to an institution"),
    ],
)
def test_a_binding_that_does_not_fit_the_role_is_refused_with_the_reason(
    role: Role, enterprise: str | None, institution: str | None, problem: str
) -> None:
    with pytest.raises(InvalidInput, match=problem):
        check_binding(role, enterprise, institution)


@pytest.mark.parametrize(
    ("role", "enterprise", "institution"),
    [
        (Role.ENTERPRISE_USER, OWN, None),
        (Role.INSTITUTION_USER, None, "I1"),
        (Role.BUREAU_ANALYST, None, None),
    ],
)
def test_a_binding_that_fits_the_role_is_accepted(
    role: Role, enterprise: str | None, institution: str | None
) -> None:
    check_binding(role, enterprise, institution)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "two words",
        "x" * 81,
        "admin\u200b",  # zero-width space
        "ad\u200dmin",  # zero-width joiner
        "\ufeffadmin",  # byte-order mark
        "admin\u202e",  # right-to-left override
        "ad\u00admin",  # soft hyphen
        "admin\u3000x",  # ideographic space
    ],
)
def test_a_bad_username_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match="username"):
        check_username(bad)


@pytest.mark.parametrize(
    ("given", "stored", "key"),
    [
        ("admin", "admin", "admin"),
        ("Admin", "Admin", "admin"),
        ("ａｄｍｉｎ", "admin", "admin"),  # full-width letters
        ("  王伟 ", "王伟", "王伟"),
        ("STRASSE", "STRASSE", "strasse"),
        ("Straße", "Straße", "strasse"),
    ],
)
def test_a_username_is_stored_nfkc_normalised_and_compared_case_folded(
    given: str, stored: str, key: str
) -> None:
    assert check_username(given) == stored
    assert username_key(given) == key


def test_a_short_or_overlong_password_is_refused_and_a_long_one_accepted() -> None:
    with pytest.raises(InvalidInput, match="at least 8"):
        check_password("short")
    with pytest.raises(InvalidInput, match="at most 256"):
        check_password("x" * 257)
    check_password("long enough")


def test_an_unknown_role_names_the_roles_there_are() -> None:
    with pytest.raises(InvalidInput, match="bureau_admin, bureau_analyst"):
        parse_role("superuser")
    assert parse_role("expert_reviewer") is Role.EXPERT_REVIEWER


def test_the_fifth_attempt_in_a_row_locks_for_fifteen_minutes_and_later_ones_are_unchecked() -> (
    None
):
    policy = LockoutPolicy(max_failures=5, minutes=15)
    assert [policy.locks(n) for n in range(1, 7)] == [False] * 4 + [True, True]
    assert [policy.refuses_unchecked(n) for n in range(1, 7)] == [False] * 5 + [True]
    locked = policy.lock_until(T0)
    assert locked == T0 + timedelta(minutes=15)
    assert policy.is_locked(locked, T0 + timedelta(minutes=14, seconds=59))
    assert not policy.is_locked(locked, T0 + timedelta(minutes=15))
    assert not policy.is_locked(None, T0)


@pytest.mark.parametrize(
    ("created", "last_seen", "now", "live"),
    [
        (T0, T0, T0 + timedelta(minutes=29), True),
        (T0, T0, T0 + timedelta(minutes=30), False),
        (T0, T0 + timedelta(hours=11, minutes=50), T0 + timedelta(hours=11, minutes=59), True),
        (T0, T0 + timedelta(hours=11, minutes=50), T0 + timedelta(hours=12), False),
    ],
)
def test_a_session_ends_after_30_idle_minutes_or_12_hours_in_all(
    created: datetime, last_seen: datetime, now: datetime, live: bool
) -> None:
    assert SessionPolicy().is_live(created, last_seen, now) is live
