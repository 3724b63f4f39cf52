"""Rubric scoring and the award: weighted totals per reviewer, averaged per application, the
best eligible total wins, with ties broken by a stated order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from fourchain.domain.challenge.records import (
    ApplicationState,
    ChallengeCase,
    Criterion,
    assigned_to,
)

# Totals are compared after rounding so that float noise never decides a tie.
PRECISION = 6


@dataclass(frozen=True)
class Ranked:
    """One application's standing: its mean weighted total over complete reviews."""

    application_id: int
    total: float | None
    reviews: int
    eligible: bool
    reason: str  # why not eligible, bilingual; empty when eligible
    by_criterion: tuple[float, ...] = ()


def weighted_total(rubric: tuple[Criterion, ...], points: dict[str, float]) -> float:
    """One reviewer's total on a 0–100 scale: Σ weight × points / Σ weight."""
    weight = sum(c.weight for c in rubric)
    return sum(c.weight * points[c.key] for c in rubric) / weight


def tie_break_order(rubric: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
    """Criteria by weight, heaviest first; equal weights keep the rubric's order."""
    return tuple(sorted(rubric, key=lambda c: -c.weight))


def rank(case: ChallengeCase) -> list[Ranked]:
    """Every application under review, best first. Eligible: at least `min_reviews` complete
    reviews from reviewers it was assigned to. Ties on the total are broken by the mean points
    on the heaviest criterion, then the next, then the earlier submission, then the lower id."""
    rubric = case.call.rubric
    order = tie_break_order(rubric)
    sheets: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    for score in case.scores:
        sheets[(score.application_id, score.expert_id)][score.criterion] = score.points
    standings: list[tuple[tuple[float, ...], Ranked]] = []
    # After the award, winners and non-winners keep their standing for the record.
    reviewed = (ApplicationState.UNDER_REVIEW, ApplicationState.WON, ApplicationState.NOT_WON)
    for app in case.in_state(*reviewed):
        assert app.id is not None
        complete = []
        for reviewer in case.reviewers:
            sheet = sheets.get((app.id, reviewer.expert_id), {})
            if assigned_to(reviewer, case, app) and all(c.key in sheet for c in rubric):
                complete.append(sheet)
        if len(complete) < case.call.min_reviews:
            ranked = Ranked(
                app.id,
                None,
                len(complete),
                False,
                f"完整评分 {len(complete)} 份，少于要求的 {case.call.min_reviews} 份 "
                f"({len(complete)} complete reviews, {case.call.min_reviews} required)",
            )
            standings.append(((1, app.id), ranked))
            continue
        n = len(complete)
        total = round(sum(weighted_total(rubric, p) for p in complete) / n, PRECISION)
        means = tuple(round(sum(p[c.key] for p in complete) / n, PRECISION) for c in order)
        ranked = Ranked(app.id, total, n, True, "", means)
        key = (0, -total, *(-m for m in means), app.submitted.toordinal(), app.id)
        standings.append((key, ranked))
    standings.sort(key=lambda item: item[0])
    return [ranked for _, ranked in standings]
