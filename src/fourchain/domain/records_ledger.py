"""The record kinds of the capital chain, the talent chain and the incubation pipeline's
projects, in files: each column's key, Chinese label and type (beside the registry's kinds of
`records.py`). A record without a natural identity of its own (an investment, a loan) is
identified by its record number `id` (编号), which a re-import matches."""

from __future__ import annotations

from typing import Any

from fourchain.domain.finance import FUND_LABELS
from fourchain.domain.pipeline import EXIT_LABELS, STAGE_LABELS, EventKind
from fourchain.domain.records import WITHDRAWN, FieldType, RecordKind, coded, field_spec
from fourchain.domain.talent import PROJECT_ROLE_LABELS

TEXT, INT, NUMBER, BOOL, DATE = (
    FieldType.TEXT,
    FieldType.INT,
    FieldType.NUMBER,
    FieldType.BOOL,
    FieldType.DATE,
)
MONEY, CC = FieldType.MONEY, FieldType.CREDIT_CODE
_ID: dict[str, Any] = {"required": True, "minimum": 1}
_AMOUNT: dict[str, Any] = {"required": True, "minimum": 0.0}


def _recipient() -> tuple[Any, ...]:
    return (
        field_spec("project_id", "孵化项目编号", TEXT, max_length=40),
        field_spec("enterprise", "企业信用代码", CC),
    )


FUNDS = RecordKind(
    "funds",
    "基金",
    (
        field_spec("key", "基金键", TEXT, required=True, max_length=40),
        field_spec("name", "基金名称", TEXT, required=True, max_length=200),
        field_spec("kind", "基金类别", TEXT, required=True, **coded(FUND_LABELS)),
        field_spec("size", "基金规模(元)", MONEY, **_AMOUNT),
        field_spec("parent", "母基金", TEXT, max_length=40),
        field_spec("manager", "管理人", TEXT, max_length=200),
        field_spec("established", "设立日期", DATE),
        WITHDRAWN,
    ),
    ("key",),
)

FUND_COMMITMENTS = RecordKind(
    "fund_commitments",
    "基金认缴",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("fund", "基金", TEXT, required=True, max_length=40),
        field_spec("investor", "出资人", TEXT, required=True, max_length=200),
        field_spec("amount", "认缴金额(元)", MONEY, **_AMOUNT),
        field_spec("public", "财政资金", BOOL, required=True),
        field_spec("committed_on", "认缴日期", DATE, required=True),
        WITHDRAWN,
    ),
    ("id",),
)

INVESTMENTS = RecordKind(
    "investments",
    "投资",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("fund", "基金", TEXT, max_length=40),
        field_spec("investor", "投资方", TEXT, required=True, max_length=200),
        field_spec("round", "轮次", TEXT, required=True, max_length=30),
        field_spec("amount", "投资金额(元)", MONEY, **_AMOUNT),
        field_spec("invested_on", "投资日期", DATE, required=True),
        *_recipient(),
        WITHDRAWN,
    ),
    ("id",),
)

SUBSIDIES = RecordKind(
    "subsidies",
    "财政补助",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("programme", "项目/计划", TEXT, required=True, max_length=200),
        field_spec("amount", "补助金额(元)", MONEY, **_AMOUNT),
        field_spec("conditions", "条件", TEXT, max_length=2000),
        field_spec("awarded_on", "立项日期", DATE, required=True),
        *_recipient(),
        WITHDRAWN,
    ),
    ("id",),
)

SUBSIDY_DISBURSEMENTS = RecordKind(
    "subsidy_disbursements",
    "补助拨付",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("subsidy_id", "补助编号", INT, required=True, minimum=1),
        field_spec("paid_on", "拨付日期", DATE, required=True),
        field_spec("amount", "拨付金额(元)", MONEY, **_AMOUNT),
        WITHDRAWN,
    ),
    ("id",),
)

LOANS = RecordKind(
    "loans",
    "贷款",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("bank", "贷款银行", TEXT, required=True, max_length=200),
        field_spec("amount", "贷款金额(元)", MONEY, **_AMOUNT),
        field_spec("lent_on", "放款日期", DATE, required=True),
        field_spec("term_months", "期限(月)", INT, required=True, minimum=1, maximum=600),
        field_spec("guarantee_fund", "增信基金", TEXT, max_length=40),
        field_spec("guaranteed_share", "担保比例", NUMBER, required=True, minimum=0, maximum=1),
        *_recipient(),
        WITHDRAWN,
    ),
    ("id",),
)

INSURANCE_POLICIES = RecordKind(
    "insurance_policies",
    "研发保险保单",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("insurer", "保险公司", TEXT, required=True, max_length=200),
        field_spec("premium", "保费(元)", MONEY, **_AMOUNT),
        field_spec("cover", "保额(元)", MONEY, **_AMOUNT),
        field_spec("starts", "起保日期", DATE, required=True),
        field_spec("ends", "终保日期", DATE, required=True),
        *_recipient(),
        WITHDRAWN,
    ),
    ("id",),
)

