"""Rule sets of the MIIT ladder: 创新型中小企业, 专精特新中小企业, "小巨人" (2022 and 2026
measures) and 制造业单项冠军 (2023)."""

from __future__ import annotations

from datetime import date

from fourchain.domain.cultivation.builders import (
    GE,
    LE,
    LT,
    UNC,
    any_of,
    crit,
    item,
    manual,
    manual_item,
    steps,
    t,
)
from fourchain.domain.cultivation.model import (
    Basis,
    RuleSet,
    ScoreGroup,
    ScorePass,
    ScoreSpec,
)
from fourchain.domain.registry import Tier

M22 = "工信部企业〔2022〕63号《优质中小企业梯度培育管理暂行办法》"
M26 = "工信部企业〔2026〕2号《优质中小企业梯度培育管理办法》"
START_22, END_22, START_26 = date(2022, 6, 1), date(2026, 3, 31), date(2026, 4, 1)

INNOVATIVE_SCORE = ScoreSpec(
    groups=(
        ScoreGroup("innovation", "创新能力", "Innovation", 40),
        ScoreGroup("growth", "成长性", "Growth", 30),
        ScoreGroup("specialisation", "专业化", "Specialisation", 30),
    ),
    items=(
        item(
            "ip",
            "innovation",
            "与主导产品相关的有效知识产权",
            "Valid IP",
            20,
            steps("class1_ip_high_value", GE, (1, 20))
            + steps("class1_ip_self_developed", GE, (1, 15))
            + steps("class1_ip", GE, (1, 10))
            + steps("class2_ip", GE, (1, 5)),
        ),
        item(
            "rd_ratio",
            "innovation",
            "上年度研发费用占营业收入比重",
            "R&D ratio",
            20,
            steps("rd_ratio_1y", GE, (5, 20), (3, 15), (2, 10), (1, 5)),
        ),
        item(
            "main_growth",
            "growth",
            "上年度主营业务收入增长率",
            "Main-business growth",
            20,
            steps("main_growth_1y", GE, (15, 20), (10, 15), (5, 10), (0, 5)),
        ),
        item(
            "debt_ratio",
            "growth",
            "上年度资产负债率",
            "Debt-to-asset ratio",
            10,
            steps("debt_ratio", LE, (55, 10), (75, 5)),
        ),
        item(
            "field",
            "specialisation",
            "主导产品所属领域",
            "Leading product's field",
            10,
            steps("strategic_emerging", GE, (1, 10), (0, 5)),
        ),
        item(
            "main_share",
            "specialisation",
            "主营业务收入占营业收入比重",
            "Main-business share",
            20,
            steps("main_share", GE, (70, 20), (60, 15), (55, 10), (50, 5)),
        ),
    ),
)


