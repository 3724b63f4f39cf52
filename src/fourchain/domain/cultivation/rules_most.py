"""Rule sets of the MOST tiers: 高新技术企业 (2016) and 科技型中小企业 (2017, 2022)."""

from __future__ import annotations

from datetime import date

from fourchain.domain.cultivation.builders import (
    GE,
    GT,
    LE,
    all_of,
    any_of,
    band,
    crit,
    item,
    manual,
    manual_item,
    steps,
    t,
)
from fourchain.domain.cultivation.model import (
    Banded,
    Basis,
    RuleSet,
    ScoreGroup,
    ScorePass,
    ScoreSpec,
)
from fourchain.domain.registry import Tier

HNTE_DOC = "国科发火〔2016〕32号《高新技术企业认定管理办法》"
HNTE_GUIDE = "国科发火〔2016〕195号《高新技术企业认定管理工作指引》"


def _h(article: str) -> Basis:
    return Basis(HNTE_DOC, article)


_GROWTH = ((35, 9, 10), (25, 7, 8), (15, 5, 6), (5, 3, 4))
HNTE_SCORE = ScoreSpec(
    groups=(
        ScoreGroup("ip", "知识产权", "Intellectual property", 30),
        ScoreGroup("conversion", "科技成果转化能力", "Achievement conversion", 30),
        ScoreGroup("rd_management", "研究开发组织管理水平", "R&D organisation", 20),
        ScoreGroup("growth", "企业成长性", "Growth", 20),
    ),
    items=(
        manual_item("ip_advancement", "ip", "技术的先进程度", "Technical advancement", 8),
        manual_item("ip_core_support", "ip", "对主要产品(服务)的核心支持作用", "Core support", 8),
        item(
            "ip_count",
            "ip",
            "知识产权数量",
            "IP count",
            8,
            steps("class1_ip", GE, (1, 7, 8))
            + steps("class2_ip", GE, (5, 5, 6), (3, 3, 4), (1, 1, 2)),
        ),
        item(
            "ip_acquisition",
            "ip",
            "知识产权获得方式",
            "IP acquisition mode",
            6,
            steps("class1_ip_self_developed", GE, (1, 1, 6)) + steps("ip_total", GE, (1, 1, 3)),
        ),
        item(
            "ip_standards",
            "ip",
            "参与制定标准(加分)",
            "Standards (bonus)",
            2,
            steps("standards_3y", GE, (1, 1, 2)),
        ),
        item(
            "conversion",
            "conversion",
            "科技成果转化能力",
            "Achievement conversion",
            30,
            steps(
                "conversions_avg_3y",
                GE,
                (5, 25, 30),
                (4, 19, 24),
                (3, 13, 18),
                (2, 7, 12),
                (1, 1, 6),
            ),
        ),
        manual_item(
            "rdm_system",
            "rd_management",
            "研发组织管理制度与辅助账",
            "R&D management system and ledger",
            6,
        ),
        manual_item(
            "rdm_institution",
            "rd_management",
            "研发机构与产学研合作",
            "R&D institution and cooperation",
            6,
        ),
        manual_item(
            "rdm_conversion",
            "rd_management",
            "成果转化组织与激励、创新创业平台",
            "Conversion incentives and platforms",
            4,
        ),
        manual_item(
            "rdm_talent",
            "rd_management",
            "人才培养、引进与绩效评价",
            "Talent and performance systems",
            4,
        ),
        item(
            "growth_net_assets",
            "growth",
            "净资产增长率",
            "Net-asset growth",
            10,
            steps("net_asset_growth", GE, *_GROWTH) + steps("net_asset_growth", GT, (0, 1, 2)),
        ),
        item(
            "growth_sales",
            "growth",
            "销售收入增长率",
            "Sales growth",
            10,
            steps("sales_growth", GE, *_GROWTH) + steps("sales_growth", GT, (0, 1, 2)),
        ),
    ),
)

