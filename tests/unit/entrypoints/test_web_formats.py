"""The page filters: money in 万元/亿元, times in Asia/Shanghai to the minute, 是/否, per cent."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from jinja2 import Environment

from fourchain.entrypoints.web.formats import FILTERS, localtime, money, number, percent


@pytest.mark.parametrize(
    ("yuan", "unit", "shown"),
    [
        (50_000_000_000, "yi", "500.00"),
        (50_000_000_000, "wan", "5,000,000"),
        (1_234_567, "wan", "123.46"),
        (800_000, "wan", "80"),
        (15_000, "wan", "1.5"),
        (123_456_789, "yi", "1.23"),
        (None, "wan", "—"),
        ("", "yi", "—"),
    ],
)
def test_money_is_shown_in_ten_thousands_or_hundred_millions_of_yuan(
    yuan: float | None, unit: str, shown: str
) -> None:
    assert money(yuan, unit) == shown


def test_a_tile_of_fifty_billion_yuan_fits_in_a_few_characters() -> None:
    assert len(money(50_000_000_000, "yi")) <= 8  # the tile clipped "50,000,000,0"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (datetime(2026, 12, 4, 9, 30, 42, 123456, tzinfo=UTC), "2026-12-04 17:30"),
        (datetime(2026, 12, 31, 16, 5), "2027-01-01 00:05"),  # naive means UTC
        (datetime(2026, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=-5))), "2026-06-01 21:00"),
        ("2026-12-04T09:30:42.5+00:00", "2026-12-04 17:30"),
        (date(2026, 3, 1), "2026-03-01"),
        (None, "—"),
    ],
)
def test_times_are_shown_in_shanghai_to_the_minute(stored: object, shown: str) -> None:
    assert localtime(stored) == shown
    assert "UTC" not in localtime(stored)


@pytest.mark.parametrize(("share", "shown"), [(0.35, "35%"), (0.125, "12%"), (1, "100%")])
def test_a_rubric_weight_reads_as_a_percentage(share: float, shown: str) -> None:
    assert percent(share) == shown


def test_percent_with_places_and_nothing() -> None:
    assert percent(0.1234, 1) == "12.3%"
    assert percent(None) == "—"


@pytest.mark.parametrize(("locale", "yes", "no"), [("zh_CN", "是", "否"), ("en", "Yes", "No")])
def test_yes_and_no_are_words_in_the_readers_language(locale: str, yes: str, no: str) -> None:
    env = Environment()
    env.filters.update(FILTERS)
    template = env.from_string("{{ a | yesno }}/{{ b | yesno }}/{{ a | number }}")
    assert template.render(locale=locale, a=True, b=False) == f"{yes}/{no}/{yes}"
    assert "✓" not in template.render(locale=locale, a=True, b=False)


def test_numbers_keep_their_separators() -> None:
    assert number(1234567) == "1,234,567"
    assert number(2.139999995, 2) == "2.14"
    assert number(None) == "—"
