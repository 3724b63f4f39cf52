"""How far an unmet threshold is, said in the enterprise's own terms, Chinese first."""

from __future__ import annotations

from fourchain.domain.cultivation.model import Calc, Feature, Gap, Op, Unit


def money_zh(yuan: float) -> str:
    if abs(yuan) >= 1e8:
        return f"{yuan / 1e8:.2f}亿元"
    if abs(yuan) >= 1e4:
        return f"{yuan / 1e4:.1f}万元"
    return f"{yuan:.0f}元"


def money_en(yuan: float) -> str:
    if abs(yuan) >= 1e9:
        return f"¥{yuan / 1e9:.2f} billion"
    if abs(yuan) >= 1e5:  # "¥0.80 million", as the bureau says it in English
        return f"¥{yuan / 1e6:.2f} million"
    return f"¥{yuan:,.0f}"


def show(value: float, unit: Unit) -> tuple[str, str]:
    """A value as it reads in each language."""
    if unit is Unit.PERCENT:
        return f"{value:.2f}%", f"{value:.2f}%"
    if unit is Unit.YUAN:
        return money_zh(value), money_en(value)
    if unit is Unit.FLAG:
        return ("是", "yes") if value > 0 else ("否", "no")
    text = f"{value:g}"
    return text, text


def relative_gap(value: float, op: Op, threshold: float) -> float:
    """The shortfall as a share of the threshold; 1 when the threshold is 0 (a yes/no test)."""
    short = threshold - value if op in (Op.GE, Op.GT) else value - threshold
    short = max(short, 0.0)
    if threshold == 0:
        return 1.0 if short > 0 or op in (Op.GT, Op.LT) else 0.0
    return short / abs(threshold)


def amount_gap(
    feature: Feature, value: float, op: Op, threshold: float, parts: tuple[float, float] | None
) -> tuple[float, Unit]:
    """The gap as an amount: for a ratio, how much of its numerator must change at the
    current denominator (e.g. yuan more R&D at this revenue); otherwise in the feature's unit."""
    if feature.calc is Calc.RATIO and parts is not None:
        num, den = parts
        target = threshold / 100.0 * den
        return (target - num if op in (Op.GE, Op.GT) else num - target), feature.amount_unit
    return abs(threshold - value), feature.unit


def describe(
    feature: Feature,
    value: float,
    op: Op,
    threshold: float,
    parts: tuple[float, float] | None,
    band: tuple[str, str] | None = None,
) -> Gap:
    amount, unit = amount_gap(feature, value, op, threshold, parts)
    v_zh, v_en = show(value, feature.unit)
    t_zh, t_en = show(threshold, feature.unit)
    miss = {Op.GE: "<", Op.GT: "≤", Op.LE: ">", Op.LT: "≥"}[op]
    zh = f"{feature.label_zh} {v_zh} {miss} {t_zh}"
    en = f"{feature.label_en} {v_en} {miss} {t_en}"
    if feature.unit is Unit.FLAG:
        zh = f"{feature.label_zh}：{v_zh}，要求{t_zh}"
        en = f"{feature.label_en}: {v_en}, required {t_en}"
    if band is not None:
        zh += f"（{band[0]}）"
        en += f" ({band[1]})"
    if feature.calc is Calc.RATIO and parts is not None:
        more = op in (Op.GE, Op.GT)
        a_zh, a_en = show(amount, unit)
        if unit is Unit.COUNT:
            a_zh, a_en = f"{amount:.0f}人", f"{amount:.0f}"
        zh += f"：按当前规模约需{'增加' if more else '减少'}{feature.amount_zh}{a_zh}"
        en += f": about {a_en} {'more' if more else 'less'} {feature.amount_en} at this scale"
    else:
        a_zh, a_en = show(amount, unit)
        if unit is Unit.PERCENT:  # a difference of percentages is in points
            a_zh, a_en = f"{amount:.2f}个百分点", f"{amount:.2f} percentage points"
        if unit is not Unit.FLAG:
            zh += f"：差距 {a_zh}"
            en += f": short by {a_en}"
    return Gap(amount, unit, relative_gap(value, op, threshold), zh, en)