_RD_BANDS = Banded(
    "revenue",
    (
        band(
            "销售收入≤5000万元",
            "revenue ≤ 50 million",
            None,
            5e7,
            t("rd_ratio_3y", GE, 5),
            high_inclusive=True,
        ),
        band(
            "销售收入5000万–2亿元",
            "revenue 50–200 million",
            5e7,
            2e8,
            t("rd_ratio_3y", GE, 4),
            low_inclusive=False,
            high_inclusive=True,
        ),
        band(
            "销售收入>2亿元",
            "revenue > 200 million",
            2e8,
            None,
            t("rd_ratio_3y", GE, 3),
            low_inclusive=False,
        ),
    ),
)

HNTE_2016 = RuleSet(
    key="hnte-2016",
    tier=Tier.HNTE,
    version="2016",
    title=f"{HNTE_DOC}；{HNTE_GUIDE}",
    effective_from=date(2016, 1, 1),
    effective_to=None,
    criteria=(
        crit(
            "registered",
            "注册成立一年以上",
            "registered for at least one year",
            t("registered_years", GE, 1),
            _h("第十一条(一)"),
            "营业执照 business licence",
        ),
        crit(
            "core_ip",
            "拥有对主要产品起核心支持作用的知识产权",
            "owns IP supporting its main products",
            t("ip_total", GE, 1),
            _h("第十一条(二)"),
            "知识产权证书 IP certificates",
        ),
        crit(
            "key_field",
            "核心技术属于《国家重点支持的高新技术领域》",
            "core technology in the state-supported high-tech fields",
            manual("由专家判断技术领域", "an expert classifies the technical field"),
            _h("第十一条(三)"),
            "技术领域说明 description of the field",
        ),
        crit(
            "st_staff_share",
            "科技人员占职工总数比例不低于10%",
            "S&T staff ≥ 10% of employees",
            t("st_share", GE, 10),
            _h("第十一条(四)"),
            "人员名册、社保记录 staff roster",
        ),
        crit(
            "rd_ratio",
            "近三年研发费用占销售收入比例达标",
            "R&D ratio of the last 3 years by band",
            _RD_BANDS,
            _h("第十一条(五)"),
            "研发费用专项审计报告 R&D audit report",
        ),
        crit(
            "rd_domestic",
            "境内研发费用占全部研发费用比例不低于60%",
            "domestic R&D ≥ 60% of R&D",
            t("rd_domestic_share_3y", GE, 60),
            _h("第十一条(五)"),
            "研发费用专项审计报告 R&D audit report",
        ),
        crit(
            "hitech_revenue",
            "高新技术产品(服务)收入占比不低于60%",
            "high-tech revenue ≥ 60% of revenue",
            t("hitech_share", GE, 60),
            _h("第十一条(六)"),
            "高新收入专项审计报告 high-tech revenue audit",
        ),
        crit(
            "innovation_score",
            "创新能力评价总分高于70分",
            "innovation score above 70",
            ScorePass(GT, 70),
            Basis(HNTE_GUIDE, "创新能力评价"),
            "专家评审 expert review",
        ),
        crit(
            "no_incident",
            "申请前一年内未发生重大安全、质量事故或严重环境违法",
            "no major incident in the year before applying",
            t("incident_1y", LE, 0),
            _h("第十一条(八)"),
            "安全、质量、环保证明 compliance statements",
        ),
    ),
    score=HNTE_SCORE,
)

TECH_SME_DOC = "国科发政〔2017〕115号《科技型中小企业评价办法》"
TECH_SME_GUIDE = "国科火字〔2022〕67号《科技型中小企业评价服务工作指引》"

TECH_SME_SCORE = ScoreSpec(
    groups=(
        ScoreGroup("st", "科技人员", "S&T staff", 20),
        ScoreGroup("rd", "研发投入", "R&D input", 50),
        ScoreGroup("achievements", "科技成果", "S&T achievements", 30),
    ),
    items=(
        item(
            "st_share",
            "st",
            "科技人员占职工总数比例",
            "S&T staff share",
            20,
            steps("st_share", GE, (30, 20), (25, 16), (20, 12), (15, 8), (10, 4)),
        ),
        item(
            "rd_input",
            "rd",
            "研发投入(两项取高)",
            "R&D input (higher of two)",
            50,
            best_of=(
                steps("rd_ratio_1y", GE, (6, 50), (5, 40), (4, 30), (3, 20), (2, 10)),
                steps("rd_ratio_cost", GE, (30, 50), (25, 40), (20, 30), (15, 20), (10, 10)),
            ),
        ),
        item(
            "achievements",
            "achievements",
            "与主营相关的有效知识产权",
            "Valid IP",
            30,
            steps("class1_ip", GE, (1, 30))
            + steps("class2_ip", GE, (4, 24), (3, 18), (2, 12), (1, 6)),
        ),
    ),
)


