"""The job runner's queue backends side by side: the embedded SQLite file (the default) and
Redis, each with a worker consumer in threads of this process over a SQLite platform database.

Prints, per backend: the time a request spends submitting a job (jobs row + enqueue), the
latency from submit to the job's recorded end (a job that does nothing: the queue's and the
bookkeeping's own cost), and the throughput of a burst — beside a bare thread start, what the
web process did before the job runner (no record, no queue, lost on restart).

    python benchmarks/bench_jobs.py [--jobs 200] [--redis redis://127.0.0.1:6379/15]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from fourchain.bootstrap import open_database
from fourchain.bootstrap.jobs import JobServices, build_jobs
from fourchain.config import Settings, sqlite_url
from fourchain.domain.jobs import JobStatus
from fourchain.services.jobs import JobContext


def nothing(context: JobContext) -> list[str]:
    return []


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def wait_done(services: JobServices, job_id: str) -> None:
    while services.jobs.store.get(job_id).status is not JobStatus.DONE:  # type: ignore[union-attr]
        time.sleep(0.002)


def measure(backend: str, folder: Path, count: int) -> dict[str, float]:
    database = open_database(sqlite_url(folder / "registry.db"))
    settings = Settings(fourchain_data_dir=folder / "data", fourchain_job_queue=backend)
    services = build_jobs(database, settings, {"nothing": nothing})
    services.queue.huey.flush()
    worker = services.embedded_worker().start()
    try:
        submit, latency = [], []
        for _ in range(min(count, 50)):  # one at a time: the latency a user sees
            started = time.perf_counter()
            job_id = services.jobs.submit("nothing").job.id
            submit.append(time.perf_counter() - started)
            wait_done(services, job_id)
            latency.append(time.perf_counter() - started)
        started = time.perf_counter()
        ids = [services.jobs.submit("nothing").job.id for _ in range(count)]
        for job_id in ids:
            wait_done(services, job_id)
        burst = time.perf_counter() - started
    finally:
        worker.stop()
        services.queue.huey.flush()
        database.dispose()
    return {
        "submit_p50_ms": statistics.median(submit) * 1000,
        "latency_p50_ms": statistics.median(latency) * 1000,
        "latency_p95_ms": percentile(latency, 0.95) * 1000,
        "jobs_per_s": count / burst,
    }


def bare_thread(count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        thread = threading.Thread(target=lambda: None)
        thread.start()
        thread.join()
    return (time.perf_counter() - started) / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    rows = []
    for name, backend in (("embedded SQLite", ""), ("Redis", args.redis)):
        with tempfile.TemporaryDirectory() as folder:
            try:
                rows.append((name, measure(backend, Path(folder), args.jobs)))
            except Exception as error:  # noqa: BLE001 - a missing Redis is reported, not fatal
                print(f"{name}: not measured ({type(error).__name__}: {error})")
    thread_ms = bare_thread(args.jobs)
    print(f"{'backend':<16} {'submit p50':>11} {'end p50':>9} {'end p95':>9} {'jobs/s':>8}")
    for name, row in rows:
        print(
            f"{name:<16} {row['submit_p50_ms']:>9.1f}ms {row['latency_p50_ms']:>7.1f}ms "
            f"{row['latency_p95_ms']:>7.1f}ms {row['jobs_per_s']:>8.0f}"
        )
    print(f"{'bare thread':<16} {thread_ms:>9.2f}ms   (start + join; no record, lost on restart)")
    if len(rows) == 2:
        base = rows[0][1]
        other = rows[1][1]
        print(
            "Redis ÷ embedded: submit "
            f"{other['submit_p50_ms'] / base['submit_p50_ms']:.2f}×, end p50 "
            f"{other['latency_p50_ms'] / base['latency_p50_ms']:.2f}×, throughput "
            f"{other['jobs_per_s'] / base['jobs_per_s']:.2f}×"
        )


if __name__ == "__main__":
    main()
