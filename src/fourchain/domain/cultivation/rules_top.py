"""Rule sets at the top of the ladder: "小巨人" (2022, 2026) and 制造业单项冠军 (2023)."""

from __future__ import annotations

from datetime import date

from fourchain.domain.cultivation.builders import GE, LE, UNC, all_of, any_of, band, crit, manual, t
from fourchain.domain.cultivation.model import Banded, Basis, RuleSet
from fourchain.domain.cultivation.rules_miit import END_22, M22, M26, START_22, START_26
from fourchain.domain.registry import Tier

CHAMPION_DOC = "工信部政法〔2023〕138号《制造业单项冠军企业认定管理办法》"


def _b22(article: str) -> Basis:
    return Basis(M22, f"附件3 {article}")


def _b26(article: str) -> Basis:
    return Basis(M26, f"附件2 {article}")


_LG_RD_BANDS = Banded(
    "revenue",
    (
        band("营业收入1亿元以上", "revenue ≥ 100 million", 1e8, None, t("rd_ratio_min_2y", GE, 3)),
        band(
            "营业收入5000万–1亿元", "revenue 50–100 million", 5e7, 1e8, t("rd_ratio_min_2y", GE, 6)
        ),
        band(
            "营业收入5000万元以下",
            "revenue < 50 million",
            None,
            5e7,
            all_of(
                crit(
                    "equity",
                    "近两年新增股权融资不低于8000万元",
                    "new equity ≥ 80 million",
                    t("equity_2y", GE, 8e7),
                    _b22("创新能力(一)"),
                    "验资报告",
                ),
                crit(
                    "rd_total",
                    "研发费用总额不低于3000万元",
                    "R&D total ≥ 30 million",
                    t("rd_sum_2y", GE, 3e7),
                    _b22("创新能力(一)"),
                    "财务报表",
                ),
                crit(
                    "rd_staff",
                    "研发人员占比不低于50%",
                    "R&D staff ≥ 50%",
                    t("rd_staff_share", GE, 50),
                    _b22("创新能力(一)"),
                    "人员名册",
                ),
            ),
        ),
    ),
)

LITTLE_GIANT_2022 = RuleSet(
    key="little_giant-2022",
    tier=Tier.LITTLE_GIANT,
    version="2022",
    title=f"{M22} 附件3",
    effective_from=START_22,
    effective_to=END_22,
    criteria=(
        crit(
            "srdi_title",
            "有效的省级专精特新中小企业",
            "a valid provincial SRDI SME",
            t("srdi_sme_held", GE, 1),
            _b22("前提"),
            "称号文件 title document",
        ),
        crit(
            "niche_years",
            "从事特定细分市场3年以上",
            "in its niche for ≥ 3 years",
            t("niche_years", GE, 3),
            _b22("专业化"),
            "主导产品说明",
        ),
        crit(
            "main_share",
            "主营业务收入占营业收入比重不低于70%",
            "main-business share ≥ 70%",
            t("main_share", GE, 70),
            _b22("专业化"),
            "财务报表",
        ),
        crit(
            "main_growth",
            "近两年主营业务收入平均增长率不低于5%",
            "2-year main growth ≥ 5%",
            t("main_growth_2y", GE, 5),
            _b22("专业化"),
            "财务报表",
        ),
        crit(
            "governance",
            "发展战略、公司治理、技术与质量领先、管理体系认证",
            "strategy, governance, technology and quality lead, certifications",
            manual("由评审判断", "reviewers judge"),
            _b22("精细化"),
            "认证证书、说明材料",
        ),
        crit(
            "info_system",
            "至少1项核心业务采用信息系统支撑",
            "an information system for a core business",
            t("digital_level", GE, 2),
            _b22("精细化"),
            "信息系统说明；以数字化水平≥2级近似 (proxy: digital level ≥ 2)",
            UNC,
        ),
        crit(
            "debt_ratio",
            "上年末资产负债率不高于70%",
            "year-end debt ratio ≤ 70%",
            t("debt_ratio", LE, 70),
            _b22("精细化"),
            "资产负债表",
        ),
        crit(
            "niche_share",
            "主导产品全国细分市场占有率达10%以上",
            "national niche share ≥ 10%",
            t("niche_share", GE, 10),
            _b22("特色化"),
            "市场占有率证明",
        ),
        crit(
            "brand",
            "拥有直接面向市场并具有竞争优势的自主品牌",
            "a competitive own brand",
            manual("由评审判断", "reviewers judge"),
            _b22("特色化"),
            "商标证书",
        ),
        crit(
            "innovation",
            "创新能力一般性条件之一",
            "one of the general innovation conditions",
            any_of(
                crit(
                    "rd_intensity",
                    "近两年研发强度按营业收入分档达标",
                    "R&D intensity by revenue band in both of the last 2 years",
                    _LG_RD_BANDS,
                    _b22("创新能力(一)"),
                    "财务报表",
                ),
                crit(
                    "rd_institution",
                    "自建或共建研发机构",
                    "an own or joint R&D institution",
                    t("rd_level", GE, 1),
                    _b22("创新能力(二)"),
                    "认定文件",
                ),
                crit(
                    "class1_ip",
                    "拥有2项以上Ⅰ类知识产权",
                    "≥ 2 class-I IP",
                    t("class1_ip", GE, 2),
                    _b22("创新能力(三)"),
                    "专利证书",
                ),
            ),
            _b22("创新能力"),
            "一般性条件按“任一”理解；国家科技奖直通请人工核对 (read as any-of; award by hand)",
            UNC,
        ),
        crit(
            "chain_role",
            "在产业链关键环节发挥补短板、锻长板、填空白作用",
            "fills a gap at a key chain link",
            t("chain_role", GE, 2),
            _b22("产业链配套"),
            "配套证明",
        ),
        crit(
            "product_field",
            "主导产品属于工业“六基”或制造强国、网络强国重点领域",
            "leading product in the key fields",
            manual("由评审判断", "reviewers judge"),
            _b22("主导产品所属领域"),
            "产品说明",
        ),
    ),
)