def _tech_sme(version: str, start: date, end: date | None, doc: str, note: str) -> RuleSet:
    def b(article: str) -> Basis:
        return Basis(doc, article)

    return RuleSet(
        key=f"tech_sme-{version}",
        tier=Tier.TECH_SME,
        version=version,
        title=doc,
        effective_from=start,
        effective_to=end,
        note=note,
        criteria=(
            crit(
                "employees",
                "职工总数不超过500人",
                "at most 500 employees",
                t("employees", LE, 500),
                b("第六条(二)"),
                "社保缴纳记录 social-security records",
            ),
            crit(
                "revenue",
                "年销售收入不超过2亿元",
                "revenue at most 200 million",
                t("revenue", LE, 2e8),
                b("第六条(二)"),
                "年度财务报表 annual accounts",
            ),
            crit(
                "total_assets",
                "资产总额不超过2亿元",
                "total assets at most 200 million",
                t("total_assets", LE, 2e8),
                b("第六条(二)"),
                "年度财务报表 annual accounts",
            ),
            crit(
                "no_incident",
                "上年度及当年未发生重大安全、质量、环境事故",
                "no major incident last year or this year",
                t("incident_2y", LE, 0),
                b("第六条(四)"),
                "合规声明 compliance statement",
            ),
            crit(
                "not_dishonest",
                "未列入严重失信主体名单",
                "not on the serious-dishonesty list",
                t("dishonest_2y", LE, 0),
                b("第六条(四)"),
                "信用中国查询 credit record",
            ),
            crit(
                "evaluation",
                "综合评分≥60且科技人员指标不为0，或符合直接认定条件",
                "score ≥ 60 with a non-zero S&T-staff score, or a direct route",
                any_of(
                    crit(
                        "score_route",
                        "综合评分路径",
                        "score route",
                        all_of(
                            crit(
                                "score",
                                "综合评价得分不低于60分",
                                "composite score ≥ 60",
                                ScorePass(GE, 60),
                                b("第六条(五)、第七条"),
                                "评价表 score sheet",
                            ),
                            crit(
                                "st_score_nonzero",
                                "科技人员指标得分不为0",
                                "S&T-staff indicator scores above 0",
                                t("st_share", GE, 10),
                                b("第六条(五)"),
                                "人员名册 staff roster",
                            ),
                        ),
                        b("第六条(五)"),
                        "评价表 score sheet",
                    ),
                    crit(
                        "direct_hnte",
                        "拥有有效期内高新技术企业资格证书",
                        "holds a valid HNTE certificate",
                        t("hnte_held", GE, 1),
                        b("第八条(一)"),
                        "高企证书 HNTE certificate",
                    ),
                    crit(
                        "direct_rd_institution",
                        "建有省部级以上研发机构",
                        "a provincial-or-higher R&D institution",
                        t("rd_level", GE, 2),
                        b("第八条(三)"),
                        "认定文件 recognition document",
                    ),
                    crit(
                        "direct_standard",
                        "近五年主导制定国际、国家或行业标准",
                        "led a standard in the last 5 years",
                        t("standards_5y", GE, 1),
                        b("第八条(四)"),
                        "标准文本 standard text",
                    ),
                ),
                b("第六条(五)、第八条"),
                "评价表或直接认定材料；国家科技奖路径请人工核对 (award route: check by hand)",
            ),
        ),
        score=TECH_SME_SCORE,
    )


TECH_SME_2017 = _tech_sme("2017", date(2017, 5, 10), date(2021, 12, 31), TECH_SME_DOC, "")
TECH_SME_2022 = _tech_sme(
    "2022",
    date(2022, 1, 1),
    None,
    f"{TECH_SME_DOC}；{TECH_SME_GUIDE}",
    "The 2022 guideline keeps the 2017 criteria; its own effective date was not found "
    "(1 January 2022 is used) [UNCONFIRMED].",
)
