"""The outlook use case: each yearly indicator projected to the plan's end with an interval,
a one-year backtest, and the chance of reaching each of the bureau's plan targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from fourchain.domain.foresight.outlook import (
    Backtest,
    Direction,
    Outlook,
    PlanTarget,
    Projected,
    TargetChance,
    projectable,
)
from fourchain.domain.indicators.catalogue import CATALOGUE
from fourchain.errors import InvalidInput
from fourchain.services.indicators import check_year, trends
from fourchain.services.ports import IndicatorSource

MIN_POINTS = 4  # fewer yearly values than this give no projection (and no backtest)


class FittedSeries(Protocol):
    @property
    def method(self) -> str: ...

    def at(self, h: int, level: float) -> tuple[float, float, float]: ...

    def chance_at_least(self, h: int, value: float) -> float: ...


Fit = Callable[[list[float]], FittedSeries]


class TargetStore(Protocol):
    def targets(self) -> list[PlanTarget]: ...

    def save(self, targets: list[PlanTarget]) -> tuple[int, int]: ...


def _run(history: dict[int, float]) -> dict[int, float]:
    """The trailing run of consecutive years (a model needs an unbroken series)."""
    years = sorted(history)
    start = len(years) - 1
    while start > 0 and years[start - 1] == years[start] - 1:
        start -= 1
    return {y: history[y] for y in years[start:]}


def _chance(fitted: FittedSeries, h: int, target: PlanTarget) -> float:
    p = fitted.chance_at_least(h, target.value)
    return p if target.direction is Direction.AT_LEAST else 1.0 - p


def project(
    indicator: str,
    history: dict[int, float],
    fit: Fit,
    base: int,
    to: int,
    targets: list[PlanTarget],
    level: float,
) -> Outlook:
    """One indicator's outlook from its observed values up to `base`."""
    unit = CATALOGUE[indicator].unit
    series = _run({y: v for y, v in history.items() if y <= base})
    mine = [t for t in targets if t.indicator == indicator]
    out = Outlook(indicator, unit, "", level, series)
    if len(series) < MIN_POINTS or base not in series:
        out.note = f"fewer than {MIN_POINTS} consecutive yearly values up to {base}"
        out.targets = [
            TargetChance(t, float(t.reached_by(series[t.year])), None)
            for t in mine
            if t.year in series
        ]
        return out
    fitted = fit(list(series.values()))
    out.method = fitted.method
    for year in range(base + 1, to + 1):
        out.projection.append(Projected(year, *fitted.at(year - base, level)))
    earlier = fit([v for y, v in series.items() if y < base])
    predicted, low, high = earlier.at(1, level)
    out.backtest = Backtest(base, predicted, series[base], low, high)
    for t in mine:
        if t.year <= base:
            observed = series.get(t.year)
            if observed is not None:
                out.targets.append(TargetChance(t, float(t.reached_by(observed)), None))
        else:
            h = t.year - base
            out.targets.append(TargetChance(t, _chance(fitted, h, t), fitted.at(h, level)[0]))
    return out


def outlook(
    source: IndicatorSource,
    targets: list[PlanTarget],
    fit: Fit,
    *,
    base: int,
    to: int,
    since: int = 2020,
    indicator: str | None = None,
    level: float = 0.8,
) -> list[Outlook]:
    """Every yearly catalogue indicator (or one) projected from `since`..`base` to `to`."""
    check_year(base)
    check_year(to)
    if to <= base:
        raise InvalidInput(f"--to {to} must be after the last observed year {base}")
    if since > base - MIN_POINTS + 1:
        raise InvalidInput(f"--since {since}: at least {MIN_POINTS} years up to {base} are needed")
    if not 0 < level < 1:
        raise InvalidInput(f"--level must be between 0 and 1; got {level}")
    ids = projectable()
    if indicator is not None:
        if indicator not in ids:
            raise InvalidInput(
                f"--indicator {indicator!r}: not a yearly catalogue indicator; one of "
                + ", ".join(ids)
            )
        ids = [indicator]
    series = trends(source, since, base)
    missing = source.missing()
    out = []
    for id_ in ids:
        history = {y: v for y, v in series.get(id_, {}).items() if v is not None}
        found = project(id_, history, fit, base, to, targets, level)
        if id_ in missing and not history:
            found.note = missing[id_]
        out.append(found)
    return out
