"""The technology market's record kinds in files: achievements, demands and registered
technology contracts (records numbered by `id`, contracts by their registration number)."""

from __future__ import annotations

from typing import Any

from fourchain.domain.challenge.records import APPLICATION_LABELS, STATE_LABELS
from fourchain.domain.market import LABELS, ContractType, CooperationKind, IPStatus, PartyKind
from fourchain.domain.records import WITHDRAWN, FieldType, RecordKind, coded, field_spec

TEXT, INT, BOOL, DATE, MONEY = (
    FieldType.TEXT,
    FieldType.INT,
    FieldType.BOOL,
    FieldType.DATE,
    FieldType.MONEY,
)
_ID: dict[str, Any] = {"required": True, "minimum": 1}
_PARTY = {
    PartyKind.ENTERPRISE: ("企业", "Enterprise"),
    PartyKind.INSTITUTION: ("机构", "Institution"),
}


def _labels(kinds: Any) -> dict[str, tuple[str, str]]:
    return {kind.value: LABELS[kind] for kind in kinds}


ACHIEVEMENTS = RecordKind(
    "achievements",
    "科技成果",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("institution_id", "机构编号", TEXT, required=True, max_length=40),
        field_spec("title", "成果名称", TEXT, required=True, max_length=300),
        field_spec("abstract", "成果简介", TEXT, required=True, max_length=20000),
        field_spec("keywords", "关键词(；分隔)", TEXT, max_length=2000),
        field_spec("discipline", "学科", TEXT, max_length=100),
        field_spec("ipc", "IPC分类号", TEXT, max_length=40),
        field_spec("trl", "技术就绪度", INT, required=True, minimum=1, maximum=9),
        field_spec("ip_status", "知识产权状态", TEXT, required=True, **coded(_labels(IPStatus))),
        field_spec("patent_numbers", "专利号(；分隔)", TEXT, max_length=2000),
        field_spec("transfer_modes", "转化方式(,分隔)", TEXT, required=True, max_length=100),
        field_spec("asking_terms", "转化条件", TEXT, max_length=2000),
        field_spec("asking_price", "报价(元)", MONEY, minimum=0.0),
        field_spec("contact", "联系方式", TEXT, required=True, max_length=200),
        field_spec("cluster", "产业集群", TEXT, max_length=50),
        field_spec("published", "发布日期", DATE, required=True),
        field_spec("listed", "公开挂牌", BOOL, required=True),
        WITHDRAWN,
    ),
    ("id",),
)

DEMANDS = RecordKind(
    "demands",
    "技术需求",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("credit_code", "企业信用代码", FieldType.CREDIT_CODE, required=True),
        field_spec("problem", "需求名称", TEXT, required=True, max_length=300),
        field_spec("description", "需求描述", TEXT, required=True, max_length=20000),
        field_spec("field", "技术领域", TEXT, required=True, max_length=100),
        field_spec("cluster", "产业集群", TEXT, max_length=50),
        field_spec("budget", "预算(元)", MONEY, required=True, minimum=0.0),
        field_spec("deadline", "截止日期", DATE, required=True),
        field_spec("published", "发布日期", DATE, required=True),
        field_spec("confidential", "保密", BOOL, required=True),
        WITHDRAWN,
    ),
    ("id",),
)


def _party(prefix: str, zh: str) -> tuple[Any, ...]:
    return (
        field_spec(f"{prefix}_kind", f"{zh}类型", TEXT, required=True, **coded(_PARTY)),
        field_spec(f"{prefix}_id", f"{zh}(信用代码或机构编号)", TEXT, required=True, max_length=40),
    )


TECH_CONTRACTS = RecordKind(
    "tech_contracts",
    "技术合同",
    (
        field_spec("number", "合同登记号", TEXT, required=True, max_length=60),
        field_spec("title", "合同名称", TEXT, required=True, max_length=300),
        *_party("seller", "卖方"),
        *_party("buyer", "买方"),
        field_spec("type", "合同类型", TEXT, required=True, **coded(_labels(ContractType))),
        field_spec("value", "成交额(元)", MONEY, required=True, minimum=0.0),
        field_spec("signed", "签订日期", DATE, required=True),
        field_spec("registered", "登记日期", DATE),
        field_spec("achievement_id", "成果编号", INT, minimum=1),
        field_spec("demand_id", "需求编号", INT, minimum=1),
        WITHDRAWN,
    ),
    ("number",),
)

