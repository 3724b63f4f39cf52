"""A what-if on the batch rules engine: the panel with its figures changed, assessed beside the
unchanged one, and the verdicts' moves, the criteria that still bind and the measures' cost."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection

from fourchain.adapters.analytics.cultivation_batch import (
    UNMET,
    VERDICTS,
    BatchResult,
    Codes,
    assess_panel,
)
from fourchain.adapters.analytics.cultivation_panel import ColumnFeatures, Panel
from fourchain.adapters.db.cultivation_repo import SqlCultivationStore
from fourchain.domain.cultivation.model import RuleSet, Verdict
from fourchain.domain.foresight.policy import EnterpriseFacts, Measure, entitlement
from fourchain.domain.foresight.scenario import (
    LINKED,
    Change,
    MeasureCost,
    Move,
    ScenarioOutcome,
    moves,
)
from fourchain.domain.registry import Tier
from fourchain.services.cultivation import EnterpriseInfo

LIKELY = VERDICTS.index(Verdict.LIKELY)
NEAR = VERDICTS.index(Verdict.NEAR)


def changed_panel(panel: Panel, changes: list[Change]) -> Panel:
    """A copy of `panel` with each change applied to its field (and linked parts) every year;
    unknown figures stay unknown."""
    columns = dict(panel.columns)
    for change in changes:
        for name in (change.field, *LINKED.get(change.field, ())):
            for (field, year), values in panel.columns.items():
                if field != name:
                    continue
                if change.relative:
                    columns[(field, year)] = values * (1 + change.amount / 100)
                else:
                    columns[(field, year)] = values + change.amount
    return replace(panel, columns=columns)


def candidates_of(panel: Panel, tier: Tier) -> Panel:
    """The enterprises of `panel` not holding `tier` at the year's end (the reserve pool's
    population: those a reward for a new recognition could reach)."""
    keep = np.flatnonzero(panel.held[tier.value] != 1.0)
    return replace(
        panel,
        credit_codes=[panel.credit_codes[i] for i in keep.tolist()],
        founded_year=panel.founded_year[keep],
        attributes={k: v[keep] for k, v in panel.attributes.items()},
        held={k: v[keep] for k, v in panel.held.items()},
        columns={k: v[keep] for k, v in panel.columns.items()},
    )


def _pairs(before: Codes, after: Codes, rows: npt.NDArray[np.intp]) -> dict[tuple[str, str], int]:
    k = len(VERDICTS)
    found = np.bincount(before[rows] * k + after[rows], minlength=k * k)
    return {
        (VERDICTS[i // k].value, VERDICTS[i % k].value): int(n) for i, n in enumerate(found) if n
    }


def _grouped(keys: list[str | None], before: Codes, after: Codes) -> dict[str, list[Move]]:
    changed = np.flatnonzero(before != after)
    groups: dict[str, list[int]] = {}
    for row in changed.tolist():
        groups.setdefault(keys[row] or "—", []).append(row)
    return {
        key: moves(_pairs(before, after, np.array(rows))) for key, rows in sorted(groups.items())
    }


def _binding(result: BatchResult) -> list[tuple[str, int]]:
    near = result.verdict == NEAR
    found = Counter(
        {
            c.id: int(np.count_nonzero(near & (result.criteria[c.id].outcome == UNMET)))
            for c in result.rule_set.criteria
        }
    )
    return [(key, n) for key, n in found.most_common() if n]


def _facts(panel: Panel, result: BatchResult, tier: Tier) -> list[EnterpriseFacts]:
    now = panel.column("rd_expense", panel.year)
    before = panel.column("rd_expense", panel.year - 1)
    held = {Tier(t): np.flatnonzero(v == 1.0) for t, v in panel.held.items()}
    holding: list[set[Tier]] = [set() for _ in range(panel.n)]
    for t, rows in held.items():
        for row in rows.tolist():
            holding[row].add(t)
    likely = result.verdict == LIKELY
    return [
        EnterpriseFacts(
            code,
            frozenset(holding[i]),
            frozenset({tier}) if likely[i] else frozenset(),
            None if np.isnan(now[i]) else float(now[i]),
            None if np.isnan(before[i]) else float(before[i]),
        )
        for i, code in enumerate(panel.credit_codes)
    ]


def _cost(m: Measure, base: list[EnterpriseFacts], scen: list[EnterpriseFacts]) -> MeasureCost:
    paid = [entitlement(m, f) for f in base], [entitlement(m, f) for f in scen]
    b, s = ([e.amount for e in found if e is not None] for found in paid)
    return MeasureCost(m.id, m.name_zh, m.name_en, len(b), len(s), sum(b), sum(s))


def run_whatif(
    panel: Panel,
    info: dict[str, EnterpriseInfo],
    rule_set: RuleSet,
    changes: list[Change],
    measures: list[Measure],
    tolerance: float,
    base: BatchResult | None = None,
) -> ScenarioOutcome:
    """Assess `panel` against `rule_set` before and after `changes` (`base`: the unchanged
    panel's assessment, when already made)."""
    if base is None:
        (base,) = assess_panel(panel, [rule_set], tolerance=tolerance)
    changed = changed_panel(panel, changes)
    (scen,) = assess_panel(
        changed, [rule_set], tolerance=tolerance, features=ColumnFeatures(changed)
    )
    everyone = np.arange(panel.n)
    infos = [info.get(code) for code in panel.credit_codes]
    tier = rule_set.tier
    base_facts, scen_facts = _facts(panel, base, tier), _facts(changed, scen, tier)
    return ScenarioOutcome(
        year=panel.year,
        tier=tier.value,
        rule_set=rule_set.key,
        changes=changes,
        baseline=base.counts(),
        scenario=scen.counts(),
        moves=moves(_pairs(base.verdict, scen.verdict, everyone)),
        by_cluster=_grouped([i.cluster if i else None for i in infos], base.verdict, scen.verdict),
        by_district=_grouped(
            [i.district if i else None for i in infos], base.verdict, scen.verdict
        ),
        binding=_binding(scen),
        costs=[_cost(m, base_facts, scen_facts) for m in measures],
    )


class BatchWhatIf:
    """The what-if engine over a registry connection: its panel, assessed column-wise."""

    def __init__(self, connection: Connection) -> None:
        self.store = SqlCultivationStore(connection)
        # A sweep of scenarios reads the registry and assesses the baseline once.
        self.panels: dict[tuple[int, str | None], Panel] = {}
        self.bases: dict[tuple[int, str, float, bool], BatchResult] = {}

    def run(
        self,
        year: int,
        rule_set: RuleSet,
        changes: list[Change],
        measures: list[Measure],
        tolerance: float,
        candidates: bool = False,
    ) -> ScenarioOutcome:
        if (year, None) not in self.panels:
            self.panels[year, None] = self.store.panel(year)
        key = (year, rule_set.tier.value if candidates else None)
        if key not in self.panels:
            self.panels[key] = candidates_of(self.panels[year, None], rule_set.tier)
        panel = self.panels[key]
        done = (year, rule_set.key, tolerance, candidates)
        if done not in self.bases:
            (self.bases[done],) = assess_panel(panel, [rule_set], tolerance=tolerance)
        info = self.store.enterprise_info()
        return run_whatif(panel, info, rule_set, changes, measures, tolerance, self.bases[done])