def innovative_rule_set(
    version: str, doc: str, article: str, start: date, end: date | None
) -> RuleSet:
    def b(extra: str) -> Basis:
        return Basis(doc, f"{article} {extra}".strip())

    return RuleSet(
        key=f"innovative_sme-{version}",
        tier=Tier.INNOVATIVE_SME,
        version=version,
        title=doc,
        effective_from=start,
        effective_to=end,
        note="" if version == "2022" else "The 2026 measures keep the 2022 scoring (第三十条).",
        criteria=(
            crit(
                "sme_size",
                "符合中小企业划型标准",
                "within the SME size standard",
                any_of(
                    crit(
                        "sme_employees",
                        "从业人员少于1000人",
                        "fewer than 1,000 employees",
                        t("employees", LT, 1000),
                        b("工信部联企业〔2011〕300号"),
                        "社保记录",
                    ),
                    crit(
                        "sme_revenue",
                        "营业收入少于4亿元",
                        "revenue below 400 million",
                        t("revenue", LT, 4e8),
                        b("工信部联企业〔2011〕300号"),
                        "财务报表",
                    ),
                ),
                b("附件1 基本条件"),
                "划型按工业标准简化，其他行业请人工核对 (industrial bounds; others by hand)",
                UNC,
            ),
            crit(
                "not_dishonest",
                "未被列入严重失信主体名单",
                "not on the serious-dishonesty list",
                t("dishonest_1y", LE, 0),
                b("附件1 基本条件"),
                "信用中国查询 credit record",
            ),
            crit(
                "no_incident",
                "近三年未发生重大安全、质量、环境事故",
                "no major incident",
                t("incident_1y", LE, 0),
                b("附件1 基本条件"),
                "合规声明 compliance statement",
            ),
            crit(
                "evaluation",
                "符合直接认定条件之一或评价得分达60分(各项不低于下限)",
                "a direct condition, or a score ≥ 60 with the group floors",
                any_of(
                    crit(
                        "direct_hnte",
                        "有效期内的高新技术企业",
                        "valid HNTE status",
                        t("hnte_held", GE, 1),
                        b("附件1 一(二)"),
                        "高企证书 HNTE certificate",
                    ),
                    crit(
                        "direct_rd_institution",
                        "拥有省部级以上研发机构",
                        "provincial-or-higher R&D institution",
                        t("rd_level", GE, 2),
                        b("附件1 一(三)"),
                        "认定文件 recognition document",
                    ),
                    crit(
                        "direct_equity",
                        "近三年新增股权融资不低于500万元",
                        "new equity ≥ 5 million in 3 years",
                        t("equity_3y", GE, 5e6),
                        b("附件1 一(四)"),
                        "验资报告 capital verification",
                    ),
                    crit(
                        "score",
                        "评价得分≥60，创新能力≥20、成长性≥15、专业化≥15",
                        "score ≥ 60; innovation ≥ 20, growth ≥ 15, specialisation ≥ 15",
                        ScorePass(
                            GE, 60, (("innovation", 20), ("growth", 15), ("specialisation", 15))
                        ),
                        b("附件1 二"),
                        "评价表 score sheet",
                    ),
                ),
                b("附件1"),
                "科技奖励路径请人工核对 (award route: check by hand)",
            ),
        ),
        score=INNOVATIVE_SCORE,
    )


SRDI_SCORE = ScoreSpec(
    groups=(
        ScoreGroup("specialisation", "专业化", "Specialisation", 25),
        ScoreGroup("refinement", "精细化", "Refinement", 25),
        ScoreGroup("distinctiveness", "特色化", "Distinctiveness", 15),
        ScoreGroup("innovation", "创新能力", "Innovation", 35),
    ),
    items=(
        item(
            "main_share",
            "specialisation",
            "主营业务收入占比",
            "Main-business share",
            5,
            steps("main_share", GE, (80, 5), (70, 3), (60, 1)),
        ),
        item(
            "main_growth",
            "specialisation",
            "近两年主营业务收入平均增长率",
            "Main growth",
            10,
            steps("main_growth_2y", GE, (10, 10), (8, 8), (6, 6), (4, 4), (0, 2)),
        ),
        item(
            "niche_years",
            "specialisation",
            "从事细分市场年限",
            "Years in niche",
            5,
            steps("niche_years", GE, (10, 5), (8, 4), (6, 3), (4, 2), (2, 1)),
        ),
        item(
            "field",
            "specialisation",
            "主导产品所属领域",
            "Product field",
            5,
            steps("chain_role", GE, (2, 5), (1, 3)),
        ),
        item(
            "digital",
            "refinement",
            "数字化水平",
            "Digitalisation",
            5,
            steps("digital_level", GE, (3, 5), (2, 3)),
        ),
        manual_item("quality", "refinement", "质量管理水平", "Quality management", 5),
        item(
            "net_margin",
            "refinement",
            "上年度净利润率",
            "Net margin",
            10,
            steps("net_margin", GE, (10, 10), (8, 8), (6, 6), (4, 4), (2, 2)),
        ),
        item(
            "debt_ratio",
            "refinement",
            "上年度资产负债率",
            "Debt ratio",
            5,
            steps("debt_ratio", LE, (50, 5), (60, 3), (70, 1)),
        ),
        manual_item("local", "distinctiveness", "地方特色指标", "Local indicators", 15),
        item(
            "ip",
            "innovation",
            "与主导产品相关的有效知识产权",
            "Valid IP",
            10,
            steps("class1_ip_high_value", GE, (1, 10))
            + steps("class1_ip_self_developed", GE, (1, 8))
            + steps("class1_ip", GE, (1, 6))
            + steps("class2_ip", GE, (1, 2)),
        ),
        item(
            "rd_input",
            "innovation",
            "上年度研发投入",
            "R&D input",
            10,
            best_of=(
                steps("rd_expense", GE, (5e6, 10), (4e6, 8), (3e6, 6), (2e6, 4), (1e6, 2)),
                steps("rd_ratio_1y", GE, (10, 10), (8, 8), (6, 6), (4, 4), (3, 2)),
            ),
        ),
        item(
            "rd_staff",
            "innovation",
            "研发人员占比",
            "R&D staff share",
            5,
            steps("rd_staff_share", GE, (20, 5), (10, 3), (5, 1)),
        ),
        item(
            "rd_institution",
            "innovation",
            "建立研发机构级别",
            "R&D institution",
            10,
            steps("rd_level", GE, (3, 10), (2, 8), (1, 4)),
        ),
    ),
)


