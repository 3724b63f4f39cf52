"""Boilerplate that must neither be indexed nor explain a match: the synthetic-data marker
and standard phrases that every record of a kind carries.

Such text matches every query that shares a word with it (数据, 合作, 验证) and ranks records
by how much boilerplate they carry; in explanations it reads as a reason. It is removed from
a document's text before tokenising and embedding, from a query before it is analysed, and
from a field before its matched terms are looked up.
"""

from __future__ import annotations

import re

# The demo's marker on every synthetic record, and standard phrases of the market's record
# templates (the demand form's closing request, the achievement form's readiness note).
PHRASES: tuple[str, ...] = (
    "合成示例数据",
    "希望与高校院所合作",
    "已完成样品验证",
    "需在两年内实现自主可控并通过用户验证",
)
# A phrase together with brackets around it (（合成示例数据）, [合成示例数据]) and the
# whitespace after it.
_PATTERN = re.compile(
    r"[（(【\[]?\s*(?:" + "|".join(re.escape(p) for p in PHRASES) + r")\s*[）)】\]]?\s*"
)


def strip_boilerplate(text: str) -> str:
    """The text without boilerplate phrases (and their brackets)."""
    if not text:
        return text
    return _PATTERN.sub("", text)
