"""Jobs run in a `fourchain worker` process, started and stopped the way `fourchain demo` does.
A five-year report started on one server survives its restart: the build is a job in the
platform database and the queue, a new app over the same database shows it, the worker builds
it, and the new app serves its files. The market's embedding, started on the page, is computed
by the worker with the real model, and hybrid matching follows."""

from __future__ import annotations

import gc
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from fourchain.adapters.db.tables import institutions
from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.entrypoints.cli.jobs import worker_beside
from fourchain.entrypoints.web.app import create_app
from fourchain.services.jobs import REPORT_FIVE_YEAR
from tests.integration.indicators.small_registry import fill
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import (
    FAST_HASHER,
    add_accounts,
    form_token,
    sign_in,
    web_settings,
)
from tests.integration.web.fixtures import ACCOUNTS, OWN_INSTITUTION, seed_registry
from tests.integration.web.test_market_matching_pages import seed_matching

WAIT_SECONDS = 300


@pytest.mark.slow
def test_a_report_started_before_a_restart_is_built_by_the_worker_and_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_url(tmp_path / "registry.db")
    settings = web_settings(fourchain_data_dir=tmp_path / "data")
    monkeypatch.setenv("FOURCHAIN_DATA_DIR", str(tmp_path / "data"))  # the worker's settings
    first_database = open_database(url)
    fill(first_database.engine)
    with first_database.engine.begin() as connection:  # the institution user's own
        connection.execute(
            institutions.insert(),
            [{"id": OWN_INSTITUTION, "name": "厦门大学", "kind": "university", "district": "思明"}],
        )
    first = create_app(first_database, settings)
    add_accounts(first.state.services)
    with TestClient(first) as analyst:
        assert sign_in(analyst, ACCOUNTS["analyst"].username) == 303
        analyst.get("/reports")
        started = analyst.post(
            "/reports/jobs",
            data={"year": "2025", "lang": "zh", "csrf_token": form_token(analyst)},
            follow_redirects=False,
        )
    assert started.status_code == 303
    job_url = started.headers["location"]
    job_id = job_url.rsplit("/", 1)[-1]
    first_database.dispose()  # the server stops; no worker has run yet

    database = open_database(url)
    restarted = create_app(database, settings)
    restarted.state.services.auth.accounts.hasher = FAST_HASHER
    try:
        with TestClient(restarted) as admin:
            assert sign_in(admin, ACCOUNTS["admin"].username) == 303
            waiting = admin.get(job_url, headers={"HX-Request": "true"}).text
            assert 'data-state="running"' in waiting and "0%" in waiting  # queued
            with worker_beside(url) as process:
                deadline = time.monotonic() + WAIT_SECONDS
                while 'data-state="running"' in (page := admin.get(job_url).text):
                    assert process.poll() is None, "the worker process died"
                    assert time.monotonic() < deadline, "the worker did not build the report"
                    time.sleep(0.2)
            assert process.returncode == 0  # stopped cleanly
            assert 'data-state="done"' in page
            pdf = admin.get(f"{job_url}/report.pdf")
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
            html = admin.get(f"{job_url}/report.html")
            assert html.status_code == 200 and '<meta charset="utf-8">' in html.text
            listed = admin.get("/reports").text
            assert job_id in listed and ACCOUNTS["analyst"].username in listed
            # A week later (the default retention) the worker's sweep removes the files.
            jobs = restarted.state.services.jobs.jobs
            with time_machine.travel(datetime.now(UTC) + timedelta(days=7, minutes=1)):
                assert jobs.sweep() == [job_id]
            assert admin.get(f"{job_url}/report.pdf").status_code == 404
            assert "保留期限" in admin.get(job_url).text
            assert not (tmp_path / "data" / "jobs" / job_id).exists()
    finally:
        database.dispose()
        gc.collect()
    job = restarted.state.services.jobs.jobs.get(job_id)
    assert job.kind == REPORT_FIVE_YEAR and job.account == ACCOUNTS["analyst"].username
    assert job.files == ("report.html", "report.pdf", "report.xlsx") and job.files_removed
    log = capfd.readouterr().err
    assert re.search(rf"job {job_id} \(report\.five_year\) done", log), log[-2000:]
    assert f"job {job_id}: pdf" in log  # progress lines


@pytest.mark.slow
def test_the_embedding_started_on_the_market_page_runs_in_the_worker_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_url(tmp_path / "registry.db")
    monkeypatch.setenv("FOURCHAIN_DATA_DIR", str(tmp_path / "data"))
    database = open_database(url)
    seed_registry(database.engine)
    app = create_app(database, web_settings(fourchain_data_dir=tmp_path / "data"))
    add_accounts(app.state.services)
    ids = seed_matching(database)
    try:
        with TestClient(app) as admin:
            assert sign_in(admin, ACCOUNTS["admin"].username) == 303
            admin.get("/market")
            started = admin.post(
                "/market/matching/embedding",
                headers={"HX-Request": "true", "X-CSRF-Token": form_token(admin)},
            )
            assert 'data-vectors="embedding"' in started.text  # queued: the panel polls
            with worker_beside(url) as process:
                deadline = time.monotonic() + WAIT_SECONDS
                while 'data-vectors="ready"' not in (panel := admin.get("/market/matching").text):
                    assert 'data-vectors="failed"' not in panel, panel
                    assert process.poll() is None, "the worker process died"
                    assert time.monotonic() < deadline, "the worker did not embed the records"
                    time.sleep(0.2)
            assert process.returncode == 0
            html = admin.get(f"/market/demands/{ids['public_demand']}/matches").text
            assert 'value="hybrid" selected' in html and "data-cosine=" in html
    finally:
        database.dispose()
