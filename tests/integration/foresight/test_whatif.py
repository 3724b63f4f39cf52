"""The policy what-if on the batch rules engine: no change is the baseline, a larger R&D
increase never moves fewer firms up, and the cost is what the register's rules pay."""

from __future__ import annotations

import numpy as np
import pytest

from fourchain.adapters.analytics.cultivation_batch import VERDICTS, assess_panel
from fourchain.adapters.analytics.cultivation_panel import Panel
from fourchain.adapters.analytics.whatif import candidates_of, changed_panel, run_whatif
from fourchain.domain.cultivation import RULE_SETS, RuleSet
from fourchain.domain.cultivation.model import Verdict
from fourchain.domain.foresight.policy import Measure, TierReward, in_force
from fourchain.domain.foresight.scenario import parse_change, parse_changes
from fourchain.services.cultivation import EnterpriseInfo
from tests.integration.cultivation.random_profiles import YEAR, profiles

RULES = ["tech_sme-2022", "hnte-2016", "innovative_sme-2022", "srdi_sme-2022"]


@pytest.fixture(scope="module")
def panel() -> Panel:
    return Panel.from_profiles(profiles(1500, seed=17), YEAR)


@pytest.fixture(scope="module")
def info(panel: Panel) -> dict[str, EnterpriseInfo]:
    return {
        code: EnterpriseInfo(code, code, f"c{i % 3}", f"d{i % 2}", None)
        for i, code in enumerate(panel.credit_codes)
    }


@pytest.mark.parametrize("key", RULES)
def test_with_no_change_the_scenario_is_the_baseline(
    panel: Panel, info: dict[str, EnterpriseInfo], key: str
) -> None:
    found = run_whatif(panel, info, RULE_SETS[key], [], in_force(YEAR), 0.2)
    assert found.scenario == found.baseline
    assert found.moves == [] and found.by_cluster == {} and found.by_district == {}
    assert found.extra_cost == 0


@pytest.mark.parametrize("key", RULES)
def test_a_zero_change_is_the_baseline_too(
    panel: Panel, info: dict[str, EnterpriseInfo], key: str
) -> None:
    changes = parse_changes(["rd_expense=+0%", "class1_ip=+0"])
    found = run_whatif(panel, info, RULE_SETS[key], changes, in_force(YEAR), 0.2)
    assert found.scenario == found.baseline and found.moves == []


def test_a_larger_rd_increase_never_lifts_fewer_firms(
    panel: Panel, info: dict[str, EnterpriseInfo]
) -> None:
    likely, near_or_better = [], []
    for percent in (0, 5, 10, 20, 40, 80):
        found = run_whatif(
            panel,
            info,
            RULE_SETS["hnte-2016"],
            [parse_change(f"rd_expense=+{percent}%")],
            in_force(YEAR),
            0.2,
        )
        likely.append(found.scenario["likely"])
        near_or_better.append(found.scenario["likely"] + found.scenario["near"])
        assert not [m for m in found.moves if m.source == "likely"], percent
    assert likely == sorted(likely) and likely[-1] > likely[0]
    assert near_or_better == sorted(near_or_better)


def test_moves_by_cluster_and_district_add_up_to_the_moves(
    panel: Panel, info: dict[str, EnterpriseInfo]
) -> None:
    change = [parse_change("rd_expense=+30%")]
    found = run_whatif(panel, info, RULE_SETS["hnte-2016"], change, in_force(YEAR), 0.2)
    total = sum(m.n for m in found.moves)
    assert total > 0
    assert sum(m.n for ms in found.by_cluster.values() for m in ms) == total
    assert sum(m.n for ms in found.by_district.values() for m in ms) == total
    for outcome in ("likely", "near", "not_yet", "unknown"):
        into = sum(m.n for m in found.moves if m.target == outcome)
        out = sum(m.n for m in found.moves if m.source == outcome)
        assert found.scenario[outcome] - found.baseline[outcome] == into - out
    assert found.binding and all(n > 0 for _, n in found.binding)
    criteria = {c.id for c in RULE_SETS["hnte-2016"].criteria}
    assert {c for c, _ in found.binding} <= criteria


def _paid(panel: Panel, rules: RuleSet, measures: list[Measure]) -> dict[str, float]:
    """The register's rules worked out by hand from the batch verdicts and the panel."""
    (result,) = assess_panel(panel, [rules], tolerance=0.2)
    likely = result.verdict == VERDICTS.index(Verdict.LIKELY)
    now = panel.column("rd_expense", YEAR)
    before = panel.column("rd_expense", YEAR - 1)
    growth = np.where(np.isnan(now) | np.isnan(before), 0.0, now - before)
    out = {}
    for m in measures:
        b = m.benefit
        if isinstance(b, TierReward):
            gets = (panel.held[b.tier.value] == 0.0) & (likely if b.tier is rules.tier else False)
            out[m.id] = float(np.count_nonzero(gets)) * b.amount
        else:
            eligible = np.any([panel.held[t.value] == 1.0 for t in b.tiers], axis=0)
            if rules.tier in b.tiers:
                eligible |= likely
            out[m.id] = float(np.minimum(b.cap, b.rate * growth)[eligible & (growth > 0)].sum())
    return out


@pytest.mark.parametrize("key", ["hnte-2016", "tech_sme-2022", "srdi_sme-2022"])
@pytest.mark.parametrize("percent", [10, 40])
def test_the_cost_reconciles_with_the_registers_rules(
    panel: Panel, info: dict[str, EnterpriseInfo], key: str, percent: int
) -> None:
    rules, measures = RULE_SETS[key], in_force(YEAR)
    change = [parse_change(f"rd_expense=+{percent}%")]
    found = run_whatif(panel, info, rules, change, measures, 0.2)
    before, after = (
        _paid(panel, rules, measures),
        _paid(changed_panel(panel, change), rules, measures),
    )
    for cost in found.costs:
        assert cost.baseline == pytest.approx(before[cost.measure_id]), cost.measure_id
        assert cost.scenario == pytest.approx(after[cost.measure_id]), cost.measure_id
    assert found.extra_cost == pytest.approx(sum(after.values()) - sum(before.values()))
    assert found.extra_cost > 0


def test_the_candidates_are_the_non_holders_and_cost_the_same_rewards(
    panel: Panel, info: dict[str, EnterpriseInfo]
) -> None:
    rules, measures = RULE_SETS["hnte-2016"], in_force(YEAR)
    change = [parse_change("rd_expense=+20%")]
    everyone = run_whatif(panel, info, rules, change, measures, 0.2)
    pool = candidates_of(panel, rules.tier)
    candidates = run_whatif(pool, info, rules, change, measures, 0.2)
    holders = int(np.count_nonzero(panel.held["hnte"] == 1.0))
    assert 0 < holders < panel.n and pool.n == panel.n - holders
    assert sum(candidates.scenario.values()) == panel.n - holders
    reward = next(m.id for m in measures if isinstance(m.benefit, TierReward))
    by_id = {c.measure_id: c for c in everyone.costs}
    assert {c.measure_id: c for c in candidates.costs}[reward] == by_id[reward]
