"""The indicators area's pages and API: the explorer, its XLSX, the API and the five-year report
built in the background. Bureau staff only; this is the area's own access matrix (named in
test_matrix.COVERED_ELSEWHERE): there are no per-owner objects, only report jobs, and a missing
job answers 404 to the bureau and the role refusal to everyone else."""

from __future__ import annotations

import gc
import io
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from fourchain.adapters.analytics.engine import IbisIndicatorSource
from fourchain.adapters.db.tables import institutions
from fourchain.bootstrap import Database
from fourchain.entrypoints.web.app import create_app
from fourchain.services.indicators import year_indicators
from fourchain.services.jobs import REPORT_FIVE_YEAR, JobContext
from fourchain.services.reports import STEP_PERCENT
from tests.integration.indicators.small_registry import fill
from tests.integration.jobs.worker import running_worker
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import (
    add_accounts,
    bearer_for,
    form_token,
    sign_in,
    web_settings,
)
from tests.integration.web.fixtures import ACCOUNTS, OWN_INSTITUTION

ROLES = list(ACCOUNTS)
BUREAU = {"admin", "analyst"}
NO_JOB = "0" * 32
# Every route of the area, with what each class of caller gets.
PAGES = (
    "/indicators",
    "/indicators?year=2024&indicator=little_giants",
    "/indicators/export.xlsx?year=2025",
    "/reports",
    f"/reports/jobs/{NO_JOB}",
    f"/reports/jobs/{NO_JOB}/report.pdf",
)


@pytest.fixture
def small_app(sqlite_database: Database, tmp_path: Path) -> Iterator[FastAPI]:
    """The platform over the indicators' hand-computed registry, reports under tmp_path."""
    fill(sqlite_database.engine)
    with sqlite_database.engine.begin() as connection:  # the institution user's own
        connection.execute(
            institutions.insert(),
            [{"id": OWN_INSTITUTION, "name": "厦门大学", "kind": "university", "district": "思明"}],
        )
    app = create_app(sqlite_database, web_settings(fourchain_data_dir=tmp_path / "data"))
    add_accounts(app.state.services)
    yield app
    # Drop the cached in-memory DuckDB now: one left for the interpreter's shutdown can abort it.
    app.state.services.indicators.release()
    gc.collect()


