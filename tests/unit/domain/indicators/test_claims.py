"""Reading published claims and judging computed values against them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fourchain.domain.indicators.claims import (
    ABOUT_TOLERANCE,
    Bound,
    Period,
    Status,
    judge,
    judge_each,
    parse_claim,
    parse_claims,
    parse_period,
    parse_unit,
    rounds_to,
)
from fourchain.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", Period(2025, 2025)),
        ("2021-2025", Period(2021, 2025)),
        (" 2021 - 2025 ", Period(2021, 2025)),
        ("2025-01..2025-08", Period(2025, 2025, (1, 8))),
    ],
)
def test_a_period_is_a_year_a_span_of_years_or_a_span_of_months(
    text: str, expected: Period
) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["", "25", "2025-2021", "2025-13..2025-14", "2025-08..2025-01"])
def test_a_malformed_period_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_period(text)


@pytest.mark.parametrize(
    ("text", "unit", "bound"),
    [
        ("percent", "percent", Bound.EXACT),
        ("percent (lower bound)", "percent", Bound.LOWER),
        ("yuan (lower bound; first time)", "yuan", Bound.LOWER),
        ("count (about)", "count", Bound.ABOUT),
        ("per 10000 residents", "per 10000 residents", Bound.EXACT),
    ],
)
def test_a_unit_may_carry_a_bound(text: str, unit: str, bound: Bound) -> None:
    assert parse_unit(text) == (unit, bound)


@pytest.mark.parametrize(
    ("computed", "published", "ok"),
    [
        (3.4649, "3.46", True),
        (3.455, "3.46", True),  # half away from zero
        (3.4549, "3.46", False),
        (3.465, "3.46", False),
        (29.54, "29.5", True),
        (4735.4, "4735", True),
        (4735.5, "4735", False),
        (0.7699999999, "0.77", True),
    ],
)
def test_an_exact_claim_holds_when_the_value_rounds_to_it(
    computed: float, published: str, ok: bool
) -> None:
    assert rounds_to(computed, Decimal(published)) is ok


def _claim(value: str, unit: str, period: str = "2025") -> dict[str, str]:
    return {"id": "x", "indicator": "i", "value": value, "unit": unit, "period": period}


@pytest.mark.parametrize(
    ("value", "unit", "computed", "status"),
    [
        ("13", "percent (lower bound)", 13.01, Status.CONSISTENT),
        ("13", "percent (lower bound)", 13.0, Status.INCONSISTENT),  # "above 13%" is strict
        ("100", "count (about)", 100 - 100 * ABOUT_TOLERANCE, Status.CONSISTENT),
        ("100", "count (about)", 109.9, Status.CONSISTENT),
        ("100", "count (about)", 111, Status.INCONSISTENT),
        ("3.46", "percent", 3.46, Status.CONSISTENT),
        ("3.46", "percent", 3.47, Status.INCONSISTENT),
    ],
)
def test_judging_respects_bounds_and_rounding(
    value: str, unit: str, computed: float, status: Status
) -> None:
    verdict = judge(parse_claim(_claim(value, unit), "f:2"), computed)
    assert verdict.status is status
    assert verdict.computed == computed
    if status is Status.INCONSISTENT:
        assert value in verdict.detail and f"{computed:g}" in verdict.detail


def test_a_claim_for_each_year_fails_on_the_first_year_that_misses() -> None:
    claim = parse_claim(_claim("500", "count (lower bound)", "2021-2025"), "f:2")
    verdict = judge_each(claim, {2021: 600, 2022: 510, 2023: 480, 2024: 700, 2025: 900})
    assert verdict.status is Status.INCONSISTENT
    assert verdict.computed == 480
    assert verdict.detail.startswith("2023:")
    passing = judge_each(claim, {2021: 600, 2022: 510, 2023: 501, 2024: 700, 2025: 900})
    assert (passing.status, passing.computed) == (Status.CONSISTENT, 501)


def test_a_claim_for_each_year_with_a_year_missing_is_not_derivable() -> None:
    claim = parse_claim(_claim("500", "count (lower bound)", "2021-2022"), "f:2")
    verdict = judge_each(claim, {2021: 600, 2022: None})
    assert verdict.status is Status.NOT_DERIVABLE
    assert "2022" in verdict.detail


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"id": "x", "indicator": "i", "value": "abc", "unit": "count", "period": "2025"},
            "f.csv:7: value 'abc' is not a number",
        ),
        (
            {"id": "x", "indicator": "i", "value": "1", "unit": "count", "period": "soon"},
            "f.csv:7: period 'soon'",
        ),
        (
            {"id": "", "indicator": "i", "value": "1", "unit": "count", "period": "2025"},
            "f.csv:7: column 'id' is empty",
        ),
        (
            {"id": "x", "indicator": "i", "value": "NaN", "unit": "count", "period": "2025"},
            "f.csv:7: value 'NaN' is not a finite number",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_file_line_and_column(
    row: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_claim(row, "f.csv:7")
    assert error.value.message.startswith(message)


def test_duplicate_claim_ids_are_refused_with_the_line() -> None:
    row = _claim("1", "count")
    with pytest.raises(InvalidInput, match=r"f.csv:3: claim id 'x' appears twice"):
        parse_claims([row, row], "f.csv")


def test_the_published_precision_is_the_number_of_decimals_written() -> None:
    assert parse_claim(_claim("29.5", "count"), "f:2").decimals == 1
    assert parse_claim(_claim("2000000000000", "yuan"), "f:2").decimals == 0
