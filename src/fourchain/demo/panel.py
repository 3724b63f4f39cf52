"""The enterprise-year panel: each firm's figures from its first year to its last, drawn so
that tier holders mostly meet their tier's hard conditions, some fall just short, and other
firms range from near to far. Cross-row rules of enterprise-schema.md hold in every row."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from fourchain.demo.firms import Firm

# Revenue per employee (yuan) by cluster: trade turns over far more per head than software.
_REVENUE_PER_HEAD = {
    "electronic_information": 1.3e6,
    "machinery_equipment": 1.1e6,
    "trade_logistics": 6.0e6,
    "financial_services": 3.0e6,
    "biomedicine": 0.9e6,
    "new_materials": 1.4e6,
    "new_energy": 1.6e6,
    "culture_tourism_creative": 0.6e6,
    "artificial_intelligence": 0.5e6,
    "hydrogen_storage": 0.9e6,
}
# Cells that may be left empty (unknown) in a share of rows, to keep assessments honest.
_MAY_BE_UNKNOWN = (
    "st_staff",
    "rd_staff",
    "hitech_revenue",
    "rd_expense_domestic",
    "total_cost",
    "export_revenue",
    "equity_financing",
    "conversions",
    "standards_led",
    "digital_level",
    "major_incident",
    "dishonest_listed",
)
_MONEY = ("revenue", "main_business_revenue", "hitech_revenue", "total_cost", "net_profit",
          "total_assets", "total_liabilities", "export_revenue", "equity_financing")  # fmt: skip


def hnte_rd_floor(revenue: float) -> float:
    """The HNTE R&D-to-sales floor (fraction) for a firm of this revenue."""
    if revenue <= 5e7:
        return 0.05
    if revenue <= 2e8:
        return 0.04
    return 0.03


@dataclass(slots=True)
class FirmTraits:
    """Per-firm draws kept constant over the years, so a firm's ratios move smoothly."""

    main_share: float
    hitech_share: float
    st_share: float
    rd_margin: float
    domestic_share: float
    cost_ratio: float
    asset_ratio: float
    debt_ratio: float
    export_share: float
    head_revenue: float
    digital: int
    candidate: bool  # an uncertified firm whose figures sit near the HNTE conditions


def _traits(rng: random.Random, firm: Firm) -> FirmTraits:
    tech = firm.tech
    lg = firm.ever_holds("little_giant") or firm.ever_holds("single_champion")
    main_share = rng.uniform(0.72, 0.99) if lg and firm.compliant else rng.uniform(0.55, 1.0)
    return FirmTraits(
        main_share=main_share,
        hitech_share=rng.uniform(0.62, 0.96),
        st_share=rng.uniform(0.11, 0.45 if tech < 0.7 else 0.6),
        rd_margin=rng.uniform(0.002, 0.025) + (rng.uniform(0, 0.06) if tech > 0.75 else 0.0),
        domestic_share=rng.uniform(0.82, 1.0),
        cost_ratio=rng.uniform(0.84, 1.02),
        asset_ratio=rng.uniform(0.6, 1.8) * (8.0 if firm.cluster == "financial_services" else 1),
        debt_ratio=rng.uniform(0.2, 0.66) if lg else rng.uniform(0.15, 0.85),
        export_share=rng.uniform(0.0, 0.5) if rng.random() < 0.55 else 0.0,
        head_revenue=_REVENUE_PER_HEAD[firm.cluster] * math.exp(rng.gauss(0.0, 0.35)),
        digital=rng.choices((1, 2, 3, 4), weights=(30, 35, 25, 10))[0],
        candidate=tech >= 0.5 and rng.random() < 0.4,
    )


