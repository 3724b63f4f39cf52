"""Dates typed into any web form: the three ways people write them, read by the importer's own
parser; anything else refused with the field's name and what was expected."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.entrypoints.web.date_fields import a_day, optional_day
from fourchain.errors import InvalidInput


@pytest.mark.parametrize(
    "typed", ["2025-03-01", "2025/3/1", "2025年3月1日", " 2025.03.01 ", "2025-3-1"]
)
def test_each_way_people_write_a_date_is_read(typed: str) -> None:
    assert a_day(typed, "signed") == date(2025, 3, 1)
    assert optional_day(typed, "signed") == date(2025, 3, 1)


@pytest.mark.parametrize("typed", ["2025-13-01", "2025-02-30", "三月一日", "1/3/2025", "2025"])
def test_anything_else_is_refused_with_its_field_and_what_was_expected(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        a_day(typed, "signed")
    assert refused.value.message.startswith("signed: 日期应如 2025-03-01、2025/3/1 或 2025年3月1日")
    assert repr(typed.strip()) in refused.value.message


def test_a_blank_date_is_none_where_optional_and_refused_where_required() -> None:
    assert optional_day("  ", "registered") is None
    with pytest.raises(InvalidInput, match="apply_by: 必填"):
        a_day("", "apply_by")