INSURANCE_CLAIMS = RecordKind(
    "insurance_claims",
    "研发保险赔付",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("policy_id", "保单编号", INT, required=True, minimum=1),
        field_spec("paid_on", "赔付日期", DATE, required=True),
        field_spec("amount", "赔付金额(元)", MONEY, **_AMOUNT),
        field_spec("reason", "赔付原因", TEXT, required=True, max_length=2000),
        WITHDRAWN,
    ),
    ("id",),
)

PIPELINE_EVENTS = RecordKind(
    "pipeline_events",
    "孵化项目进程",
    (
        field_spec("project_id", "项目编号", TEXT, required=True, max_length=40),
        field_spec("seq", "序号", INT, required=True, minimum=1),
        field_spec(
            "kind", "事件类型", TEXT, required=True, choices=tuple(k.value for k in EventKind)
        ),
        field_spec("occurred_on", "发生日期", DATE, required=True),
        field_spec("recorded_by", "记录人", TEXT, required=True, max_length=80),
        field_spec("by_admin", "管理员操作", BOOL, required=True),
        field_spec("stage", "阶段", TEXT, **coded(STAGE_LABELS)),
        field_spec("exit", "退出方式", TEXT, **coded(EXIT_LABELS)),
        field_spec("trl", "技术就绪度", INT, minimum=1, maximum=9),
        field_spec("evidence", "证明材料类别", TEXT, max_length=200),
        field_spec("institution", "承载机构编号", TEXT, max_length=40),
        field_spec("enterprise", "企业信用代码", CC),
        field_spec("amount", "金额(元)", MONEY),
        field_spec("passed", "评审通过", BOOL),
        field_spec("note", "备注", TEXT, max_length=2000),
        field_spec("override_reason", "越过关口理由", TEXT, max_length=2000),
    ),
    ("project_id", "seq"),
)

PEOPLE = RecordKind(
    "people",
    "人才",
    (
        field_spec("id", "人员编号", TEXT, required=True, max_length=40),
        field_spec("name", "姓名", TEXT, required=True, max_length=100),
        field_spec("affiliation", "所在单位", TEXT, max_length=200),
        field_spec("expertise", "专长", TEXT, max_length=200),
        field_spec("email", "电子邮箱", TEXT, max_length=200),
        WITHDRAWN,
    ),
    ("id",),
)

PIPELINE_PROJECTS = RecordKind(
    "pipeline_projects",
    "孵化项目",
    (
        field_spec("id", "项目编号", TEXT, required=True, max_length=40),
        field_spec("title", "项目名称", TEXT, required=True, max_length=300),
        field_spec("summary", "项目简介", TEXT, max_length=5000),
        field_spec("cluster", "产业集群", TEXT, max_length=50),
        field_spec("chain", "产业链", TEXT, max_length=50),
        field_spec("origin_institution", "来源机构编号", TEXT, max_length=40),
        field_spec("created_on", "立项日期", DATE, required=True),
        field_spec("created_by", "登记人", TEXT, required=True, max_length=80),
        WITHDRAWN,
    ),
    ("id",),
)

PROJECT_PEOPLE = RecordKind(
    "project_people",
    "项目人员",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("project_id", "项目编号", TEXT, required=True, max_length=40),
        field_spec("person_id", "人员编号", TEXT, required=True, max_length=40),
        field_spec("role", "角色", TEXT, required=True, **coded(PROJECT_ROLE_LABELS)),
        field_spec("joined", "加入日期", DATE, required=True),
        field_spec("left", "离开日期", DATE),
    ),
    ("id",),
)

CONVERSION_PROJECTS = RecordKind(
    "conversion_projects",
    "成果转化项目",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("credit_code", "企业信用代码", CC, required=True),
        field_spec("title", "项目名称", TEXT, required=True, max_length=300),
        field_spec("year", "年度", INT, required=True, minimum=1980, maximum=2100),
        field_spec("field", "技术领域", TEXT, max_length=100),
        field_spec("project_id", "孵化项目编号", TEXT, max_length=40),
        WITHDRAWN,
    ),
    ("id",),
)

# In import order: a kind names only kinds before it (and the registry's).
LEDGER_KINDS: tuple[RecordKind, ...] = (
    PIPELINE_PROJECTS,
    PIPELINE_EVENTS,
    PEOPLE,
    PROJECT_PEOPLE,
    FUNDS,
    FUND_COMMITMENTS,
    INVESTMENTS,
    SUBSIDIES,
    SUBSIDY_DISBURSEMENTS,
    LOANS,
    INSURANCE_POLICIES,
    INSURANCE_CLAIMS,
    CONVERSION_PROJECTS,
)
