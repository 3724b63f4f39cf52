"""The column-wise evaluator gives, criterion by criterion, what the per-enterprise one gives."""

from __future__ import annotations

import math

import pytest

from fourchain.adapters.analytics.cultivation_batch import assess_panel
from fourchain.adapters.analytics.cultivation_explain import explain
from fourchain.adapters.analytics.cultivation_panel import Panel
from fourchain.domain.cultivation import RULE_SETS, assess, assessment_json
from tests.integration.cultivation.random_profiles import YEAR, profiles


def _close(a: object, b: object, where: str) -> None:
    if isinstance(a, float) or isinstance(b, float):
        assert a is not None and b is not None, where
        assert math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6), f"{where}: {a} != {b}"  # type: ignore[arg-type]
    elif isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _close(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), f"{where}: {len(a)} != {len(b)} entries"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


SAMPLE = profiles(3000, seed=20251231)
PANEL = Panel.from_profiles(SAMPLE, YEAR)
BATCH = {r.rule_set.key: r for r in assess_panel(PANEL, list(RULE_SETS.values()))}


@pytest.mark.parametrize("key", list(RULE_SETS))
def test_every_criterion_of_every_row_matches_the_per_row_evaluator(key: str) -> None:
    batch = BATCH[key]
    for row, profile in enumerate(SAMPLE):
        expected = assessment_json(assess(profile, YEAR, RULE_SETS[key]))
        got = assessment_json(explain(batch, row))
        _close(got, expected, f"{key} row {row} ({profile.credit_code})")


@pytest.mark.parametrize("key", list(RULE_SETS))
def test_the_random_sample_reaches_every_outcome_the_rule_set_can_give(key: str) -> None:
    """Guards the test above against a sample too tame to exercise the rules."""
    counts = BATCH[key].counts()
    assert counts["not_yet"] > 0
    assert counts["unknown"] > 0
    assert counts["likely"] + counts["near"] > 0, counts
