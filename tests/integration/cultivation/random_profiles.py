"""Seeded random enterprise profiles that crowd the rules' edges: zeros, gaps in the panel,
young firms, values on band boundaries, certificates held or lapsed."""

from __future__ import annotations

import random
from datetime import date

from fourchain.domain.cultivation import EnterpriseProfile
from fourchain.domain.registry import Certificate, Enterprise, EnterpriseYear, Tier

YEAR = 2025
EDGE_MONEY = (0.0, 1e6, 1e7, 1.5e7, 2e7, 5e7, 1e8, 2e8, 4e8)


def _money(rng: random.Random, scale: float) -> float | None:
    roll = rng.random()
    if roll < 0.05:
        return None
    if roll < 0.12:
        return rng.choice(EDGE_MONEY)
    return round(rng.lognormvariate(0, 1.2) * scale, -3)


def _maybe(rng: random.Random, value: object, p_missing: float = 0.05) -> object:
    return None if rng.random() < p_missing else value


def profile(rng: random.Random, index: int) -> EnterpriseProfile:
    code = f"9135020000000{index:05d}"
    founded = _maybe(rng, date(rng.randint(2000, YEAR + 1), rng.randint(1, 12), 1), 0.1)
    enterprise = Enterprise(
        credit_code=code,
        name=f"企业{index}",
        founded=founded,  # type: ignore[arg-type]
        niche_since=_maybe(rng, rng.randint(2005, YEAR + 1), 0.15),  # type: ignore[arg-type]
        rd_institution_level=_maybe(  # type: ignore[arg-type]
            rng, rng.choice(["none", "municipal", "provincial", "national"])
        ),
        key_chain_role=_maybe(  # type: ignore[arg-type]
            rng, rng.choice(["none", "supplies_leading", "fills_gap"])
        ),
        strategic_emerging=_maybe(rng, rng.random() < 0.4),  # type: ignore[arg-type]
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
            employees=_maybe(rng, employees),  # type: ignore[arg-type]
            st_staff=_maybe(rng, int(employees * rng.choice([0, 0.1, 0.25, 0.3, rng.random()]))),  # type: ignore[arg-type]
            rd_staff=_maybe(rng, int(employees * rng.choice([0, 0.05, 0.2, 0.5, rng.random()]))),  # type: ignore[arg-type]
            revenue=revenue,
            main_business_revenue=_maybe(
                rng, base * rng.choice([0.5, 0.7, 0.8, 0.9, 1.0, rng.random()])
            ),  # type: ignore[arg-type]
            hitech_revenue=_maybe(rng, base * rng.choice([0.0, 0.6, rng.random()])),  # type: ignore[arg-type]
            rd_expense=rd,  # type: ignore[arg-type]
            rd_expense_domestic=_maybe(rng, (rd or 0.0) * rng.choice([0.6, 1.0, rng.random()])),  # type: ignore[arg-type]
            total_cost=_maybe(rng, base * rng.uniform(0.5, 1.1)),  # type: ignore[arg-type]
            net_profit=_maybe(rng, base * rng.uniform(-0.1, 0.2)),  # type: ignore[arg-type]
            total_assets=_maybe(rng, rng.choice([0.0, base * rng.uniform(0.3, 2.0)])),  # type: ignore[arg-type]
            total_liabilities=_maybe(rng, base * rng.uniform(0.0, 1.5)),  # type: ignore[arg-type]
            equity_financing=_maybe(rng, rng.choice([0.0, 0.0, 5e6, 2e7, 6e7, 8e7])),  # type: ignore[arg-type]
            class1_ip=_maybe(rng, rng.choice([0, 1, 2, 4, 8])),  # type: ignore[arg-type]
            class1_ip_high_value=_maybe(rng, rng.choice([0, 0, 1])),  # type: ignore[arg-type]
            class1_ip_self_developed=_maybe(rng, rng.choice([0, 1, 4])),  # type: ignore[arg-type]
            class2_ip=_maybe(rng, rng.choice([0, 1, 2, 3, 4, 5, 9])),  # type: ignore[arg-type]
            conversions=_maybe(rng, rng.choice([0, 1, 2, 3, 4, 5, 7])),  # type: ignore[arg-type]
            standards_led=_maybe(rng, rng.choice([0, 0, 0, 1])),  # type: ignore[arg-type]
            niche_market_share=_maybe(rng, rng.choice([5.0, 10.0, 15.0, rng.random() * 30])),  # type: ignore[arg-type]
            global_rank=_maybe(rng, rng.choice([1, 3, 4, 10]), 0.4),  # type: ignore[arg-type]
            digital_level=_maybe(rng, rng.randint(1, 4)),  # type: ignore[arg-type]
            major_incident=_maybe(rng, rng.random() < 0.03),  # type: ignore[arg-type]
            dishonest_listed=_maybe(rng, rng.random() < 0.02),  # type: ignore[arg-type]
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
