"""The outlook's projections: every interval holds its point, the backtest is the model fitted
without the last year against that year, and a target's chance falls as the target rises."""

from __future__ import annotations

import pytest

from fourchain.adapters.analytics.forecast import DriftForecaster
from fourchain.domain.foresight.outlook import Direction, PlanTarget
from fourchain.services.outlook import project

SERIES = {
    "steady counts": ("hnte_count", [2080, 2620, 3150, 3680, 4200, 4735]),
    "compounding output": ("new_energy_output", [26e9, 34e9, 42e9, 56e9, 75.5e9, 103.5e9]),
    "a noisy share": ("little_giants_province_share", [38.9, 40.0, 39.3, 40.3, 40.9, 42.0]),
    "a falling ratio": ("rd_intensity_gap_national", [0.9, 0.8, 0.82, 0.7, 0.66, 0.6]),
    "a flat line": ("single_champions", [8, 10, 12, 14, 16, 18]),
}


def _history(values: list[float]) -> dict[int, float]:
    return {2020 + i: float(v) for i, v in enumerate(values)}


@pytest.mark.parametrize("name", SERIES)
@pytest.mark.parametrize("level", [0.5, 0.8, 0.95])
def test_every_interval_contains_its_point_and_widens_with_the_horizon(
    name: str, level: float
) -> None:
    indicator, values = SERIES[name]
    found = project(indicator, _history(values), DriftForecaster, 2025, 2030, [], level)
    assert [p.year for p in found.projection] == list(range(2026, 2031))
    widths = []
    for p in found.projection:
        assert p.low <= p.value <= p.high, p
        widths.append(p.high - p.low)
    assert widths == sorted(widths)
    assert found.backtest is not None and found.backtest.low <= found.backtest.predicted
    assert found.backtest.predicted <= found.backtest.high


@pytest.mark.parametrize("name", SERIES)
def test_the_backtest_fits_the_years_before_the_last_and_reports_its_error(name: str) -> None:
    indicator, values = SERIES[name]
    found = project(indicator, _history(values), DriftForecaster, 2025, 2030, [], 0.8)
    b = found.backtest
    assert b is not None and b.year == 2025 and b.actual == values[-1]
    alone = DriftForecaster([float(v) for v in values[:-1]]).at(1, 0.8)[0]
    assert b.predicted == pytest.approx(alone)
    assert b.error == pytest.approx(b.predicted - b.actual)


def _target(value: float, direction: Direction = Direction.AT_LEAST) -> PlanTarget:
    return PlanTarget("hnte_count", 2030, value, direction, "plan", "source")


def test_a_targets_chance_falls_as_the_target_rises_and_the_two_directions_add_to_one() -> None:
    _, values = SERIES["a noisy share"]
    history = _history([v * 100 for v in values])
    goals = [3800, 4000, 4200, 4400, 4600]
    targets = [_target(v) for v in goals] + [_target(4200, Direction.AT_MOST)]
    found = project("hnte_count", history, DriftForecaster, 2025, 2030, targets, 0.8)
    chances = [t.probability for t in found.targets[:5]]
    assert chances == sorted(chances, reverse=True) and chances[0] > 0.5 > chances[-1]
    assert found.targets[2].probability + found.targets[5].probability == pytest.approx(1.0)
    assert found.targets[0].projected == pytest.approx(found.projection[-1].value)


def test_a_target_in_an_observed_year_is_reached_or_not() -> None:
    _, values = SERIES["steady counts"]
    targets = [
        PlanTarget("hnte_count", 2024, 4000, Direction.AT_LEAST, "p", "s"),
        PlanTarget("hnte_count", 2025, 5000, Direction.AT_LEAST, "p", "s"),
    ]
    found = project("hnte_count", _history(values), DriftForecaster, 2025, 2030, targets, 0.8)
    assert [(t.probability, t.projected) for t in found.targets] == [(1.0, None), (0.0, None)]


def test_a_short_series_gets_no_projection_and_says_why() -> None:
    found = project("hnte_count", {2024: 1.0, 2025: 2.0}, DriftForecaster, 2025, 2030, [], 0.8)
    assert found.projection == [] and found.backtest is None and found.note
