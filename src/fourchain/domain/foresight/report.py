"""The five-year report's outlook section: each projected indicator with a plan target (or,
without targets, the headline ones) in a sentence, and the chance of reaching the target.

Projected values are written as plain text, not as the bulletin's figures: a figure is a
measured value that traces to its indicator, and a projection is not one.
"""

from __future__ import annotations

from collections.abc import Sequence

from fourchain.domain.foresight.outlook import Direction, Outlook
from fourchain.domain.indicators.bulletin import Section, Sentence
from fourchain.domain.indicators.catalogue import CATALOGUE
from fourchain.domain.indicators.numbers import format_en, format_zh

HEADLINE = ("rd_intensity", "hnte_count", "little_giants", "strategic_emerging_output_share")


def outlook_section(outlooks: Sequence[Outlook], lang: str, number: int) -> Section:
    zh = lang == "zh"

    def t(a: str, b: str) -> str:
        return a if zh else b

    def num(value: float, unit: str) -> str:
        return format_zh(value, unit) if zh else format_en(value, unit)

    s = Section(
        "outlook",
        t(
            f"{'一二三四五六七八九'[number - 1]}、展望与规划目标",
            f"{number}. Outlook and plan targets",
        ),
    )
    chosen = [o for o in outlooks if o.projection and (o.targets or o.indicator in HEADLINE)]
    if not chosen:
        return s
    first = chosen[0]
    s.say(
        Sentence.of(
            t(
                f"以下按带漂移的随机游走模型（statsmodels ARIMA(0,1,0)）外推至"
                f"{first.projection[-1].year}年，区间为"
                f"{first.level:.0%}预测区间；外推不是预测承诺。",
                f"Projected to {first.projection[-1].year} with {first.method}; intervals are "
                f"{first.level:.0%} prediction intervals. A projection is not a commitment.",
            )
        )
    )
    for o in chosen:
        spec = CATALOGUE[o.indicator]
        end = o.projection[-1]
        name = spec.name_zh if zh else spec.name_en
        text = t(
            f"按趋势，{end.year}年{name}约为{num(end.value, o.unit)}"
            f"（{num(end.low, o.unit)}至{num(end.high, o.unit)}）",
            f"On trend, {name} reaches about {num(end.value, o.unit)} in {end.year} "
            f"({num(end.low, o.unit)} to {num(end.high, o.unit)})",
        )
        for chance in o.targets:
            target = chance.target
            word = (
                t("不低于", "at least")
                if target.direction is Direction.AT_LEAST
                else t("不高于", "at most")
            )
            text += t(
                f"；规划目标为{target.year}年{word}{num(target.value, o.unit)}"
                f"（{target.source}），达成概率约{chance.probability:.0%}",
                f"; the plan's target is {word} {num(target.value, o.unit)} by {target.year} "
                f"({target.source}), reached with a probability of about "
                f"{chance.probability:.0%}",
            )
        s.say(Sentence.of(text + t("。", ".")))
    return s
