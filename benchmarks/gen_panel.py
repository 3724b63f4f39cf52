"""Write a realistic enterprise panel (enterprises + enterprise_years) as CSV and XLSX files."""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from fourchain.domain.credit_code import make_credit_code
from fourchain.domain.records import ENTERPRISE_YEARS, ENTERPRISES

DISTRICTS = ("思明", "湖里", "集美", "海沧", "同安", "翔安")
ZONES = ("火炬高新区", "软件园三期", "科学城核心区", "海沧生物医药港", "")
INDUSTRY = ("C3976", "C3969", "I6513", "C2761", "M7320", "C3562", "C3841")


def credit_codes(count: int) -> list[str]:
    """`count` distinct valid codes of Xiamen (3502xx) enterprises."""
    return [make_credit_code(f"913502{i % 7:02d}MA{i:07d}") for i in range(count)]


def enterprise_rows(codes: list[str], seed: int = 1) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    for index, code in enumerate(codes):
        founded = date(1995, 1, 1) + timedelta(days=rng.randrange(0, 365 * 24))
        yield {
            "credit_code": code,
            "name": f"厦门市示例{index:06d}科技有限公司",
            "founded": founded.isoformat(),
            "district": rng.choice(DISTRICTS),
            "zone": rng.choice(ZONES),
            "industry_code": rng.choice(INDUSTRY),
            "above_scale": rng.choice(("是", "否")),
            "leading": "否",
            "main_product": rng.choice(("传感器", "工业软件", "锂电池材料", "医疗器械", "")),
            "key_chain_role": rng.choice(("none", "supplies_leading", "fills_gap")),
            "rd_institution_level": rng.choice(("none", "municipal", "provincial")),
        }


def panel_rows(codes: list[str], years: range, seed: int = 2) -> Iterator[dict[str, object]]:
    """One row per code and year; every cross-row rule of the contract holds."""
    rng = random.Random(seed)
    for code in codes:
        scale = rng.lognormvariate(16, 1.5)  # revenue in yuan, median about 9 million
        for year in years:
            revenue = round(scale * rng.uniform(0.8, 1.3), 2)
            rd = round(revenue * rng.uniform(0.01, 0.12), 2)
            employees = max(3, int(revenue / rng.uniform(4e5, 1.2e6)))
            class1 = rng.randrange(0, 30)
            yield {
                "credit_code": code,
                "year": year,
                "employees": employees,
                "st_staff": int(employees * rng.uniform(0.1, 0.6)),
                "rd_staff": int(employees * rng.uniform(0.05, 0.4)),
                "revenue": revenue,
                "main_business_revenue": round(revenue * rng.uniform(0.8, 1.0), 2),
                "hitech_revenue": round(revenue * rng.uniform(0.0, 0.9), 2),
                "rd_expense": rd,
                "rd_expense_domestic": round(rd * rng.uniform(0.7, 1.0), 2),
                "total_cost": round(revenue * rng.uniform(0.7, 1.05), 2),
                "net_profit": round(revenue * rng.uniform(-0.1, 0.2), 2),
                "total_assets": round(revenue * rng.uniform(0.8, 2.5), 2),
                "total_liabilities": round(revenue * rng.uniform(0.2, 1.2), 2),
                "export_revenue": round(revenue * rng.uniform(0, 0.3), 2),
                "equity_financing": rng.choice((0, 0, 0, round(revenue * 0.1, 2))),
                "class1_ip": class1,
                "class1_ip_high_value": rng.randrange(0, class1 + 1),
                "class1_ip_self_developed": rng.randrange(0, class1 + 1),
                "class2_ip": rng.randrange(0, 60),
                "conversions": rng.randrange(0, 5),
                "standards_led": rng.randrange(0, 3),
                "niche_market_share": round(rng.uniform(0, 40), 2),
                "global_rank": rng.choice(("", rng.randrange(1, 50))),
                "digital_level": rng.randrange(1, 5),
                "major_incident": "否",
                "dishonest_listed": "否",
            }


def write_csv(path: Path, keys: tuple[str, ...], rows: Iterator[dict[str, object]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(keys)
        for row in rows:
            writer.writerow([row.get(key, "") for key in keys])
            count += 1
    return count


def write_xlsx(path: Path, keys: tuple[str, ...], rows: Iterator[dict[str, object]]) -> int:
    import openpyxl  # only the XLSX variant needs it

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(list(keys))
    count = 0
    for row in rows:
        sheet.append([_typed(row.get(key)) for key in keys])
        count += 1
    workbook.save(path)
    return count


def _typed(value: object) -> object:
    # An XLSX user types numbers as numbers; empty cells stay empty.
    return None if value == "" else value


def generate(folder: Path, enterprises: int, years: range, xlsx: bool = True) -> dict[str, Path]:
    """Write enterprises.csv, panel.csv (and panel.xlsx) into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = credit_codes(enterprises)
    paths = {
        "enterprises": folder / "enterprises.csv",
        "panel_csv": folder / "panel.csv",
    }
    write_csv(paths["enterprises"], ENTERPRISES.keys, enterprise_rows(codes))
    write_csv(paths["panel_csv"], ENTERPRISE_YEARS.keys, panel_rows(codes, years))
    if xlsx:
        paths["panel_xlsx"] = folder / "panel.xlsx"
        write_xlsx(paths["panel_xlsx"], ENTERPRISE_YEARS.keys, panel_rows(codes, years))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--first-year", type=int, default=2020)
    parser.add_argument("--years", type=int, default=5, help="panel years per enterprise")
    parser.add_argument("--no-xlsx", action="store_true")
    args = parser.parse_args()
    years = range(args.first_year, args.first_year + args.years)
    for name, path in generate(args.folder, args.enterprises, years, not args.no_xlsx).items():
        print(f"{name}: {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
