"""Cell text both ways: formula-injection escaping on export (OWASP) and its undoing on import."""

from __future__ import annotations

from datetime import date

from fourchain.domain.cells import FORMULA_STARTS, escape_text, unescape_text

__all__ = ["FORMULA_STARTS", "csv_cell", "escape_text", "unescape_text"]


def csv_cell(value: object) -> str:
    """A stored value as CSV text: numbers as numbers, yes/no as 是/否, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return escape_text(str(value))
