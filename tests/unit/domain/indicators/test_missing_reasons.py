"""Why an indicator is not derivable reads in the report edition's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import fourchain
from fourchain.domain.indicators.missing_reasons import reason_in


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("the database has no funds table", "数据库中没有基金数据"),
        (
            "the database has no partners and network_members tables",
            "数据库中没有合作伙伴、创新网络成员数据",
        ),
        (
            "the database has no programme_projects, programme_outcomes table",
            "数据库中没有科技计划项目、科技计划项目成果数据",
        ),
        ("the conversion_projects table holds no records", "成果转化项目数据中没有记录"),
        ("conversion_projects has none of the date columns a, b", "成果转化项目数据缺少日期字段"),
        ("the funds table has no kind and size columns", "基金数据缺少类型和规模字段"),
        ("the funds table holds no fund of kind 'venture'", "基金数据中没有“创业投资”类基金"),
        ("no joint project is recorded", "没有合作项目记录"),
        ("no member of network 'x' is recorded", "没有“x”网络的成员记录"),
        ("no joint project is recorded for network 'x'", "没有“x”网络的合作项目记录"),
        (
            "the honours register holds no record of category 'smart_factory'",
            "荣誉数据中没有“智能工厂”类记录",
        ),
    ],
)
def test_each_reason_reads_in_chinese_in_the_chinese_edition_and_as_given_in_english(
    english: str, chinese: str
) -> None:
    assert reason_in("zh", english) == chinese
    assert not re.search(r"[a-z]+_[a-z]", reason_in("en", english))


def test_every_reason_the_adapters_give_has_a_chinese_form() -> None:
    """A new reason written in an adapter without its Chinese form fails here."""
    analytics = Path(fourchain.__file__).parent / "adapters" / "analytics"
    names = ("optional_tables.py", "collab_indicators.py", "programme_tables.py")
    text = "".join((analytics / name).read_text(encoding="utf-8") for name in names)
    written = re.findall(r'missing\[[^\]]+\] = \(?\s*f?"([^"]+)"', text)
    assert len(written) >= 10
    for reason in written:
        sample = re.sub(r"\{[^}]*!r\}", "'x'", reason)
        sample = re.sub(r"\{[^}]*\}", "a, b", sample)
        assert not re.search(r"[a-z]{3}", re.sub(r"“[^”]*”", "", reason_in("zh", sample))), reason


def test_english_names_the_kinds_and_the_tables() -> None:
    assert reason_in("en", "the funds table holds no fund of kind 'venture'") == (
        "the funds table holds no fund of kind “venture capital”"
    )
    assert reason_in("en", "the programme_projects table holds no records") == (
        "the programme projects table holds no records"
    )
