"""National scale: the indicator catalogue over a synthetic registry of N enterprises × 6 years,
on DuckDB and on PySpark `local[*]`, side by side (wall seconds, and the peak memory of each
engine's whole process tree — Spark's JVM included); and the policy what-if on the demo city.

    .venv/bin/python benchmarks/bench_scale.py --enterprises 10000000 [--panel DIR] [--demo DB]

The panel is written by benchmarks/gen_big_panel.py (once; reused when the folder holds one).
Each engine runs in its own process; rounds interleave the two and each keeps its best.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import warnings
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))

YEARS = list(range(2020, 2026))
SPAN = (2021, 2025)


def child(engine: str, panel: Path, master: str) -> None:
    warnings.simplefilter("ignore")
    import ibis

    from fourchain.adapters.analytics.indicators_ibis import catalogue_table
    from fourchain.adapters.analytics.quiet import rows
    from fourchain.adapters.analytics.registry_source import from_parquet

    started = time.perf_counter()
    if engine == "spark":
        from fourchain.adapters.analytics.spark import spark_session

        con = ibis.pyspark.connect(spark_session(master))
    else:
        con = ibis.duckdb.connect()
    ready = time.perf_counter()
    n = len(rows(catalogue_table(from_parquet(con, panel), YEARS, [SPAN])))
    done = time.perf_counter()
    print(json.dumps({"startup": ready - started, "seconds": done - ready, "rows": n}))


def measure(engine: str, panel: Path, master: str) -> dict[str, float]:
    """Run one engine in a child process, sampling the RSS of its whole tree."""
    command = [sys.executable, __file__, "--child", engine, "--panel", str(panel)]
    process = subprocess.Popen(
        [*command, "--master", master], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    root, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        sys.exit(f"{engine} failed (exit {process.returncode})")
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak / 2**20
    return result


def whatif_on(demo: Path) -> tuple[float, dict[str, object]]:
    from fourchain.bootstrap import database_url, open_database
    from fourchain.bootstrap.foresight import foresight_services
    from fourchain.domain.foresight.scenario import parse_changes
    from fourchain.domain.registry import Tier
    from fourchain.services.foresight import whatif

    database = open_database(database_url(str(demo)), create=False)
    started = time.perf_counter()
    with foresight_services(database) as services:
        found = whatif(services.whatif_engine, 2025, Tier.HNTE, parse_changes(["rd_expense=+10%"]))
    seconds = time.perf_counter() - started
    database.dispose()
    return seconds, found.as_json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=10_000_000)
    parser.add_argument("--panel", type=Path, default=None, help="default var/bench-scale-N")
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--repeat", type=int, default=2, help="best of N rounds")
    parser.add_argument("--demo", type=Path, default=None, help="a demo city database")
    parser.add_argument("--child", choices=["duckdb", "spark"])
    args = parser.parse_args()
    panel = args.panel or Path(f"var/bench-scale-{args.enterprises}")
    if args.child:
        child(args.child, panel, args.master)
        return
    if not (panel / "enterprise_years.parquet").exists():
        from gen_big_panel import generate

        print(f"writing a {args.enterprises:,} × 6-year panel to {panel} …", flush=True)
        started = time.perf_counter()
        counts = generate(args.enterprises, panel)
        print(f"  {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    runs: dict[str, list[dict[str, float]]] = {"duckdb": [], "spark": []}
    for round_ in range(args.repeat):
        for engine, done in runs.items():
            print(f"round {round_ + 1}: {engine} …", flush=True)
            done.append(measure(engine, panel, args.master))
    best = {engine: min(done, key=lambda r: r["seconds"]) for engine, done in runs.items()}
    print(f"\n{args.enterprises:,} enterprises × 6 years, the whole catalogue ({args.master}):")
    print(f"{'engine':<22}{'start-up s':>11}{'catalogue s':>13}{'peak MB':>10}{'rows':>7}")
    for engine, r in best.items():
        label = "DuckDB" if engine == "duckdb" else f"PySpark {args.master}"
        print(
            f"{label:<22}{r['startup']:>11.1f}{r['seconds']:>13.1f}{r['peak_mb']:>10.0f}"
            f"{int(r['rows']):>7}"
        )
    d, s = best["duckdb"], best["spark"]
    print(
        f"Spark ÷ DuckDB: time {s['seconds'] / d['seconds']:.1f}x, "
        f"memory {s['peak_mb'] / d['peak_mb']:.1f}x; same rows: {d['rows'] == s['rows']}"
    )
    if args.demo is not None:
        seconds, found = whatif_on(args.demo)
        print(
            f"\nwhat-if on {args.demo.name} (hnte, rd_expense=+10%): {seconds:.1f} s; "
            f"baseline {found['baseline']} → scenario {found['scenario']}"
        )


if __name__ == "__main__":
    main()
