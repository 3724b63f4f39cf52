"""Short constructors that keep the rule-set data readable."""

from __future__ import annotations

from fourchain.domain.cultivation.model import (
    AllOf,
    AnyOf,
    Band,
    Basis,
    Criterion,
    Manual,
    Op,
    ScoreItem,
    Status,
    Step,
    Test,
    Threshold,
)

GE, GT, LE, LT = Op.GE, Op.GT, Op.LE, Op.LT
SRC, SEC, UNC = Status.SRC, Status.SECONDARY, Status.UNCONFIRMED


def t(feature: str, op: Op, value: float) -> Threshold:
    return Threshold(feature, op, value)


def crit(
    id_: str,
    zh: str,
    en: str,
    test: Test,
    basis: Basis,
    evidence: str,
    status: Status = SEC,
) -> Criterion:
    return Criterion(id_, zh, en, test, basis, evidence, status)


def any_of(*parts: Criterion) -> AnyOf:
    return AnyOf(parts)


def all_of(*parts: Criterion) -> AllOf:
    return AllOf(parts)


def manual(zh: str, en: str) -> Manual:
    return Manual(zh, en)


def band(
    zh: str,
    en: str,
    low: float | None,
    high: float | None,
    test: Test,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = False,
) -> Band:
    return Band(zh, en, low, high, low_inclusive, high_inclusive, test)


def steps(
    feature: str, op: Op, *rungs: tuple[float, float] | tuple[float, float, float]
) -> tuple[Step, ...]:
    """A band table on one feature, best rung first: (threshold, points) or
    (threshold, points_min, points_max) for rungs that experts score within a range."""
    out = []
    for rung in rungs:
        low_pts = rung[1]
        high_pts = rung[2] if len(rung) == 3 else rung[1]
        out.append(Step(feature, op, rung[0], low_pts, high_pts))
    return tuple(out)


def item(
    id_: str,
    group: str,
    zh: str,
    en: str,
    max_points: float,
    cascade: tuple[Step, ...] = (),
    *,
    best_of: tuple[tuple[Step, ...], ...] = (),
    status: Status = SEC,
) -> ScoreItem:
    return ScoreItem(id_, group, zh, en, max_points, cascade, best_of, False, status)


def manual_item(id_: str, group: str, zh: str, en: str, max_points: float) -> ScoreItem:
    return ScoreItem(id_, group, zh, en, max_points, manual=True)
