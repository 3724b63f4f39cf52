"""The record kinds that imports, exports and templates speak: each column's key, Chinese
label, type and whether it is required (the contract of enterprise-schema.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fourchain.domain.registry import (
    INSTITUTION_LABELS,
    TIER_LABELS,
    ClusterKind,
    LinkPosition,
    PatentKind,
)


class FieldType(StrEnum):
    TEXT = "text"
    INT = "int"
    NUMBER = "number"
    BOOL = "bool"
    DATE = "date"
    CHOICE = "choice"
    CREDIT_CODE = "credit_code"
    MONEY = "money"  # 元; a cell may say 万/万元 or 亿/亿元
    DISTRICT = "district"  # a district's short name: 湖里区 is stored as 湖里
    COUNTRY = "country"  # ISO 3166-1 alpha-2; a cell may give alpha-3 or the English name


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label_zh: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    # (中文, English) of each choice, in the order of `choices`: a cell may name either
    choice_labels: tuple[tuple[str, str], ...] = ()
    # filled by the importer from other columns, whatever the file says (exports show it)
    derived: bool = False

    def choice_names(self) -> dict[str, str]:
        """Every spelling a cell may use for a choice (key, 中文, English; lower-cased
        where Latin) mapped to the choice's key."""
        names = {key.lower(): key for key in self.choices}
        for key, (zh, en) in zip(self.choices, self.choice_labels, strict=False):
            names[zh] = key
            names[en.lower()] = key
        return names

    def choices_shown(self) -> str:
        """The valid codes with their names, for a refusal and the Notes sheet."""
        if not self.choice_labels:
            return ", ".join(self.choices)
        return ", ".join(
            f"{key} ({zh} / {en})"
            for key, (zh, en) in zip(self.choices, self.choice_labels, strict=True)
        )


@dataclass(frozen=True)
class RecordKind:
    """A kind of record: its name, its columns and the columns that identify a row."""

    name: str
    label_zh: str
    fields: tuple[FieldSpec, ...]
    natural_key: tuple[str, ...]

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(spec.key for spec in self.fields)


T, INT, N, B, D, C = (
    FieldType.TEXT,
    FieldType.INT,
    FieldType.NUMBER,
    FieldType.BOOL,
    FieldType.DATE,
    FieldType.CHOICE,
)
CC = FieldType.CREDIT_CODE
M, DIST = FieldType.MONEY, FieldType.DISTRICT
LEVEL_LABELS = {
    "none": ("无", "None"),
    "municipal": ("市级", "Municipal"),
    "provincial": ("省级", "Provincial"),
    "national": ("国家级", "National"),
}
LEVELS = tuple(LEVEL_LABELS)
CHAIN_ROLE_LABELS = {
    "none": ("无", "None"),
    "supplies_leading": ("为龙头企业配套", "Supplies a leading firm"),
    "fills_gap": ("补短板/锻长板/填空白", "Fills a gap in the chain"),
}
CLUSTER_KIND_LABELS = {
    ClusterKind.PILLAR: ("支柱产业", "Pillar industry"),
    ClusterKind.STRATEGIC_EMERGING: ("战略性新兴产业", "Strategic emerging industry"),
    ClusterKind.FUTURE: ("未来产业", "Future industry"),
}
POSITION_LABELS = {
    LinkPosition.UPSTREAM: ("上游", "Upstream"),
    LinkPosition.MIDSTREAM: ("中游", "Midstream"),
    LinkPosition.DOWNSTREAM: ("下游", "Downstream"),
}
PATENT_KIND_LABELS = {
    PatentKind.INVENTION: ("发明专利", "Invention patent"),
    PatentKind.UTILITY_MODEL: ("实用新型", "Utility model"),
    PatentKind.DESIGN: ("外观设计", "Design"),
}


def coded(labels: Mapping[Any, tuple[str, str]]) -> dict[str, Any]:
    """The `choices` and `choice_labels` of a coded column, from its labels by key."""
    return {
        "choices": tuple(str(key) for key in labels),
        "choice_labels": tuple(labels.values()),
    }


def field_spec(key: str, label: str, type_: FieldType, **kw: Any) -> FieldSpec:
    """A column: key, Chinese label, type and the FieldSpec options."""
    if kw.get("choices"):
        type_ = FieldType.CHOICE
    return FieldSpec(key, label, type_, **kw)


_f = field_spec


