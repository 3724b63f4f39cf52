"""The incubation funnel by cohort: how many projects entered and passed each stage, the
conversion rate, the median time spent in it, and the flows between stages and exits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from fourchain.domain.pipeline import STAGES, IncubationStage, ProjectExit, ProjectState


@dataclass(frozen=True)
class FunnelRow:
    stage: IncubationStage
    entered: int
    passed: int
    median_days: float | None

    @property
    def conversion(self) -> float | None:
        """passed / entered as a ratio (0–1); None when nobody entered."""
        return round(self.passed / self.entered, 4) if self.entered else None

    def as_json(self) -> dict[str, object]:
        return {
            "stage": self.stage.value,
            "entered": self.entered,
            "passed": self.passed,
            "conversion": self.conversion,
            "median_days": self.median_days,
        }


def cohort_of(state: ProjectState) -> int | None:
    """A project's cohort is the year it entered its first stage."""
    return state.started.year if state.started else None


def _furthest(state: ProjectState) -> int:
    return max(STAGES.index(v.stage) for v in state.visits)


def funnel(states: Iterable[ProjectState], cohort: int | None = None) -> list[FunnelRow]:
    """One row per stage, in order. A project counts as having entered every stage up to the
    furthest it reached (an overridden skip passes through the skipped stage), and as having
    passed a stage when it reached a later one or graduated from it or beyond; so the counts
    never increase from one stage to the next. Median days use completed stays only."""
    entered = [0] * len(STAGES)
    passed = [0] * len(STAGES)
    stays: list[list[int]] = [[] for _ in STAGES]
    for state in states:
        if not state.visits or (cohort is not None and cohort_of(state) != cohort):
            continue
        furthest = _furthest(state)
        graduated = state.exit is ProjectExit.GRADUATED
        for index in range(furthest + 1):
            entered[index] += 1
            if index < furthest or graduated:
                passed[index] += 1
        for visit in state.visits:
            if visit.left is not None:
                stays[STAGES.index(visit.stage)].append((visit.left - visit.entered).days)
    return [
        FunnelRow(stage, entered[i], passed[i], float(median(stays[i])) if stays[i] else None)
        for i, stage in enumerate(STAGES)
    ]


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    count: int


def flows(states: Iterable[ProjectState], cohort: int | None = None) -> list[Flow]:
    """The Sankey chart's links: stage to next stage as visited, and last stage to its exit
    (projects still in a stage have no outgoing link)."""
    counts: Counter[tuple[str, str]] = Counter()
    for state in states:
        if not state.visits or (cohort is not None and cohort_of(state) != cohort):
            continue
        for before, after in zip(state.visits, state.visits[1:], strict=False):
            counts[(before.stage.value, after.stage.value)] += 1
        if state.exit is not None:
            counts[(state.visits[-1].stage.value, state.exit.value)] += 1
    order = {key: i for i, key in enumerate([*STAGES, *ProjectExit])}
    return [
        Flow(source, target, n)
        for (source, target), n in sorted(
            counts.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])
        )
    ]
