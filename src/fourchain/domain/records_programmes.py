"""S&T programme projects' record kinds in files: programmes, their yearly calls, projects
(money in 元, the lead a party, partners as `kind:id` separated by commas) and outcomes."""

from __future__ import annotations

from typing import Any

from fourchain.domain.market import PartyKind
from fourchain.domain.programmes import (
    LABELS,
    AppraisalLevel,
    Move,
    OutcomeKind,
    ProgrammeKind,
    ProgrammeLevel,
    Stage,
)
from fourchain.domain.records import FieldType, RecordKind, coded, field_spec

TEXT, INT, DATE = FieldType.TEXT, FieldType.INT, FieldType.DATE
_ID: dict[str, Any] = {"required": True, "minimum": 1}
_PARTY = {
    PartyKind.ENTERPRISE: ("企业", "Enterprise"),
    PartyKind.INSTITUTION: ("机构", "Institution"),
}


def _labels(kinds: Any) -> dict[str, tuple[str, str]]:
    return {kind.value: LABELS[kind] for kind in kinds}


PROGRAMMES = RecordKind(
    "programmes",
    "科技计划",
    (
        field_spec("key", "计划键", TEXT, required=True, max_length=60),
        field_spec("name_zh", "中文名称", TEXT, required=True, max_length=200),
        field_spec("name_en", "英文名称", TEXT, required=True, max_length=200),
        field_spec("kind", "计划类别", TEXT, required=True, **coded(_labels(ProgrammeKind))),
        field_spec("level", "计划级别", TEXT, required=True, **coded(_labels(ProgrammeLevel))),
    ),
    ("key",),
)

PROGRAMME_CALLS = RecordKind(
    "programme_calls",
    "科技计划年度申报指南",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("programme", "所属计划", TEXT, required=True, max_length=60),
        field_spec("year", "年度", INT, required=True, minimum=1980, maximum=2100),
        field_spec("title", "指南名称", TEXT, required=True, max_length=300),
        field_spec("challenge_call_id", "揭榜挂帅榜单编号", INT, minimum=1),
    ),
    ("id",),
)

PROGRAMME_PROJECTS = RecordKind(
    "programme_projects",
    "科技计划项目",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("call_id", "申报指南编号", INT, required=True, minimum=1),
        field_spec("title", "项目名称", TEXT, required=True, max_length=300),
        field_spec("lead_kind", "牵头单位类型", TEXT, required=True, **coded(_PARTY)),
        field_spec("lead_id", "牵头单位(信用代码或机构编号)", TEXT, required=True, max_length=40),
        field_spec("partners", "合作单位(类型:编号, 逗号分隔)", TEXT, max_length=2000),
        field_spec("public_budget", "财政资金(元)", INT, required=True, minimum=0),
        field_spec("self_raised", "自筹资金(元)", INT, required=True, minimum=0),
        field_spec("cluster", "产业集群", TEXT, max_length=50),
        field_spec("number", "项目编号", TEXT, max_length=100),
        field_spec("stage", "阶段", TEXT, required=True, **coded(_labels(Stage))),
        field_spec("applied", "申报日期", DATE, required=True),
        field_spec("approved", "立项日期", DATE),
    ),
    ("id",),
)

PROGRAMME_OUTCOMES = RecordKind(
    "programme_outcomes",
    "科技计划项目成果",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("project_id", "项目编号", INT, required=True, minimum=1),
        field_spec("kind", "成果类别", TEXT, required=True, **coded(_labels(OutcomeKind))),
        field_spec("reference", "专利号/成果编号/产品名称", TEXT, required=True, max_length=300),
        field_spec("level", "评价水平", TEXT, **coded(_labels(AppraisalLevel))),
        field_spec("appraised", "评价日期", DATE),
        field_spec("appraiser", "评价机构", TEXT, max_length=200),
    ),
    ("id",),
)

PROGRAMME_STAGE_EVENTS = RecordKind(
    "programme_stage_events",
    "科技计划项目阶段记录",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("project_id", "项目编号", INT, required=True, minimum=1),
        field_spec("move", "环节", TEXT, required=True, **coded(_labels(Move))),
        field_spec("source", "原阶段(导入时判定)", TEXT, **coded(_labels(Stage))),
        field_spec("target", "到达阶段(导入时判定)", TEXT, **coded(_labels(Stage))),
        field_spec("on", "日期", DATE, required=True),
        field_spec("document", "文件(文号/任务书编号)", TEXT, max_length=200),
        field_spec("note", "说明", TEXT, max_length=2000),
        field_spec("public_funding", "核定财政资金(元)", INT, minimum=0),
        field_spec("ends", "执行期止", DATE),
        field_spec("passed", "通过", FieldType.BOOL, required=True),
    ),
    ("id",),
)

PROGRAMME_KINDS: tuple[RecordKind, ...] = (
    PROGRAMMES,
    PROGRAMME_CALLS,
    PROGRAMME_PROJECTS,
    PROGRAMME_OUTCOMES,
    PROGRAMME_STAGE_EVENTS,
)
