"""Accounts after NIST SP 800-63B and the lock-out under concurrent guessing, on both backends."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from fourchain.bootstrap import Database
from fourchain.domain.accounts import Role
from fourchain.domain.audit import Action
from fourchain.entrypoints.web.app import create_app
from fourchain.errors import AuthenticationFailed, Conflict, InvalidInput
from fourchain.services.accounts import SIGN_IN_REFUSED, Accounts
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import FAST_HASHER, form_token, sign_in, web_settings
from tests.integration.web.fixtures import PASSWORD

# Slow enough (tens of milliseconds) that concurrent sign-ins overlap while argon2 runs, as
# they do in production at 0.7 s.
RACE_HASHER = PasswordHasher(time_cost=2, memory_cost=32768, parallelism=1)


@pytest.fixture
def accounts(database: Database) -> Accounts:
    app = create_app(database, web_settings())
    accounts: Accounts = app.state.services.auth.accounts
    accounts.hasher = FAST_HASHER
    return accounts


def test_twenty_concurrent_wrong_passwords_lock_the_account(accounts: Accounts) -> None:
    accounts.hasher = RACE_HASHER
    accounts.create("ana", PASSWORD, Role.BUREAU_ANALYST, datetime.now(UTC))
    start = threading.Barrier(20)
    answers: list[str] = []

    def guess(n: int) -> None:
        start.wait()
        try:
            accounts.authenticate("ana", f"wrong-guess-{n}", datetime.now(UTC), "10.0.0.9")
        except AuthenticationFailed as refused:
            answers.append(refused.message)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [SIGN_IN_REFUSED] * 20
    account = accounts.store.by_username("ana")
    assert account is not None and account.locked_until is not None
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate("ana", PASSWORD, datetime.now(UTC), "10.0.0.9")
    lockouts = [e for e in accounts.audit.store.in_order() if e.event.action == Action.LOCKOUT]
    assert len(lockouts) == 1


@pytest.mark.parametrize("twin", ["Admin", "ADMIN", "ａｄｍｉｎ", "Ａｄｍｉｎ"])
def test_a_username_that_differs_only_by_case_or_width_is_taken(
    accounts: Accounts, twin: str
) -> None:
    accounts.create("admin", PASSWORD, Role.BUREAU_ADMIN, datetime.now(UTC))
    with pytest.raises(Conflict, match="taken"):
        accounts.create(twin, PASSWORD, Role.BUREAU_ANALYST, datetime.now(UTC))
    assert [a.username for a in accounts.everyone()] == ["admin"]


def test_a_username_signs_in_regardless_of_case_and_width(accounts: Accounts) -> None:
    accounts.create("Wang", PASSWORD, Role.BUREAU_ANALYST, datetime.now(UTC))
    for given in ("wang", "WANG", "ｗａｎｇ"):
        assert accounts.authenticate(given, PASSWORD, datetime.now(UTC), "t").username == "Wang"


@pytest.mark.parametrize("name", ["admin\u200b", "ad\u200cmin", "\u2060admin", "admin\u202e"])
def test_a_username_with_an_invisible_character_is_refused(accounts: Accounts, name: str) -> None:
    with pytest.raises(InvalidInput, match="invisible"):
        accounts.create(name, PASSWORD, Role.BUREAU_ADMIN, datetime.now(UTC))
    assert accounts.everyone() == []


@pytest.mark.parametrize(
    ("username", "password"),
    [("li", "password"), ("li", "12345678"), ("li", " " * 8), ("lisi-2025", "lisi-2025")],
)
def test_a_common_or_contextual_password_is_refused_at_creation(
    accounts: Accounts, username: str, password: str
) -> None:
    with pytest.raises(InvalidInput, match="password"):
        accounts.create(username, password, Role.BUREAU_ADMIN, datetime.now(UTC))
    assert accounts.everyone() == []


def test_a_locked_and_an_unknown_account_get_the_same_answer(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as client:
        for _ in range(5):
            sign_in(client, "ent", "wrong-password")
        answers = [
            client.post("/api/auth/token", data={"username": name, "password": PASSWORD})
            for name in ("ent", "nobody")
        ]
        pages = []
        for name in ("ent", "nobody"):
            client.get("/login")
            pages.append(
                client.post(
                    "/login",
                    data={"username": name, "password": PASSWORD, "csrf_token": form_token(client)},
                )
            )
    assert [a.status_code for a in answers] == [401, 401]
    assert answers[0].json() == answers[1].json()
    assert [p.status_code for p in pages] == [401, 401]
    alerts = [p.text.split('role="alert">')[1].split("<")[0] for p in pages]
    assert alerts[0] == alerts[1]