LITTLE_GIANT_2026 = RuleSet(
    key="little_giant-2026",
    tier=Tier.LITTLE_GIANT,
    version="2026",
    title=f"{M26} 附件2",
    effective_from=START_26,
    effective_to=None,
    note="Reported by secondary sources; 2026 renewals are still reviewed under little_giant-2022.",
    criteria=(
        crit(
            "srdi_title",
            "有效的省级专精特新中小企业",
            "a valid provincial SRDI SME",
            t("srdi_sme_held", GE, 1),
            _b26("(一)"),
            "称号文件",
        ),
        crit(
            "niche_years",
            "从事细分市场3年以上",
            "in its niche for ≥ 3 years",
            t("niche_years", GE, 3),
            _b26("(一)"),
            "主导产品说明",
        ),
        crit(
            "revenue",
            "上年度营业收入不低于5000万元",
            "revenue ≥ 50 million",
            t("revenue", GE, 5e7),
            _b26("(二)"),
            "财务报表",
        ),
        crit(
            "main_share",
            "主营业务收入占比不低于90%",
            "main-business share ≥ 90%",
            t("main_share", GE, 90),
            _b26("(二)"),
            "财务报表",
        ),
        crit(
            "revenue_cagr",
            "近两年营业收入复合增长率不低于5%",
            "2-year revenue CAGR ≥ 5%",
            t("revenue_cagr_2y", GE, 5),
            _b26("(二)"),
            "财务报表（复核不考察 not at renewal）",
        ),
        crit(
            "debt_ratio",
            "年末资产负债率不高于75%",
            "year-end debt ratio ≤ 75%",
            t("debt_ratio", LE, 75),
            _b26("(二)"),
            "资产负债表",
        ),
        crit(
            "rd_total",
            "近两年研发费用总额不低于1200万元",
            "R&D of 2 years ≥ 12 million",
            t("rd_sum_2y", GE, 1.2e7),
            _b26("(三)"),
            "财务报表",
        ),
        crit(
            "rd_ratio",
            "近两年每年研发费用占比不低于3%",
            "R&D ≥ 3% in each of 2 years",
            t("rd_ratio_min_2y", GE, 3),
            _b26("(三)"),
            "财务报表",
        ),
        crit(
            "class1_ip",
            "拥有4项以上非受让的Ⅰ类知识产权",
            "≥ 4 class-I IP not acquired by transfer",
            t("class1_ip_self_developed", GE, 4),
            _b26("(四)"),
            "专利证书；权利人排名与国家科技奖豁免请人工核对",
        ),
        crit(
            "market_share",
            "细分市场占有率10%以上(或全国前三)",
            "niche share ≥ 10% (or top 3)",
            t("niche_share", GE, 10),
            _b26("(五)"),
            "市场占有率证明；全国前三请人工核对",
        ),
        crit(
            "product_field",
            "主导产品属于“六基”或重点产业链关键环节",
            "leading product at a key chain link",
            t("chain_role", GE, 1),
            _b26("(六)"),
            "产品说明",
        ),
        crit(
            "development_score",
            "专精特新发展评价得分不低于60分",
            "SRDI development score ≥ 60",
            manual("由 zjtx.miit.gov.cn 平台自动计算", "computed on zjtx.miit.gov.cn"),
            _b26("(七)"),
            "平台评价结果",
        ),
    ),
)


