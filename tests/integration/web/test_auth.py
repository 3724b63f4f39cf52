"""Sign-in, lock-out, session expiry (frozen clock), bearer tokens, cookies and CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from fastapi import FastAPI

from fourchain.bootstrap import Database
from fourchain.config import DEFAULT_SECRET, Settings
from fourchain.domain.accounts import Role
from fourchain.entrypoints.web.app import create_app
from fourchain.entrypoints.web.deps import SESSION_COOKIE
from fourchain.errors import ConfigError
from fourchain.services.accounts import SIGN_IN_REFUSED
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import FAST_HASHER, SECRET, form_token, sign_in, web_settings
from tests.integration.web.fixtures import NOW, PASSWORD


def _me(client: TestClient) -> int:
    return client.get("/api/me").status_code


def test_signing_in_sets_an_httponly_samesite_lax_session_cookie(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as client:
        client.get("/login")
        response = client.post(
            "/login",
            data={
                "username": "ent",
                "password": PASSWORD,
                "csrf_token": form_token(client),
                "next": "/enterprises",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/enterprises"
        cookie = next(
            v for v in response.headers.get_list("set-cookie") if v.startswith(SESSION_COOKIE)
        )
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # test settings: plain http
        assert _me(client) == 200


def test_outside_development_the_session_cookie_is_secure(sqlite_database: Database) -> None:
    settings = Settings(fourchain_env="production", fourchain_secret_key=SECRET)
    app = create_app(sqlite_database, settings)
    services = app.state.services
    services.auth.accounts.hasher = FAST_HASHER
    services.auth.accounts.create("boss", PASSWORD, Role.BUREAU_ADMIN, NOW)
    with TestClient(app, base_url="https://testserver") as client:
        client.get("/login")
        response = client.post(
            "/login",
            data={"username": "boss", "password": PASSWORD, "csrf_token": form_token(client)},
            follow_redirects=False,
        )
        cookie = next(
            v for v in response.headers.get_list("set-cookie") if v.startswith(SESSION_COOKIE)
        )
        assert "Secure" in cookie


@pytest.mark.parametrize("env", ["test", "production"])
def test_the_app_refuses_to_start_with_the_default_secret_outside_development(
    env: str, sqlite_database: Database
) -> None:
    settings = Settings(fourchain_env=env, fourchain_secret_key=DEFAULT_SECRET)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="FOURCHAIN_SECRET_KEY"):
        create_app(sqlite_database, settings)


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"]
)
def test_sign_in_never_redirects_to_another_site(sqlite_app: FastAPI, target: str) -> None:
    with TestClient(sqlite_app) as client:
        client.get("/login")
        response = client.post(
            "/login",
            data={
                "username": "ent",
                "password": PASSWORD,
                "csrf_token": form_token(client),
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/workspace"


def test_five_failed_sign_ins_lock_the_account_for_fifteen_minutes(sqlite_app: FastAPI) -> None:
    with time_machine.travel(NOW, tick=False) as clock, TestClient(sqlite_app) as client:
        for _ in range(5):
            assert sign_in(client, "ent", "wrong-password") == 401
        locked = client.get("/login")
        assert sign_in(client, "ent", PASSWORD) == 401  # the right password, but locked
        assert locked.status_code == 200
        page = client.post(
            "/login",
            data={"username": "ent", "password": PASSWORD, "csrf_token": form_token(client)},
        )
        assert "锁定" in page.text
        clock.shift(timedelta(minutes=14, seconds=59))
        assert sign_in(client, "ent", PASSWORD) == 401
        clock.shift(timedelta(seconds=1))
        assert sign_in(client, "ent", PASSWORD) == 303
        assert _me(client) == 200


def test_a_successful_sign_in_clears_the_count_of_failures(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as client:
        for _ in range(4):
            assert sign_in(client, "ent", "wrong-password") == 401
        assert sign_in(client, "ent", PASSWORD) == 303
        for _ in range(4):
            assert sign_in(client, "ent", "wrong-password") == 401
        assert sign_in(client, "ent", PASSWORD) == 303


def test_the_lockout_threshold_and_duration_come_from_the_settings(
    sqlite_database: Database,
) -> None:
    app = create_app(
        sqlite_database, web_settings(fourchain_login_max_failures=2, fourchain_lockout_minutes=1)
    )
    app.state.services.auth.accounts.hasher = FAST_HASHER
    app.state.services.auth.accounts.create("ana", PASSWORD, Role.BUREAU_ANALYST, NOW)
    with time_machine.travel(NOW, tick=False) as clock, TestClient(app) as client:
        sign_in(client, "ana", "wrong-password")
        sign_in(client, "ana", "wrong-password")
        assert sign_in(client, "ana", PASSWORD) == 401
        clock.shift(timedelta(minutes=1))
        assert sign_in(client, "ana", PASSWORD) == 303


def test_a_session_ends_after_thirty_idle_minutes(sqlite_app: FastAPI) -> None:
    with time_machine.travel(NOW, tick=False) as clock, TestClient(sqlite_app) as client:
        assert sign_in(client, "analyst") == 303
        clock.shift(timedelta(minutes=29))
        assert _me(client) == 200  # used: the idle time starts again
        clock.shift(timedelta(minutes=29))
        assert _me(client) == 200
        clock.shift(timedelta(minutes=30))
        assert _me(client) == 401
        page = client.get("/enterprises", follow_redirects=False)
        assert page.status_code == 200 and "登录" in page.text  # the public view again


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(sqlite_app: FastAPI) -> None:
    with time_machine.travel(NOW, tick=False) as clock, TestClient(sqlite_app) as client:
        assert sign_in(client, "analyst") == 303
        for _ in range(11 * 3 + 2):  # every 20 minutes for 11h40m
            clock.shift(timedelta(minutes=20))
            assert _me(client) == 200
        clock.shift(timedelta(minutes=20))  # 12h00m after sign-in
        assert _me(client) == 401


def test_signing_out_ends_the_session_on_the_server(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as client:
        assert sign_in(client, "analyst") == 303
        stolen = client.cookies.get(SESSION_COOKIE)
        response = client.post(
            "/logout", data={"csrf_token": form_token(client)}, follow_redirects=False
        )
        assert response.status_code == 303
        client.cookies.set(SESSION_COOKIE, stolen or "")
        assert _me(client) == 401


def test_a_changed_role_signs_the_account_out(sqlite_app: FastAPI) -> None:
    services = sqlite_app.state.services
    with TestClient(sqlite_app) as client:
        assert sign_in(client, "expert") == 303
        expert = services.auth.accounts.store.by_username("expert")
        services.auth.accounts.change_role(expert.id, Role.BUREAU_ANALYST, NOW)
        assert _me(client) == 401


@pytest.mark.parametrize("token", [None, "", "forged-token-value"])
def test_a_form_without_the_right_csrf_token_is_refused(
    sqlite_app: FastAPI, token: str | None
) -> None:
    with TestClient(sqlite_app) as client:
        client.get("/login")
        data = {"username": "analyst", "password": PASSWORD}
        if token is not None:
            data["csrf_token"] = token
        response = client.post("/login", data=data, follow_redirects=False)
        assert response.status_code == 403
        assert _me(client) == 401


def test_signing_out_without_the_csrf_token_is_refused_and_keeps_the_session(
    sqlite_app: FastAPI,
) -> None:
    with TestClient(sqlite_app) as client:
        assert sign_in(client, "analyst") == 303
        assert client.post("/logout", follow_redirects=False).status_code == 403
        assert _me(client) == 200
        # HTMX sends the token as a header instead of a form field.
        headers = {"X-CSRF-Token": form_token(client)}
        assert client.post("/logout", headers=headers, follow_redirects=False).status_code == 303


def test_a_csrf_token_from_another_browser_is_refused(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as attacker, TestClient(sqlite_app) as victim:
        attacker.get("/login")
        their_token = form_token(attacker)
        assert sign_in(victim, "admin") == 303
        response = victim.post(
            "/admin/users",
            data={
                "username": "intruder",
                "password": "long-enough-1",
                "role": "bureau_admin",
                "csrf_token": their_token,
            },
            follow_redirects=False,
        )
        assert response.status_code == 403
        assert sqlite_app.state.services.auth.accounts.store.by_username("intruder") is None


def test_an_api_client_exchanges_a_password_for_a_bearer_token(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as client:
        response = client.post("/api/auth/token", data={"username": "ent", "password": PASSWORD})
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        headers = {"Authorization": f"Bearer {body['access_token']}"}
        me = client.get("/api/me", headers=headers)
        assert me.json()["role"] == "enterprise_user"
        assert me.json()["enterprise"] is not None


@pytest.mark.parametrize(
    ("username", "password"), [("ent", "wrong-password"), ("nobody", PASSWORD)]
)
def test_a_wrong_password_or_unknown_user_gets_no_token_and_the_same_answer(
    sqlite_app: FastAPI, username: str, password: str
) -> None:
    with TestClient(sqlite_app) as client:
        response = client.post("/api/auth/token", data={"username": username, "password": password})
        assert response.status_code == 401
        assert response.json() == {
            "error": "authentication_failed",
            "message": SIGN_IN_REFUSED,
        }
        assert response.headers["www-authenticate"] == "Bearer"


def test_a_forged_or_expired_bearer_token_is_refused(sqlite_app: FastAPI) -> None:
    with time_machine.travel(NOW, tick=False) as clock, TestClient(sqlite_app) as client:
        forged = client.get("/api/enterprises", headers={"Authorization": "Bearer nope"})
        assert forged.status_code == 401
        token = client.post(
            "/api/auth/token", data={"username": "ent", "password": PASSWORD}
        ).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert client.get("/api/me", headers=headers).status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/api/me", headers=headers).status_code == 401


def test_a_browser_session_cookie_is_not_a_bearer_token(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as client:
        assert sign_in(client, "analyst") == 303
        cookie = client.cookies.get(SESSION_COOKIE)
    with TestClient(sqlite_app) as other:
        response = other.get("/api/me", headers={"Authorization": f"Bearer {cookie}"})
        assert response.status_code == 401


def test_a_form_sent_after_the_session_ended_leads_to_sign_in_and_back_to_the_form(
    sqlite_app: FastAPI,
) -> None:
    with time_machine.travel(NOW, tick=False) as clock, TestClient(sqlite_app) as client:
        assert sign_in(client, "ent") == 303
        assert client.get("/market/demands/new").status_code == 200
        clock.shift(timedelta(minutes=31))  # the session ends while the form is being filled
        response = client.post(
            "/market/demands",
            data={"problem": "高精度减速器", "csrf_token": form_token(client)},
            headers={"Referer": "http://testserver/market/demands/new"},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/market/demands/new"
        assert sign_in(client, "ent") == 303
        clock.shift(timedelta(minutes=31))
        elsewhere = client.post(
            "/market/demands",
            data={"problem": "x", "csrf_token": form_token(client)},
            headers={"Referer": "https://evil.example/market"},
            follow_redirects=False,
        )
        assert elsewhere.headers["location"] == "/login?next=/"  # never another site's page
