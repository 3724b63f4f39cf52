"""Fixtures of the web tests: the app over a seeded registry, and a client per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from fourchain.bootstrap import Database, Services
from fourchain.config import Settings
from fourchain.entrypoints.web.app import create_app
from fourchain.entrypoints.web.deps import CSRF_COOKIE, csrf_token_for
from fourchain.services.accounts import BEARER
from tests.integration.web.client import TestClient
from tests.integration.web.fixtures import (
    ACCOUNTS,
    OWN,
    OWN_INSTITUTION,
    PASSWORD,
    seed_registry,
)

SECRET = "test-secret-for-the-web-suite"
# Real argon2, with cheap parameters: the default costs about 0.7 s per hash on the CI
# machines, and the suite signs in hundreds of times.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def web_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "fourchain_env": "test",
        "fourchain_secret_key": SECRET,
        "fourchain_cookie_secure": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def add_accounts(services: Services) -> None:
    services.auth.accounts.hasher = FAST_HASHER
    now = datetime.now(UTC)
    for key, login in ACCOUNTS.items():
        if login.role is None:
            continue
        services.auth.accounts.create(
            login.username,
            PASSWORD,
            login.role,
            now,
            enterprise=OWN if key == "ent" else None,
            institution=OWN_INSTITUTION if key == "inst" else None,
        )


@pytest.fixture
def app(database: Database) -> FastAPI:
    """The platform over a seeded registry with one account per role (both backends)."""
    seed_registry(database.engine)
    app = create_app(database, web_settings())
    add_accounts(app.state.services)
    return app


@pytest.fixture
def sqlite_app(sqlite_database: Database) -> FastAPI:
    seed_registry(sqlite_database.engine)
    app = create_app(sqlite_database, web_settings())
    add_accounts(app.state.services)
    return app


def bearer_for(app: FastAPI, key: str) -> dict[str, str]:
    """Authorization headers for one of ACCOUNTS (none for the public)."""
    login = ACCOUNTS[key]
    if login.role is None:
        return {}
    services: Services = app.state.services
    principal = services.auth.accounts.authenticate(
        login.username, PASSWORD, datetime.now(UTC), "t"
    )
    token = services.auth.accounts.open_session(principal, BEARER, datetime.now(UTC))
    return {"Authorization": f"Bearer {token}"}


def form_token(client: TestClient) -> str:
    """The CSRF token a page would have put in its form for this client's cookie."""
    seed = client.cookies.get(CSRF_COOKIE)
    assert seed, "load a page first: it sets the CSRF cookie"

    class _Req:
        cookies = {CSRF_COOKIE: seed}

    return csrf_token_for(_Req(), SECRET)  # type: ignore[arg-type]


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> int:
    """Sign in through the login form, as a browser does; returns the status code."""
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": form_token(client)},
        follow_redirects=False,
    )
    return response.status_code


@pytest.fixture
def browser_client(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """A factory of cookie clients signed in through the login form as one of ACCOUNTS."""
    clients: list[TestClient] = []

    def make(key: str) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        login = ACCOUNTS[key]
        if login.role is not None:
            assert sign_in(client, login.username) == 303
        return client

    yield make
    for client in clients:
        client.close()