@pytest.fixture
def client_as(small_app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    clients: list[TestClient] = []

    def make(key: str) -> TestClient:
        client = TestClient(small_app)
        clients.append(client)
        login = ACCOUNTS[key]
        if login.role is not None:
            assert sign_in(client, login.username) == 303
        else:
            client.get("/login")  # the CSRF cookie
        return client

    yield make
    for client in clients:
        client.close()


def _page_status(role: str, path: str) -> int:
    if role == "public":
        return 303
    if role not in BUREAU:
        return 403
    return 404 if NO_JOB in path else 200


@pytest.mark.parametrize("role", ROLES)
def test_only_bureau_staff_reach_the_indicator_pages_and_api(
    role: str, small_app: FastAPI, client_as: Callable[[str], TestClient]
) -> None:
    client = client_as(role)
    problems = []
    for path in PAGES:
        status = client.get(path, follow_redirects=False).status_code
        if status != _page_status(role, path):
            problems.append(f"GET {path}: {status}, expected {_page_status(role, path)}")
    # starting a build: refused before anything runs (the bureau's case is the slow test)
    if role not in BUREAU:
        started = client.post(
            "/reports/jobs",
            data={"year": "2025", "csrf_token": form_token(client)},
            follow_redirects=False,
        )
        expect = 401 if role == "public" else 403
        if started.status_code != expect:
            problems.append(f"POST /reports/jobs: {started.status_code}, expected {expect}")
    api = client.get("/api/indicators?year=2025", headers=bearer_for(small_app, role))
    expect = {"public": 401}.get(role, 200 if role in BUREAU else 403)
    if api.status_code != expect:
        problems.append(f"GET /api/indicators: {api.status_code}, expected {expect}")
    assert problems == []


def test_the_explorer_shows_each_indicator_written_the_chinese_way(
    client_as: Callable[[str], TestClient],
) -> None:
    client = client_as("analyst")
    page = client.get("/indicators?year=2025&indicator=pillar_clusters_scale")
    assert page.status_code == 200
    assert (
        "四大支柱产业集群规模" in page.text and "Pillar industry clusters, total scale" in page.text
    )
    assert "2.1万亿元" in page.text  # 2.1e12 yuan
    assert "40.00%" in page.text  # little_giants_province_share: 2 of the province's 5
    assert page.text.count("data-chart=") == 1  # the trend; a city-only indicator has no split
    client.get("/lang/en")
    english = client.get("/indicators?year=2025&indicator=pillar_clusters_scale")
    assert "CNY 2.1 trillion" in english.text


def test_the_explorer_breaks_an_indicator_down_by_cluster_and_district(
    client_as: Callable[[str], TestClient],
) -> None:
    page = client_as("admin").get("/indicators?year=2025&indicator=little_giants")
    assert page.status_code == 200
    assert page.text.count("data-chart=") == 3  # the trend, by cluster, by district
    assert 'data-indicator="little_giants"' in page.text
    assert "<td>生物医药</td>" in page.text and "<td>湖里区</td>" in page.text  # 2 in 2025


def test_an_unknown_indicator_or_year_is_refused(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("admin")
    assert client.get("/indicators?indicator=enterprise_rd_growth").status_code == 422
    assert client.get("/indicators?year=3000").status_code == 422


def test_the_xlsx_download_opens_and_holds_the_values(
    client_as: Callable[[str], TestClient],
) -> None:
    response = client_as("analyst").get("/indicators/export.xlsx?year=2025")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    assert rows[0][0] == "指标代码 Id"
    by_id = {row[0]: row for row in rows[1:] if row[3] in (None, "")}
    assert by_id["pillar_clusters_scale"][6] == pytest.approx(2.1e12)
    assert by_id["pillar_clusters_scale"][8] == "2.1万亿元"
    assert by_id["little_giants"][6] == 2
    # the net gain is negative some years: text cells never start a formula
    for row in rows[1:]:
        for cell in row:
            assert not (isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"))


def test_the_api_answers_the_same_objects_as_the_cli(
    small_app: FastAPI, sqlite_database: Database
) -> None:
    with TestClient(small_app) as client:
        answer = client.get("/api/indicators?year=2025", headers=bearer_for(small_app, "admin"))
    assert answer.status_code == 200
    source = IbisIndicatorSource.from_engine(sqlite_database.engine)
    assert answer.json() == [v.as_json() for v in year_indicators(source, 2025)]
    assert {"id": "little_giants", "year": 2025, "value": 2.0, "unit": "count"} in answer.json()


def _wait_until_done(client: TestClient, job_url: str, seen: list[str]) -> str:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        partial = client.get(job_url, headers={"HX-Request": "true"})
        assert partial.status_code == 200
        seen.append(partial.text)
        if 'data-state="running"' not in partial.text:
            return str(partial.text)
        time.sleep(0.3)
    raise AssertionError("the report job did not finish in 5 minutes")


@pytest.mark.slow
def test_the_report_builds_in_the_background_and_its_files_download(
    small_app: FastAPI, client_as: Callable[[str], TestClient], tmp_path: Path
) -> None:
    platform = small_app.state.services
    with running_worker(platform.database, platform.settings):
        _build_and_download(client_as, tmp_path)


def _build_and_download(client_as: Callable[[str], TestClient], tmp_path: Path) -> None:
    client = client_as("analyst")
    client.get("/reports")
    token = form_token(client)
    started = client.post(
        "/reports/jobs",
        data={"year": "2025", "lang": "zh", "csrf_token": token},
        follow_redirects=False,
    )
    assert started.status_code == 303
    job_url = started.headers["location"]
    job_id = job_url.rsplit("/", 1)[-1]
    # a second build while the first runs is refused politely, pointing at the first
    again = client_as("admin")
    again.get("/reports")
    second = again.post(
        "/reports/jobs",
        data={"year": "2024", "csrf_token": form_token(again)},
        follow_redirects=False,
    )
    assert second.status_code == 409
    assert f"/reports/jobs/{job_id}" in second.text
    page = client.get(job_url)
    assert (
        page.status_code == 200
        and "<progress" in page.text
        and 'hx-trigger="every 1s"' in page.text
    )
    seen: list[str] = []
    final = _wait_until_done(client, job_url, seen)
    assert 'data-state="done"' in final and "100%" in final
    assert "hx-trigger" not in final  # the polling stops
    for name in ("report.html", "report.pdf", "report.xlsx"):
        assert f"/reports/jobs/{job_id}/{name}" in final
    html = client.get(f"{job_url}/report.html")
    assert html.status_code == 200 and '<meta charset="utf-8">' in html.text
    assert "attachment" in html.headers["content-disposition"]
    pdf = client.get(f"{job_url}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    xlsx = client.get(f"{job_url}/report.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    try:
        assert len(book.sheetnames) >= 2
    finally:
        book.close()
    assert (tmp_path / "data" / "jobs" / job_id / "report.pdf").is_file()
    assert client.get(f"{job_url}/secret.txt").status_code == 404
    # the builds list shows the finished one; a new build may start now
    assert job_id in client.get("/reports").text


def test_the_job_page_shows_each_stage_and_a_failed_build_frees_the_slot(
    small_app: FastAPI, client_as: Callable[[str], TestClient]
) -> None:
    """The progress callback's stages appear on the polled partial; a failure is shown (no
    trace) and the next build may start. The build itself is a stand-in here, run by a real
    worker (the slow test runs the real one)."""
    step, go_on = threading.Event(), threading.Event()

    def fake_build(context: JobContext) -> list[str]:
        for stage in ("indicators", "html", "pdf"):
            context.progress(stage, STEP_PERCENT[stage], 100)
            step.set()
            assert go_on.wait(10)
            go_on.clear()
        raise RuntimeError("secret /var/path in the trace")

    platform = small_app.state.services
    with running_worker(platform.database, platform.settings, {REPORT_FIVE_YEAR: fake_build}):
        _stages_then_failure(client_as, step, go_on)


def _stages_then_failure(
    client_as: Callable[[str], TestClient], step: threading.Event, go_on: threading.Event
) -> None:
    client = client_as("admin")
    client.get("/reports")
    started = client.post(
        "/reports/jobs",
        data={"year": "2025", "csrf_token": form_token(client)},
        follow_redirects=False,
    )
    job_url = started.headers["location"]
    for percent in ("20%", "45%", "60%"):
        assert step.wait(10)
        step.clear()
        partial = client.get(job_url, headers={"HX-Request": "true"}).text
        assert f"{percent}" in partial and 'data-state="running"' in partial
        assert "<html" not in partial  # a fragment for HTMX to swap in
        refused = client.post(
            "/reports/jobs",
            data={"year": "2025", "csrf_token": form_token(client)},
            follow_redirects=False,
        )
        assert refused.status_code == 409
        go_on.set()
    deadline = time.monotonic() + 10
    while 'data-state="failed"' not in (text := client.get(job_url).text):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert "生成失败" in text and "secret" not in text
    assert client.get(f"{job_url}/report.pdf").status_code == 404
    again = client.post(
        "/reports/jobs",
        data={"year": "2025", "csrf_token": form_token(client)},
        follow_redirects=False,
    )
    assert again.status_code == 303


def test_the_report_builds_show_their_times_in_shanghai_to_the_minute(
    small_app: FastAPI, client_as: Callable[[str], TestClient]
) -> None:
    from fourchain.entrypoints.web.formats import localtime

    job = small_app.state.services.jobs.jobs.submit(
        REPORT_FIVE_YEAR, "analyst", {"year": 2025, "lang": "zh"}
    ).job
    client = client_as("analyst")
    listed, status = client.get("/reports").text, client.get(f"/reports/jobs/{job.id}").text
    shanghai = localtime(job.created_at)
    assert shanghai in listed and shanghai in status
    utc = job.created_at.strftime("%Y-%m-%d %H:%M")
    assert utc != shanghai and utc not in listed and utc not in status
    assert job.created_at.isoformat()[:16] not in listed + status
    assert "中文版" in listed


def _shown_keys(html: str) -> list[str]:
    """Key-like words (`rd_intensity`, `electronic_information`) in the visible text or in a
    chart's labels (the data-chart JSON: its names, categories and titles)."""
    import json
    import re
    from html import unescape

    from tests.integration.web.test_words_people_read import KEY, visible_text

    texts = [visible_text(html)]
    for spec in re.findall(r'data-chart="([^"]*)"', html):
        chart = json.loads(unescape(spec))
        texts.append(" ".join(v for v in _strings(chart) if not v.startswith("#")))
    return sorted({key for text in texts for key in KEY.findall(text)})


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in ("type", "id") for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_indicator_and_report_pages_show_names_not_keys(
    client_as: Callable[[str], TestClient], locale: str
) -> None:
    from fourchain.entrypoints.web.pages.indicators import _trendable

    client = client_as("analyst")
    client.get(f"/lang/{locale}")
    paths = ["/indicators?year=2025", "/reports", "/indicators/claims"]
    paths += [f"/indicators?year=2025&indicator={i.id}" for i in _trendable()]
    found = {}
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        if keys := _shown_keys(page.text):
            found[path] = keys
    assert found == {}