def _revenue_path(rng: random.Random, firm: Firm) -> dict[int, float]:
    revenue = firm.revenue0
    mean = firm.growth
    giant = firm.ever_holds("little_giant") or firm.ever_holds("single_champion")
    if giant and firm.compliant:
        mean = max(mean, 0.09)  # the tier asks ≥ 5 % average main-business growth
    if firm.ever_holds("single_champion"):
        revenue = max(revenue, rng.uniform(4.5e8, 1.5e9))
    elif firm.ever_holds("little_giant") and firm.compliant:
        revenue = max(revenue, rng.uniform(6e7, 3e8))
    path: dict[int, float] = {}
    for year in firm.years():
        if year > firm.first_year:
            growth = mean + rng.gauss(0.0, 0.04 if giant else 0.09)
            if firm.death_year is not None and year >= firm.death_year - 1:
                growth -= 0.25  # a closing firm shrinks first
            if firm.founded.year == year - 1:
                growth += 0.6  # the first full year after a part-year start
            revenue *= math.exp(growth)
        path[year] = revenue
    return path


def _rd_ratio(rng: random.Random, firm: Firm, t: FirmTraits, revenue: float, year: int) -> float:
    floor = hnte_rd_floor(revenue)
    if firm.holds("hnte", year):
        if firm.compliant or firm.weak_point != "rd":
            # Large firms sit close to the 3 % floor; small ones spread well above theirs.
            ratio = floor + (t.rd_margin if revenue <= 2e8 else t.rd_margin * 0.3)
        else:
            ratio = floor - rng.uniform(0.002, 0.009)
    elif revenue > 2e8:  # large uncertified firms spend well under the 3 % floor
        ratio = rng.uniform(0.002, 0.01) * (0.5 + firm.tech)
    elif t.candidate:  # a candidate that has not (yet) applied: around the floor
        ratio = floor * rng.uniform(0.75, 1.08)
    elif firm.tech >= 0.5:
        ratio = floor * rng.uniform(0.3, 0.9)
    else:
        ratio = firm.tech * 0.03 * rng.uniform(0.1, 1.0)
    if (firm.holds("little_giant", year) or firm.holds("srdi_sme", year)) and firm.compliant:
        ratio = max(ratio, 0.032 if revenue >= 1e8 else 0.062)
    return max(0.0, ratio)


