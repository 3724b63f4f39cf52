"""Why an indicator is not derivable, in the report edition's language: the analytics adapters
give each reason in English with table and kind keys; each edition reads it in its own language,
tables and kinds named by what they are."""

from __future__ import annotations

import re

# The tables the reasons name, in the words of the Chinese edition.
TABLES_ZH = {
    "conversion_projects": "成果转化项目",
    "funds": "基金",
    "honours": "荣誉",
    "joint_projects": "合作项目",
    "partners": "合作伙伴",
    "network_members": "创新网络成员",
    "programme_projects": "科技计划项目",
    "programme_outcomes": "科技计划项目成果",
}


# The kinds, categories and networks the reasons quote, by name: (Chinese, English).
VALUES = {
    "venture": ("创业投资", "venture capital"),
    "tech_innovation": ("科技创新", "technology innovation"),
    "torch_zone_evaluation": ("火炬高新区评价", "torch zone evaluation"),
    "new_display_rank": ("新型显示产业排名", "new display industry ranking"),
    "top10_science_advances": ("中国科学十大进展", "top ten science advances"),
    "smart_factory": ("智能工厂", "smart factory"),
    "class1_drug": ("1类创新药", "class-1 innovative drug"),
    "brics_incubation": ("金砖创新孵化网络", "BRICS incubation network"),
    "ocean_negative_emissions": ("海洋负排放国际大科学计划", "ocean negative emissions programme"),
}
_QUOTED = re.compile(r"'(\w+)'")
_KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def _english(reason: str) -> str:
    """Quoted kinds by their English names, table keys as words."""
    named = _QUOTED.sub(lambda m: f"“{VALUES.get(m[1], (m[1], m[1]))[1]}”", reason)
    return _KEY.sub(lambda m: m[0].replace("_", " "), named)


def _tables(text: str) -> str:
    names = [TABLES_ZH.get(name.strip(), name.strip()) for name in re.split(r",| and ", text)]
    return "、".join(n for n in names if n)


# (English pattern, Chinese template); the groups fill the template, table names translated.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (r"the database has no (?P<t>.+?) tables?", "数据库中没有{t}数据"),
        (r"the (?P<t>\w+) table holds no records", "{t}数据中没有记录"),
        (r"(?P<t>\w+) has none of the date columns .*", "{t}数据缺少日期字段"),
        (r"the (?P<t>\w+) table has no kind and size columns", "{t}数据缺少类型和规模字段"),
        (r"the funds table holds no fund of kind '(?P<v>.+)'", "基金数据中没有“{v}”类基金"),
        (r"no joint project is recorded for network '(?P<v>.+)'", "没有“{v}”网络的合作项目记录"),
        (r"no member of network '(?P<v>.+)' is recorded", "没有“{v}”网络的成员记录"),
        (r"no joint project is recorded", "没有合作项目记录"),
        (
            r"the honours register holds no record of category '(?P<v>.+)'",
            "荣誉数据中没有“{v}”类记录",
        ),
    )
)


def reason_in(lang: str, reason: str) -> str:
    """`reason` (English, as the adapters give it) in `lang`; one without a Chinese form is
    kept as given."""
    if lang != "zh":
        return _english(reason)
    for pattern, zh in _REASONS:
        found = pattern.fullmatch(reason)
        if found:
            groups = found.groupdict()
            if "t" in groups:
                groups["t"] = _tables(groups["t"])
            if "v" in groups:
                groups["v"] = VALUES.get(groups["v"], (groups["v"], ""))[0]
            return zh.format(**groups)
    return reason
