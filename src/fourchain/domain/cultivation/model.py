"""The vocabulary of the qualification rules: features, tests, criteria, scores, rule sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from fourchain.domain.registry import Tier


class Outcome(StrEnum):
    """One criterion's pre-screen result."""

    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"  # an input it needs is missing
    MANUAL = "manual_review"  # needs an expert's judgement


class Verdict(StrEnum):
    """A tier's overall pre-screen; never "qualified"."""

    LIKELY = "likely"
    NEAR = "near"
    NOT_YET = "not_yet"
    UNKNOWN = "unknown"


class Status(StrEnum):
    """How well a criterion is sourced (the marks of criteria.md)."""

    SRC = "src"
    SECONDARY = "2nd"
    UNCONFIRMED = "UNCONFIRMED"


class Op(StrEnum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"


class Unit(StrEnum):
    PERCENT = "percent"
    YUAN = "yuan"
    COUNT = "count"
    YEARS = "years"
    LEVEL = "level"
    FLAG = "flag"  # 1 = yes, 0 = no


class Calc(StrEnum):
    """How a feature is derived from the panel (see features.py for the exact rules)."""

    LAST = "last"  # the value in the assessment year
    TOTAL = "total"  # the sum of several fields in the assessment year
    SUM = "sum"  # the sum over the last n years (operating period only)
    AVG = "avg"  # the mean over the last n years (operating period only)
    MIN = "min"  # the smallest value over each of the last n years
    RATIO = "ratio"  # 100 × Σnum / Σden over the last n years
    MIN_RATIO = "min_ratio"  # the smallest yearly 100 × num / den over the last n years
    GROWTH = "growth"  # 100 × (y0 / y1 − 1)
    AVG_GROWTH = "avg_growth"  # 100 × mean of the last two yearly growth rates
    CAGR = "cagr"  # 100 × ((y0 / y2) ** ½ − 1)
    HNTE_GROWTH = "hnte_growth"  # 100 × (½ (y2/y1 + y3/y2) − 1) with the 指引's zero rules
    ANY = "any"  # 1 if any of the last n years is positive / true, else 0
    YEARS_SINCE = "years_since"  # the assessment year minus an enterprise's year attribute
    ATTRIBUTE = "attribute"  # an enterprise attribute, coded as a number
    HELD = "held"  # 1 if a certificate of the tier is valid at the year's end


@dataclass(frozen=True)
class Feature:
    """A derived input a criterion tests, e.g. the three-year R&D ratio."""

    key: str
    label_zh: str
    label_en: str
    unit: Unit
    calc: Calc
    fields: tuple[str, ...]
    years: int = 1
    # For ratios: what the numerator is called, so a gap can be said in yuan of it.
    amount_zh: str = ""
    amount_en: str = ""
    amount_unit: Unit = Unit.YUAN


@dataclass(frozen=True)
class Threshold:
    feature: str
    op: Op
    value: float


@dataclass(frozen=True)
class Band:
    """A band of the selector (e.g. last-year revenue) with the test that applies in it."""

    label_zh: str
    label_en: str
    low: float | None
    high: float | None
    low_inclusive: bool
    high_inclusive: bool
    test: Test

    def contains(self, x: float) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inclusive)):
            return False
        return not (
            self.high is not None
            and (x > self.high or (x == self.high and not self.high_inclusive))
        )


@dataclass(frozen=True)
class Banded:
    selector: str
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Criterion, ...]


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Criterion, ...]


@dataclass(frozen=True)
class Manual:
    """A criterion only an expert can judge; `hint` says what to look at."""

    hint_zh: str
    hint_en: str


@dataclass(frozen=True)
class ScorePass:
    """The rule set's score reaches its pass mark (and every group floor)."""

    op: Op
    value: float
    floors: tuple[tuple[str, float], ...] = ()


Test = Threshold | Banded | AnyOf | AllOf | Manual | ScorePass


@dataclass(frozen=True)
class Basis:
    document: str
    article: str

    def __str__(self) -> str:
        return f"{self.document} {self.article}".strip()


@dataclass(frozen=True)
class Criterion:
    id: str
    label_zh: str
    label_en: str
    test: Test
    basis: Basis
    evidence: str
    status: Status = Status.SECONDARY


@dataclass(frozen=True)
class Step:
    """One rung of a scoring cascade: the first condition met gives its points."""

    feature: str
    op: Op
    value: float
    points_min: float
    points_max: float


@dataclass(frozen=True)
class ScoreItem:
    """A scored indicator: a cascade of steps (else 0), an expert-judged item (`manual`,
    0..max), or the best of several cascades (`best_of`)."""

    id: str
    group: str
    label_zh: str
    label_en: str
    max_points: float
    steps: tuple[Step, ...] = ()
    best_of: tuple[tuple[Step, ...], ...] = ()
    manual: bool = False
    status: Status = Status.SECONDARY


@dataclass(frozen=True)
class ScoreGroup:
    key: str
    label_zh: str
    label_en: str
    cap: float


@dataclass(frozen=True)
class ScoreSpec:
    groups: tuple[ScoreGroup, ...]
    items: tuple[ScoreItem, ...]
    out_of: float = 100.0

    def item(self, item_id: str) -> ScoreItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True)
class RuleSet:
    """One tier's criteria under one version of the rules, with the dates it is in force."""

    key: str
    tier: Tier
    version: str
    title: str
    effective_from: date
    effective_to: date | None
    criteria: tuple[Criterion, ...]
    score: ScoreSpec | None = None
    note: str = ""

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class Gap:
    """How far a criterion is from being met, in the enterprise's own terms."""

    amount: float
    unit: Unit
    relative: float  # the shortfall as a share of the threshold (near: ≤ the tolerance)
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class Reason:
    """Why a criterion reads as it does, for people: a key and its values (a (zh, en) pair is
    a name the reader's language picks); the pages render it in the reader's language."""

    key: str  # "missing_input" | "attainable" | "manual" | "band"
    values: tuple[tuple[str, float | tuple[str, str]], ...] = ()


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    outcome: Outcome
    value: float | None
    threshold: float | None
    gap: Gap | None
    parent: str | None = None
    note: str = ""
    reason: Reason | None = None


@dataclass(frozen=True)
class ItemScore:
    item: ScoreItem
    points_min: float
    points_max: float
    outcome: Outcome
    value: float | None


@dataclass(frozen=True)
class ScoreResult:
    points_min: float
    points_max: float
    out_of: float
    groups: dict[str, tuple[float, float]]
    items: tuple[ItemScore, ...]


@dataclass(frozen=True)
class TierAssessment:
    """The pre-screen of one enterprise against one rule set."""

    credit_code: str
    year: int
    rule_set: RuleSet
    verdict: Verdict
    results: tuple[CriterionResult, ...]  # top-level criteria first, each followed by its parts
    score: ScoreResult | None = None
    gap_total: float = 0.0  # the sum of relative gaps of unmet criteria: the pool's ranking key
    flags: tuple[str, ...] = field(default_factory=tuple)
