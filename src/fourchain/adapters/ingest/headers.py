"""Header rows: the combined `中文标签 (key)` form templates write, and what a reader accepts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fourchain.domain.records import RecordKind
from fourchain.errors import RowError

_COMBINED = re.compile(r"^(?P<label>.*?)\s*[(（]\s*(?P<key>[A-Za-z0-9_]+)\s*[)）]$")


def combined_header(kind: RecordKind) -> list[str]:
    """The header a template writes: the Chinese label with the key in brackets."""
    return [f"{spec.label_zh} ({spec.key})" for spec in kind.fields]


def _key_of(cell: str, kind: RecordKind) -> str | None:
    text = cell.strip().lstrip("\ufeff").strip()
    by_label = {spec.label_zh: spec.key for spec in kind.fields}
    keys = set(kind.keys)
    if text.lower() in keys:
        return text.lower()
    if text in by_label:
        return by_label[text]
    match = _COMBINED.match(text)
    if match and match["key"].lower() in keys:
        return match["key"].lower()
    return None


def resolve_header(
    cells: Sequence[object], kind: RecordKind, file: str
) -> tuple[list[str | None], list[RowError]]:
    """Map each header cell to a column key (None for an empty trailing cell); the errors are
    one for unknown columns, one for missing required columns, one per repeated column."""
    columns: list[str | None] = []
    unknown: list[str] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for cell in cells:
        text = "" if cell is None else str(cell).strip()
        if text == "":
            columns.append(None)
            continue
        key = _key_of(text, kind)
        if key is None:
            unknown.append(text)
        elif key in seen:
            errors.append(RowError(file, 1, key, f'column "{text}" appears twice'))
            key = None
        else:
            seen.add(key)
        columns.append(key)
    if unknown:
        errors.append(
            RowError(
                file,
                1,
                "",
                f"unknown column(s) {', '.join(repr(u) for u in unknown)} for {kind.name}; "
                f"its columns are {', '.join(kind.keys)} (or their Chinese labels)",
            )
        )
    missing = [spec.key for spec in kind.fields if spec.required and spec.key not in seen]
    if missing:
        labels = ", ".join(f"{kind.field(k).label_zh} ({k})" for k in missing)
        errors.append(RowError(file, 1, "", f"required column(s) missing: {labels}"))
    return columns, errors
