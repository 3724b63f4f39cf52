"""Scores where the rules score: each item as the range of points it can still get.

An item is exact when its input decides the points; a range when experts score within a band
(or judge the whole item); a range with outcome "unknown" when an input is missing. A total
passes for certain only when its lowest attainable points pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fourchain.domain.cultivation.model import (
    ItemScore,
    Op,
    Outcome,
    ScoreItem,
    ScoreResult,
    ScoreSpec,
    Step,
)
from fourchain.errors import InvalidInput

FeatureLookup = Callable[[str], "float | None"]


def compare(value: float, op: Op, threshold: float) -> bool:
    if op is Op.GE:
        return value >= threshold
    if op is Op.GT:
        return value > threshold
    if op is Op.LE:
        return value <= threshold
    return value < threshold


def cascade(rungs: tuple[Step, ...], lookup: FeatureLookup) -> tuple[float, float, bool]:
    """(lowest, highest points, an unknown input mattered): the first rung met gives its
    points; an unknown rung above it could still give more."""
    ceiling: float | None = None
    for step in rungs:
        value = lookup(step.feature)
        if value is None:
            if ceiling is None:
                ceiling = step.points_max
            continue
        if compare(value, step.op, step.value):
            high = step.points_max if ceiling is None else max(ceiling, step.points_max)
            return step.points_min, high, ceiling is not None
    return 0.0, ceiling or 0.0, ceiling is not None


def score_item(item: ScoreItem, lookup: FeatureLookup, expert: float | None) -> ItemScore:
    if item.manual:
        low, high, unknown = 0.0, item.max_points, False
    elif item.best_of:
        ranges = [cascade(rungs, lookup) for rungs in item.best_of]
        low = max(r[0] for r in ranges)
        high = max(r[1] for r in ranges)
        unknown = any(r[2] for r in ranges) and high > low
    else:
        low, high, unknown = cascade(item.steps, lookup)
    value = None if item.manual or item.best_of else lookup(item.steps[0].feature)
    if expert is not None:
        if not low <= expert <= high:
            raise InvalidInput(
                f"expert score for {item.id} is {expert:g}; its attainable range is "
                f"{low:g}–{high:g}"
            )
        return ItemScore(item, expert, expert, Outcome.MET, value)
    if unknown:
        outcome = Outcome.UNKNOWN
    elif low < high:
        outcome = Outcome.MANUAL
    else:
        outcome = Outcome.MET
    return ItemScore(item, low, high, outcome, value)


def score(
    spec: ScoreSpec, lookup: FeatureLookup, expert_scores: Mapping[str, float] | None = None
) -> ScoreResult:
    experts = dict(expert_scores or {})
    unknown_ids = set(experts) - {item.id for item in spec.items}
    if unknown_ids:
        known = ", ".join(item.id for item in spec.items)
        raise InvalidInput(
            f"expert scores name unknown items {sorted(unknown_ids)}; known: {known}"
        )
    items = tuple(score_item(item, lookup, experts.get(item.id)) for item in spec.items)
    return total(spec, items)


def total(spec: ScoreSpec, items: tuple[ItemScore, ...]) -> ScoreResult:
    """Group sums (each capped) and the total, as ranges."""
    groups: dict[str, tuple[float, float]] = {}
    for group in spec.groups:
        mine = [s for s in items if s.item.group == group.key]
        groups[group.key] = (
            min(group.cap, sum(s.points_min for s in mine)),
            min(group.cap, sum(s.points_max for s in mine)),
        )
    return ScoreResult(
        points_min=sum(g[0] for g in groups.values()),
        points_max=sum(g[1] for g in groups.values()),
        out_of=spec.out_of,
        groups=groups,
        items=items,
    )
