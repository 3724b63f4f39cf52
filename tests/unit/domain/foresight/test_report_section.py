"""The five-year report's outlook section: one sentence per projected indicator with a target
(or a headline one), the target's source and chance; projections are never the bulletin's
figures (a figure is a measured value that traces to its indicator)."""

from __future__ import annotations

import pytest

from fourchain.domain.foresight.outlook import (
    Direction,
    Outlook,
    PlanTarget,
    Projected,
    TargetChance,
)
from fourchain.domain.foresight.report import outlook_section


def _outlook(indicator: str, targets: list[TargetChance]) -> Outlook:
    return Outlook(
        indicator,
        "count",
        "drift",
        0.8,
        {2025: 100.0},
        [Projected(2030, 150.0, 140.0, 160.0)],
        targets=targets,
    )


TARGET = PlanTarget("hnte_count", 2030, 160.0, Direction.AT_LEAST, "十五五", "某规划 第三章")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ["达成概率约25%", "某规划 第三章", "展望"]),
        ("en", ["probability of about 25%", "Outlook"]),
    ],
)
def test_a_target_is_written_with_its_source_and_chance(lang: str, words: list[str]) -> None:
    section = outlook_section(
        [_outlook("hnte_count", [TargetChance(TARGET, 0.25, 150.0)])], lang, 6
    )
    text = section.title + "".join(s.text for s in section.sentences)
    assert all(w in text for w in words)
    assert all(not s.figures for s in section.sentences)


def test_indicators_with_neither_a_target_nor_a_headline_are_left_out() -> None:
    quiet = _outlook("national_key_labs", [])
    assert outlook_section([quiet], "zh", 6).sentences == []
    assert len(outlook_section([quiet, _outlook("hnte_count", [])], "zh", 6).sentences) == 2
