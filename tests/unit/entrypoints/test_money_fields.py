"""Money typed into a web form: 元/万/亿 read as 元; words refused, saying what to type."""

import pytest

from fourchain.entrypoints.web.money_fields import money, optional_money, optional_number
from fourchain.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("1,200,000 元", 1_200_000),
        ("1，200，000元", 1_200_000),
        ("80万", 800_000),
        ("80 万元", 800_000),
        ("0.8亿元", 80_000_000),
        ("0.7亿", 70_000_000),
        ("3000000", 3_000_000),
    ],
)
def test_money_as_people_type_it_is_read_as_yuan(typed: str, yuan: float) -> None:
    assert money(typed) == yuan


@pytest.mark.parametrize("typed", ["八十万", "80w", "1,20,000", "万", "about 80万"])
def test_money_in_words_is_refused_naming_the_field_and_what_was_expected(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        money(typed, "value")
    assert refused.value.message.startswith("value: 不是数字")
    assert "80万" in refused.value.message and "0.8亿元" in refused.value.message


@pytest.mark.parametrize("typed", ["0", "-5万", "  "])
def test_a_required_amount_must_be_filled_in_and_above_zero(typed: str) -> None:
    with pytest.raises(InvalidInput, match="^size: "):
        money(typed, "size")


def test_an_optional_amount_left_blank_is_none_and_zero_is_kept() -> None:
    assert optional_money(" ", "budget") is None
    assert optional_money("0", "budget") == 0


def test_points_are_plain_numbers_not_money() -> None:
    assert optional_number("7.5", "points_a") == 7.5
    with pytest.raises(InvalidInput, match="^points_a: 不是数字"):
        optional_number("8万", "points_a")
