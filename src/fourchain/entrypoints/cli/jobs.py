"""`fourchain worker`: the job worker — report builds, the market's embeddings and matching
index syncs, queued by the web app (and later large imports) — and the demo's companion."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from fourchain.bootstrap import open_services
from fourchain.config import get_settings
from fourchain.entrypoints.cli.options import DbOption

Workers = Annotated[
    int, typer.Option("--workers", help="Jobs run at once (threads).", min=1, max=16)
]
# How long `fourchain demo` lets its worker finish the job in hand before it stops it.
STOP_GRACE_SECONDS = 10.0


def _log_lines() -> None:
    """One line per event on stderr: a job's start, its progress, its end (or its trace)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in ("fourchain.jobs", "huey.consumer"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)


def worker(db: DbOption = None, workers: Workers = 1) -> None:
    """Run the job worker until interrupted (Ctrl+C waits for the jobs in hand; a second
    Ctrl+C stops at once). Progress and outcome of every job are logged, one line each."""
    settings = get_settings()
    with open_services(db, create=True, settings=settings) as services:
        _log_lines()
        backend = settings.fourchain_job_queue or "embedded SQLite"
        url = services.database.url
        typer.echo(f"fourchain worker: jobs of {url} from {backend} ({workers} at once)", err=True)
        services.jobs.jobs.recover()
        services.jobs.jobs.sweep()
        services.jobs.consumer(workers=workers).run()


@contextmanager
def worker_beside(url: str) -> Iterator[subprocess.Popen[bytes]]:
    """A `fourchain worker` process over `url` for as long as the block runs (the demo's
    server); stopped afterwards, also when the block ends by Ctrl+C: asked to finish the job
    in hand first, then made to stop."""
    command = [sys.executable, "-m", "fourchain.entrypoints.cli.main", "worker", "--db", url]
    # Its own session: Ctrl+C in the terminal reaches the server only; the worker is stopped
    # after the server, in order. SIGINT is ignored until its consumer starts (which sets its
    # own handler: finish the jobs in hand): a stop while it still starts up is no traceback.
    process = subprocess.Popen(
        command,
        start_new_session=True,
        env=os.environ.copy(),
        preexec_fn=_ignore_sigint,  # the demo starts it before it starts any thread
    )
    # uvicorn re-raises the SIGTERM it stopped on: make it an exit that runs the `finally`.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield process
    finally:
        stop_worker(process)
        signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _ignore_sigint() -> None:
    """In the worker before it runs: no KeyboardInterrupt before its consumer takes over
    SIGINT, and (Linux) a SIGTERM should the demo die without stopping it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def stop_worker(process: subprocess.Popen[bytes], grace: float = STOP_GRACE_SECONDS) -> int:
    """Stop a worker process: SIGINT (finish the job in hand), then SIGTERM, then SIGKILL."""
    for sent, wait in ((signal.SIGINT, grace), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if process.poll() is not None:
            break
        process.send_signal(sent)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    return process.wait()


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("worker")(worker)
