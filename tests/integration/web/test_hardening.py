"""Error hygiene and bounded input: headers on every answer (500 too), HEAD, evidence file
names, and the body cap enforced while reading, before parsing and before any handler."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi import FastAPI

from fourchain.bootstrap import Database
from fourchain.domain.files import upload_name
from fourchain.entrypoints.web import access
from fourchain.entrypoints.web.app import create_app
from fourchain.entrypoints.web.pages import auth as auth_pages
from fourchain.errors import InvalidInput
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import (
    add_accounts,
    bearer_for,
    form_token,
    sign_in,
    web_settings,
)
from tests.integration.web.fixtures import seed_registry
from tests.integration.web.test_pipeline_pages import _seed

HEADERS = (
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
)


@pytest.fixture
def boom_app(sqlite_database: Database, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    router = auth_pages.router
    monkeypatch.setattr(router, "routes", list(router.routes))
    monkeypatch.setitem(access.ROUTE_ACCESS, "GET /boom-headers", access.PUBLIC)
    monkeypatch.setitem(access.ROUTE_ACCESS, "GET /api/boom-headers", access.PUBLIC)

    @router.get("/boom-headers")
    @router.get("/api/boom-headers")
    def boom() -> None:
        raise RuntimeError("a bug")

    seed_registry(sqlite_database.engine)
    return create_app(sqlite_database, web_settings())


@pytest.mark.parametrize("path", ["/boom-headers", "/api/boom-headers"])
def test_an_unexpected_error_still_carries_every_security_header(
    boom_app: FastAPI, path: str
) -> None:
    with TestClient(boom_app, raise_server_exceptions=False) as client:
        response = client.get(path)
    assert response.status_code == 500
    for header in HEADERS:
        assert header in response.headers, header


@pytest.mark.parametrize("path", ["/", "/enterprises", "/api/dashboard", "/static/app.css"])
def test_head_answers_like_get_without_a_body(sqlite_app: FastAPI, path: str) -> None:
    with TestClient(sqlite_app) as client:
        got = client.get(path)
        head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert "content-security-policy" in head.headers


@pytest.mark.parametrize("name", ["..", ".", "...", "a/..", "\\..", ""])
def test_a_name_that_is_no_file_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput, match="not a file name"):
        upload_name(name)


@pytest.mark.parametrize(
    ("given", "kept"), [("C:\\docs\\报告.pdf", "报告.pdf"), ("../a.pdf", "a.pdf")]
)
def test_an_upload_keeps_only_its_own_name(given: str, kept: str) -> None:
    assert upload_name(given) == kept


@pytest.fixture
def admin(
    app: FastAPI, browser_client: Callable[[str], TestClient], tmp_path: Path
) -> Iterator[TestClient]:
    _seed(app)
    app.state.services.settings.fourchain_data_dir = tmp_path / "data"
    client = browser_client("admin")
    client.get("/pipeline/projects/P1")
    yield client


@pytest.mark.parametrize("name", ["..", "."])
def test_an_evidence_file_named_dot_dot_or_dot_is_a_client_error(
    admin: TestClient, name: str
) -> None:
    response = admin.post(
        "/pipeline/projects/P1/advance",
        data={"csrf_token": form_token(admin), "to": "pilot", "trl": "5", "on": "2024-03-01"},
        files=[("evidence", (name, b"%PDF pilot", "application/pdf"))],
        follow_redirects=False,
    )
    assert 400 <= response.status_code < 500


def _capped(database: Database, **limits: int) -> FastAPI:
    seed_registry(database.engine)
    app = create_app(database, web_settings(**limits))
    add_accounts(app.state.services)
    return app


def test_an_anonymous_oversized_body_is_refused_before_it_is_parsed(
    sqlite_database: Database,
) -> None:
    app = _capped(sqlite_database)

    def body() -> Iterator[bytes]:  # no Content-Length: only counting while reading stops it
        for _ in range(5):
            yield b"username=" + b"a" * 1_000_000

    form = {"content-type": "application/x-www-form-urlencoded"}
    with TestClient(app) as client:
        declared = client.post(
            "/api/auth/token", content=b"x" * 70_000, headers={**form, "content-length": "70000"}
        )
        streamed = client.post("/api/auth/token", content=body(), headers=form)
        page = client.post("/login", content=body(), headers=form)
    assert declared.status_code == 413 and declared.json()["error"] == "body_too_large"
    assert streamed.status_code == 413 and streamed.json()["error"] == "body_too_large"
    assert page.status_code == 413 and "请求内容过大" in page.text
    for header in HEADERS:
        assert header in declared.headers and header in page.headers


def test_a_signed_in_callers_body_is_capped_by_the_setting(sqlite_database: Database) -> None:
    app = _capped(sqlite_database, fourchain_max_body_bytes=200_000)
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        big = client.post("/api/enterprises", headers=headers, content=b"{" + b" " * 300_000 + b"}")

        def chunks() -> Iterator[bytes]:
            for _ in range(10):
                yield b" " * 50_000

        form = {**headers, "content-type": "application/x-www-form-urlencoded"}
        under = client.post("/api/auth/token", headers=form, content=b"username=" + b"a" * 100_000)
        streamed = client.post("/api/auth/token", headers=form, content=chunks())
        small = client.post("/api/auth/logout", headers=headers, content=b"{}")
    assert small.status_code == 204 and under.status_code == 422  # read, then judged
    assert big.status_code == 413 and streamed.status_code == 413


def test_an_upload_beyond_the_cap_is_refused_and_nothing_is_kept(
    sqlite_database: Database, tmp_path: Path
) -> None:
    app = _capped(sqlite_database, fourchain_max_body_bytes=100_000)
    _seed(app)
    app.state.services.settings.fourchain_data_dir = tmp_path / "data"
    with TestClient(app) as client:
        assert sign_in(client, "admin") == 303
        client.get("/pipeline/projects/P1")
        response = client.post(
            "/pipeline/projects/P1/advance",
            data={"csrf_token": form_token(client), "to": "pilot", "trl": "5"},
            files=[("evidence", ("big.pdf", b"%PDF" + b"0" * 200_000, "application/pdf"))],
        )
    assert response.status_code == 413
    assert not (tmp_path / "data").exists() or not any(
        p.is_file() for p in (tmp_path / "data").rglob("*")
    )


@pytest.mark.parametrize("threads", [2, 3])
def test_handlers_run_on_no_more_threads_than_the_setting(
    sqlite_database: Database, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """FOURCHAIN_WEB_THREADS bounds how many sync handlers run at once (the rest wait their
    turn, first come first served): 8 requests at once never find more than `threads` inside."""
    router = auth_pages.router
    monkeypatch.setattr(router, "routes", list(router.routes))
    monkeypatch.setitem(access.ROUTE_ACCESS, "GET /slow-handler", access.PUBLIC)
    inside, most = 0, 0
    guard = threading.Lock()

    @router.get("/slow-handler")
    def slow() -> dict[str, int]:
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        time.sleep(0.15)
        with guard:
            inside -= 1
        return {"ok": 1}

    seed_registry(sqlite_database.engine)
    app = create_app(sqlite_database, web_settings(fourchain_web_threads=threads))
    with TestClient(app) as client, ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client.get("/slow-handler").status_code, range(8)))
    assert answers == [200] * 8
    assert most == threads
