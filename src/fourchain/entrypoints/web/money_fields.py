"""Money as people type it into a web form (1,200,000 元, 80万, 0.8亿元), read by the domain's one
parser; a refusal names its field so the form shows it beside that field."""

from __future__ import annotations

from fourchain.domain.validation import CellProblem, parse_money
from fourchain.errors import InvalidInput

_EXPECTED = "不是数字，金额应如 1,200,000、80万 或 0.8亿元 (not a number of yuan: write digits"


def optional_money(text: str, name: str) -> float | None:
    """元 typed in field `name`, or None when left blank (the record judges the sign)."""
    if not text.strip():
        return None
    try:
        return parse_money(text)
    except CellProblem:
        raise InvalidInput(
            f"{name}: {_EXPECTED}, e.g. 1,200,000, 80万 or 0.8亿元; not {text.strip()!r})"
        ) from None


def money(text: str, name: str = "amount") -> float:
    """元 typed in field `name`, which must be filled in and above zero."""
    value = optional_money(text, name)
    if value is None:
        raise InvalidInput(f"{name}: 必填 (required)")
    if not value > 0:
        raise InvalidInput(f"{name}: 金额须大于 0 (the amount must be positive)")
    return value


def optional_number(text: str, name: str) -> float | None:
    """A plain number (points, a share) typed in field `name`, or None when left blank."""
    if not text.strip():
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise InvalidInput(f"{name}: 不是数字 (not a number: {text!r})") from None