def _bc(article: str) -> Basis:
    return Basis(CHAMPION_DOC, article)


SINGLE_CHAMPION_2023 = RuleSet(
    key="single_champion-2023",
    tier=Tier.SINGLE_CHAMPION,
    version="2023",
    title=CHAMPION_DOC,
    effective_from=date(2023, 1, 1),
    effective_to=None,
    note="The 138号 text's exact date is not in criteria.md; 1 January 2023 is used.",
    criteria=(
        crit(
            "years_in_field",
            "从事相关业务领域10年以上",
            "in the field for ≥ 10 years",
            t("niche_years", GE, 10),
            _bc("专业发展"),
            "主导产品说明；新产品5年标准请人工核对",
        ),
        crit(
            "main_revenue",
            "近三年主营业务收入平均不低于4亿元",
            "3-year mean main revenue ≥ 400m",
            any_of(
                crit(
                    "main_revenue_400m",
                    "平均主营业务收入≥4亿元",
                    "mean ≥ 400 million",
                    t("main_revenue_avg_3y", GE, 4e8),
                    _bc("专业发展"),
                    "财务报表",
                ),
                crit(
                    "srdi_200m",
                    "专精特新企业平均主营业务收入≥2亿元",
                    "an SRDI firm with mean ≥ 200 million",
                    all_of(
                        crit(
                            "srdi_title",
                            "有效省级以上专精特新称号",
                            "valid SRDI title",
                            any_of(
                                crit(
                                    "srdi",
                                    "专精特新中小企业",
                                    "SRDI SME",
                                    t("srdi_sme_held", GE, 1),
                                    _bc("专业发展"),
                                    "称号文件",
                                ),
                                crit(
                                    "giant",
                                    "专精特新“小巨人”",
                                    "little giant",
                                    t("little_giant_held", GE, 1),
                                    _bc("专业发展"),
                                    "称号文件",
                                ),
                            ),
                            _bc("专业发展"),
                            "称号文件",
                            UNC,
                        ),
                        crit(
                            "main_revenue_200m",
                            "平均主营业务收入≥2亿元",
                            "mean ≥ 200 million",
                            t("main_revenue_avg_3y", GE, 2e8),
                            _bc("专业发展"),
                            "财务报表",
                            UNC,
                        ),
                    ),
                    _bc("专业发展"),
                    "称号文件、财务报表",
                    UNC,
                ),
            ),
            _bc("专业发展"),
            "财务报表 accounts",
        ),
        crit(
            "global_rank",
            "申报产品市场占有率全球前三",
            "global market share top 3",
            t("global_rank", LE, 3),
            _bc("市场竞争"),
            "市场占有率证明",
        ),
        crit(
            "technology",
            "技术工艺国际先进、关键性能国际领先、能耗先进值",
            "internationally advanced technology and energy use",
            manual("由评审判断", "reviewers judge"),
            _bc("市场竞争"),
            "检测报告、能耗证明",
        ),
        crit(
            "international_revenue",
            "国际化经营收入行业领先",
            "international revenue leads",
            manual("与行业比较，由评审判断", "compared with the industry by reviewers"),
            _bc("市场竞争"),
            "出口及海外收入证明",
        ),
        crit(
            "rd_institution",
            "建有高水平研发机构",
            "a high-level R&D institution",
            t("rd_level", GE, 2),
            _bc("自主创新"),
            "认定文件；“高水平”按省级以上近似 (proxy: provincial or higher)",
            UNC,
        ),
        crit(
            "standards",
            "主导或参与制定标准",
            "leads or joins standard-setting",
            t("standards_3y", GE, 1),
            _bc("自主创新"),
            "标准文本",
        ),
        crit(
            "conversions",
            "科技成果转化并取得经济效益",
            "achievements converted with benefit",
            t("conversions_3y", GE, 1),
            _bc("自主创新"),
            "转化合同",
        ),
        crit(
            "management",
            "营业收入或利润率行业领先",
            "revenue or profit leads the industry",
            manual("与行业比较，由评审判断", "compared with the industry by reviewers"),
            _bc("经营管理"),
            "财务报表与行业数据",
        ),
        crit(
            "no_incident",
            "未发生重大安全、质量、环境事故",
            "no major incident",
            t("incident_2y", LE, 0),
            _bc("第十三条"),
            "合规声明",
        ),
        crit(
            "not_dishonest",
            "无严重失信、偷税漏税、数据造假",
            "no serious dishonesty",
            t("dishonest_2y", LE, 0),
            _bc("第十三条"),
            "信用中国查询",
        ),
    ),
)
