"""Seeded random enterprise profiles that crowd the rules' edges: zeros, gaps in the panel,
young firms, values on band boundaries, certificates held or lapsed."""

from __future__ import annotations

import random
from datetime import date
from typing import TypeVar

from fourchain.domain.cultivation import EnterpriseProfile
from fourchain.domain.registry import Certificate, Enterprise, EnterpriseYear, Tier

YEAR = 2025
T = TypeVar("T")
EDGE_MONEY = (0.0, 1e6, 1e7, 1.5e7, 2e7, 5e7, 1e8, 2e8, 4e8)


def _money(rng: random.Random, scale: float) -> float | None:
    roll = rng.random()
    if roll < 0.05:
        return None
    if roll < 0.12:
        return rng.choice(EDGE_MONEY)
    return round(rng.lognormvariate(0, 1.2) * scale, -3)


def _maybe(rng: random.Random, value: T, p_missing: float = 0.05) -> T | None:
    return None if rng.random() < p_missing else value


def profile(rng: random.Random, index: int) -> EnterpriseProfile:
    code = f"9135020000000{index:05d}"
    founded = _maybe(rng, date(rng.randint(2000, YEAR + 1), rng.randint(1, 12), 1), 0.1)
    enterprise = Enterprise(
        credit_code=code,
        name=f"企业{index}",
        founded=founded,
        niche_since=_maybe(rng, rng.randint(2005, YEAR + 1), 0.15),
        rd_institution_level=_maybe(
            rng, rng.choice(["none", "municipal", "provincial", "national"])
        ),
        key_chain_role=_maybe(rng, rng.choice(["none", "supplies_leading", "fills_gap"])),
        strategic_emerging=_maybe(rng, rng.random() < 0.4),
    )
    scale = rng.choice([2e6, 2e7, 1e8, 5e8])
    years = {}
    for year in range(YEAR - 4, YEAR + 1):
        if rng.random() < 0.07:
            continue  # a year with no row at all
        revenue = _money(rng, scale)
        base = revenue or scale
        employees = rng.choice([0, 5, 50, 200, 499, 500, 501, 999, 1000, 3000])
        ratio = rng.choice([0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.1, rng.random() * 0.12])
        rd = _maybe(rng, round(base * ratio, 2))
        years[year] = EnterpriseYear(
            credit_code=code,
            year=year,
            employees=_maybe(rng, employees),
            st_staff=_maybe(rng, int(employees * rng.choice([0, 0.1, 0.25, 0.3, rng.random()]))),
            rd_staff=_maybe(rng, int(employees * rng.choice([0, 0.05, 0.2, 0.5, rng.random()]))),
            revenue=revenue,
            main_business_revenue=_maybe(
                rng, base * rng.choice([0.5, 0.7, 0.8, 0.9, 1.0, rng.random()])
            ),
            hitech_revenue=_maybe(rng, base * rng.choice([0.0, 0.6, rng.random()])),
            rd_expense=rd,
            rd_expense_domestic=_maybe(rng, (rd or 0.0) * rng.choice([0.6, 1.0, rng.random()])),
            total_cost=_maybe(rng, base * rng.uniform(0.5, 1.1)),
            net_profit=_maybe(rng, base * rng.uniform(-0.1, 0.2)),
            total_assets=_maybe(rng, rng.choice([0.0, base * rng.uniform(0.3, 2.0)])),
            total_liabilities=_maybe(rng, base * rng.uniform(0.0, 1.5)),
            equity_financing=_maybe(rng, rng.choice([0.0, 0.0, 5e6, 2e7, 6e7, 8e7])),
            class1_ip=_maybe(rng, rng.choice([0, 1, 2, 4, 8])),
            class1_ip_high_value=_maybe(rng, rng.choice([0, 0, 1])),
            class1_ip_self_developed=_maybe(rng, rng.choice([0, 1, 4])),
            class2_ip=_maybe(rng, rng.choice([0, 1, 2, 3, 4, 5, 9])),
            conversions=_maybe(rng, rng.choice([0, 1, 2, 3, 4, 5, 7])),
            standards_led=_maybe(rng, rng.choice([0, 0, 0, 1])),
            niche_market_share=_maybe(rng, rng.choice([5.0, 10.0, 15.0, rng.random() * 30])),
            global_rank=_maybe(rng, rng.choice([1, 3, 4, 10]), 0.4),
            digital_level=_maybe(rng, rng.randint(1, 4)),
            major_incident=_maybe(rng, rng.random() < 0.03),
            dishonest_listed=_maybe(rng, rng.random() < 0.02),
        )
    certificates = []
    for tier in Tier:
        if rng.random() < 0.3:
            issued = date(rng.randint(2019, YEAR), rng.randint(1, 12), 1)
            expires = date(issued.year + 3, issued.month, 1)
            certificates.append(Certificate(code, tier, issued, expires))
    return EnterpriseProfile(enterprise, years, certificates)


def profiles(n: int, seed: int) -> list[EnterpriseProfile]:
    rng = random.Random(seed)
    return [profile(rng, i) for i in range(n)]
