"""One row of a batch result as the domain's TierAssessment, so it explains itself exactly as
the per-enterprise evaluator would (same gap texts, same JSON)."""

from __future__ import annotations

import math

from fourchain.adapters.analytics.cultivation_batch import OUTCOMES, VERDICTS, BatchResult
from fourchain.domain.cultivation.catalogue import FEATURES
from fourchain.domain.cultivation.evaluate import (
    band_note,
    combine,
    manual_note,
    missing_note,
    score_gap,
    score_note,
)
from fourchain.domain.cultivation.explain import unconfirmed
from fourchain.domain.cultivation.gaps import describe
from fourchain.domain.cultivation.model import (
    AnyOf,
    Band,
    Banded,
    Criterion,
    CriterionResult,
    Gap,
    ItemScore,
    Manual,
    Op,
    Outcome,
    ScorePass,
    ScoreResult,
    Test,
    Threshold,
    TierAssessment,
)
from fourchain.domain.cultivation.scoring import total


class _Row:
    def __init__(self, result: BatchResult, row: int) -> None:
        self.result = result
        self.row = row
        self.score: ScoreResult | None = None

    def value(self, key: str) -> float | None:
        found = float(self.result.features.get(FEATURES[key])[self.row])
        return None if math.isnan(found) else found

    def parts(self, key: str) -> tuple[float, float] | None:
        pair = self.result.features.parts.get(key)
        if pair is None:
            return None
        num, den = float(pair[0][self.row]), float(pair[1][self.row])
        return None if math.isnan(num) or math.isnan(den) else (num, den)

    def build_score(self) -> None:
        spec = self.result.rule_set.score
        if spec is None:
            return
        items = []
        for item in spec.items:
            cols = self.result.items[item.id]
            value = None if item.manual or item.best_of else self.value(item.steps[0].feature)
            items.append(
                ItemScore(
                    item,
                    float(cols.low[self.row]),
                    float(cols.high[self.row]),
                    OUTCOMES[cols.outcome[self.row]],
                    value,
                )
            )
        self.score = total(spec, tuple(items))

    def threshold(
        self, test: Threshold, outcome: Outcome, band: Band | None
    ) -> tuple[float | None, Gap | None, str]:
        value = self.value(test.feature)
        if value is None:
            return None, None, missing_note(test.feature)
        if outcome is not Outcome.UNMET:
            return value, None, ""
        label = None if band is None else (band.label_zh, band.label_en)
        feature = FEATURES[test.feature]
        return (
            value,
            describe(feature, value, test.op, test.value, self.parts(test.feature), label),
            "",
        )

    def criterion(self, criterion: Criterion, parent: str | None) -> list[CriterionResult]:
        full_id = criterion.id if parent is None else f"{parent}.{criterion.id}"
        cols = self.result.criteria[full_id]
        outcome = OUTCOMES[cols.outcome[self.row]]
        value: float | None = None
        threshold: float | None = None
        gap: Gap | None = None
        note = ""
        children: list[CriterionResult] = []
        test: Test = criterion.test
        if isinstance(test, Banded):
            band_index = -1 if cols.band is None else int(cols.band[self.row])
            if band_index < 0:
                note = missing_note(test.selector)
            else:
                band = test.bands[band_index]
                if isinstance(band.test, Threshold):
                    threshold = band.test.value
                    value, gap, note = self.threshold(band.test, outcome, band)
                else:
                    gap, children = self.composite(band.test, full_id, outcome)
                    note = band_note(band)
        elif isinstance(test, Threshold):
            threshold = test.value
            value, gap, note = self.threshold(test, outcome, None)
        elif isinstance(test, ScorePass):
            assert self.score is not None
            low, high = self.score.points_min, self.score.points_max
            value, threshold, note = low, test.value, score_note(low, high, self.score.out_of)
            if outcome is Outcome.UNMET:
                floors = sum(max(0.0, f - self.score.groups[g][1]) for g, f in test.floors)
                needed = test.value + (1 if test.op is Op.GT else 0) - high
                gap = score_gap(test, high, max(needed, 0.0) + floors)
        elif isinstance(test, Manual):
            note = manual_note(test)
        else:
            gap, children = self.composite(test, full_id, outcome)
        own = CriterionResult(criterion, outcome, value, threshold, gap, parent, note)
        return [own, *children]

    def composite(
        self, test: Test, full_id: str, outcome: Outcome
    ) -> tuple[Gap | None, list[CriterionResult]]:
        assert not isinstance(test, Threshold | Banded | Manual | ScorePass)
        children: list[CriterionResult] = []
        tops = []
        for part in test.parts:
            results = self.criterion(part, full_id)
            tops.append(results[0])
            children.extend(results)
        gap = combine(tops, isinstance(test, AnyOf)).gap if outcome is Outcome.UNMET else None
        return gap, children


def explain(result: BatchResult, row: int) -> TierAssessment:
    """The pre-screen of row `row` of a batch result."""
    builder = _Row(result, row)
    builder.build_score()
    results: list[CriterionResult] = []
    for criterion in result.rule_set.criteria:
        results.extend(builder.criterion(criterion, None))
    flags = unconfirmed(results)
    return TierAssessment(
        result.panel.credit_codes[row],
        result.panel.year,
        result.rule_set,
        VERDICTS[result.verdict[row]],
        tuple(results),
        builder.score,
        float(result.gap_total[row]),
        flags,
    )
