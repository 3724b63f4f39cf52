"""The whole registry against a rule set in one pass: the domain's rule-set data interpreted
column-wise, with every criterion's outcome kept so any row can be explained.

What is kept per criterion is small (an int8 outcome, and for composites which part decided);
values and thresholds are the feature columns themselves, and gaps are worked out again from
them when a row is explained — with the same functions the per-enterprise evaluator uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from fourchain.adapters.analytics.cultivation_panel import ColumnFeatures, Floats, Panel
from fourchain.domain.cultivation.catalogue import FEATURES
from fourchain.domain.cultivation.evaluate import DEFAULT_TOLERANCE
from fourchain.domain.cultivation.model import (
    AnyOf,
    Banded,
    Criterion,
    Manual,
    Op,
    Outcome,
    RuleSet,
    ScorePass,
    Step,
    Test,
    Threshold,
    Verdict,
)

MET, UNMET, UNKNOWN, MANUAL = 0, 1, 2, 3
OUTCOMES = (Outcome.MET, Outcome.UNMET, Outcome.UNKNOWN, Outcome.MANUAL)
VERDICTS = (Verdict.LIKELY, Verdict.NEAR, Verdict.NOT_YET, Verdict.UNKNOWN)
Codes = npt.NDArray[np.int8]
Bools = npt.NDArray[np.bool_]


def _compare(values: Floats, op: Op, threshold: float | Floats) -> Bools:
    with np.errstate(invalid="ignore"):
        if op is Op.GE:
            return values >= threshold
        if op is Op.GT:
            return values > threshold
        if op is Op.LE:
            return values <= threshold
        return values < threshold


def _relative(values: Floats, op: Op, threshold: float) -> Floats:
    """domain.cultivation.gaps.relative_gap on a column."""
    short = threshold - values if op in (Op.GE, Op.GT) else values - threshold
    short = np.maximum(short, 0.0)
    if threshold == 0:
        return np.where((short > 0) | (op in (Op.GT, Op.LT)), 1.0, 0.0)
    return short / abs(threshold)


@dataclass
class ItemColumns:
    low: npt.NDArray[np.float32]
    high: npt.NDArray[np.float32]
    outcome: Codes


@dataclass
class CriterionColumns:
    outcome: Codes
    band: npt.NDArray[np.int8] | None = None  # banded criteria: the band each row fell in


@dataclass
class BatchResult:
    rule_set: RuleSet
    panel: Panel
    features: ColumnFeatures
    verdict: Codes
    gap_total: Floats
    criteria: dict[str, CriterionColumns] = field(default_factory=dict)
    items: dict[str, ItemColumns] = field(default_factory=dict)
    score_low: Floats | None = None
    score_high: Floats | None = None

    def counts(self) -> dict[str, int]:
        found = np.bincount(self.verdict, minlength=len(VERDICTS))
        return {v.value: int(found[i]) for i, v in enumerate(VERDICTS)}


class _Evaluator:
    def __init__(self, rule_set: RuleSet, features: ColumnFeatures, tolerance: float) -> None:
        self.rule_set = rule_set
        self.features = features
        self.n = features.panel.n
        self.tolerance = tolerance
        self.result = BatchResult(
            rule_set,
            features.panel,
            features,
            np.zeros(self.n, dtype=np.int8),
            np.zeros(self.n),
        )

    def feature(self, key: str) -> Floats:
        return self.features.get(FEATURES[key])

    # -- scores ---------------------------------------------------------------------------
    def cascade(self, rungs: tuple[Step, ...]) -> tuple[Floats, Floats, Bools]:
        low, high = np.zeros(self.n), np.zeros(self.n)
        ceiling = np.full(self.n, np.nan)
        done = np.zeros(self.n, dtype=bool)
        mattered = np.zeros(self.n, dtype=bool)
        for step in rungs:
            values = self.feature(step.feature)
            missing = np.isnan(values) & ~done
            ceiling = np.where(missing & np.isnan(ceiling), step.points_max, ceiling)
            hit = ~done & ~np.isnan(values) & _compare(values, step.op, step.value)
            top = np.where(np.isnan(ceiling), step.points_max, np.fmax(ceiling, step.points_max))
            low = np.where(hit, step.points_min, low)
            high = np.where(hit, top, high)
            mattered = np.where(hit, ~np.isnan(ceiling), mattered)
            done |= hit
        high = np.where(done, high, np.nan_to_num(ceiling, nan=0.0))
        mattered = np.where(done, mattered, ~np.isnan(ceiling))
        return low, high, mattered

    def score(self) -> None:
        spec = self.rule_set.score
        if spec is None:
            return
        for item in spec.items:
            if item.manual:
                low, high = np.zeros(self.n), np.full(self.n, item.max_points)
                unknown = np.zeros(self.n, dtype=bool)
            elif item.best_of:
                ranges = [self.cascade(rungs) for rungs in item.best_of]
                low = np.max([r[0] for r in ranges], axis=0)
                high = np.max([r[1] for r in ranges], axis=0)
                unknown = np.any([r[2] for r in ranges], axis=0) & (high > low)
            else:
                low, high, unknown = self.cascade(item.steps)
            outcome = np.where(unknown, UNKNOWN, np.where(low < high, MANUAL, MET))
            self.result.items[item.id] = ItemColumns(
                low.astype(np.float32), high.astype(np.float32), outcome.astype(np.int8)
            )
        self.groups: dict[str, tuple[Floats, Floats]] = {}
        for group in spec.groups:
            mine = [self.result.items[i.id] for i in spec.items if i.group == group.key]
            low = np.minimum(group.cap, np.sum([m.low for m in mine], axis=0, dtype=np.float64))
            high = np.minimum(group.cap, np.sum([m.high for m in mine], axis=0, dtype=np.float64))
            self.groups[group.key] = (low, high)
        self.result.score_low = np.sum([g[0] for g in self.groups.values()], axis=0)
        self.result.score_high = np.sum([g[1] for g in self.groups.values()], axis=0)
        self.any_item_unknown = np.any(
            [c.outcome == UNKNOWN for c in self.result.items.values()], axis=0
        )

    # -- criteria -------------------------------------------------------------------------
    def threshold(self, test: Threshold) -> tuple[Codes, Floats]:
        values = self.feature(test.feature)
        met = _compare(values, test.op, test.value)
        outcome = np.where(np.isnan(values), UNKNOWN, np.where(met, MET, UNMET)).astype(np.int8)
        relative = np.where(outcome == UNMET, _relative(values, test.op, test.value), np.nan)
        return outcome, relative

    def score_pass(self, test: ScorePass) -> tuple[Codes, Floats]:
        assert self.result.score_low is not None and self.result.score_high is not None
        low, high = self.result.score_low, self.result.score_high
        floors_low = np.ones(self.n, dtype=bool)
        short = np.zeros(self.n)
        for group, floor in test.floors:
            floors_low &= self.groups[group][0] >= floor
            short = short + np.maximum(0.0, floor - self.groups[group][1])
        needed = test.value + (1 if test.op is Op.GT else 0) - high
        met = _compare(low, test.op, test.value) & floors_low
        unmet = ~met & ((needed > 0) | (short > 0))
        points = np.maximum(needed, 0.0) + short
        outcome = np.where(
            met, MET, np.where(unmet, UNMET, np.where(self.any_item_unknown, UNKNOWN, MANUAL))
        ).astype(np.int8)
        return outcome, np.where(unmet, points / test.value, np.nan)

    def test(self, test: Test, full_id: str) -> tuple[Codes, Floats, npt.NDArray[np.int8] | None]:
        if isinstance(test, Threshold):
            return (*self.threshold(test), None)
        if isinstance(test, ScorePass):
            return (*self.score_pass(test), None)
        if isinstance(test, Manual):
            return np.full(self.n, MANUAL, dtype=np.int8), np.full(self.n, np.nan), None
        if isinstance(test, Banded):
            return self.banded(test, full_id)
        found = [self.criterion(part, full_id) for part in test.parts]
        outcomes = np.array([f[0] for f in found])
        relatives = np.array([np.where(f[0] == UNMET, f[1], np.nan) for f in found])
        has = [np.any(outcomes == code, axis=0) for code in (MET, UNMET, UNKNOWN, MANUAL)]
        if isinstance(test, AnyOf):
            pick = np.argmin(np.where(np.isnan(relatives), np.inf, relatives), axis=0)
            outcome = np.where(
                has[MET],
                MET,
                np.where(has[UNKNOWN], UNKNOWN, np.where(has[MANUAL], MANUAL, UNMET)),
            )
        else:
            pick = np.argmax(np.where(np.isnan(relatives), -np.inf, relatives), axis=0)
            outcome = np.where(
                has[UNMET],
                UNMET,
                np.where(has[UNKNOWN], UNKNOWN, np.where(has[MANUAL], MANUAL, MET)),
            )
        chosen = np.take_along_axis(relatives, pick[None], 0)[0]
        return outcome.astype(np.int8), np.where(outcome == UNMET, chosen, np.nan), None

    def banded(self, test: Banded, full_id: str) -> tuple[Codes, Floats, npt.NDArray[np.int8]]:
        selector = self.feature(test.selector)
        outcome = np.full(self.n, UNKNOWN, dtype=np.int8)
        relative = np.full(self.n, np.nan)
        source = np.full(self.n, -1, dtype=np.int8)
        for index, band in enumerate(test.bands):
            inside = np.ones(self.n, dtype=bool)
            if band.low is not None:
                inside &= _compare(selector, Op.GE if band.low_inclusive else Op.GT, band.low)
            if band.high is not None:
                inside &= _compare(selector, Op.LE if band.high_inclusive else Op.LT, band.high)
            code, rel, _ = self.test(band.test, full_id)
            outcome = np.where(inside, code, outcome)
            relative = np.where(inside, rel, relative)
            source = np.where(inside, index, source).astype(np.int8)
        return outcome, relative, source

    def criterion(self, criterion: Criterion, parent: str | None) -> tuple[Codes, Floats]:
        full_id = criterion.id if parent is None else f"{parent}.{criterion.id}"
        outcome, relative, source = self.test(criterion.test, full_id)
        self.result.criteria[full_id] = CriterionColumns(outcome, source)
        return outcome, relative

    def run(self) -> BatchResult:
        self.score()
        tops = [self.criterion(c, None) for c in self.rule_set.criteria]
        unmet = np.array([o == UNMET for o, _ in tops])
        unknown = np.any([o == UNKNOWN for o, _ in tops], axis=0)
        relatives = np.array([np.where(o == UNMET, r, 0.0) for o, r in tops])
        too_far = np.any(relatives > self.tolerance, axis=0)
        self.result.gap_total = relatives.sum(axis=0)
        self.result.verdict = np.select(
            [too_far, unknown, np.any(unmet, axis=0)],
            [
                VERDICTS.index(Verdict.NOT_YET),
                VERDICTS.index(Verdict.UNKNOWN),
                VERDICTS.index(Verdict.NEAR),
            ],
            VERDICTS.index(Verdict.LIKELY),
        ).astype(np.int8)
        return self.result


def assess_panel(
    panel: Panel,
    rule_sets: list[RuleSet],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    features: ColumnFeatures | None = None,
) -> list[BatchResult]:
    """Every enterprise of `panel` against each rule set; the features are shared."""
    shared = features or ColumnFeatures(panel)
    return [_Evaluator(rs, shared, tolerance).run() for rs in rule_sets]
