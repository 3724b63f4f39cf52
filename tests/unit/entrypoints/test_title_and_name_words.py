"""A record's title and a name read differently in Chinese: no page shows two different
labels (Title, Name, Full name …) that the zh catalog says with the same words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from fourchain.entrypoints.web import audit_details, audit_steps
from fourchain.entrypoints.web.i18n import LOCALE_DIR

TEMPLATES = Path(audit_details.__file__).parent / "templates"
LABEL = re.compile(r"""\b_\(\s*(["'])(.+?)\1""")
TITLE_OR_NAME = re.compile(r"\b(Title|Name|title|name)\b")


def _zh() -> dict[str, str]:
    with (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale="zh_CN")
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


def _pages() -> dict[str, set[str]]:
    pages = {
        str(path.relative_to(TEMPLATES)): {m[2] for m in LABEL.finditer(path.read_text("utf-8"))}
        for path in TEMPLATES.rglob("*.html")
    }
    # The audit log says each detail's field by these labels: they are on its page too.
    pages["admin/audit.html"] |= {
        *audit_details.FIELD_LABELS.values(),
        *audit_details.KIND_FIELD_LABELS.values(),
        *audit_steps.MONEY_LABELS.values(),
    }
    return pages


ZH = _zh()
PAGES = _pages()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_no_page_says_two_title_or_name_labels_with_the_same_chinese(page: str) -> None:
    labels = sorted(m for m in PAGES[page] if TITLE_OR_NAME.search(m) and ZH.get(m))
    said: dict[str, str] = {}
    for msgid in labels:
        other = said.setdefault(ZH[msgid], msgid)
        assert other == msgid, f"{page}: {other!r} and {msgid!r} both read {ZH[msgid]!r}"


def test_a_title_a_name_and_a_persons_name_are_three_chinese_words() -> None:
    assert (ZH["Title"], ZH["Name"], ZH["Full name"]) == ("标题", "名称", "姓名")


def test_the_check_meets_the_pages_it_is_about() -> None:
    assert {"Title", "Name", "Full name"} <= PAGES["admin/audit.html"]
    assert "Full name" in PAGES["pipeline/people.html"]
    assert "Name" in PAGES["registry/institutions.html"]
