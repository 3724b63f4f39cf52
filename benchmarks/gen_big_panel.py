"""Write a synthetic registry panel (default 1,000,000 enterprises × 6 years) as parquet, in the
layout `fourchain.adapters.analytics.registry_source.from_parquet` reads.

    .venv/bin/python benchmarks/gen_big_panel.py --out var/bench-panel [--enterprises 1000000]
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

YEARS = list(range(2020, 2026))
DISTRICTS = ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"]
CLUSTERS = [
    ("electronic_information", "pillar"),
    ("machinery_equipment", "pillar"),
    ("trade_logistics", "pillar"),
    ("financial_services", "pillar"),
    ("biomedicine", "strategic_emerging"),
    ("new_materials", "strategic_emerging"),
    ("new_energy", "strategic_emerging"),
    ("culture_tourism_creative", "strategic_emerging"),
]
SECTIONS = np.array(list("ABCDEFGIMC"))  # C (manufacturing) twice as likely
EPOCH = date(1970, 1, 1)


def _days(d: date) -> int:
    return (d - EPOCH).days


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype("int32"), type=pa.int32()).cast(pa.date32())


def generate(n: int, out: Path, seed: int = 7) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    codes = np.char.add("9135", np.char.zfill(np.arange(n).astype(str), 14))
    chains = [f"chain_{i:02d}" for i in range(16)]
    links = [f"{c}.link_{j}" for c in chains for j in range(3)]
    link_of = rng.integers(0, len(links) + 8, n)  # some firms on no chain
    enterprises = pa.table(
        {
            "credit_code": codes,
            "district": np.array(DISTRICTS)[rng.integers(0, len(DISTRICTS), n)],
            "zone": pa.nulls(n, pa.string()),
            "industry_code": np.char.add(
                SECTIONS[rng.integers(0, len(SECTIONS), n)],
                rng.integers(1000, 4000, n).astype(str),
            ),
            "cluster": np.array([c for c, _ in CLUSTERS])[rng.integers(0, len(CLUSTERS), n)],
            "chain_link": pa.array(
                [links[i] if i < len(links) else None for i in link_of], pa.string()
            ),
            "strategic_emerging": rng.random(n) < 0.35,
        }
    )
    pq.write_table(enterprises, out / "enterprises.parquet")

    size = rng.lognormal(16.0, 1.6, n)  # revenue in 2020, yuan
    growth = rng.normal(0.08, 0.05, n)
    parts = []
    for k, year in enumerate(YEARS):
        revenue = size * (1 + growth) ** k
        parts.append(
            pa.table(
                {
                    "credit_code": codes,
                    "year": np.full(n, year, dtype="int64"),
                    "st_staff": (revenue / 2e6).astype("int64"),
                    "revenue": revenue,
                    "main_business_revenue": revenue * 0.92,
                    "rd_expense": revenue * rng.uniform(0.005, 0.05, n) * (1.13**k),
                    "equity_financing": np.where(rng.random(n) < 0.03, revenue * 0.2, 0.0),
                    "conversions": rng.poisson(0.3, n).astype("int64"),
                }
            )
        )
    panel = pa.concat_tables(parts)
    pq.write_table(panel, out / "enterprise_years.parquet")

    holders = rng.choice(n, int(n * 0.15), replace=False)
    issued = rng.integers(_days(date(2014, 1, 1)), _days(date(2025, 12, 1)), holders.size)
    tiers = np.where(rng.random(holders.size) < 0.05, "little_giant", "hnte")
    tiers = np.where(rng.random(holders.size) < 0.005, "single_champion", tiers)
    revoked = np.where(rng.random(holders.size) < 0.02, issued + 400, -1)
    certificates = pa.table(
        {
            "credit_code": codes[holders],
            "tier": tiers,
            "issued": _dates(issued),
            "expires": _dates(issued + 3 * 365),
            "revoked": pa.array([None if r < 0 else r for r in revoked.tolist()], pa.int32()).cast(
                pa.date32()
            ),
        }
    )
    pq.write_table(certificates, out / "certificates.parquet")

    m = max(n // 100, 10)
    kinds = np.array(
        ["national_key_lab", "innovation_consortium", "enterprise_rd_centre", "incubator"]
    )
    recognised = rng.integers(_days(date(2010, 1, 1)), _days(date(2025, 12, 31)), m)
    institutions = pa.table(
        {
            "id": np.char.add("I", np.arange(m).astype(str)),
            "kind": kinds[rng.integers(0, len(kinds), m)],
            "district": np.array(DISTRICTS)[rng.integers(0, len(DISTRICTS), m)],
            "zone": pa.nulls(m, pa.string()),
            "cluster": pa.nulls(m, pa.string()),
            "host_credit_code": codes[rng.integers(0, n, m)],
            "recognised": _dates(recognised),
            "closed": pa.nulls(m, pa.date32()),
        }
    )
    pq.write_table(institutions, out / "institutions.parquet")

    p = n
    filed = rng.integers(_days(date(2005, 1, 1)), _days(date(2025, 6, 1)), p)
    granted = filed + rng.integers(300, 1500, p)
    patents = pa.table(
        {
            "number": np.char.add("CN", np.arange(p).astype(str)),
            "kind": np.array(["invention", "utility_model", "design"])[rng.integers(0, 3, p)],
            "holder_credit_code": codes[rng.integers(0, n, p)],
            "filed": _dates(filed),
            "granted": _dates(granted),
            "lapsed": pa.array(
                np.where(rng.random(p) < 0.2, granted + 2000, -1).tolist(), pa.int64()
            )
            .cast(pa.int32())
            .cast(pa.date32()),
            "hv_strategic_emerging": rng.random(p) < 0.2,
            "hv_overseas_family": rng.random(p) < 0.05,
            "hv_pledge_financing": rng.random(p) < 0.02,
            "hv_award": rng.random(p) < 0.005,
        }
    )
    # -1 days marks "never lapsed": turn those into nulls
    lapsed = patents.column("lapsed")
    never = pa.compute.equal(lapsed, pa.scalar(date(1969, 12, 31)))
    patents = patents.set_column(
        5, "lapsed", pa.compute.if_else(never, pa.scalar(None, pa.date32()), lapsed)
    )
    pq.write_table(patents, out / "patents.parquet")

    macro = []
    for k, year in enumerate(YEARS):
        macro += [
            ("xiamen", year, "gdp", 7e11 * 1.06**k),
            ("xiamen", year, "rd_spending", 7e11 * 1.06**k * (0.0308 + 0.0008 * k)),
            ("xiamen", year, "population", 5.2e6 + 5e4 * k),
            ("china", year, "rd_intensity", 2.4 + 0.06 * k),
            ("fujian", year, "little_giants", 300 + 40 * k),
        ]
        macro += [
            ("xiamen", year, f"cluster_output.{c}", 1e11 * (1.1**k) * (i + 1))
            for i, (c, _) in enumerate(CLUSTERS)
        ]
    pq.write_table(
        pa.table(
            {
                "region": [r[0] for r in macro],
                "year": pa.array([r[1] for r in macro], pa.int64()),
                "key": [r[2] for r in macro],
                "value": [float(r[3]) for r in macro],
            }
        ),
        out / "macro_stats.parquet",
    )
    pq.write_table(
        pa.table({"key": [c for c, _ in CLUSTERS], "kind": [k for _, k in CLUSTERS]}),
        out / "clusters.parquet",
    )
    pq.write_table(
        pa.table(
            {"key": chains, "name_zh": chains, "name_en": chains, "cluster": ["biomedicine"] * 16}
        ),
        out / "chains.parquet",
    )
    pq.write_table(
        pa.table({"key": links, "chain": [link.split(".")[0] for link in links]}),
        out / "chain_links.parquet",
    )
    return {
        "enterprises": n,
        "enterprise_years": panel.num_rows,
        "certificates": certificates.num_rows,
        "patents": p,
        "institutions": m,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("var/bench-panel"))
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.enterprises, args.out)
    took = time.perf_counter() - started
    print(
        f"wrote {args.out} in {took:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )


if __name__ == "__main__":
    main()
