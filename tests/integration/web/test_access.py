"""Every route is classified in one place; the app refuses to serve one that is not."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from fourchain.bootstrap import Database
from fourchain.entrypoints.web import access
from fourchain.entrypoints.web.app import create_app, served_route_keys, unclassified_routes
from fourchain.entrypoints.web.deps import RouteNotClassified
from fourchain.entrypoints.web.pages import auth as auth_pages
from tests.integration.web.conftest import web_settings


def test_every_served_route_has_a_class(sqlite_app: FastAPI) -> None:
    assert unclassified_routes(sqlite_app) == []


def test_no_class_is_left_for_a_route_that_is_not_served(sqlite_app: FastAPI) -> None:
    stale = set(access.ROUTE_ACCESS) - set(served_route_keys(sqlite_app))
    assert not stale, f"remove these from access.ROUTE_ACCESS: {sorted(stale)}"


def test_an_unclassified_route_stops_the_app_from_starting(
    sqlite_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    router = auth_pages.router  # a router of this area, without a prefix
    monkeypatch.setattr(router, "routes", list(router.routes))

    @router.get("/secret-report")
    def secret_report() -> dict[str, str]:
        return {"leak": "everything"}

    with pytest.raises(RouteNotClassified, match="GET /secret-report"):
        create_app(sqlite_database, web_settings())


@pytest.mark.parametrize(
    ("key", "cls"),
    [
        ("GET /api/enterprises/{credit_code}/years/{year}", access.SIGNED_IN),
        ("GET /admin/audit", access.ADMIN),
        ("GET /api/enterprises", access.PUBLIC),
        ("POST /api/auth/token", access.TOKEN_EXCHANGE),
    ],
)
def test_key_routes_have_the_class_the_issue_asks_for(key: str, cls: access.Access) -> None:
    assert access.ROUTE_ACCESS[key] == cls


def test_only_the_token_exchange_skips_the_csrf_check() -> None:
    skipping = [key for key, cls in access.ROUTE_ACCESS.items() if not cls.csrf]
    assert skipping == ["POST /api/auth/token"]
