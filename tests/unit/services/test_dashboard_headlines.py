"""The dashboard's change from the year before and its choice of plan target per figure."""

from __future__ import annotations

import pytest

from fourchain.domain.foresight.outlook import Direction, PlanTarget
from fourchain.services.registry_views import headline_targets, year_on_year


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [(110, 100, 10.0), (90, 100, -10.0), (5, 5, 0.0), (3, 0, None), (3, None, None)],
)
def test_the_change_is_in_percent_of_the_year_before(
    now: int, before: int | None, expected: float | None
) -> None:
    assert year_on_year(now, before) == (None if expected is None else pytest.approx(expected))


def _target(indicator: str, year: int) -> PlanTarget:
    return PlanTarget(indicator, year, year * 2.0, Direction.AT_LEAST, "plan", "source")


def test_the_target_shown_is_the_next_one_due_else_the_last_one_set() -> None:
    targets = [_target("hnte_count", y) for y in (2030, 2027, 2020)] + [
        _target("little_giants", 2022),
        _target("rd_intensity", 2027),  # no headline figure of its own
    ]
    found = headline_targets(targets, 2025)
    assert found["hnte"].year == 2027 and found["little_giant"].year == 2022
    assert set(found) == {"hnte", "little_giant"}
    assert headline_targets([], 2025) == {}