def _b22(article: str) -> Basis:
    return Basis(M22, article)


def _b26(article: str) -> Basis:
    return Basis(M26, article)


SRDI_2022 = RuleSet(
    key="srdi_sme-2022",
    tier=Tier.SRDI_SME,
    version="2022",
    title=f"{M22} 附件2",
    effective_from=START_22,
    effective_to=END_22,
    score=SRDI_SCORE,
    criteria=(
        crit(
            "niche_years",
            "从事特定细分市场时间达到2年以上",
            "in its niche for ≥ 2 years",
            t("niche_years", GE, 2),
            _b22("附件2 (一)"),
            "主导产品说明 product statement",
        ),
        crit(
            "rd_amount",
            "上年度研发费用不低于100万元",
            "last-year R&D ≥ 1 million",
            t("rd_expense", GE, 1e6),
            _b22("附件2 (二)"),
            "财务报表 accounts",
        ),
        crit(
            "rd_ratio",
            "上年度研发费用占营业收入比重不低于3%",
            "last-year R&D ≥ 3% of revenue",
            t("rd_ratio_1y", GE, 3),
            _b22("附件2 (二)"),
            "财务报表 accounts",
        ),
        crit(
            "revenue_or_equity",
            "营业收入达1000万元，或近两年新增股权融资达2000万元",
            "revenue ≥ 10 million, or new equity ≥ 20 million in 2 years",
            any_of(
                crit(
                    "revenue",
                    "上年度营业收入不低于1000万元",
                    "revenue ≥ 10 million",
                    t("revenue", GE, 1e7),
                    _b22("附件2 (三)"),
                    "财务报表 accounts",
                ),
                crit(
                    "equity",
                    "近两年新增股权融资不低于2000万元",
                    "new equity ≥ 20 million",
                    t("equity_2y", GE, 2e7),
                    _b22("附件2 (三)"),
                    "验资报告 capital verification",
                ),
            ),
            _b22("附件2 (三)"),
            "财务报表、验资报告 accounts, capital verification",
        ),
        crit(
            "evaluation",
            "评价得分达到60分以上或满足直通条件之一",
            "score ≥ 60, or a direct condition",
            any_of(
                crit(
                    "score",
                    "专精特新评价得分不低于60分",
                    "SRDI score ≥ 60",
                    ScorePass(GE, 60),
                    _b22("附件2 (四)"),
                    "评价表 score sheet",
                ),
                crit(
                    "direct_rd",
                    "近两年研发费用平均不低于1000万元",
                    "mean R&D ≥ 10 million",
                    t("rd_avg_2y", GE, 1e7),
                    _b22("附件2 (四) 直通条件"),
                    "财务报表",
                    status=UNC,
                ),
                crit(
                    "direct_equity",
                    "近两年新增股权融资不低于6000万元",
                    "new equity ≥ 60 million",
                    t("equity_2y", GE, 6e7),
                    _b22("附件2 (四) 直通条件"),
                    "验资报告",
                    status=UNC,
                ),
            ),
            _b22("附件2 (四)"),
            "评价表；科技奖、创客中国路径请人工核对 (award routes by hand)",
        ),
    ),
)

