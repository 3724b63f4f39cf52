"""Spreadsheet cell text made inert: formula-injection escaping (OWASP) and its undoing."""

from __future__ import annotations

# A spreadsheet may run text starting with these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def escape_text(text: str) -> str:
    """Text made inert for a spreadsheet: a leading `'` before a formula start. Text that
    already starts with `'` gets one too, so that unescape_text gives back exactly `text`."""
    if text.startswith(FORMULA_STARTS) or text.startswith(_QUOTE):
        return _QUOTE + text
    return text


def unescape_text(text: str) -> str:
    """Undo escape_text: drop a leading `'` that protects a formula start or another `'`."""
    if len(text) > 1 and text[0] == _QUOTE and text[1] in (*FORMULA_STARTS, _QUOTE):
        return text[1:]
    return text
