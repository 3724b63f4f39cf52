"""Assess a synthetic panel of N enterprises against every tier: the column-wise batch
evaluator (explanations kept) beside the per-enterprise Python evaluator on a sample, scaled.

    .venv/bin/python benchmarks/bench_cultivation.py [--n 1000000] [--sample 2000]
    .venv/bin/python benchmarks/bench_cultivation.py --pools DB [--tier hnte]

Prints seconds, enterprises per second, the speed ratio and peak memory (RSS). Target: the
batch at least 50× the per-row rate, under 8 GB at one million enterprises.

With --pools DB (a built demo city, e.g. data/demo.db): the stored reserve pools over that
database, side by side in one run — the pool page's work with none stored (the job queued,
its status answered), the inline assessment a cold page used to run, the `cultivation.pools`
job (every tier of the latest year, computed and stored), the first stored read in a process
and a warm one. It replaces the database's stored pools (a cache) with freshly computed ones.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import numpy as np
import psutil

from fourchain.adapters.analytics.cultivation_batch import VERDICTS, assess_panel
from fourchain.adapters.analytics.cultivation_explain import explain
from fourchain.adapters.analytics.cultivation_panel import Panel
from fourchain.domain.cultivation import EnterpriseProfile, assess, for_year
from fourchain.domain.registry import Certificate, Enterprise, EnterpriseYear, Tier

YEAR = 2025
DEPTH = 5
T = TypeVar("T")
MONEY = ("revenue", "total_cost", "total_assets")


def synthetic_panel(n: int, seed: int) -> Panel:
    """A panel shaped like a city's registry: log-normal scale, ratios around the thresholds,
    about 3% of values missing, young firms, certificates held by a minority."""
    rng = np.random.default_rng(seed)
    scale = rng.lognormal(16.5, 1.6, n)
    founded = rng.integers(1995, YEAR + 1, n).astype(np.float64)
    columns: dict[tuple[str, int], np.ndarray] = {}

    def put(name: str, year: int, values: np.ndarray) -> None:
        values = values.astype(np.float64)
        values[rng.random(n) < 0.03] = np.nan
        columns[(name, year)] = values

    employees = np.maximum(1, scale / rng.uniform(4e5, 1.5e6, n)).round()
    for year in range(YEAR - DEPTH + 1, YEAR + 1):
        grow = rng.normal(1.08, 0.15, n) ** (year - YEAR)
        revenue = scale * grow
        put("revenue", year, revenue)
        put("main_business_revenue", year, revenue * rng.uniform(0.4, 1.0, n))
        put("hitech_revenue", year, revenue * rng.uniform(0.0, 1.0, n))
        rd = revenue * rng.gamma(2.0, 0.02, n)
        put("rd_expense", year, rd)
        put("rd_expense_domestic", year, rd * rng.uniform(0.5, 1.0, n))
        put("total_cost", year, revenue * rng.uniform(0.6, 1.05, n))
        put("net_profit", year, revenue * rng.normal(0.05, 0.06, n))
        assets = revenue * rng.uniform(0.5, 2.0, n)
        put("total_assets", year, assets)
        put("total_liabilities", year, assets * rng.uniform(0.1, 0.95, n))
        put("equity_financing", year, np.where(rng.random(n) < 0.05, rng.lognormal(16, 1, n), 0))
        put("employees", year, employees)
        put("st_staff", year, (employees * rng.uniform(0.0, 0.5, n)).round())
        put("rd_staff", year, (employees * rng.uniform(0.0, 0.4, n)).round())
        put("class1_ip", year, rng.poisson(1.0, n))
        put("class1_ip_high_value", year, rng.poisson(0.2, n))
        put("class1_ip_self_developed", year, rng.poisson(0.6, n))
        put("class2_ip", year, rng.poisson(3.0, n))
        put("conversions", year, rng.poisson(1.5, n))
        put("standards_led", year, rng.poisson(0.05, n))
        put("niche_market_share", year, rng.gamma(1.5, 4.0, n))
        put("global_rank", year, rng.integers(1, 50, n))
        put("digital_level", year, rng.integers(1, 5, n))
        put("major_incident", year, rng.random(n) < 0.01)
        put("dishonest_listed", year, rng.random(n) < 0.005)
    attributes = {
        "niche_since": founded + rng.integers(0, 5, n),
        "rd_institution_level": rng.choice([0.0, 0.0, 1.0, 2.0, 3.0], n),
        "key_chain_role": rng.choice([0.0, 0.0, 1.0, 2.0], n),
        "strategic_emerging": (rng.random(n) < 0.4).astype(np.float64),
    }
    held = {tier.value: (rng.random(n) < 0.1).astype(np.float64) for tier in Tier}
    codes = [f"B{i:017d}" for i in range(n)]
    return Panel(YEAR, codes, founded, attributes, held, columns)


def profiles_from(panel: Panel, rows: np.ndarray) -> list[EnterpriseProfile]:
    """The same enterprises as per-row profiles, for the Python baseline."""
    codes = {
        "rd_institution_level": ("none", "municipal", "provincial", "national"),
        "key_chain_role": ("none", "supplies_leading", "fills_gap"),
    }
    fields = EnterpriseYear.__dataclass_fields__
    out = []
    for i in rows.tolist():
        code = panel.credit_codes[i]
        attrs = {k: v[i] for k, v in panel.attributes.items()}
        enterprise = Enterprise(
            code,
            code,
            founded=date(int(panel.founded_year[i]), 6, 1),
            niche_since=int(attrs["niche_since"]),
            rd_institution_level=codes["rd_institution_level"][int(attrs["rd_institution_level"])],
            key_chain_role=codes["key_chain_role"][int(attrs["key_chain_role"])],
            strategic_emerging=bool(attrs["strategic_emerging"]),
        )
        years = {}
        for year in range(YEAR - DEPTH + 1, YEAR + 1):
            values = {}
            for name in fields:
                if name in ("credit_code", "year"):
                    continue
                v = float(panel.column(name, year)[i])
                if np.isnan(v):
                    values[name] = None
                elif fields[name].type in ("int | None",):
                    values[name] = int(v)
                elif fields[name].type in ("bool | None",):
                    values[name] = bool(v)
                else:
                    values[name] = v
            years[year] = EnterpriseYear(code, year, **values)  # type: ignore[arg-type]
        held = [
            Certificate(code, Tier(t), date(YEAR, 1, 1), date(YEAR, 12, 31))
            for t, column in panel.held.items()
            if column[i] == 1.0
        ]
        out.append(EnterpriseProfile(enterprise, years, held))
    return out


def rss_gb() -> float:
    return psutil.Process().memory_info().rss / 1e9


def _timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    found = work()
    return time.perf_counter() - started, found


def bench_pools(db: str, tier: Tier) -> None:
    """The stored pools on a real registry: cold status, inline baseline, job, stored reads."""
    from sqlalchemy import delete

    from fourchain.adapters.db.tables_cultivation import pool_details, pool_snapshots
    from fourchain.bootstrap import Services, database_url, open_database
    from fourchain.config import get_settings
    from fourchain.services.cultivation import pool_snapshot
    from fourchain.services.cultivation_pools import StoredPools

    settings = get_settings()
    with tempfile.TemporaryDirectory() as scratch:  # the job's folder and queue file
        settings = settings.model_copy(update={"fourchain_data_dir": Path(scratch)})
        database = open_database(database_url(db, settings))
        try:
            services = Services(database, settings)
            area = services.cultivation
            with database.engine.begin() as connection:  # none stored: a cold start
                connection.execute(delete(pool_details))
                connection.execute(delete(pool_snapshots))
            t_cold, view = _timed(lambda: area.view(None, tier))
            assert view.snapshot is None and view.job is not None
            with area.reading() as store:
                year = store.latest_year()
                assert year is not None
                t_inline, _ = _timed(lambda: pool_snapshot(store, year, tier).page(limit=50))
            t_job, job = _timed(lambda: services.jobs.jobs.run(view.job.id))  # type: ignore[union-attr]
            assert job is not None and job.status.value == "done", job
            fresh = StoredPools(area.stored.store, None, database.version)

            def read() -> int:
                snapshot = fresh.view(year, tier, latest=True).snapshot
                assert snapshot is not None
                return len(snapshot.page(limit=50)[0])

            t_first, _ = _timed(read)
            t_warm, _ = _timed(read)
            heads = [area.stored.store.head(year, t) for t in Tier]
        finally:
            database.dispose()
    print(f"stored reserve pools: {db}, year {year}, page of 50 {tier.value} candidates")
    print(f"{'':54}{'seconds':>10}{'vs inline':>11}")
    rows = (
        ("pool page, none stored (job queued, status answered)", t_cold),
        ("inline assessment of one tier (a cold page before)", t_inline),
        ("cultivation.pools job: every tier computed and stored", t_job),
        ("stored read, first in a process (load, thaw, page)", t_first),
        ("stored read, warm (kept in memory, page)", t_warm),
    )
    for name, seconds in rows:
        print(f"{name:54}{seconds:>10.3f}{seconds / t_inline:>10.3f}×")
    stored = ", ".join(f"{h.tier.value} {h.seconds:.1f} s" for h in heads if h is not None)
    print(f"the job's share per tier: {stored}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", metavar="DB", help="bench the stored pools over DB instead")
    parser.add_argument("--tier", default="hnte", help="the tier whose pool page is read")
    parser.add_argument("--n", type=int, default=1_000_000, help="enterprises in the panel")
    parser.add_argument("--sample", type=int, default=2_000, help="enterprises run per row")
    parser.add_argument("--seed", type=int, default=20251231)
    args = parser.parse_args()
    if args.pools:
        bench_pools(args.pools, Tier(args.tier))
        return
    rule_sets = for_year(YEAR)

    t0 = time.perf_counter()
    panel = synthetic_panel(args.n, args.seed)
    t_gen = time.perf_counter() - t0
    rss_panel = rss_gb()

    t0, c0 = time.perf_counter(), time.process_time()
    results = assess_panel(panel, rule_sets)
    t_batch, c_batch = time.perf_counter() - t0, time.process_time() - c0
    kept = sum(
        c.outcome.nbytes + (0 if c.band is None else c.band.nbytes)
        for r in results
        for c in r.criteria.values()
    ) + sum(v.nbytes for v in results[0].features.values.values())

    rows = np.random.default_rng(1).choice(args.n, size=min(args.sample, args.n), replace=False)
    profiles = profiles_from(panel, rows)
    t0, c0 = time.perf_counter(), time.process_time()
    per_row = [[assess(p, YEAR, rs) for rs in rule_sets] for p in profiles]
    t_row, c_row = time.perf_counter() - t0, time.process_time() - c0
    t_row_scaled = t_row * args.n / len(profiles)
    c_row_scaled = c_row * args.n / len(profiles)

    t0 = time.perf_counter()
    for i in rows[:200].tolist():
        for r in results:
            explain(r, i)
    t_explain = (time.perf_counter() - t0) / min(200, len(rows)) / len(results)

    mismatches = sum(
        VERDICTS[r.verdict[i]] is not a.verdict
        for i, assessments in zip(rows.tolist(), per_row, strict=True)
        for r, a in zip(results, assessments, strict=True)
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # KiB → GB on Linux
    print(
        f"cultivation pre-screen: {args.n:,} enterprises × {len(rule_sets)} tiers "
        f"({', '.join(rs.key for rs in rule_sets)}), year {YEAR}"
    )
    # Wall and CPU seconds side by side: on a shared machine the CPU ratio is the steadier one.
    print(f"{'':34}{'wall s':>10}{'CPU s':>10}{'enterprises/s':>15}{'ratio':>8}{'CPU ratio':>11}")
    print(
        f"{'per-row Python (sample, scaled)':34}{t_row_scaled:>10.1f}{c_row_scaled:>10.1f}"
        f"{args.n / t_row_scaled:>15,.0f}{1.0:>8.1f}{1.0:>11.1f}"
    )
    print(
        f"{'batch, numpy (explanations kept)':34}{t_batch:>10.1f}{c_batch:>10.1f}"
        f"{args.n / t_batch:>15,.0f}{t_row_scaled / t_batch:>8.1f}{c_row_scaled / c_batch:>11.1f}"
    )
    print(
        f"per-row sample: {len(profiles):,} enterprises in {t_row:.2f} s; "
        f"verdicts differing from the batch: {mismatches}"
    )
    print(f"explaining one batch row for one tier: {t_explain * 1e3:.2f} ms")
    print(
        f"panel generated in {t_gen:.1f} s; RSS after panel {rss_panel:.2f} GB; "
        f"kept results {kept / 1e9:.2f} GB; peak RSS {peak:.2f} GB (target < 8 GB)"
    )
    for r in results:
        print(f"  {r.rule_set.key:22} {r.counts()}")


if __name__ == "__main__":
    main()