SRDI_2026 = RuleSet(
    key="srdi_sme-2026",
    tier=Tier.SRDI_SME,
    version="2026",
    title=M26,
    effective_from=START_26,
    effective_to=None,
    note="Reported by secondary sources; not verified against the official text.",
    criteria=(
        crit(
            "title",
            "持有有效的科技和创新型中小企业称号",
            "holds a valid tech/innovative SME title",
            any_of(
                crit(
                    "tech_sme",
                    "有效科技型中小企业",
                    "valid tech-based SME",
                    t("tech_sme_held", GE, 1),
                    _b26("专精特新条件(一)"),
                    "入库编号 registration number",
                ),
                crit(
                    "innovative_sme",
                    "有效创新型中小企业",
                    "valid innovative SME",
                    t("innovative_sme_held", GE, 1),
                    _b26("专精特新条件(一)"),
                    "称号文件 title",
                ),
            ),
            _b26("专精特新条件(一)"),
            "称号文件 title document",
        ),
        crit(
            "niche_years",
            "从事细分市场3年以上",
            "in its niche for ≥ 3 years",
            t("niche_years", GE, 3),
            _b26("专精特新条件(一)"),
            "主导产品说明 product statement",
        ),
        crit(
            "revenue_or_equity",
            "上年度营业收入≥1500万元或近两年新增股权投资≥2000万元",
            "revenue ≥ 15 million, or new equity ≥ 20 million in 2 years",
            any_of(
                crit(
                    "revenue",
                    "营业收入不低于1500万元",
                    "revenue ≥ 15 million",
                    t("revenue", GE, 1.5e7),
                    _b26("专精特新条件(二)"),
                    "财务报表 accounts",
                ),
                crit(
                    "equity",
                    "近两年新增股权投资不低于2000万元",
                    "new equity ≥ 20 million",
                    t("equity_2y", GE, 2e7),
                    _b26("专精特新条件(二)"),
                    "验资报告",
                ),
            ),
            _b26("专精特新条件(二)"),
            "财务报表、验资报告",
        ),
        crit(
            "main_share",
            "主营业务收入占比不低于80%",
            "main-business share ≥ 80%",
            t("main_share", GE, 80),
            _b26("专精特新条件(三)"),
            "财务报表 accounts",
        ),
        crit(
            "debt_ratio",
            "年末资产负债率不高于80%",
            "year-end debt ratio ≤ 80%",
            t("debt_ratio", LE, 80),
            _b26("专精特新条件(三)"),
            "资产负债表 balance sheet",
        ),
        crit(
            "rd_amount",
            "近两年每年研发费用不低于100万元",
            "R&D ≥ 1 million in each of 2 years",
            t("rd_min_2y", GE, 1e6),
            _b26("专精特新条件(四)"),
            "财务报表 accounts",
        ),
        crit(
            "rd_ratio",
            "近两年每年研发费用占比不低于3%",
            "R&D ≥ 3% of revenue in each of 2 years",
            t("rd_ratio_min_2y", GE, 3),
            _b26("专精特新条件(四)"),
            "财务报表 accounts",
        ),
        crit(
            "class1_ip",
            "拥有1项以上与主导产品相关的Ⅰ类知识产权(或省级研发机构豁免)",
            "≥ 1 class-I IP (or a provincial R&D institution)",
            any_of(
                crit(
                    "ip",
                    "Ⅰ类知识产权不少于1项",
                    "≥ 1 class-I IP",
                    t("class1_ip", GE, 1),
                    _b26("专精特新条件(五)"),
                    "专利证书 patent certificates",
                ),
                crit(
                    "rd_institution",
                    "拥有省级研发机构",
                    "a provincial R&D institution",
                    t("rd_level", GE, 2),
                    _b26("专精特新条件(五)"),
                    "认定文件",
                ),
            ),
            _b26("专精特新条件(五)"),
            "专利证书；省部级科技奖豁免请人工核对 (award exemption by hand)",
        ),
        crit(
            "market_share",
            "细分市场占有率较高",
            "a relatively high niche share",
            manual("无量化门槛，由评审判断", "no numeric threshold; reviewers judge"),
            _b26("专精特新条件(六)"),
            "市场占有率证明 market-share evidence",
        ),
        crit(
            "development_score",
            "专精特新发展评价得分不低于50分",
            "SRDI development score ≥ 50",
            manual("由 zjtx.miit.gov.cn 平台自动计算", "computed on zjtx.miit.gov.cn"),
            Basis("工信厅企业〔2024〕75号", "评价指标体系"),
            "平台评价结果 platform result",
        ),
    ),
)
