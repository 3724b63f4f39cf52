"""The derived inputs: the HNTE growth formula with its zero and short-history rules, ratios
over the operating period, growth rates, counts over years, certificates held, unknowns."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.cultivation.catalogue import FEATURES
from fourchain.domain.cultivation.features import compute, hnte_growth
from fourchain.domain.registry import Tier
from tests.unit.domain.cultivation.builders import make_profile

HNTE_GROWTH = [
    # (operating years' values, oldest first) -> percent
    ([100.0, 121.0, 146.41], 21.0),  # ½(1.21 + 1.21) − 1
    ([100.0, 150.0, 150.0], 25.0),  # ½(1.5 + 1.0) − 1
    ([0.0, 100.0, 130.0], 30.0),  # y1 = 0: on the last two years
    ([100.0, 0.0, 130.0], 0.0),  # y2 = 0: the indicator scores 0
    ([100.0, 130.0], 30.0),  # two years of operation: actual years
    ([0.0, 130.0], 0.0),  # two years, y2 = 0
    ([130.0], 0.0),  # one year: no growth to compute
    ([], 0.0),
    ([200.0, 150.0, 100.0], -29.1667),  # ½(0.75 + 0.667) − 1: shrinking (scores 0)
]


@pytest.mark.parametrize(("values", "expected"), HNTE_GROWTH)
def test_the_hnte_growth_rate_follows_the_guideline_formula_and_its_zero_rules(
    values: list[float], expected: float
) -> None:
    assert hnte_growth(values) == pytest.approx(expected, abs=1e-4)


def _value(key: str, profile_years: dict[int, dict[str, object]], **kw: object) -> float | None:
    return compute(FEATURES[key], make_profile(profile_years, **kw), 2025)  # type: ignore[arg-type]


def test_sales_growth_uses_only_the_years_since_founding() -> None:
    years = {2023: {"revenue": 999.0}, 2024: {"revenue": 100.0}, 2025: {"revenue": 150.0}}
    assert _value("sales_growth", years, founded=date(2024, 3, 1)) == pytest.approx(50.0)
    assert _value("sales_growth", years, founded=date(2020, 3, 1)) == pytest.approx(
        100 * (0.5 * (100 / 999 + 1.5) - 1)
    )


def test_net_asset_growth_is_computed_on_assets_minus_liabilities() -> None:
    years = {
        2023: {"total_assets": 300.0, "total_liabilities": 200.0},
        2024: {"total_assets": 320.0, "total_liabilities": 200.0},
        2025: {"total_assets": 344.0, "total_liabilities": 200.0},
    }
    assert _value("net_asset_growth", years) == pytest.approx(100 * (0.5 * (1.2 + 1.2) - 1))


def test_a_growth_rate_with_a_missing_year_inside_the_operating_period_is_unknown() -> None:
    years = {2023: {"revenue": 100.0}, 2025: {"revenue": 150.0}}
    assert _value("sales_growth", years) is None


RD_RATIO_3Y = [
    # founded, years present -> percent (None: unknown)
    (date(2010, 1, 1), (2023, 2024, 2025), 100 * 6.0 / 150.0),
    (date(2024, 6, 1), (2024, 2025), 100 * 4.0 / 100.0),  # actual operating period
    (date(2010, 1, 1), (2024, 2025), None),  # a year of the period has no figures
    (None, (2023, 2024, 2025), 100 * 6.0 / 150.0),  # founding unknown: all three needed
    (None, (2024, 2025), None),
    (date(2026, 1, 1), (), None),  # not yet founded: no period at all
]


@pytest.mark.parametrize(("founded", "present", "expected"), RD_RATIO_3Y)
def test_the_three_year_rd_ratio_sums_over_the_operating_period(
    founded: date | None, present: tuple[int, ...], expected: float | None
) -> None:
    figures = {2023: (2.0, 50.0), 2024: (1.0, 50.0), 2025: (3.0, 50.0)}
    years = {y: {"rd_expense": figures[y][0], "revenue": figures[y][1]} for y in present}
    found = _value("rd_ratio_3y", years, founded=founded)
    assert found == (None if expected is None else pytest.approx(expected))


def test_a_ratio_over_zero_revenue_is_unknown_not_infinite() -> None:
    assert _value("rd_ratio_1y", {2025: {"rd_expense": 5.0, "revenue": 0.0}}) is None


GROWTHS = [
    ("main_growth_1y", (None, 100.0, 110.0), 10.0),
    ("main_growth_1y", (None, 0.0, 110.0), None),  # zero base: no rate
    ("main_growth_2y", (100.0, 110.0, 121.0), 10.0),
    ("main_growth_2y", (100.0, 0.0, 121.0), None),
    ("main_growth_2y", (None, 110.0, 121.0), None),
]


@pytest.mark.parametrize(("key", "series", "expected"), GROWTHS)
def test_main_business_growth_rates_need_positive_base_years(
    key: str, series: tuple[float | None, ...], expected: float | None
) -> None:
    years = {2023 + i: {"main_business_revenue": v} for i, v in enumerate(series) if v is not None}
    found = _value(key, years)
    assert found == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("series", "expected"), [((100.0, 0.0, 121.0), 10.0), ((0.0, 5.0, 121.0), None)]
)
def test_the_revenue_cagr_runs_from_two_years_back(
    series: tuple[float, ...], expected: float | None
) -> None:
    years = {2023 + i: {"revenue": v} for i, v in enumerate(series)}
    found = _value("revenue_cagr_2y", years)
    assert found == (None if expected is None else pytest.approx(expected))


def test_each_of_the_last_two_years_means_the_lower_year_counts() -> None:
    years = {
        2024: {"rd_expense": 2.0, "revenue": 100.0},
        2025: {"rd_expense": 9.0, "revenue": 100.0},
    }
    assert _value("rd_ratio_min_2y", years) == pytest.approx(2.0)
    assert _value("rd_min_2y", years) == pytest.approx(2.0)


ANY_FLAGS = [
    ({2024: False, 2025: False}, 0.0),
    ({2024: True, 2025: False}, 1.0),
    ({2024: None, 2025: False}, None),  # could have happened: unknown
    ({2024: None, 2025: True}, 1.0),  # known to have happened
]


@pytest.mark.parametrize(("flags", "expected"), ANY_FLAGS)
def test_an_incident_in_any_year_of_the_window_counts_and_a_gap_is_unknown(
    flags: dict[int, bool | None], expected: float | None
) -> None:
    years = {y: {"major_incident": v} for y, v in flags.items()}
    assert _value("incident_2y", years) == expected


def test_years_registered_count_whole_years_to_the_end_of_the_assessment_year() -> None:
    assert _value("registered_years", {}, founded=date(2024, 12, 31)) == 1.0
    assert _value("registered_years", {}, founded=date(2025, 1, 1)) == 0.0
    assert _value("registered_years", {}, founded=None) is None


@pytest.mark.parametrize(
    ("issued", "expires", "held"),
    [
        (date(2023, 1, 1), date(2025, 12, 31), 1.0),  # the last day still counts
        (date(2022, 1, 1), date(2025, 12, 30), 0.0),
        (date(2026, 1, 1), date(2028, 12, 31), 0.0),
    ],
)
def test_a_certificate_counts_when_valid_on_31_december(
    issued: date, expires: date, held: float
) -> None:
    profile = make_profile({}, certificates=[(Tier.HNTE, issued, expires)])
    assert compute(FEATURES["hnte_held"], profile, 2025) == held


def test_categorical_attributes_are_coded_as_ordered_levels() -> None:
    assert _value("rd_level", {}, rd_institution_level="provincial") == 2.0
    assert _value("chain_role", {}, key_chain_role="fills_gap") == 2.0
    assert _value("strategic_emerging", {}, strategic_emerging=True) == 1.0
    assert _value("rd_level", {}) is None
