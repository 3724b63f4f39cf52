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
    return rows
