"""Stored reserve pools: the `cultivation.pools` job computes every tier of the latest year
and stores it; the pool page reads the stored pool, queues the job when none is stored, and
says the pool is being recomputed after the data changed (both backends)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import update

from fourchain.adapters.db.tables import enterprises
from fourchain.bootstrap import Database, Services
from fourchain.domain.jobs import JobStatus
from fourchain.domain.registry import Tier
from fourchain.entrypoints.web.app import create_app
from fourchain.entrypoints.web.i18n import COOKIE
from fourchain.errors import NotFound
from fourchain.services.cultivation import PoolFilter, pool_snapshot
from fourchain.services.jobs import CULTIVATION_POOLS
from tests.integration.jobs.worker import running_worker
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import add_accounts, sign_in, web_settings
from tests.integration.web.fixtures import ACCOUNTS, seed_registry

YEAR = 2025  # the fixture registry's latest panel year


def _platform(database: Database, tmp_path: Path) -> Services:
    seed_registry(database.engine)
    return Services(database, web_settings(fourchain_data_dir=tmp_path))


def _run_queued(services: Services) -> None:
    """Run the queued pools jobs as the worker would (its `Jobs.run`, in this thread)."""
    for job in services.jobs.jobs.active(CULTIVATION_POOLS):
        done = services.jobs.jobs.run(job.id)
        assert done is not None and done.status is JobStatus.DONE, done


def test_the_pools_job_stores_every_tier_as_the_registry_assesses_it(
    database: Database, tmp_path: Path
) -> None:
    services = _platform(database, tmp_path)
    with pytest.raises(NotFound):  # a year past the registry's data queues nothing
        services.cultivation.view(YEAR + 1, Tier.TECH_SME)
    assert not services.jobs.jobs.active(CULTIVATION_POOLS)
    first = services.cultivation.view(None, Tier.TECH_SME)
    assert first.snapshot is None and first.job is not None
    assert first.job.kind == CULTIVATION_POOLS and first.job.status is JobStatus.QUEUED
    # a second look while it waits queues nothing more
    assert services.cultivation.view(None, Tier.HNTE).job == first.job

    _run_queued(services)

    with services.cultivation.reading() as store:
        for tier in (Tier.TECH_SME, Tier.HNTE):
            view = services.cultivation.view(None, tier)
            assert view.snapshot is not None and not view.stale and view.job is None
            assert view.snapshot.year == YEAR and view.snapshot.computed_at is not None
            computed = pool_snapshot(store, YEAR, tier)
            for where in (PoolFilter(), PoolFilter(district="思明")):
                assert view.snapshot.counts(where) == computed.counts(where)
                stored_page = view.snapshot.page(where, include_not_yet=True, sort="gap")
                assert stored_page == computed.page(where, include_not_yet=True, sort="gap")
            assert view.snapshot.table.rule_set.key == computed.table.rule_set.key


def test_a_data_change_leaves_the_stored_pool_shown_stale_until_the_job_runs_again(
    database: Database, tmp_path: Path
) -> None:
    services = _platform(database, tmp_path)
    services.cultivation.view(None, Tier.TECH_SME)
    _run_queued(services)
    with database.engine.begin() as connection:  # another process's write: the stamp moves
        connection.execute(update(enterprises).values(zone="新区"))

    stale = services.cultivation.view(None, Tier.TECH_SME)
    assert stale.snapshot is not None and stale.stale
    assert stale.job is not None and stale.job.status is JobStatus.QUEUED
    assert stale.snapshot.counts(PoolFilter(zone="新区"))["held"] == 0  # the old data still

    _run_queued(services)
    fresh = services.cultivation.view(None, Tier.TECH_SME)
    assert fresh.snapshot is not None and not fresh.stale and fresh.job is None
    assert sum(fresh.snapshot.counts(PoolFilter(zone="新区")).values()) > 0


def test_a_write_through_the_platform_queues_the_pools_job(
    database: Database, tmp_path: Path
) -> None:
    services = _platform(database, tmp_path)
    assert not services.jobs.jobs.active(CULTIVATION_POOLS)
    services.data_changed()
    services.data_changed()
    queued = services.jobs.jobs.active(CULTIVATION_POOLS)
    assert len(queued) == 1 and queued[0].status is JobStatus.QUEUED  # one waits at most


def test_the_pool_page_shows_the_jobs_status_then_the_stored_pool_then_a_stale_note(
    database: Database, tmp_path: Path
) -> None:
    seed_registry(database.engine)
    settings = web_settings(fourchain_data_dir=tmp_path)
    app = create_app(database, settings)
    add_accounts(app.state.services)
    client = TestClient(app)
    assert sign_in(client, ACCOUNTS["analyst"].username) == 303

    pending = client.get("/cultivation?tier=tech_sme&more=true")
    assert pending.status_code == 200
    assert "后备库尚未计算" in pending.text and "计算任务已排队" in pending.text
    assert "tech_sme-2022" not in pending.text  # nothing assessed in the request

    with running_worker(database, settings):
        deadline = time.monotonic() + 60
        while app.state.services.jobs.jobs.active(CULTIVATION_POOLS):
            assert time.monotonic() < deadline, "the worker did not run the pools job"
            time.sleep(0.05)
    page = client.get("/cultivation?tier=tech_sme&more=true")
    assert page.status_code == 200
    assert "tech_sme-2022" in page.text and "计算于" in page.text
    assert "正在更新" not in page.text and "尚未计算" not in page.text

    with database.engine.begin() as connection:
        connection.execute(update(enterprises).values(zone="新区"))
    app.state.services.follow_writes(every=0)
    stale = client.get("/cultivation?tier=tech_sme&more=true")
    assert stale.status_code == 200
    assert "tech_sme-2022" in stale.text  # the stored pool, still shown
    assert "后备库计算后数据已有变化，正在更新" in stale.text and "计算任务已排队" in stale.text
    client.cookies.set(COOKIE, "en")
    english = client.get("/cultivation?tier=tech_sme")
    assert "The data changed since this pool was computed" in english.text
    assert "Computation queued" in english.text
