"""A small registry with hand-computed indicator values, shared by the indicators' tests.

Every expected value below is worked out by hand from the rows (see the comments)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, MetaData, insert

from fourchain.adapters.db.tables import (
    certificates,
    chain_links,
    chains,
    enterprise_years,
    enterprises,
    institutions,
    macro_stats,
    patents,
)
from fourchain.domain.credit_code import make_credit_code

A = make_credit_code("91350200MA0000001")
B = make_credit_code("91350200MA0000002")
C = make_credit_code("91350200MA0000003")
D = make_credit_code("91350200MA0000004")


def _rows(*rows: dict[str, object]) -> list[dict[str, object]]:
    """Executemany wants every row to name the same columns; absent ones are NULL."""
    keys = {key for row in rows for key in row}
    return [{key: row.get(key) for key in keys} for row in rows]


def _macro(region: str, year: int, key: str, value: float) -> dict[str, object]:
    return {"region": region, "year": year, "key": key, "value": value, "unit": "x"}


def _cert(
    code: str, tier: str, issued: date, expires: date, revoked: date | None = None
) -> dict[str, object]:
    return {
        "credit_code": code,
        "tier": tier,
        "issued": issued,
        "expires": expires,
        "revoked": revoked,
    }


def _year(
    code: str, year: int, revenue: float, mbr: float, rd: float, **more: object
) -> dict[str, object]:
    return {
        "credit_code": code,
        "year": year,
        "revenue": revenue,
        "main_business_revenue": mbr,
        "rd_expense": rd,
        **more,
    }


def fill(engine: Engine) -> None:
    with engine.begin() as c:
        # the clusters themselves come with the first migration
        c.execute(
            insert(chains),
            [
                {
                    "key": "ic",
                    "name_zh": "集成电路",
                    "name_en": "Integrated circuits",
                    "cluster": "electronic_information",
                },
                {
                    "key": "drug",
                    "name_zh": "创新药",
                    "name_en": "Innovative drugs",
                    "cluster": "biomedicine",
                },
            ],
        )
        c.execute(
            insert(chain_links),
            [
                {
                    "key": "ic.chip",
                    "chain": "ic",
                    "name_zh": "芯片",
                    "name_en": "Chips",
                    "position": "midstream",
                },
                {
                    "key": "drug.api",
                    "chain": "drug",
                    "name_zh": "原料药",
                    "name_en": "APIs",
                    "position": "upstream",
                },
            ],
        )
        c.execute(
            insert(enterprises),
            _rows(
                {
                    "credit_code": A,
                    "name": "甲",
                    "industry_code": "C3971",
                    "strategic_emerging": True,
                    "district": "思明区",
                    "cluster": "electronic_information",
                    "chain_link": "ic.chip",
                },
                {
                    "credit_code": B,
                    "name": "乙",
                    "industry_code": "C2710",
                    "strategic_emerging": False,
                    "district": "湖里区",
                    "cluster": "biomedicine",
                    "chain_link": "drug.api",
                },
                # not industrial (section I)
                {"credit_code": C, "name": "丙", "industry_code": "I6510", "district": "思明区"},
                # industrial, lower-case code, but below 20 m main business revenue
                {"credit_code": D, "name": "丁", "industry_code": "c3011", "district": "湖里区"},
            ),
        )
        c.execute(
            insert(enterprise_years),
            _rows(
                _year(A, 2020, 1e8, 9e7, 2e6, st_staff=50, equity_financing=1e7, conversions=2),
                _year(A, 2025, 2e8, 1.8e8, 5e6, st_staff=80, equity_financing=3e7, conversions=4),
                _year(B, 2020, 5e7, 5e7, 1e6, st_staff=20),
                _year(B, 2025, 1e8, 1e8, 2e6, st_staff=30, equity_financing=0.0, conversions=1),
                _year(C, 2020, 3e7, 3e7, 4e6),
                _year(C, 2025, 3e7, 3e7, 6e6),
                _year(D, 2025, 1.5e7, 1.5e7, 1e6),
            ),
        )
        c.execute(
            insert(certificates),
            _rows(
                _cert(A, "hnte", date(2019, 11, 1), date(2022, 10, 31)),
                _cert(A, "hnte", date(2021, 1, 1), date(2023, 12, 31)),  # overlaps: A counts once
                _cert(A, "hnte", date(2022, 11, 1), date(2025, 10, 31)),  # lapses before 2025 ends
                _cert(B, "hnte", date(2020, 12, 31), date(2023, 12, 30)),  # held 2020..2022
                _cert(C, "hnte", date(2021, 6, 1), date(2024, 5, 31), date(2022, 3, 1)),  # revoked
                _cert(B, "little_giant", date(2020, 7, 1), date(2026, 6, 30)),
                _cert(D, "little_giant", date(2023, 1, 1), date(2028, 12, 31)),
                _cert(A, "single_champion", date(2024, 1, 1), date(2026, 12, 31)),
            ),
        )
        c.execute(
            insert(institutions),
            _rows(
                {
                    "id": "L1",
                    "name": "实验室一",
                    "kind": "national_key_lab",
                    "recognised": date(2018, 1, 1),
                },
                {
                    "id": "L2",
                    "name": "实验室二",
                    "kind": "national_key_lab",
                    "recognised": date(2022, 5, 1),
                    "closed": date(2025, 12, 31),
                },
                {
                    "id": "K1",
                    "name": "联合体",
                    "kind": "innovation_consortium",
                    "recognised": date(2023, 1, 1),
                    "host_credit_code": A,
                },
                {
                    "id": "R1",
                    "name": "中心一",
                    "kind": "enterprise_rd_centre",
                    "recognised": date(2020, 12, 31),
                },
                {
                    "id": "R2",
                    "name": "中心二",
                    "kind": "enterprise_rd_centre",
                    "recognised": date(2021, 1, 1),
                    "host_credit_code": B,
                },
                {
                    "id": "R3",
                    "name": "中心三",
                    "kind": "enterprise_rd_centre",
                    "recognised": date(2025, 12, 31),
                },
                {"id": "R4", "name": "中心四", "kind": "enterprise_rd_centre"},
            ),
        )
        c.execute(
            insert(patents),
            _rows(
                # maintained over ten years on 31-12-2025 (filed before 31-12-2015), not in 2024
                {
                    "number": "P1",
                    "title": "t",
                    "kind": "invention",
                    "filed": date(2015, 12, 30),
                    "granted": date(2018, 1, 1),
                    "holder_credit_code": A,
                },
                {
                    "number": "P2",
                    "title": "t",
                    "kind": "invention",
                    "filed": date(2020, 1, 1),
                    "granted": date(2022, 1, 1),
                    "hv_overseas_family": True,
                    "holder_credit_code": A,
                },
                {
                    "number": "P3",
                    "title": "t",
                    "kind": "invention",
                    "filed": date(2020, 1, 1),
                    "granted": date(2021, 1, 1),
                    "holder_credit_code": B,
                },
                {
                    "number": "P4",
                    "title": "t",
                    "kind": "invention",
                    "filed": date(2017, 1, 1),
                    "granted": date(2019, 1, 1),
                    "lapsed": date(2025, 6, 1),
                    "hv_award": True,
                },
                {
                    "number": "P5",
                    "title": "t",
                    "kind": "utility_model",
                    "filed": date(2018, 1, 1),
                    "granted": date(2019, 1, 1),
                    "hv_strategic_emerging": True,
                },
                {
                    "number": "P6",
                    "title": "t",
                    "kind": "invention",
                    "filed": date(2023, 1, 1),
                    "hv_pledge_financing": True,
                },
                # filed on the cut-off day itself: not yet maintained over ten years
                {
                    "number": "P7",
                    "title": "t",
                    "kind": "invention",
                    "filed": date(2015, 12, 31),
                    "granted": date(2018, 1, 1),
                },
            ),
        )
        c.execute(
            insert(macro_stats),
            [
                _macro("xiamen", 2020, "rd_spending", 3.08e9),
                _macro("xiamen", 2020, "gdp", 1e11),
                _macro("xiamen", 2024, "rd_spending", 3.46e9),
                _macro("xiamen", 2024, "gdp", 1e11),
                _macro("china", 2024, "rd_intensity", 2.69),
                _macro("xiamen", 2020, "population", 10_000),
                _macro("xiamen", 2024, "population", 8_000),
                _macro("xiamen", 2025, "population", 8_000),
                _macro("fujian", 2025, "little_giants", 5),
                _macro("xiamen", 2025, "cluster_output.electronic_information", 2.1e12),
                _macro("xiamen", 2021, "cluster_output.biomedicine", 9e10),
                _macro("xiamen", 2022, "cluster_output.biomedicine", 1e11),
                _macro("xiamen", 2023, "cluster_output.biomedicine", 1.2e11),
                _macro("xiamen", 2024, "cluster_output.biomedicine", 1.3e11),
                _macro("xiamen", 2025, "cluster_output.biomedicine", 1.4e11),
                _macro("xiamen", 2022, "cluster_output.new_energy", 5e10),
                _macro("xiamen", 2023, "cluster_output.new_energy", 6.6e10),
                _macro("xiamen", 2024, "cluster_output.new_energy", 8.6e10),
                _macro("xiamen", 2025, "cluster_output.new_energy", 1.15e11),
            ],
        )


def fill_other_areas(engine: Engine) -> None:
    """Rows in the tables other areas add: conversion projects and funds."""
    present = MetaData()
    present.reflect(engine, only=["conversion_projects", "funds"])
    projects, funds = present.tables["conversion_projects"], present.tables["funds"]
    with engine.begin() as c:
        c.execute(
            insert(projects),
            [
                {"credit_code": A, "title": "转化一", "year": 2020},
                {"credit_code": A, "title": "转化二", "year": 2021},
                {"credit_code": B, "title": "转化三", "year": 2025},
            ],
        )
        c.execute(
            insert(funds),
            _rows(
                {
                    "key": "V",
                    "name": "科创风投基金",
                    "kind": "venture",
                    "size": 5e9,
                    "established": date(2022, 3, 1),
                },
                # a sub-fund of the venture fund is inside its size, not added to it
                {"key": "V2", "name": "子基金", "kind": "venture", "size": 1e9, "parent": "V"},
                {
                    "key": "CE",
                    "name": "科创增信子基金",
                    "kind": "credit_enhancement",
                    "size": 2e8,
                    "parent": "V",
                },
                {
                    "key": "T",
                    "name": "科技创新基金",
                    "kind": "tech_innovation",
                    "size": 5e10,
                    "established": date(2019, 1, 1),
                },
            ),
        )


# (indicator, year, value) worked out by hand from the rows above.
EXPECTED: list[tuple[str, int, float]] = [
    ("hnte_count", 2019, 1),
    ("hnte_count", 2020, 2),  # A; B issued on 31 December itself
    ("hnte_count", 2021, 3),  # A (two certificates, counted once), B, C
    ("hnte_count", 2022, 2),  # C revoked
    ("hnte_count", 2023, 1),  # B expired on 30 December
    ("hnte_count", 2025, 0),  # A's last certificate expired in October
    ("hnte_net_gain_per_year", 2021, 1),
    ("hnte_net_gain_per_year", 2022, -1),
    ("little_giants", 2020, 1),
    ("little_giants", 2025, 2),
    ("little_giants_growth_vs_2020", 2025, 100.0),
    ("little_giants_province_share", 2025, 40.0),
    ("single_champions", 2023, 0),
    ("single_champions", 2025, 1),
    ("national_key_labs", 2024, 2),
    ("national_key_labs", 2025, 1),  # L2 closed on 31 December 2025
    ("innovation_consortia", 2022, 0),
    ("innovation_consortia", 2025, 1),
    ("rd_intensity", 2020, 3.08),
    ("rd_intensity", 2024, 3.46),
    ("rd_intensity_gap_national", 2024, 0.77),
    ("high_value_patents_per_10k", 2020, 1.0),  # P4 / (10,000 / 10,000)
    ("high_value_patents_per_10k", 2024, 2.5),  # P2, P4 / 0.8
    ("high_value_patents_per_10k", 2025, 2.5),  # P1, P2 / 0.8
    ("above_scale_rd_revenue_ratio", 2020, 3e6 / 1.4e8 * 100),
    ("above_scale_rd_revenue_ratio", 2025, 2.5),
    ("above_scale_rd_revenue_ratio_change_vs_2020", 2025, 2.5 - 3e6 / 1.4e8 * 100),
    ("strategic_emerging_output_share", 2025, 2e8 / 3e8 * 100),
    ("pillar_clusters_scale", 2025, 2.1e12),
    ("strategic_emerging_scale", 2025, 2.55e11),
    ("new_energy_output", 2025, 1.15e11),
    ("new_energy_growth", 2023, 32.0),
    ("new_energy_growth", 2025, (1.15e11 / 8.6e10 - 1) * 100),
    ("biomedicine_revenue_years_over_100bn", 2021, 0),
    ("biomedicine_revenue_years_over_100bn", 2025, 4),
]
# (indicator, start, end, value) of the span indicators.
EXPECTED_SPANS: list[tuple[str, int, int, float]] = [
    ("enterprise_rd_growth", 2021, 2025, (2 ** (1 / 5) - 1) * 100),  # Σ 14 m over Σ 7 m
    ("enterprise_rd_centres", 2021, 2025, 2),  # R2, R3 (R1 is 2020, R4 undated)
]
# The same, from the other areas' tables (after fill_other_areas).
EXPECTED_OTHER_SPANS: list[tuple[str, int, int, float]] = [
    ("conversion_projects", 2021, 2025, 2),
    ("venture_fund_size", 2025, 2025, 5e9),
    ("venture_fund_size", 2021, 2021, 0),  # not yet established
    ("tech_innovation_fund_size", 2025, 2025, 5e10),
]
