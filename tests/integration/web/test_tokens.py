"""Bearer tokens are revocable: API logout, the account's token list and revoke, every role,
on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from fourchain.bootstrap import Services
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for, sign_in
from tests.integration.web.fixtures import ACCOUNTS

SIGNED_IN = [key for key, login in ACCOUNTS.items() if login.role is not None]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_api_logout_ends_the_bearer_token_at_once(app: FastAPI, role: str) -> None:
    headers = bearer_for(app, role)
    with TestClient(app) as client:
        assert client.get("/api/me", headers=headers).status_code == 200
        assert client.post("/api/auth/logout", headers=headers).status_code == 204
        assert client.get("/api/me", headers=headers).status_code == 401
        assert client.post("/api/auth/logout", headers=headers).status_code == 401
    services: Services = app.state.services
    actions = [e.event.action for e in services.auth.audit.store.in_order()]
    assert actions[-1] == "logout"


@pytest.mark.parametrize("role", SIGNED_IN)
def test_an_account_lists_its_tokens_and_revokes_one(app: FastAPI, role: str) -> None:
    first, second = bearer_for(app, role), bearer_for(app, role)
    with TestClient(app) as client:
        listed = client.get("/api/auth/tokens", headers=first).json()
        assert len(listed) == 2 and sorted(t["current"] for t in listed) == [False, True]
        assert all(t["kind"] == "bearer" and len(t["id"]) == 16 for t in listed)
        other = next(t["id"] for t in listed if not t["current"])
        assert client.delete(f"/api/auth/tokens/{other}", headers=first).status_code == 204
        assert client.get("/api/me", headers=second).status_code == 401
        assert client.get("/api/me", headers=first).status_code == 200
        assert [t["current"] for t in client.get("/api/auth/tokens", headers=first).json()] == [
            True
        ]
        again = client.delete(f"/api/auth/tokens/{other}", headers=first)
        assert again.status_code == 404


def test_another_accounts_token_cannot_be_seen_or_revoked(app: FastAPI) -> None:
    mine, theirs = bearer_for(app, "ent"), bearer_for(app, "admin")
    with TestClient(app) as client:
        their_id = client.get("/api/auth/tokens", headers=theirs).json()[0]["id"]
        assert their_id not in str(client.get("/api/auth/tokens", headers=mine).json())
        refused = client.delete(f"/api/auth/tokens/{their_id}", headers=mine)
        assert refused.status_code == 404
        assert client.get("/api/me", headers=theirs).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/auth/logout"),
        ("GET", "/api/auth/tokens"),
        ("DELETE", "/api/auth/tokens/0123456789abcdef"),
    ],
)
def test_the_public_must_sign_in_first(app: FastAPI, method: str, path: str) -> None:
    with TestClient(app) as client:
        assert client.request(method, path).status_code == 401


@pytest.mark.parametrize("bad", ["0123", "0123456789ABCDEF", "0123456789abcdeg"])
def test_a_malformed_token_id_is_refused_as_input(app: FastAPI, bad: str) -> None:
    with TestClient(app) as client:
        answer = client.delete(f"/api/auth/tokens/{bad}", headers=bearer_for(app, "ent"))
    assert answer.status_code == 422


def test_a_browser_session_is_listed_and_its_api_logout_needs_the_csrf_token(
    app: FastAPI,
) -> None:
    with TestClient(app) as client:
        assert sign_in(client, "ent") == 303
        listed = client.get("/api/auth/tokens").json()
        assert [(t["kind"], t["current"]) for t in listed] == [("browser", True)]
        assert client.post("/api/auth/logout").status_code == 403  # a cookie without CSRF
        assert client.get("/api/me").status_code == 200


def test_a_browser_logout_ends_the_session_but_a_revoked_token_list_shows_it_gone(
    app: FastAPI,
) -> None:
    services: Services = app.state.services
    headers = bearer_for(app, "analyst")
    principal = services.auth.accounts.principal_for(
        headers["Authorization"].split()[1], "bearer", datetime.now(UTC)
    )
    assert principal is not None
    ids = [t.id for t in services.auth.accounts.tokens(principal, None, datetime.now(UTC))]
    services.auth.accounts.revoke(principal, ids[0], datetime.now(UTC), "t")
    assert services.auth.accounts.tokens(principal, None, datetime.now(UTC)) == []
