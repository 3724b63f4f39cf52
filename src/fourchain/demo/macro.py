"""Macro statistics of the demo city, the province and the nation (`macro_stats` rows), with
the keys and regions of docs/indicators.md; every row's source says it is synthetic."""

from __future__ import annotations

from fourchain.demo.calibration import (
    CHINA_RD_INTENSITY,
    CLUSTER_OUTPUT_YI,
    FUJIAN_LITTLE_GIANTS,
    GDP,
    MACRO_SOURCE,
    POPULATION,
    RD_INTENSITY,
    YEARS,
)

Row = dict[str, object]


def _row(region: str, year: int, key: str, value: float, unit: str) -> Row:
    return {
        "region": region,
        "year": year,
        "key": key,
        "value": value,
        "unit": unit,
        "source": MACRO_SOURCE,
    }


def macro_rows() -> list[Row]:
    rows: list[Row] = []
    for i, year in enumerate(YEARS):
        gdp = GDP[year]
        rows.append(_row("xiamen", year, "gdp", gdp, "yuan"))
        # Whole-society R&D spending from the calibrated intensity, to the yuan.
        rows.append(
            _row("xiamen", year, "rd_spending", round(gdp * RD_INTENSITY[year] / 100), "yuan")
        )
        rows.append(_row("xiamen", year, "population", float(POPULATION[year]), "persons"))
        rows.append(_row("china", year, "rd_intensity", CHINA_RD_INTENSITY[year], "percent"))
        rows.append(
            _row("fujian", year, "little_giants", float(FUJIAN_LITTLE_GIANTS[year]), "count")
        )
        for cluster, series in CLUSTER_OUTPUT_YI.items():
            rows.append(_row("xiamen", year, f"cluster_output.{cluster}", series[i] * 1e8, "yuan"))
    # Statistics-bureau figures the honours-and-statistics claims read (docs/collaboration.md):
    # cumulative January–August growth is held under its months' key.
    for year, growth in HITECH_MFG_VA_GROWTH.items():
        rows.append(_row("xiamen", year, "hitech_mfg_va_growth", growth, "percent"))
    rows.append(_row("xiamen", 2025, "hitech_mfg_va_growth@01-08", HITECH_JAN_AUG_2025, "percent"))
    for year, share in DIGITAL_ECONOMY_SHARE.items():
        rows.append(_row("xiamen", year, "digital_economy_share", share, "percent"))
    return rows


HITECH_MFG_VA_GROWTH = {2021: 14.2, 2022: 9.6, 2023: 11.8, 2024: 15.1}
HITECH_JAN_AUG_2025 = 18.7
DIGITAL_ECONOMY_SHARE = {2021: 52.1, 2022: 54.3, 2023: 56.6, 2024: 58.9, 2025: 60.8}