ENTERPRISES = RecordKind(
    "enterprises",
    "企业",
    (
        _f("credit_code", "统一社会信用代码", CC, required=True),
        _f("name", "企业名称", T, required=True, max_length=200),
        _f("founded", "成立日期", D),
        _f("district", "所在区", DIST, max_length=50),
        _f("zone", "园区", T, max_length=100),
        _f("industry_code", "国民经济行业代码", T, max_length=10),
        _f("cluster", "产业集群", T, max_length=50),
        _f("chain_link", "产业链环节", T, max_length=80),
        _f("above_scale", "规上企业", B),
        _f("leading", "龙头企业", B),
        _f("niche_since", "进入细分市场年份", INT, minimum=1900, maximum=2100),
        _f("main_product", "主导产品", T, max_length=200),
        _f("strategic_emerging", "属战略性新兴产业", B),
        _f("key_chain_role", "产业链配套作用", C, **coded(CHAIN_ROLE_LABELS)),
        _f("rd_institution_level", "研发机构级别", C, **coded(LEVEL_LABELS)),
        _f("credit_code_pre_standard", "试点期信用代码(早于GB 32100-2015)", B, derived=True),
    ),
    ("credit_code",),
)

_MONEY: dict[str, Any] = {"minimum": 0.0}
ENTERPRISE_YEARS = RecordKind(
    "enterprise_years",
    "企业年度数据",
    (
        _f("credit_code", "统一社会信用代码", CC, required=True),
        _f("year", "年度", INT, required=True, minimum=1980, maximum=2100),
        _f("employees", "职工总数", INT, minimum=0),
        _f("st_staff", "科技人员数", INT, minimum=0),
        _f("rd_staff", "研发人员数", INT, minimum=0),
        _f("revenue", "营业收入", M, **_MONEY),
        _f("main_business_revenue", "主营业务收入", M, **_MONEY),
        _f("hitech_revenue", "高新技术产品(服务)收入", M, **_MONEY),
        _f("rd_expense", "研发费用", M, **_MONEY),
        _f("rd_expense_domestic", "境内研发费用", M, **_MONEY),
        _f("total_cost", "成本费用总额", M, **_MONEY),
        _f("net_profit", "净利润", M),
        _f("total_assets", "资产总额", M, **_MONEY),
        _f("total_liabilities", "负债总额", M, **_MONEY),
        _f("export_revenue", "出口收入", M, **_MONEY),
        _f("equity_financing", "当年新增股权融资", M, **_MONEY),
        _f("class1_ip", "Ⅰ类知识产权数", INT, minimum=0),
        _f("class1_ip_high_value", "高价值Ⅰ类知识产权数", INT, minimum=0),
        _f("class1_ip_self_developed", "自主研发Ⅰ类知识产权数", INT, minimum=0),
        _f("class2_ip", "Ⅱ类知识产权数", INT, minimum=0),
        _f("conversions", "科技成果转化数", INT, minimum=0),
        _f("standards_led", "主导制定标准数", INT, minimum=0),
        _f("niche_market_share", "细分市场占有率", N, minimum=0.0, maximum=100.0),
        _f("global_rank", "全球市场排名", INT, minimum=1),
        _f("digital_level", "数字化水平等级", INT, minimum=1, maximum=4),
        _f("major_incident", "重大安全/质量/环境事故", B),
        _f("dishonest_listed", "列入严重失信名单", B),
    ),
    ("credit_code", "year"),
)

CERTIFICATES = RecordKind(
    "certificates",
    "资质证书",
    (
        _f("credit_code", "统一社会信用代码", CC, required=True),
        _f("tier", "资质类别", C, required=True, **coded(TIER_LABELS)),
        _f("number", "证书编号", T, max_length=60),
        _f("issued", "发证日期", D, required=True),
        _f("expires", "有效期至", D, required=True),
        _f("issuer", "发证机关", T, max_length=100),
        _f("revoked", "撤销日期", D),
    ),
    ("credit_code", "tier", "issued"),
)

INSTITUTIONS = RecordKind(
    "institutions",
    "机构与平台",
    (
        _f("id", "机构编号", T, required=True, max_length=40),
        _f("name", "机构名称", T, required=True, max_length=200),
        _f("kind", "机构类型", C, required=True, **coded(INSTITUTION_LABELS)),
        _f("level", "级别", C, **coded(LEVEL_LABELS)),
        _f("district", "所在区", DIST, max_length=50),
        _f("zone", "园区", T, max_length=100),
        _f("cluster", "产业集群", T, max_length=50),
        _f("host_credit_code", "依托企业信用代码", CC),
        _f("recognised", "认定/成立日期", D),
        _f("closed", "撤销/关闭日期", D),
        _f("capacity", "容量(项目/企业数)", INT, minimum=0),
        _f("services", "服务内容", T, max_length=500),
    ),
    ("id",),
)

