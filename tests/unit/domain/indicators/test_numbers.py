"""Numbers written as a Chinese bulletin writes them, and in English."""

from __future__ import annotations

import pytest

from fourchain.domain.indicators.numbers import change_verb_zh, format_en, format_zh, rounded


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (3.0800001, "percent", "3.08%"),
        (0.77, "percentage points", "0.77个百分点"),
        (2.05e12, "yuan", "2.05万亿元"),
        (2e12, "yuan", "2万亿元"),
        (5e9, "yuan", "50亿元"),
        (5.2e11, "yuan", "5200亿元"),
        (35_000, "yuan", "3.5万元"),
        (800, "yuan", "800元"),
        (4735, "count", "4735家"),
        (1_250_000, "count", "125万家"),
        (29.54, "per 10000 residents", "29.5件"),
        (4, "years", "4年"),
        (62.345, "index", "62.3"),
    ],
)
def test_chinese_formatting_uses_wan_yi_and_percentage_points(
    value: float, unit: str, text: str
) -> None:
    assert format_zh(value, unit) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (3.456, "percent", "3.46%"),
        (0.77, "percentage points", "0.77 percentage points"),
        (2.05e12, "yuan", "CNY 2.05 trillion"),
        (5e9, "yuan", "CNY 5 billion"),
        (4735, "count", "4,735"),
        (4, "years", "4 years"),
    ],
)
def test_english_formatting_uses_thousands_and_scale_words(
    value: float, unit: str, text: str
) -> None:
    assert format_en(value, unit) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"), [(2.345, 2, "2.35"), (-2.345, 2, "-2.35"), (0.5, 0, "1")]
)
def test_rounding_is_half_away_from_zero(value: float, decimals: int, text: str) -> None:
    assert rounded(value, decimals) == text


@pytest.mark.parametrize(
    ("before", "after", "verb"), [(3.08, 3.46, "提升至"), (3.46, 3.08, "下降至"), (1, 1, "保持在")]
)
def test_the_verb_follows_the_direction_of_change(before: float, after: float, verb: str) -> None:
    assert change_verb_zh(before, after) == verb
