"""Foresight use cases: a policy what-if on the tier pre-screen, and the policy calculator
(the support measures one enterprise qualifies for)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from fourchain.domain.cultivation import DEFAULT_TOLERANCE, RuleSet, assess, for_year
from fourchain.domain.cultivation.model import Verdict
from fourchain.domain.foresight.policy import (
    EnterpriseFacts,
    Entitlement,
    Measure,
    entitlements,
    in_force,
)
from fourchain.domain.foresight.scenario import Change, ScenarioOutcome
from fourchain.domain.registry import Tier, year_end
from fourchain.errors import InvalidInput, NotFound
from fourchain.services.cultivation import TierTable
from fourchain.services.ports import CultivationStore


class PanelAssessor(Protocol):
    """The tier batch on another engine (a Parquet snapshot on DuckDB or PySpark)."""

    def assess(
        self, year: int, rule_sets: Sequence[RuleSet], tolerance: float
    ) -> list[TierTable]: ...


def assess_elsewhere(
    assessor: PanelAssessor,
    year: int,
    *,
    tiers: list[Tier] | None = None,
    rule_set_keys: list[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[TierTable]:
    """`assess_registry` on another engine: the same rule sets and checks."""
    if not 0 <= tolerance <= 1:
        raise InvalidInput(f"the near tolerance must be between 0 and 1; got {tolerance}")
    rule_sets = for_year(year, tiers, rule_set_keys)
    if not rule_sets:
        raise NotFound(f"no rule set of the chosen tiers is in force at the end of {year}")
    return assessor.assess(year, rule_sets, tolerance)


class WhatIfEngine(Protocol):
    def run(
        self,
        year: int,
        rule_set: RuleSet,
        changes: list[Change],
        measures: list[Measure],
        tolerance: float,
        candidates: bool = False,
    ) -> ScenarioOutcome: ...


def whatif(
    engine: WhatIfEngine,
    year: int,
    tier: Tier,
    changes: list[Change],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    candidates: bool = False,
) -> ScenarioOutcome:
    """The tier pre-screen of `year` before and after `changes`, with the measures' cost
    (`candidates`: only the enterprises not holding the tier)."""
    if not 0 <= tolerance <= 1:
        raise InvalidInput(f"the near tolerance must be between 0 and 1; got {tolerance}")
    rule_sets = for_year(year, [tier])
    if not rule_sets:
        raise NotFound(f"no {tier.value} rule set is in force at the end of {year}")
    found = engine.run(year, rule_sets[0], changes, in_force(year), tolerance, candidates)
    found.candidates = candidates
    return found


def sweep(
    engine: WhatIfEngine,
    year: int,
    tier: Tier,
    field: str,
    percents: Sequence[float],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[ScenarioOutcome]:
    """The same what-if at several sizes of one relative change (e.g. R&D +0 … +50%)."""
    return [
        whatif(engine, year, tier, [Change(field, p, relative=True)], tolerance=tolerance)
        for p in percents
    ]


@dataclass(frozen=True)
class Calculation:
    """The policy calculator's answer for one enterprise and year."""

    year: int
    facts: EnterpriseFacts
    verdicts: dict[str, str]
    entitlements: list[Entitlement]


def policy_calculator(store: CultivationStore, credit_code: str, year: int) -> Calculation:
    """Every measure in force in `year` that the enterprise qualifies for, and why."""
    profile = store.profile(credit_code)
    day = year_end(year)
    found = {rs.tier: assess(profile, year, rs) for rs in for_year(year)}
    likely = frozenset(t for t, a in found.items() if a.verdict is Verdict.LIKELY)
    held = frozenset(c.tier for c in profile.certificates if c.valid_on(day))

    def rd(y: int) -> float | None:
        row = profile.years.get(y)
        return None if row is None else row.rd_expense

    facts = EnterpriseFacts(credit_code, held, likely, rd(year), rd(year - 1))
    return Calculation(
        year,
        facts,
        {t.value: a.verdict.value for t, a in found.items()},
        entitlements(facts, in_force(year)),
    )
