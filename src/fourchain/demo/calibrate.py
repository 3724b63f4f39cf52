"""Panel calibration: the above-scale industrial R&D ratio per year and the strategic emerging
share, computed exactly as docs/indicators.md defines them (NULLs skipped as SQL does)."""

from __future__ import annotations

import random
from collections.abc import Iterable

from fourchain.demo.calibration import (
    ABOVE_SCALE_RD_RATIO,
    ABOVE_SCALE_THRESHOLD,
    INDUSTRIAL_SECTIONS,
    LAST_YEAR,
    STRATEGIC_SHARE_RANGE,
)
from fourchain.demo.firms import Firm
from fourchain.demo.tiers import CalibrationFailed

Row = dict[str, object]
# Tiers whose hard conditions put a floor under R&D: those rows are left as drawn.
_FLOORED = {"hnte", "srdi_sme", "little_giant"}


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def above_scale_industrial(firm: Firm, row: Row) -> bool:
    main = _num(row["main_business_revenue"])
    return (
        firm.section in INDUSTRIAL_SECTIONS and main is not None and main >= ABOVE_SCALE_THRESHOLD
    )


def calibrate_rd_ratio(panel: Iterable[tuple[Firm, Row]]) -> dict[int, float]:
    """Scale R&D of above-scale industrial firms that hold no certificate that year so the
    year's Σ R&D / Σ main business revenue is the target; returns each year's factor."""
    sums: dict[int, list[float]] = {}
    adjustable: dict[int, list[Row]] = {}
    every: dict[int, list[Row]] = {}
    for firm, row in panel:
        year = int(str(row["year"]))
        if year not in ABOVE_SCALE_RD_RATIO or not above_scale_industrial(firm, row):
            continue
        main = _num(row["main_business_revenue"]) or 0.0
        rd = _num(row["rd_expense"])
        acc = sums.setdefault(year, [0.0, 0.0, 0.0])  # Σ main, Σ fixed R&D, Σ adjustable R&D
        acc[0] += main
        if rd is None:
            continue
        every.setdefault(year, []).append(row)
        if firm.held.get(year, set()) & _FLOORED:
            acc[1] += rd
        else:
            acc[2] += rd
            adjustable.setdefault(year, []).append(row)
    factors: dict[int, float] = {}
    for year, (main, fixed, free) in sums.items():
        wanted = ABOVE_SCALE_RD_RATIO[year] / 100.0 * main
        rows = adjustable.get(year, [])
        if free <= 0 or wanted <= fixed:
            # Only in a small, shrunk city: certified firms alone overshoot, so every
            # above-scale row moves (some holders may then fall under their floor).
            rows, free, fixed = every.get(year, []), free + fixed, 0.0
        if free <= 0:
            raise CalibrationFailed(f"above-scale R&D ratio {year}: no R&D to calibrate")
        factor = (wanted - fixed) / free
        for row in rows:
            row["rd_expense"] = (_num(row["rd_expense"]) or 0.0) * factor
        factors[year] = factor
    return factors


def calibrate_strategic(rng: random.Random, panel: Iterable[tuple[Firm, Row]]) -> float:
    """Flip the strategic emerging flag of a few above-scale industrial firms (electronic
    information and machinery, whose products straddle the catalogue) until the last year's
    share of revenue is inside STRATEGIC_SHARE_RANGE; returns the share."""
    revenue: dict[int, float] = {}
    firms: dict[int, Firm] = {}
    for firm, row in panel:
        if row["year"] == LAST_YEAR and above_scale_industrial(firm, row):
            value = _num(row["revenue"])
            if value is not None:
                revenue[firm.index] = value
                firms[firm.index] = firm
    total = sum(revenue.values())
    if total <= 0:
        return 0.0

    def share() -> float:
        hits = sum(v for i, v in revenue.items() if firms[i].strategic_emerging is True)
        return hits / total * 100.0

    low, high = STRATEGIC_SHARE_RANGE
    order = sorted(revenue)
    rng.shuffle(order)
    swing = ("electronic_information", "machinery_equipment")
    current = share()
    for index in order:
        firm = firms[index]
        if low <= current <= high:
            break
        if firm.cluster not in swing:
            continue
        if current < low and firm.strategic_emerging is not True:
            firm.strategic_emerging = True
        elif current > high and firm.strategic_emerging is True:
            firm.strategic_emerging = False
        else:
            continue
        current = share()
    return current
