"""Open collaboration's and the honours register's record kinds in files: partner
organisations, networks and programmes, memberships, cooperation agreements, joint projects,
innovation-consortium members and honours (awards, rankings, designations, approvals)."""

from __future__ import annotations

from typing import Any

from fourchain.domain.collaboration import (
    CONSORTIUM_ROLE_LABELS,
    HONOUR_CATEGORY_LABELS,
    HONOUR_KIND_LABELS,
    MEMBER_KIND_LABELS,
    NETWORK_KIND_LABELS,
    PARTNER_KIND_LABELS,
)
from fourchain.domain.records import FieldType, RecordKind, coded, field_spec

TEXT, INT, DATE = FieldType.TEXT, FieldType.INT, FieldType.DATE
_ID: dict[str, Any] = {"required": True, "minimum": 1}

PARTNERS = RecordKind(
    "partners",
    "合作机构",
    (
        field_spec("key", "机构键", TEXT, required=True, max_length=60),
        field_spec("name_zh", "中文名称", TEXT, required=True, max_length=200),
        field_spec("name_en", "英文名称", TEXT, required=True, max_length=200),
        field_spec("country", "国家或地区", FieldType.COUNTRY, required=True),
        field_spec("kind", "机构类型", TEXT, required=True, **coded(PARTNER_KIND_LABELS)),
        field_spec("city", "所在城市", TEXT, max_length=100),
    ),
    ("key",),
)

NETWORKS = RecordKind(
    "networks",
    "合作网络与计划",
    (
        field_spec("key", "网络键", TEXT, required=True, max_length=60),
        field_spec("name_zh", "中文名称", TEXT, required=True, max_length=200),
        field_spec("name_en", "英文名称", TEXT, required=True, max_length=200),
        field_spec("kind", "类型", TEXT, required=True, **coded(NETWORK_KIND_LABELS)),
        field_spec("host", "牵头或承载单位", TEXT, max_length=200),
        field_spec("founded", "成立日期", DATE),
    ),
    ("key",),
)

NETWORK_MEMBERS = RecordKind(
    "network_members",
    "网络成员",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("network", "网络键", TEXT, required=True, max_length=60),
        field_spec("partner", "机构键", TEXT, required=True, max_length=60),
        field_spec("joined", "加入日期", DATE, required=True),
        field_spec("left", "退出日期", DATE),
    ),
    ("id",),
)

COOPERATION_AGREEMENTS = RecordKind(
    "cooperation_agreements",
    "合作协议",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("title", "协议名称", TEXT, required=True, max_length=300),
        field_spec("partner", "机构键", TEXT, required=True, max_length=60),
        field_spec("network", "网络键", TEXT, max_length=60),
        field_spec("signed", "签署日期", DATE, required=True),
        field_spec("expires", "到期日期", DATE),
    ),
    ("id",),
)

JOINT_PROJECTS = RecordKind(
    "joint_projects",
    "合作项目",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("title", "项目名称", TEXT, required=True, max_length=300),
        field_spec("partner", "合作机构键", TEXT, required=True, max_length=60),
        field_spec("network", "网络键", TEXT, max_length=60),
        field_spec("credit_code", "本地企业信用代码", FieldType.CREDIT_CODE),
        field_spec("started", "落地日期", DATE, required=True),
    ),
    ("id",),
)

CONSORTIUM_MEMBERS = RecordKind(
    "consortium_members",
    "创新联合体成员",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("consortium", "联合体机构编号", TEXT, required=True, max_length=40),
        field_spec("member_kind", "成员类型", TEXT, required=True, **coded(MEMBER_KIND_LABELS)),
        field_spec(
            "member_id", "成员(信用代码、机构编号或机构键)", TEXT, required=True, max_length=60
        ),
        field_spec("role", "角色", TEXT, required=True, **coded(CONSORTIUM_ROLE_LABELS)),
        field_spec("joined", "加入日期", DATE, required=True),
        field_spec("left", "退出日期", DATE),
    ),
    ("id",),
)

HONOURS = RecordKind(
    "honours",
    "荣誉与排名",
    (
        field_spec("id", "编号", INT, **_ID),
        field_spec("kind", "类型", TEXT, required=True, **coded(HONOUR_KIND_LABELS)),
        field_spec("category", "类别", TEXT, required=True, **coded(HONOUR_CATEGORY_LABELS)),
        field_spec("title", "名称", TEXT, required=True, max_length=300),
        field_spec("holder", "获得者", TEXT, required=True, max_length=200),
        field_spec("credit_code", "企业信用代码", FieldType.CREDIT_CODE),
        field_spec("awarded", "发布日期", DATE, required=True),
        field_spec("rank", "名次", INT, minimum=1),
        field_spec("source", "来源文件", TEXT, required=True, max_length=300),
    ),
    ("id",),
)

# In import order: a kind names only kinds before it (and the registry's).
COLLAB_KINDS: tuple[RecordKind, ...] = (
    PARTNERS,
    NETWORKS,
    NETWORK_MEMBERS,
    COOPERATION_AGREEMENTS,
    JOINT_PROJECTS,
    CONSORTIUM_MEMBERS,
    HONOURS,
)