PATENTS = RecordKind(
    "patents",
    "专利",
    (
        _f("number", "专利号", T, required=True, max_length=40),
        _f("title", "专利名称", T, required=True, max_length=300),
        _f("kind", "专利类型", C, required=True, **coded(PATENT_KIND_LABELS)),
        _f("abstract", "摘要", T, max_length=5000),
        _f("ipc", "IPC分类号", T, max_length=40),
        _f("holder_credit_code", "权利人信用代码", CC),
        _f("holder_institution", "权利人机构编号", T, max_length=40),
        _f("filed", "申请日", D, required=True),
        _f("granted", "授权日", D),
        _f("lapsed", "失效日", D),
        _f("hv_strategic_emerging", "战略性新兴产业相关", B),
        _f("hv_overseas_family", "有海外同族专利", B),
        _f("hv_pledge_financing", "质押融资", B),
        _f("hv_award", "获国家科技奖或中国专利奖", B),
    ),
    ("number",),
)

MACRO_STATS = RecordKind(
    "macro_stats",
    "宏观统计",
    (
        _f("region", "地区", T, required=True, max_length=50),
        _f("year", "年度", INT, required=True, minimum=1980, maximum=2100),
        _f("key", "指标键", T, required=True, max_length=80),
        _f("value", "数值", N, required=True),
        _f("unit", "单位", T, required=True, max_length=40),
        _f("source", "来源", T, max_length=300),
    ),
    ("region", "year", "key"),
)

CLUSTERS = RecordKind(
    "clusters",
    "产业集群",
    (
        _f("key", "集群键", T, required=True, max_length=50),
        _f("name_zh", "中文名称", T, required=True, max_length=100),
        _f("name_en", "英文名称", T, required=True, max_length=100),
        _f("kind", "类别", C, required=True, **coded(CLUSTER_KIND_LABELS)),
    ),
    ("key",),
)

CHAINS = RecordKind(
    "chains",
    "产业链",
    (
        _f("key", "产业链键", T, required=True, max_length=50),
        _f("name_zh", "中文名称", T, required=True, max_length=100),
        _f("name_en", "英文名称", T, required=True, max_length=100),
        _f("cluster", "所属集群", T, required=True, max_length=50),
    ),
    ("key",),
)

CHAIN_LINKS = RecordKind(
    "chain_links",
    "产业链环节",
    (
        _f("key", "环节键", T, required=True, max_length=80),
        _f("chain", "所属产业链", T, required=True, max_length=50),
        _f("name_zh", "中文名称", T, required=True, max_length=100),
        _f("name_en", "英文名称", T, required=True, max_length=100),
        _f("position", "上中下游", C, required=True, **coded(POSITION_LABELS)),
    ),
    ("key",),
)

# The last column of every kind whose records can be withdrawn (撤回): the day it was. An
# optional column: a file without it leaves stored withdrawals as they are; a file with it
# is the truth (blank = live), so an export imported back withdraws the same records.
WITHDRAWN: FieldSpec = FieldSpec("withdrawn", "撤回日期", FieldType.DATE)

# The capital chain, the talent chain and pipeline projects (they use the types above).
from fourchain.domain.records_collab import COLLAB_KINDS  # noqa: E402
from fourchain.domain.records_ledger import LEDGER_KINDS  # noqa: E402
from fourchain.domain.records_market import MARKET_KINDS  # noqa: E402
from fourchain.domain.records_programmes import PROGRAMME_KINDS  # noqa: E402

RECORD_KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        ENTERPRISES,
        ENTERPRISE_YEARS,
        CERTIFICATES,
        INSTITUTIONS,
        PATENTS,
        MACRO_STATS,
        CLUSTERS,
        CHAINS,
        CHAIN_LINKS,
        *LEDGER_KINDS,
        *MARKET_KINDS,
        *PROGRAMME_KINDS,
        *COLLAB_KINDS,
    )
}

# The kinds whose records can be withdrawn (they end with the WITHDRAWN column).
WITHDRAWABLE: frozenset[str] = frozenset(
    name for name, kind in RECORD_KINDS.items() if WITHDRAWN in kind.fields
)

# The order files load in: each kind names only kinds loaded before it.
IMPORT_ORDER: tuple[str, ...] = (
    "clusters",
    "chains",
    "chain_links",
    "enterprises",
    "institutions",
    "enterprise_years",
    "certificates",
    "patents",
    "macro_stats",
    *(kind.name for kind in LEDGER_KINDS),
    *(kind.name for kind in MARKET_KINDS),
    *(kind.name for kind in PROGRAMME_KINDS),
    *(kind.name for kind in COLLAB_KINDS),
)
