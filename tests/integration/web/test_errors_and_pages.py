"""The error map (JSON for the API, a bilingual page for browsers, never a trace), the
languages, the pages' own assets and the synthetic-data banner."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from fastapi import FastAPI
from sqlalchemy import text

from fourchain.bootstrap import Database
from fourchain.entrypoints.web import access, i18n
from fourchain.entrypoints.web.app import create_app
from fourchain.entrypoints.web.pages import auth as auth_pages
from fourchain.errors import Busy
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import add_accounts, web_settings
from tests.integration.web.fixtures import MISSING, OWN, seed_registry

WEB = Path(access.__file__).parent


@pytest.fixture
def boom_app(sqlite_database: Database, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """The app with one more route that fails unexpectedly, as a bug would."""
    router = auth_pages.router  # a router of this area, without a prefix
    monkeypatch.setattr(router, "routes", list(router.routes))
    monkeypatch.setitem(access.ROUTE_ACCESS, "GET /boom", access.PUBLIC)
    monkeypatch.setitem(access.ROUTE_ACCESS, "GET /api/boom", access.PUBLIC)

    monkeypatch.setitem(access.ROUTE_ACCESS, "GET /busy", access.PUBLIC)
    monkeypatch.setitem(access.ROUTE_ACCESS, "GET /api/busy", access.PUBLIC)

    @router.get("/boom")
    @router.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM /srv/fourchain/private.db failed")

    @router.get("/busy")
    @router.get("/api/busy")
    def busy() -> None:
        raise Busy("the database is busy with another writer; try again shortly")

    seed_registry(sqlite_database.engine)
    return create_app(sqlite_database, web_settings())


@pytest.mark.parametrize("path", ["/boom", "/api/boom"])
def test_an_unexpected_error_shows_no_trace_sql_or_path(boom_app: FastAPI, path: str) -> None:
    with TestClient(boom_app, raise_server_exceptions=False) as client:
        response = client.get(path)
    assert response.status_code == 500
    for secret in ("SELECT", "/srv/", "private.db", "Traceback", "RuntimeError"):
        assert secret not in response.text
    if path.startswith("/api"):
        assert response.json()["error"] == "server_error"
    else:
        assert "服务器出错" in response.text and "Something went wrong" in response.text


@pytest.mark.parametrize("path", ["/busy", "/api/busy"])
def test_a_database_held_by_a_long_write_answers_503_try_again(
    boom_app: FastAPI, path: str
) -> None:
    with TestClient(boom_app, raise_server_exceptions=False) as client:
        response = client.get(path)
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    if path.startswith("/api"):
        assert response.json()["error"] == "busy"
    else:
        assert "系统正忙" in response.text and "try again shortly" in response.text


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        (f"/api/enterprises/{MISSING}", 404, "not_found"),
        ("/api/enterprises?page=0", 422, "invalid_input"),
        ("/api/enterprises?tier=platinum", 422, "invalid_input"),
        ("/api/no-such-thing", 404, "not_found"),
        (f"/api/enterprises/{OWN}/years/2024", 401, "authentication_failed"),
    ],
)
def test_api_errors_are_json_with_a_code_and_a_message(
    sqlite_app: FastAPI, path: str, status: int, code: str
) -> None:
    with TestClient(sqlite_app) as client:
        response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == code and body["message"]


@pytest.mark.parametrize(
    ("path", "status", "zh", "en"),
    [
        (f"/enterprises/{MISSING}", 404, "页面或对象不存在", "Not found"),
        ("/no-such-page", 404, "页面或对象不存在", "Not found"),
        ("/enterprises?page=abc", 422, "输入有误", "Some input is not valid"),
    ],
)
def test_browser_errors_are_a_friendly_page_in_both_languages(
    sqlite_app: FastAPI, path: str, status: int, zh: str, en: str
) -> None:
    with TestClient(sqlite_app) as client:
        response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert zh in response.text and en in response.text


def test_chinese_is_the_default_and_the_english_switch_persists(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as client:
        assert "企业名录" in client.get("/enterprises").text
        switched = client.get("/lang/en?next=/enterprises", follow_redirects=False)
        assert switched.headers["location"] == "/enterprises"
        page = client.get("/enterprises").text
        assert "Enterprise directory" in page and '<html lang="en">' in page
        assert "Overview" in client.get("/").text  # the cookie holds across pages
        client.get("/lang/zh_CN")
        assert '<html lang="zh-CN">' in client.get("/").text


def _msgids() -> set[str]:
    from babel.messages.extract import extract_from_dir

    found = extract_from_dir(
        str(WEB),
        method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
    )
    return {message[2] if isinstance(message[2], str) else message[2][0] for message in found}


def _read_catalog(po: Path) -> Catalog:
    with po.open("rb") as handle:
        return read_po(handle)


def test_every_ui_string_has_a_chinese_translation_and_the_catalogs_are_in_sync() -> None:
    zh = i18n.translations("zh_CN")
    ids = _msgids()
    assert len(ids) > 100
    untranslated = sorted(m for m in ids if zh.gettext(m) == m)
    assert untranslated == []
    for locale in i18n.LOCALES:
        po = WEB / "locale" / locale / "LC_MESSAGES" / "messages.po"
        catalog_ids = {m.id for m in _read_catalog(po) if m.id}
        assert catalog_ids == ids, f"{locale}: run pybabel extract/update (docs/web.md)"


_TAGS = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}|<script.*?</script>|<[^>]+>|&[a-z]+;", re.S)


@pytest.mark.parametrize(
    "template", sorted((WEB / "templates").rglob("*.html")), ids=lambda p: p.name
)
def test_templates_hold_no_hard_coded_ui_text(template: Path) -> None:
    stripped = _TAGS.sub(" ", template.read_text(encoding="utf-8"))
    words = re.findall(r"[A-Za-z\u4e00-\u9fff]{2,}", stripped)
    assert words == [], f"{template.name}: wrap these in _(): {words}"


def test_no_page_asset_comes_from_another_host() -> None:
    offenders = []
    for path in list((WEB / "templates").rglob("*.html")) + [
        WEB / "static" / "app.js",
        WEB / "static" / "app.css",
    ]:
        for match in re.finditer(
            r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", path.read_text(encoding="utf-8")
        ):
            offenders.append(f"{path.name}: {match.group(0)}")
    assert offenders == []


def test_every_vendored_asset_carries_its_licence_and_is_recorded() -> None:
    vendor = WEB / "static" / "vendor"
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    for folder in (p for p in vendor.iterdir() if p.is_dir()):
        assert any(f.name.startswith("LICENSE") for f in folder.iterdir()), folder.name
        assert f"`{folder.name}/`" in readme


def test_pages_forbid_inline_scripts_and_foreign_sources(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as client:
        policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self';" in policy and "default-src 'self'" in policy


def test_the_api_description_is_served_with_the_platforms_own_swagger_ui(
    sqlite_app: FastAPI,
) -> None:
    with TestClient(sqlite_app) as client:
        docs = client.get("/api/docs").text
        schema = client.get("/api/openapi.json").json()
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()
    for path in (
        "/api/enterprises",
        "/api/enterprises/{credit_code}",
        "/api/enterprises/{credit_code}/years/{year}",
        "/api/auth/token",
    ):
        assert path in schema["paths"]


def test_a_synthetic_database_shows_the_banner_on_every_page(sqlite_database: Database) -> None:
    seed_registry(sqlite_database.engine)
    plain = create_app(sqlite_database, web_settings())
    with TestClient(plain) as client:
        assert "Synthetic demo data" not in client.get("/").text
    with sqlite_database.engine.begin() as connection:
        connection.execute(text("INSERT INTO dataset_info VALUES ('synthetic', 'true')"))
    app = create_app(sqlite_database, web_settings())
    add_accounts(app.state.services)
    with TestClient(app) as client:
        for path in ("/", "/enterprises", f"/enterprises/{OWN}", "/login", "/nope"):
            assert "示例数据（合成） Synthetic demo data" in client.get(path).text, path
