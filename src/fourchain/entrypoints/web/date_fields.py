"""Dates as people type them into a web form (2025-03-01, 2025/3/1, 2025年3月1日), read by the
domain's one parser (the importer's); a refusal names its field so the form shows it beside
that field."""

from __future__ import annotations

from datetime import date

from fourchain.domain.validation import CellProblem, parse_day
from fourchain.errors import InvalidInput

EXPECTED = "日期应如 2025-03-01、2025/3/1 或 2025年3月1日"


def a_day(text: str, name: str) -> date:
    """The date typed in field `name` (required)."""
    if not text.strip():
        raise InvalidInput(f"{name}: 必填 (required)")
    try:
        return parse_day(text)
    except CellProblem:
        raise InvalidInput(
            f"{name}: {EXPECTED} (a date like 2025-03-01, not {text.strip()!r})"
        ) from None


def optional_day(text: str, name: str) -> date | None:
    """The date typed in field `name`, or None when left blank."""
    return a_day(text, name) if text.strip() else None
