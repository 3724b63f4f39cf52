"""How numbers, money, times and yes/no read on a page: the Jinja filters every template uses.

Money is stored in yuan; pages show it in 万元 (10k yuan) or 亿元 (100 million yuan) with the
unit in the column header, never raw yuan. Times are stored in UTC and shown in the city's time
(Asia/Shanghai) to the minute.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context

from fourchain.entrypoints.web import i18n

CITY_TZ = ZoneInfo("Asia/Shanghai")
WAN = 10_000
YI = 100_000_000


def _locale(context: Context) -> str:
    return str(context.get("locale") or i18n.DEFAULT_LOCALE)


def number(value: Any, digits: int = 0) -> str:
    """Thousands separators; a float to `digits` places; None as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _amount(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def money(value: Any, unit: str = "wan", digits: int | None = None) -> str:
    """An amount in yuan shown in 万元 (`unit="wan"`) or 亿元 (`unit="yi"`), the unit being in
    the header. 万元 keep up to two decimals (dropped when whole), 亿元 two."""
    amount = _amount(value)
    if amount is None:
        return "—"
    scaled = amount / (YI if unit == "yi" else WAN)
    places = digits if digits is not None else 2
    text = f"{scaled:,.{places}f}"
    if digits is None and unit != "yi" and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def localtime(value: Any, seconds: bool = False) -> str:
    """A stored time (UTC; naive means UTC) in Asia/Shanghai to the minute; a date as is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        shown = moment.astimezone(CITY_TZ)
        return shown.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def yesno_text(value: Any, locale: str) -> str:
    if value is None:
        return "—"
    if locale == "en":
        return "Yes" if value else "No"
    return "是" if value else "否"


@pass_context
def yesno(context: Context, value: Any) -> str:
    """是/否 (Yes/No in English) instead of ✓/✗."""
    return yesno_text(value, _locale(context))


def percent(value: Any, digits: int = 0) -> str:
    """A share (0.35) as a percentage (35%)."""
    amount = _amount(value)
    if amount is None:
        return "—"
    text = f"{amount * 100:.{digits}f}"
    return f"{text}%"


@pass_context
def localised_number(context: Context, value: Any, digits: int = 0) -> str:
    if isinstance(value, bool):
        return yesno_text(value, _locale(context))
    return number(value, digits)


FILTERS = {
    "number": localised_number,
    "money": money,
    "localtime": localtime,
    "yesno": yesno,
    "percent": percent,
}