def panel_rows(rng: random.Random, firm: Firm) -> list[dict[str, object]]:
    """The firm's rows, one per year it traded in 2020-2025."""
    t = _traits(rng, firm)
    niche = _niche_level(rng, firm)
    rows: list[dict[str, object]] = []
    for year, revenue in _revenue_path(rng, firm).items():
        holder = firm.holds("hnte", year)
        near = holder and not firm.compliant
        employees = max(3, round(revenue / t.head_revenue))
        st_share = t.st_share
        if near and firm.weak_point == "st_staff":
            st_share = rng.uniform(0.07, 0.095)
        elif not holder:
            st_share = t.st_share * (1.0 if firm.tech >= 0.5 else rng.uniform(0.1, 0.6))
        st_staff = min(employees, math.ceil(employees * st_share))
        if holder and not near:
            st_staff = max(st_staff, math.ceil(employees * 0.1))
        hitech = t.hitech_share
        if near and firm.weak_point == "hitech":
            hitech = rng.uniform(0.5, 0.595)
        elif t.candidate and not holder:
            hitech = t.hitech_share * rng.uniform(0.85, 1.0)
        elif not holder:
            hitech = t.hitech_share * firm.tech * rng.uniform(0.2, 1.0)
        rd = revenue * _rd_ratio(rng, firm, t, revenue, year)
        domestic = t.domestic_share
        if near and firm.weak_point == "domestic":
            domestic = rng.uniform(0.5, 0.59)
        main = min(1.0, t.main_share + rng.uniform(-0.02, 0.02))
        cost = revenue * (t.cost_ratio + rng.uniform(-0.04, 0.04))
        profit = revenue - cost
        assets = revenue * t.asset_ratio
        young = firm.tech > 0.5 and year - firm.founded.year <= 8
        equity = rng.lognormvariate(math.log(1.5e7), 0.9) if young and rng.random() < 0.1 else 0
        row: dict[str, object] = {
            "credit_code": firm.credit_code,
            "year": year,
            "employees": employees,
            "st_staff": st_staff,
            "rd_staff": round(st_staff * rng.uniform(0.5, 0.95)),
            "revenue": revenue,
            "main_business_revenue": revenue * main,
            "hitech_revenue": revenue * min(1.0, hitech),
            "rd_expense": rd,
            "rd_expense_domestic": domestic,  # a share until calibration settles rd_expense
            "total_cost": max(cost, rd),
            "net_profit": profit * 0.85 if profit > 0 else profit,
            "total_assets": assets,
            "total_liabilities": assets * min(0.95, t.debt_ratio + rng.uniform(-0.03, 0.03)),
            "export_revenue": revenue * t.export_share,
            "equity_financing": float(equity),
            "class1_ip": None,
            "class1_ip_high_value": None,
            "class1_ip_self_developed": None,
            "class2_ip": None,
            "conversions": _conversions(rng, firm, year),
            "standards_led": _standards(rng, firm, year),
            "niche_market_share": _niche_share(rng, firm, niche, year),
            "global_rank": rng.randint(1, 3) if firm.holds("single_champion", year) else None,
            "digital_level": min(4, t.digital + (year - firm.first_year) // 3),
            "major_incident": rng.random() < (0.001 if holder else 0.004),
            "dishonest_listed": rng.random() < (0.0005 if holder else 0.002),
        }
        # About 2 % of these cells (0.4 % for holders) are unknown, one cell in a chosen row.
        if rng.random() < (0.004 if holder else 0.02) * len(_MAY_BE_UNKNOWN):
            row[rng.choice(_MAY_BE_UNKNOWN)] = None
        rows.append(row)
    return rows


def _conversions(rng: random.Random, firm: Firm, year: int) -> int:
    if firm.holds("hnte", year):
        return rng.randint(1, 7) if firm.compliant else rng.randint(0, 2)
    return rng.choices((0, 1, 2), weights=(70, 22, 8))[0] if firm.tech > 0.45 else 0


def _standards(rng: random.Random, firm: Firm, year: int) -> int:
    if firm.holds("single_champion", year) or firm.holds("little_giant", year):
        return rng.randint(0, 3)
    return 1 if firm.tech > 0.6 and rng.random() < 0.04 else 0


def _niche_level(rng: random.Random, firm: Firm) -> float:
    """The firm's national niche share (percent), kept through the years with small drift."""
    if firm.ever_holds("single_champion"):
        return rng.uniform(22.0, 45.0)
    if firm.ever_holds("little_giant"):
        return rng.uniform(11.0, 35.0) if firm.compliant else rng.uniform(6.0, 9.5)
    if firm.ever_holds("srdi_sme"):
        return rng.uniform(3.0, 15.0)
    return rng.uniform(0.3, 8.0)


def _niche_share(rng: random.Random, firm: Firm, level: float, year: int) -> float | None:
    if firm.niche_since is None or year < firm.niche_since:
        return None
    return round(min(100.0, level * rng.uniform(0.95, 1.04)), 1)


def finish_row(row: dict[str, object]) -> None:
    """Round money to whole yuan and turn the domestic R&D share into an amount; keeps
    main ≤ revenue, hitech ≤ revenue, domestic ≤ R&D after rounding."""
    for key in _MONEY:
        value = row[key]
        if isinstance(value, float):
            row[key] = float(round(value))
    rd = row["rd_expense"]
    if isinstance(rd, float):
        rd = float(round(rd))
        row["rd_expense"] = rd
        share = row["rd_expense_domestic"]
        if isinstance(share, float):
            row["rd_expense_domestic"] = float(math.floor(rd * share))
        cost = row["total_cost"]
        if isinstance(cost, float) and cost < rd:  # R&D is part of the year's costs
            row["total_cost"] = rd
