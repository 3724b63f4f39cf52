"""An assessment as the JSON the CLI, the API and the pool speak (one object per tier)."""

from __future__ import annotations

from fourchain.domain.cultivation.model import (
    CriterionResult,
    Gap,
    ScoreResult,
    Status,
    TierAssessment,
)


def result_id(result: CriterionResult) -> str:
    return (
        result.criterion.id if result.parent is None else f"{result.parent}.{result.criterion.id}"
    )


def unconfirmed(results: list[CriterionResult]) -> tuple[str, ...]:
    """The criteria (full ids) that criteria.md marks [UNCONFIRMED], flagged in every output."""
    return tuple(
        f"{result_id(r)}: {r.criterion.status.value}"
        for r in results
        if r.criterion.status is Status.UNCONFIRMED
    )


def gap_json(gap: Gap | None) -> dict[str, object] | None:
    if gap is None:
        return None
    return {
        "amount": round(gap.amount, 4),
        "unit": gap.unit.value,
        "relative": round(gap.relative, 4),
        "zh": gap.text_zh,
        "en": gap.text_en,
    }


def score_json(score: ScoreResult | None) -> dict[str, object] | None:
    if score is None:
        return None
    return {
        "min": score.points_min,
        "max": score.points_max,
        "out_of": score.out_of,
        "groups": {key: {"min": lo, "max": hi} for key, (lo, hi) in score.groups.items()},
        "items": [
            {
                "id": s.item.id,
                "outcome": s.outcome.value,
                "min": s.points_min,
                "max": s.points_max,
                "value": s.value,
            }
            for s in score.items
        ],
    }


def criterion_json(result: CriterionResult) -> dict[str, object]:
    c = result.criterion
    return {
        "id": result_id(result),
        "outcome": result.outcome.value,
        "value": result.value,
        "threshold": result.threshold,
        "gap": gap_json(result.gap),
        "basis": str(c.basis),
        "label": {"zh": c.label_zh, "en": c.label_en},
        "status": c.status.value,
        "parent": result.parent,
        "evidence": c.evidence,
        "note": result.note,
    }


def assessment_json(assessment: TierAssessment) -> dict[str, object]:
    """The issue's shape — credit_code, tier, rule_set, outcome, score, criteria — plus the
    year, the unconfirmed flags and the gap used for ranking. It is a pre-screen, never a
    qualification."""
    return {
        "credit_code": assessment.credit_code,
        "tier": assessment.rule_set.tier.value,
        "rule_set": assessment.rule_set.key,
        "outcome": assessment.verdict.value,
        "score": score_json(assessment.score),
        "criteria": [criterion_json(r) for r in assessment.results],
        "year": assessment.year,
        "gap_total": round(assessment.gap_total, 4),
        "unconfirmed": list(assessment.flags),
    }
