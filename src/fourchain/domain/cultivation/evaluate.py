"""The per-enterprise pre-screen: every criterion of a rule set, its score and the verdict."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from fourchain.domain.cultivation import features as feats
from fourchain.domain.cultivation.catalogue import FEATURES
from fourchain.domain.cultivation.explain import unconfirmed
from fourchain.domain.cultivation.gaps import describe
from fourchain.domain.cultivation.model import (
    AnyOf,
    Band,
    Banded,
    Calc,
    Criterion,
    CriterionResult,
    Gap,
    Manual,
    Op,
    Outcome,
    Reason,
    RuleSet,
    ScorePass,
    ScoreResult,
    Test,
    Threshold,
    TierAssessment,
    Unit,
    Verdict,
)
from fourchain.domain.cultivation.scoring import compare, score
from fourchain.errors import InvalidInput

DEFAULT_TOLERANCE = 0.2  # "near": every unmet criterion within 20% of its threshold


@dataclass
class _Context:
    profile: feats.EnterpriseProfile | None  # None: only the given feature values are known
    year: int
    score: ScoreResult | None = None
    cache: dict[str, float | None] = field(default_factory=dict)

    def value(self, key: str) -> float | None:
        if key not in self.cache:
            computed = None
            if self.profile is not None:
                computed = feats.compute(FEATURES[key], self.profile, self.year)
            self.cache[key] = computed
        return self.cache[key]

    def parts(self, key: str) -> tuple[float, float] | None:
        feature = FEATURES[key]
        if feature.calc is not Calc.RATIO or self.profile is None:
            return None
        return feats.ratio_parts(self.profile, feature, self.year)


@dataclass(frozen=True)
class _Found:
    outcome: Outcome
    value: float | None = None
    threshold: float | None = None
    gap: Gap | None = None
    note: str = ""
    children: tuple[CriterionResult, ...] = ()
    reason: Reason | None = None


def missing_note(feature: str) -> str:
    return f"missing input: {FEATURES[feature].label_en}"


def manual_note(test: Manual) -> str:
    return f"{test.hint_zh} / {test.hint_en}"


def band_note(band: Band) -> str:
    return f"{band.label_zh} / {band.label_en}"


def missing_reason(feature: str) -> Reason:
    spec = FEATURES[feature]
    return Reason("missing_input", (("feature", (spec.label_zh, spec.label_en)),))


def score_reason(low: float, high: float, out_of: float) -> Reason:
    return Reason("attainable", (("low", low), ("high", high), ("out_of", out_of)))


def _threshold(test: Threshold, ctx: _Context, band: tuple[str, str] | None) -> _Found:
    value = ctx.value(test.feature)
    if value is None:
        return _Found(
            Outcome.UNKNOWN,
            None,
            test.value,
            note=missing_note(test.feature),
            reason=missing_reason(test.feature),
        )
    if compare(value, test.op, test.value):
        return _Found(Outcome.MET, value, test.value)
    gap = describe(
        FEATURES[test.feature], value, test.op, test.value, ctx.parts(test.feature), band
    )
    return _Found(Outcome.UNMET, value, test.value, gap)


def score_note(low: float, high: float, out_of: float) -> str:
    return f"attainable {low:g}–{high:g} of {out_of:g}"


def score_gap(test: ScorePass, high: float, points: float) -> Gap:
    """The points a score lacks even at its best (and the group floors' shortfalls)."""
    return Gap(
        points,
        Unit.COUNT,
        points / test.value,
        f"评价得分最高 {high:g} 分，未达 {test.op.value}{test.value:g} 分（含各项下限）："
        f"至少差 {points:g} 分",
        f"score at most {high:g}, pass {test.op.value} {test.value:g} (with group floors): "
        f"at least {points:g} points short",
    )


def _score_pass(test: ScorePass, ctx: _Context) -> _Found:
    result = ctx.score
    if result is None:
        raise ValueError("a ScorePass criterion in a rule set without a score")
    low, high = result.points_min, result.points_max
    note = score_note(low, high, result.out_of)
    why = score_reason(low, high, result.out_of)
    floors_low = all(result.groups[g][0] >= f for g, f in test.floors)
    if compare(low, test.op, test.value) and floors_low:
        return _Found(Outcome.MET, low, test.value, note=note, reason=why)
    needed = test.value + (1 if test.op is Op.GT else 0) - high
    short_floors = sum(max(0.0, f - result.groups[g][1]) for g, f in test.floors)
    if needed > 0 or short_floors > 0:
        gap = score_gap(test, high, max(needed, 0.0) + short_floors)
        return _Found(Outcome.UNMET, low, test.value, gap, note, reason=why)
    if any(item.outcome is Outcome.UNKNOWN for item in result.items):
        return _Found(Outcome.UNKNOWN, low, test.value, note=note, reason=why)
    return _Found(Outcome.MANUAL, low, test.value, note=note, reason=why)


def combine(parts: list[CriterionResult], any_: bool) -> _Found:
    outcomes = [p.outcome for p in parts]
    if any_ and Outcome.MET in outcomes:
        return _Found(Outcome.MET)
    unmet = [p for p in parts if p.outcome is Outcome.UNMET]
    if not any_ and unmet:
        worst = max(unmet, key=lambda p: p.gap.relative if p.gap else math.inf)
        return _Found(Outcome.UNMET, gap=worst.gap)
    if Outcome.UNKNOWN in outcomes:
        return _Found(Outcome.UNKNOWN)
    if Outcome.MANUAL in outcomes:
        return _Found(Outcome.MANUAL)
    if not any_:
        return _Found(Outcome.MET)
    best = min(unmet, key=lambda p: p.gap.relative if p.gap else math.inf)
    return _Found(Outcome.UNMET, gap=best.gap)


def _test(test: Test, ctx: _Context, parent: str) -> _Found:
    if isinstance(test, Threshold):
        return _threshold(test, ctx, None)
    if isinstance(test, ScorePass):
        return _score_pass(test, ctx)
    if isinstance(test, Manual):
        return _Found(
            Outcome.MANUAL,
            note=manual_note(test),
            reason=Reason("manual", (("hint", (test.hint_zh, test.hint_en)),)),
        )
    if isinstance(test, Banded):
        selector = ctx.value(test.selector)
        if selector is None:
            return _Found(
                Outcome.UNKNOWN,
                note=missing_note(test.selector),
                reason=missing_reason(test.selector),
            )
        for band in test.bands:
            if band.contains(selector):
                if isinstance(band.test, Threshold):
                    return _threshold(band.test, ctx, (band.label_zh, band.label_en))
                found = _test(band.test, ctx, parent)
                return _Found(
                    found.outcome,
                    None,
                    None,
                    found.gap,
                    band_note(band),
                    found.children,
                    Reason("band", (("band", (band.label_zh, band.label_en)),)),
                )
        raise ValueError(f"no band of {test.selector} holds {selector}")
    children: list[CriterionResult] = []
    tops: list[CriterionResult] = []
    for part in test.parts:
        results = evaluate_criterion(part, ctx, parent)
        tops.append(results[0])
        children.extend(results)
    found = combine(tops, isinstance(test, AnyOf))
    return _Found(found.outcome, gap=found.gap, children=tuple(children))


def evaluate_criterion(
    criterion: Criterion, ctx: _Context, parent: str | None = None
) -> list[CriterionResult]:
    """The criterion's result followed by those of its parts (ids joined with '.')."""
    full_id = criterion.id if parent is None else f"{parent}.{criterion.id}"
    found = _test(criterion.test, ctx, full_id)
    own = CriterionResult(
        criterion,
        found.outcome,
        found.value,
        found.threshold,
        found.gap,
        parent,
        found.note,
        found.reason,
    )
    return [own, *found.children]


def verdict(tops: list[CriterionResult], tolerance: float) -> tuple[Verdict, float]:
    """likely: nothing unmet or unknown (manual reviews are listed, not blocking); near: every
    unmet criterion within `tolerance`; unknown: missing inputs decide; else not_yet."""
    unmet = [r for r in tops if r.outcome is Outcome.UNMET]
    gap_total = sum(r.gap.relative if r.gap else 1.0 for r in unmet)
    if any((r.gap.relative if r.gap else 1.0) > tolerance for r in unmet):
        return Verdict.NOT_YET, gap_total
    if any(r.outcome is Outcome.UNKNOWN for r in tops):
        return Verdict.UNKNOWN, gap_total
    if unmet:
        return Verdict.NEAR, gap_total
    return Verdict.LIKELY, gap_total


def assess(
    profile: feats.EnterpriseProfile,
    year: int,
    rule_set: RuleSet,
    *,
    expert_scores: Mapping[str, float] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> TierAssessment:
    """Pre-screen one enterprise against one rule set, with `year` as the last fiscal year."""
    return _run(_Context(profile, year), profile.credit_code, rule_set, expert_scores, tolerance)


def assess_features(
    values: Mapping[str, float | None],
    year: int,
    rule_set: RuleSet,
    *,
    credit_code: str = "",
    expert_scores: Mapping[str, float] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> TierAssessment:
    """Pre-screen from feature values directly (what-if questions; features not given are
    unknown). Keys must be feature keys of the catalogue."""
    strangers = set(values) - set(FEATURES)
    if strangers:
        raise InvalidInput(f"unknown feature(s) {sorted(strangers)}")
    ctx = _Context(None, year, cache=dict(values))
    return _run(ctx, credit_code, rule_set, expert_scores, tolerance)


def _run(
    ctx: _Context,
    credit_code: str,
    rule_set: RuleSet,
    expert_scores: Mapping[str, float] | None,
    tolerance: float,
) -> TierAssessment:
    if rule_set.score is not None:
        ctx.score = score(rule_set.score, ctx.value, expert_scores)
    results: list[CriterionResult] = []
    for criterion in rule_set.criteria:
        results.extend(evaluate_criterion(criterion, ctx))
    tops = [r for r in results if r.parent is None]
    overall, gap_total = verdict(tops, tolerance)
    flags = unconfirmed(results)
    return TierAssessment(
        credit_code, ctx.year, rule_set, overall, tuple(results), ctx.score, gap_total, flags
    )
