"""The registry-derived figures of docs/indicators.md, computed from the generated records
before they are written (for the build's report; the tests recompute them in SQL)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fourchain.demo.calibrate import above_scale_industrial
from fourchain.demo.calibration import FIRST_YEAR, LAST_YEAR, YEARS
from fourchain.demo.firms import Firm
from fourchain.demo.patents import YearFlags

Row = dict[str, object]


def _f(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def derived_figures(
    firms: Sequence[Firm],
    panel: Sequence[tuple[Firm, Row]],
    macro: Sequence[Row],
    status: Mapping[str, YearFlags],
) -> dict[str, float]:
    macro_value = {(r["region"], r["year"], r["key"]): _f(r["value"]) for r in macro}
    rd_total = dict.fromkeys(YEARS, 0.0)
    above_rd = dict.fromkeys(YEARS, 0.0)
    above_main = dict.fromkeys(YEARS, 0.0)
    above_rev = dict.fromkeys(YEARS, 0.0)
    strategic_rev = dict.fromkeys(YEARS, 0.0)
    for firm, row in panel:
        year = int(_f(row["year"]))
        rd_total[year] += _f(row["rd_expense"])
        if above_scale_industrial(firm, row):
            above_rd[year] += _f(row["rd_expense"])
            above_main[year] += _f(row["main_business_revenue"])
            above_rev[year] += _f(row["revenue"])
            if firm.strategic_emerging is True:
                strategic_rev[year] += _f(row["revenue"])
    high_value = dict.fromkeys(YEARS, 0)
    for _valid, flags in status.values():
        for year, is_high in zip(YEARS, flags, strict=True):
            high_value[year] += is_high
    figures: dict[str, float] = {}
    for year in YEARS:
        high = high_value[year]
        population = macro_value[("xiamen", year, "population")]
        society = macro_value[("xiamen", year, "rd_spending")]
        figures[f"high_value_patents_per_10k_{year}"] = high / (population / 10_000)
        figures[f"above_scale_rd_revenue_ratio_{year}"] = (
            above_rd[year] / above_main[year] * 100 if above_main[year] else 0.0
        )
        figures[f"strategic_emerging_output_share_{year}"] = (
            strategic_rev[year] / above_rev[year] * 100 if above_rev[year] else 0.0
        )
        figures[f"enterprise_rd_{year}"] = rd_total[year]
        figures[f"enterprise_share_of_society_rd_{year}"] = rd_total[year] / society * 100
        figures[f"rd_intensity_{year}"] = society / macro_value[("xiamen", year, "gdp")] * 100
    span = LAST_YEAR - FIRST_YEAR
    figures["enterprise_rd_growth"] = (
        (rd_total[LAST_YEAR] / rd_total[FIRST_YEAR]) ** (1 / span) - 1
    ) * 100
    figures["enterprises"] = float(len(firms))
    return figures
