"""`fourchain demo` runs a job worker beside its server and stops both on Ctrl+C; `fourchain
worker` over a database runs a queued job and stops cleanly on SIGINT."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from fourchain.bootstrap import open_database
from fourchain.bootstrap.jobs import build_jobs
from fourchain.config import Settings, sqlite_url
from fourchain.domain.jobs import JobStatus
from fourchain.services.jobs import MARKET_INDEX_SYNC

FOURCHAIN = str(Path(sys.executable).with_name("fourchain"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _workers_of(pid: int) -> list[psutil.Process]:
    return [
        child
        for child in psutil.Process(pid).children(recursive=True)
        if "worker" in child.cmdline()
    ]


@pytest.mark.slow
def test_the_demo_runs_a_worker_beside_its_server_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    env = dict(os.environ, FOURCHAIN_ENV="development", FOURCHAIN_DATA_DIR=str(tmp_path))
    db = str(tmp_path / "demo.db")
    build = [FOURCHAIN, "demo", "--db", db, "--scale", "0.02", "--build-only"]
    subprocess.run(build, env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    # Its own process group, as a terminal's foreground job: Ctrl+C signals the group.
    demo = subprocess.Popen(
        [FOURCHAIN, "demo", "--db", db, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)
                break
            except httpx.HTTPError:
                assert demo.poll() is None, "the demo stopped"
                assert time.monotonic() < deadline, "the demo did not start"
                time.sleep(0.3)
        workers = _workers_of(demo.pid)
        assert len(workers) == 1, "no worker beside the server"
        while workers[0].num_threads() < 3:  # its consumer's scheduler and worker threads
            assert time.monotonic() < deadline, "the worker did not start its consumer"
            time.sleep(0.2)
        os.killpg(demo.pid, signal.SIGINT)  # Ctrl+C
        _, err = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.communicate()
    assert demo.returncode == 0, err.decode()
    assert not workers[0].is_running() or workers[0].status() == psutil.STATUS_ZOMBIE
    assert "fourchain worker:" in err.decode()


def test_the_worker_command_runs_a_queued_job_and_stops_on_sigint(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "registry.db")
    database = open_database(url)
    try:
        services = build_jobs(database, Settings(fourchain_data_dir=tmp_path))
        job_id = services.jobs.submit(MARKET_INDEX_SYNC, "admin").job.id
        env = dict(os.environ, FOURCHAIN_DATA_DIR=str(tmp_path))
        worker = subprocess.Popen(
            [FOURCHAIN, "worker", "--db", str(tmp_path / "registry.db")],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while services.jobs.get(job_id).active:
                assert worker.poll() is None, "the worker stopped"
                assert time.monotonic() < deadline, "the worker did not run the job"
                time.sleep(0.1)
            worker.send_signal(signal.SIGINT)
            _, err = worker.communicate(timeout=60)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
        job = services.jobs.get(job_id)
    finally:
        database.dispose()
    assert job.status is JobStatus.DONE, job.message
    assert worker.returncode == 0
    log = err.decode()
    assert f"job {job_id} (market.index.sync) started by admin" in log
    assert f"job {job_id} (market.index.sync) done" in log
