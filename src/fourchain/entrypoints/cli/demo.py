"""`fourchain demo`: build the synthetic demo city once, then run the main job on it."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import make_url

from fourchain.bootstrap import Database, Services, database_url, open_database
from fourchain.config import get_settings
from fourchain.demo.build import DATASET_NAME_EN, DATASET_NAME_ZH, DEFAULT_SEED, check_scale
from fourchain.demo.city import build_demo_city, is_complete
from fourchain.demo.label import clear_demo, enterprise_count, is_synthetic, read_label
from fourchain.entrypoints.cli.jobs import worker_beside
from fourchain.entrypoints.cli.options import DbOption
from fourchain.entrypoints.cli.web import demo_accounts, print_demo_accounts, serve
from fourchain.errors import Conflict

BuildOnly = Annotated[bool, typer.Option("--build-only", help="Build the demo city and stop.")]
Rebuild = Annotated[bool, typer.Option("--rebuild", help="Build again even if it exists.")]
Seed = Annotated[int, typer.Option("--seed", help="Generator seed (same seed, same data).")]
Scale = Annotated[
    float, typer.Option("--scale", help="Shrink counts (0 < F ≤ 1); figures exact only at 1.")
]
Port = Annotated[int, typer.Option("--port", help="Port the platform serves the demo on.")]
Files = Annotated[
    Path | None,
    typer.Option(
        "--files",
        help="Write the demo city as import files (KIND.csv and manifest.txt) into DIR and stop.",
        metavar="DIR",
    ),
]

SYNTHETIC_BANNER = (
    f"{DATASET_NAME_ZH}：全部记录均为合成数据，仅供演示，不代表任何真实企业或机构。\n"
    f"{DATASET_NAME_EN}: every record is synthetic, for demonstration only; no real firm or "
    "institution is described."
)


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _prepare(url: str, rebuild: bool) -> tuple[Database, bool]:
    """Open the target and decide whether to build; refuse a database that holds a registry
    which is not a demo city."""
    database = open_database(url)
    with database.engine.connect() as connection:
        label = read_label(connection)
        held = enterprise_count(connection)
    if not is_synthetic(label):
        if held or label:
            database.dispose()
            raise Conflict(
                f"{url} holds {held:,} enterprises and is not a demo city (no synthetic label); "
                "refusing to build the demo into it — give --db a new path"
            )
        return database, True
    if not rebuild and is_complete(label):
        return database, False
    path = _sqlite_file(url)
    if path is not None:
        database.dispose()
        _remove_sqlite(path)
        return open_database(url), True
    clear_demo(database.engine)
    return database, True


def _build(database: Database, seed: int, scale: float, console: Console) -> None:
    columns = (
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("生成 generating", total=None)

        def report(stage: str, done: int, total: int) -> None:
            progress.update(task, description=stage, completed=done, total=total)

        started = time.perf_counter()
        stats = build_demo_city(database, seed=seed, scale=scale, progress=report)
    rows = ", ".join(f"{name} {n:,}" for name, n in stats.rows.items())
    seconds = time.perf_counter() - started
    console.print(f"built in {seconds:.1f} s (seed {seed}, scale {scale}): {rows}")
    _index_market(database, console)
    _queue_pools(database, console)


def _queue_pools(database: Database, console: Console) -> None:
    """Queue the reserve pools' job: the worker beside the demo computes every tier's pool
    of the latest year as it starts, so the pool pages open on a stored pool."""
    services = Services(database, get_settings())
    job = services.cultivation.stored.request([], database.version()).job
    console.print(f"reserve pools queued for the job worker (job {job.id})")


def _index_market(database: Database, console: Console) -> None:
    """Build the market's matching index now, so the first match on a page is quick, and
    embed the market's own records (achievements, experts, institutions: a few thousand),
    so hybrid and cross-lingual matching work when the demo first serves; the enterprises'
    vectors are the background job an administrator starts on the market page."""
    from fourchain.bootstrap import market_index_folder, market_matching
    from fourchain.services.market_matching import DEMAND_FINDS

    folder = market_index_folder(database.url)
    shutil.rmtree(folder, ignore_errors=True)  # a rebuilt city's index starts afresh
    started = time.perf_counter()
    matching = market_matching(database, folder)
    with console.status("匹配索引 indexing the market for matching"):
        report = matching.sync()
    console.print(f"matching index built in {time.perf_counter() - started:.1f} s: {report}")
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("语义向量 embedding the market's records", total=None)

        def report_embedding(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        embedded = matching.embed(report_embedding, kinds=DEMAND_FINDS)
    console.print(
        f"{embedded:,} records embedded in {time.perf_counter() - started:.1f} s "
        "(enterprises: start their vectors on the market page)"
    )
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("匹配答案 answering the matches pages ahead", total=None)

        def report_answers(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        kept = matching.warm(report_answers)
    console.print(f"{kept:,} matches answered ahead in {time.perf_counter() - started:.1f} s")


def _write_files(database: Database, folder: Path, console: Console) -> None:
    from fourchain.demo.files import MANIFEST, write_demo_files

    with console.status("写出导入文件 writing the import files"):
        written = write_demo_files(database.engine, folder)
    rows = sum(written.values())
    console.print(f"{len(written)} files, {rows:,} rows, in {folder} (import order: {MANIFEST})")


def run_main_job(url: str, port: int) -> None:
    """The demo's main job: make sure the demo accounts exist, print them, and serve the
    platform over the demo city at http://127.0.0.1:PORT until interrupted, with a job worker
    beside it (report builds, embeddings, index syncs) that stops with the server."""
    print_demo_accounts(demo_accounts(url))
    with worker_beside(url):
        serve(url, "127.0.0.1", port)


def demo(
    db: DbOption = None,
    build_only: BuildOnly = False,
    rebuild: Rebuild = False,
    seed: Seed = DEFAULT_SEED,
    scale: Scale = 1.0,
    port: Port = 8000,
    files: Files = None,
) -> None:
    """Build the synthetic demo city (a Xiamen-like city, 2020-2025) if absent, then run it."""
    check_scale(scale)  # before anything is created on disk
    target = db if db is not None else get_settings().demo_database_path
    url = database_url(target)
    console = Console(stderr=True)
    database, build = _prepare(url, rebuild)
    try:
        if build:
            _build(database, seed, scale, console)
        else:
            with database.engine.connect() as connection:
                label = read_label(connection)
            console.print(
                f"demo city already built (seed {label.get('seed')}, scale {label.get('scale')}); "
                "--rebuild builds it again"
            )
        if files is not None:
            _write_files(database, files, console)
    finally:
        database.dispose()
    typer.echo(SYNTHETIC_BANNER)
    if not build_only and files is None:
        run_main_job(url, port)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("demo")(demo)
