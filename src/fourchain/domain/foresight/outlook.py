"""The outlook to the plan's end: the bureau's targets as records with their source, and a
projection of each yearly indicator with its interval, backtest and chance of each target."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from fourchain.domain.indicators.catalogue import CATALOGUE, Level, SpanRule
from fourchain.domain.records import FieldSpec, FieldType, RecordKind


class Direction(StrEnum):
    AT_LEAST = "at_least"  # the target is reached when the value is ≥ it
    AT_MOST = "at_most"


def projectable() -> list[str]:
    """Catalogue indicators with a yearly series (not span totals, not the per-chain index)."""
    return [
        i.id
        for i in CATALOGUE.values()
        if i.span_rule is not SpanRule.SPAN and i.levels != (Level.CHAIN,)
    ]


PLAN_TARGETS = RecordKind(
    "plan_targets",
    "规划目标",
    (
        FieldSpec(
            "indicator", "指标", FieldType.CHOICE, required=True, choices=tuple(projectable())
        ),
        FieldSpec("year", "目标年度", FieldType.INT, required=True, minimum=2000, maximum=2100),
        FieldSpec("value", "目标值", FieldType.NUMBER, required=True),
        FieldSpec(
            "direction",
            "方向",
            FieldType.CHOICE,
            required=True,
            choices=tuple(d.value for d in Direction),
        ),
        FieldSpec("plan", "规划", FieldType.TEXT, required=True, max_length=100),
        FieldSpec("source", "来源（文件及条款）", FieldType.TEXT, required=True, max_length=300),
        FieldSpec("note", "备注", FieldType.TEXT, max_length=500),
    ),
    ("indicator", "year"),
)


@dataclass(frozen=True)
class PlanTarget:
    indicator: str
    year: int
    value: float
    direction: Direction
    plan: str
    source: str
    note: str | None = None

    def reached_by(self, value: float) -> bool:
        if self.direction is Direction.AT_LEAST:
            return value >= self.value
        return value <= self.value

    def as_json(self) -> dict[str, object]:
        return {
            "indicator": self.indicator,
            "year": self.year,
            "value": self.value,
            "direction": self.direction.value,
            "plan": self.plan,
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True)
class Projected:
    """One projected year: the point (the predictive median) inside its interval."""

    year: int
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Backtest:
    """The model fitted up to the year before `year`, against what `year` turned out to be."""

    year: int
    predicted: float
    actual: float
    low: float
    high: float

    @property
    def error(self) -> float:
        return self.predicted - self.actual

    @property
    def percent_error(self) -> float | None:
        return None if self.actual == 0 else 100 * self.error / abs(self.actual)

    @property
    def covered(self) -> bool:
        return self.low <= self.actual <= self.high


@dataclass(frozen=True)
class TargetChance:
    target: PlanTarget
    probability: float
    projected: float | None  # the projection in the target's year (None: already observed)


@dataclass
class Outlook:
    indicator: str
    unit: str
    method: str
    level: float
    history: dict[int, float]
    projection: list[Projected] = field(default_factory=list)
    backtest: Backtest | None = None
    targets: list[TargetChance] = field(default_factory=list)
    note: str | None = None  # why there is no projection

    def as_json(self) -> dict[str, object]:
        b = self.backtest
        return {
            "indicator": self.indicator,
            "unit": self.unit,
            "method": self.method,
            "level": self.level,
            "history": [{"year": y, "value": v} for y, v in sorted(self.history.items())],
            "projection": [
                {"year": p.year, "value": p.value, "low": p.low, "high": p.high}
                for p in self.projection
            ],
            "backtest": None
            if b is None
            else {
                "year": b.year,
                "predicted": b.predicted,
                "actual": b.actual,
                "low": b.low,
                "high": b.high,
                "error": b.error,
                "percent_error": b.percent_error,
                "covered": b.covered,
            },
            "targets": [
                {**t.target.as_json(), "probability": t.probability, "projected": t.projected}
                for t in self.targets
            ],
            "note": self.note,
        }