# 揭榜挂帅: the calls, the applications to them and their delivery milestones. A call's
# rubric is the JSON the platform keeps ([{"key", "label_zh", "label_en", "weight"}, …];
# blank = the default rubric); the reviewers' declarations and scores stay with the call's
# own steps (`fourchain challenge`), which audit each one.
CHALLENGE_CALLS = RecordKind(
    "challenge_calls",
    "揭榜挂帅榜单",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("title", "榜单名称", TEXT, required=True, max_length=300),
        field_spec("problem", "攻关难题", TEXT, required=True, max_length=20000),
        field_spec("conditions", "揭榜条件", TEXT, required=True, max_length=20000),
        field_spec("reward", "榜额(元)", MONEY, required=True, minimum=0.0),
        field_spec("apply_by", "揭榜截止日期", DATE, required=True),
        field_spec("field", "技术领域", TEXT, required=True, max_length=100),
        field_spec("rubric", "评分细则(JSON)", TEXT, max_length=4000),
        field_spec("min_reviews", "最少评审数", INT, required=True, minimum=1, maximum=50),
        field_spec("state", "状态", TEXT, required=True, **coded(STATE_LABELS)),
        field_spec("published", "发榜日期", DATE),
    ),
    ("id",),
)

CHALLENGE_APPLICATIONS = RecordKind(
    "challenge_applications",
    "揭榜申请",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("call_id", "榜单编号", INT, required=True, minimum=1),
        *_party("applicant", "揭榜方"),
        field_spec("team_lead", "团队负责人", TEXT, required=True, max_length=100),
        field_spec("team", "团队成员", TEXT, required=True, max_length=4000),
        field_spec("proposal", "方案名称", TEXT, required=True, max_length=300),
        field_spec("approach", "技术路线", TEXT, required=True, max_length=20000),
        field_spec("requested", "申请金额(元)", MONEY, required=True, minimum=0.0),
        field_spec("submitted", "提交日期", DATE, required=True),
        field_spec("state", "状态", TEXT, required=True, **coded(APPLICATION_LABELS)),
    ),
    ("id",),
)

CHALLENGE_MILESTONES = RecordKind(
    "challenge_milestones",
    "揭榜攻关里程碑",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("call_id", "榜单编号", INT, required=True, minimum=1),
        field_spec("title", "里程碑", TEXT, required=True, max_length=300),
        field_spec("due", "计划完成日期", DATE, required=True),
        field_spec("amount", "拨付金额(元)", MONEY, required=True, minimum=0.0),
        field_spec("accepted", "验收日期", DATE),
    ),
    ("id",),
)

# Partners: `enterprise:<credit code>` or `institution:<id>`, separated by ",".
COOPERATION_PROJECTS = RecordKind(
    "cooperation_projects",
    "合作项目",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("kind", "项目类别", TEXT, required=True, **coded(_labels(CooperationKind))),
        field_spec("year", "年度", INT, required=True, minimum=1980, maximum=2100),
        field_spec("title", "项目名称", TEXT, required=True, max_length=300),
        *_party("lead", "牵头单位"),
        field_spec("partners", "合作单位(类型:编号,分隔)", TEXT, max_length=4000),
        field_spec("funding", "经费(元)", MONEY, required=True, minimum=0.0),
        field_spec("challenge_call_id", "榜单编号", INT, minimum=1),
        WITHDRAWN,
    ),
    ("id",),
)

MARKET_KINDS: tuple[RecordKind, ...] = (
    ACHIEVEMENTS,
    DEMANDS,
    TECH_CONTRACTS,
    CHALLENGE_CALLS,
    CHALLENGE_APPLICATIONS,
    CHALLENGE_MILESTONES,
    COOPERATION_PROJECTS,
)
