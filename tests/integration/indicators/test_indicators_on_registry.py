"""The catalogue computed from a small registry gives the hand-worked values, on both backends."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert

from fourchain.adapters.analytics.engine import IbisIndicatorSource
from fourchain.adapters.analytics.registry_source import on_duckdb, read_registry
from fourchain.adapters.db.tables_pipeline import conversion_projects
from fourchain.bootstrap import Database
from fourchain.domain.indicators.claims import Status
from fourchain.services.claims import check_claims, claims_from_text
from fourchain.services.indicators import breakdown, fusion_scores, values_for, year_indicators
from tests.integration.indicators.small_registry import (
    EXPECTED,
    EXPECTED_OTHER_SPANS,
    EXPECTED_SPANS,
    A,
    fill,
    fill_other_areas,
)


@pytest.fixture
def source(database: Database) -> IbisIndicatorSource:
    fill(database.engine)
    fill_other_areas(database.engine)
    return IbisIndicatorSource.from_engine(database.engine)


def test_every_yearly_indicator_matches_the_hand_worked_value(source: IbisIndicatorSource) -> None:
    years = sorted({year for _, year, _ in EXPECTED})
    got = {(v.id, v.year): v.value for v in values_for(source, years, [])}
    for indicator, year, expected in EXPECTED:
        value = got.get((indicator, year))
        assert value is not None, f"{indicator} {year} has no value"
        assert math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-9), (indicator, year, value)


def test_span_indicators_cover_exactly_their_span(source: IbisIndicatorSource) -> None:
    cases = EXPECTED_SPANS + EXPECTED_OTHER_SPANS
    spans = sorted({(start, end) for _, start, end, _ in cases})
    got = {(v.id, v.span_start, v.year): v.value for v in values_for(source, [], spans)}
    for indicator, start, end, expected in cases:
        value = got[(indicator, start, end)]
        assert value is not None
        assert math.isclose(value, expected, rel_tol=1e-9), (indicator, start, end, value)


def test_a_ratio_with_no_denominator_that_year_has_no_value(source: IbisIndicatorSource) -> None:
    # there is no GDP for 2025, so no R&D intensity either (not a zero)
    got = {v.id: v for v in values_for(source, [2025], [])}
    assert "rd_intensity" not in got or got["rd_intensity"].value is None


def test_a_years_listing_has_every_catalogue_indicator_it_can_give(
    source: IbisIndicatorSource,
) -> None:
    values = year_indicators(source, 2025)
    ids = [v.id for v in values]
    assert ids.count("fusion_index") == 2  # one per industry chain
    assert ids.count("conversion_projects") == 1
    by_id = {v.id: v for v in values if v.chain is None}
    assert by_id["hnte_count"].as_json() == {
        "id": "hnte_count",
        "year": 2025,
        "value": 0.0,
        "unit": "count",
    }
    assert by_id["enterprise_rd_centres"].value == 2


def test_the_fusion_index_puts_the_stronger_chain_on_top(source: IbisIndicatorSource) -> None:
    scores = {s.chain: s for s in fusion_scores(source, 2025)}
    # ic (enterprise A) leads drug (B) on every measure but institutions (K1 is hosted by A,
    # R2 by B, both active): so ic scores 100 on three dimensions
    assert scores["ic"].index > scores["drug"].index
    assert scores["ic"].dimensions["capital"] == 100.0
    assert scores["drug"].dimensions["capital"] == 0.0
    assert scores["ic"].dimensions["innovation"] == pytest.approx(100 * (0.5 + 1 + 1) / 3)


@pytest.mark.parametrize(
    ("indicator", "by", "expected"),
    [
        ("hnte_count", "district", {"思明区": 2.0, "湖里区": 1.0}),  # 2021: A, C | B
        ("above_scale_rd_revenue_ratio", "chain", {"ic": 5e6 / 1.8e8 * 100, "drug": 2.0}),
    ],
)
def test_breakdowns_split_an_indicator_by_area(
    source: IbisIndicatorSource, indicator: str, by: str, expected: dict[str, float]
) -> None:
    year = 2021 if indicator == "hnte_count" else 2025
    rows = breakdown(source, indicator, by, [year])
    got = {area: value for row_year, area, value in rows if row_year == year and area}
    assert got == pytest.approx(expected)


CLAIMS = """id,indicator,topic,claim,value,unit,period,comparison
rd_2024,rd_intensity,t,c,3.46,percent,2024,
rd_2024_off,rd_intensity,t,c,3.45,percent,2024,
gap,rd_intensity_gap_national,t,c,0.77,percentage points,2024,
growth,enterprise_rd_growth,t,c,13,percent (lower bound),2021-2025,
growth_high,enterprise_rd_growth,t,c,15,percent (lower bound),2021-2025,
gain,hnte_net_gain_per_year,t,c,0,count (lower bound),2021-2021,
gain_each,hnte_net_gain_per_year,t,c,0,count (lower bound),2021-2025,
ne,new_energy_growth,t,c,30,percent (lower bound),2023-2025,
bio,biomedicine_revenue_years_over_100bn,t,c,4,years,2022-2025,
lg_growth,little_giants_growth_vs_2020,t,c,100.0,percent,2020-2025,
centres,enterprise_rd_centres,t,c,2,count,2021-2025,
rank,torch_zone_national_rank,t,c,14,rank,2024,
months,new_energy_growth,t,c,18.7,percent,2025-01..2025-08,
conv,conversion_projects,t,c,1775,count,2021-2025,
conv_ok,conversion_projects,t,c,2,count,2021-2025,
fund,tech_innovation_fund_size,t,c,50000000000,yuan,2025,
unit,hnte_count,t,c,0,percent,2025,
nodata,rd_intensity,t,c,3.5,percent,2025,
"""


def test_the_claims_check_judges_each_claim(source: IbisIndicatorSource) -> None:
    verdicts = {v.claim.id: v for v in check_claims(source, claims_from_text(CLAIMS, "c.csv"))}
    status = {key: v.status for key, v in verdicts.items()}
    assert status == {
        "rd_2024": Status.CONSISTENT,
        "rd_2024_off": Status.INCONSISTENT,
        "gap": Status.CONSISTENT,
        "growth": Status.CONSISTENT,  # 14.87 > 13
        "growth_high": Status.INCONSISTENT,  # 14.87 is not above 15
        "gain": Status.CONSISTENT,
        "gain_each": Status.INCONSISTENT,  # 2022 lost one
        "ne": Status.CONSISTENT,  # 32.0, 30.3, 33.7
        "bio": Status.CONSISTENT,
        "lg_growth": Status.CONSISTENT,
        "centres": Status.CONSISTENT,
        "rank": Status.NOT_DERIVABLE,
        "months": Status.NOT_DERIVABLE,
        "conv": Status.INCONSISTENT,
        "conv_ok": Status.CONSISTENT,
        "fund": Status.CONSISTENT,
        "unit": Status.NOT_DERIVABLE,
        "nodata": Status.NOT_DERIVABLE,
    }
    off = verdicts["rd_2024_off"]
    assert off.computed == pytest.approx(3.46)
    assert "3.45" in off.detail and "3.46" in off.detail
    assert verdicts["gain_each"].detail.startswith("2022:")
    assert "1775" in verdicts["conv"].detail
    assert "months" in verdicts["months"].detail


def test_a_claims_file_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    from fourchain.errors import InvalidInput

    with pytest.raises(InvalidInput, match=r"c.csv:1: missing column\(s\) unit, period"):
        claims_from_text("id,indicator,value\nx,y,1\n", "c.csv")


def test_claims_on_tables_a_database_lacks_are_not_derivable(database: Database) -> None:
    fill(database.engine)
    arrow = read_registry(database.engine)
    del arrow["conversion_projects"], arrow["funds"]
    source = IbisIndicatorSource(on_duckdb(arrow))
    claims = claims_from_text(CLAIMS, "c.csv")
    verdicts = {v.claim.id: v for v in check_claims(source, claims)}
    assert verdicts["conv"].status is Status.NOT_DERIVABLE
    assert verdicts["conv"].detail == "the database has no conversion_projects table"
    assert verdicts["fund"].detail == "the database has no funds table"


def test_tables_that_hold_no_records_give_no_figures(database: Database) -> None:
    fill(database.engine)  # conversion_projects and funds are there, but empty
    source = IbisIndicatorSource.from_engine(database.engine)
    verdicts = {v.claim.id: v for v in check_claims(source, claims_from_text(CLAIMS, "c.csv"))}
    assert verdicts["conv"].status is Status.NOT_DERIVABLE
    assert verdicts["conv"].detail == "the conversion_projects table holds no records"
    assert verdicts["fund"].detail == "the funds table holds no fund of kind 'tech_innovation'"


def test_a_withdrawn_conversion_project_leaves_the_count(database: Database) -> None:
    fill(database.engine)
    fill_other_areas(database.engine)
    with database.engine.begin() as connection:
        connection.execute(
            insert(conversion_projects),
            [{"credit_code": A, "title": "误登记", "year": 2023, "withdrawn": date(2026, 1, 5)}],
        )
    source = IbisIndicatorSource.from_engine(database.engine)
    [value] = [v for v in values_for(source, [], [(2021, 2025)]) if v.id == "conversion_projects"]
    assert value.value == 2  # 转化二 and 转化三; the withdrawn one is not counted
