"""Which indicator a figure in a press release is a value of: the words a Chinese release uses
for each published claim (published_figures.csv) and each catalogue indicator.

A pattern matches a figure when the figure has the pattern's unit and every one of its word
groups occurs in the sentence (before the figure, or after it in the same clause); of the
patterns that match, the one whose words stand nearest the figure wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PeriodKind(StrEnum):
    """The period a claim is about when the sentence does not say it fully."""

    YEAR = "year"  # a value of one year (or of months): the release's year by default
    SPAN = "span"  # a total or growth over years: the five years ending in the release's year
    SINCE = "since"  # a change since a base year named in the sentence (较2020年增长)
    CONSECUTIVE = "consecutive"  # 连续N年: the N years ending in the release's year


@dataclass(frozen=True)
class ClaimPattern:
    indicator: str
    topic: str
    claim: str  # in English, as published_figures.csv describes it
    unit: str
    kind: PeriodKind
    words: tuple[str, ...]  # regular expressions, all of which must occur
    comparison: str = ""


Y, S = PeriodKind.YEAR, PeriodKind.SPAN
ABOVE_SCALE = r"规上工业|规模以上工业"
REVENUE = r"营业收入|主营业务收入"

PATTERNS: tuple[ClaimPattern, ...] = (
    ClaimPattern(
        "rd_intensity",
        "innovation",
        "whole-society R&D spending as share of GDP",
        "percent",
        Y,
        (r"研发(?:经费)?投入强度|R&D(?:经费)?投入强度|研发强度",),
    ),
    ClaimPattern(
        "rd_intensity_gap_national",
        "innovation",
        "R&D intensity above the national average",
        "percentage points",
        Y,
        (r"全国平均", r"研发|强度"),
        "national average",
    ),
    ClaimPattern(
        "enterprise_rd_growth",
        "innovation",
        "enterprise R&D spending average annual growth",
        "percent",
        S,
        (r"企业研发", r"年均增"),
    ),
    ClaimPattern(
        "high_value_patents_per_10k",
        "innovation",
        "high-value invention patents per 10000 residents",
        "per 10000 residents",
        Y,
        (r"高价值发明专利",),
    ),
    ClaimPattern(
        "top10_science_advances_years",
        "innovation",
        "consecutive years with a result among China's top ten science advances",
        "years",
        PeriodKind.CONSECUTIVE,
        (r"十大(?:科学)?进展|科学十大进展",),
    ),
    ClaimPattern(
        "science_city_new_entities",
        "carriers",
        "new enterprises and R&D institutions in the science city core area (cumulative)",
        "count",
        S,
        (r"科学城", r"企业|机构"),
    ),
    ClaimPattern(
        "torch_zone_national_rank",
        "carriers",
        "Torch High-tech Zone rank in first national comprehensive evaluation",
        "rank",
        Y,
        (r"火炬|高新区",),
    ),
    ClaimPattern(
        "new_rd_institutions_national",
        "carriers",
        "national institutes and leading firms that set up new R&D institutions "
        "or enabling platforms",
        "count",
        S,
        (r"新型研发机构|赋能平台", r"国家级|科研院所|龙头企业"),
    ),
    ClaimPattern(
        "national_key_labs",
        "carriers",
        "national key laboratories",
        "count",
        Y,
        (r"全国重点实验室|国家重点实验室",),
    ),
    ClaimPattern(
        "pillar_clusters_scale",
        "industry",
        "four pillar industry clusters total scale",
        "yuan",
        Y,
        (r"支柱产业",),
    ),
    ClaimPattern(
        "strategic_emerging_scale",
        "industry",
        "four strategic emerging industries total scale",
        "yuan",
        Y,
        (r"战略性新兴产业",),
    ),
    ClaimPattern(
        "strategic_emerging_output_share",
        "industry",
        "strategic emerging industries share of above-scale industrial output",
        "percent",
        Y,
        (r"战略性新兴产业", r"比重|占"),
    ),
    ClaimPattern(
        "hitech_mfg_va_growth",
        "industry",
        "high-tech manufacturing value added growth year on year",
        "percent",
        Y,
        (r"高技术制造业", r"增加值"),
    ),
    ClaimPattern(
        "above_scale_rd_revenue_ratio",
        "industry",
        "above-scale industrial enterprises R&D spending over main business revenue",
        "percent",
        Y,
        (ABOVE_SCALE, REVENUE),
    ),
    ClaimPattern(
        "above_scale_rd_revenue_ratio_change_vs_2020",
        "industry",
        "above-scale industrial R&D over revenue, change on 2020",
        "percentage points",
        Y,
        (ABOVE_SCALE, REVENUE),
    ),
    ClaimPattern(
        "biomedicine_revenue_years_over_100bn",
        "industry",
        "consecutive years biomedicine revenue above 100 billion yuan",
        "years",
        PeriodKind.CONSECUTIVE,
        (r"生物医药",),
    ),
    ClaimPattern(
        "new_energy_growth",
        "industry",
        "new energy output annual growth in each of the last three years",
        "percent",
        S,
        (r"新能源", r"增长|增速"),
    ),
    ClaimPattern("new_energy_output", "industry", "new energy output", "yuan", Y, (r"新能源",)),
    ClaimPattern(
        "new_display_rank",
        "industry",
        "new display industry national competitiveness rank",
        "rank",
        Y,
        (r"新型显示",),
    ),
    ClaimPattern(
        "smart_factories",
        "digital",
        "national smart-manufacturing demonstration factories",
        "count",
        Y,
        (r"智能制造示范工厂",),
    ),
    ClaimPattern(
        "digital_economy_share",
        "digital",
        "digital economy share of GDP",
        "percent",
        Y,
        (r"数字经济", r"GDP|生产总值|比重"),
    ),
    ClaimPattern(
        "hnte_count",
        "enterprises",
        "national high-tech enterprises",
        "count",
        Y,
        (r"高新技术企业|高企",),
    ),
    ClaimPattern(
        "hnte_net_gain_per_year",
        "enterprises",
        "net gain of national high-tech enterprises per year",
        "count",
        S,
        (r"高新技术企业|高企", r"净增"),
    ),
    ClaimPattern(
        "little_giants",
        "enterprises",
        "national specialised-refined-distinctive-innovative little giant enterprises",
        "count",
        Y,
        (r"小巨人",),
    ),
    ClaimPattern(
        "little_giants_province_share",
        "enterprises",
        "little giants share of the province total",
        "percent",
        Y,
        (r"小巨人", r"全省"),
    ),
    ClaimPattern(
        "little_giants_growth_vs_2020",
        "enterprises",
        "little giants growth on 2020",
        "percent",
        PeriodKind.SINCE,
        (r"小巨人", r"(?:较|比)\d{4}年?(?:末)?增长"),
    ),
    ClaimPattern(
        "single_champions",
        "enterprises",
        "national manufacturing single-item champions",
        "count",
        Y,
        (r"单项冠军",),
    ),
    ClaimPattern(
        "innovation_consortia",
        "collaboration",
        "innovation consortia led by leading enterprises",
        "count",
        Y,
        (r"创新联合体",),
    ),
    ClaimPattern(
        "enterprise_rd_centres",
        "collaboration",
        "enterprise R&D (innovation) centres supported",
        "count",
        S,
        (r"企业研发(?:\(创新\))?中心|企业(?:技术|创新)中心",),
    ),
    ClaimPattern(
        "key_tech_projects",
        "collaboration",
        "breakthrough / open-competition / industry-university-research projects organised",
        "count",
        S,
        (r"技术攻关|揭榜挂帅|产学研",),
    ),
    ClaimPattern(
        "national_major_projects_led",
        "collaboration",
        "national major S&T projects led",
        "count",
        S,
        (r"国家(?:重大)?科技(?:重大)?专项|国家重大科技",),
    ),
    ClaimPattern(
        "conversion_projects",
        "conversion",
        "enterprise high-tech achievement conversion projects",
        "count",
        S,
        (r"成果转化",),
    ),
    ClaimPattern(
        "leading_level_products",
        "conversion",
        "products or technologies at national or world-leading level",
        "count",
        S,
        (r"领先水平|国际领先|国内领先",),
    ),
    ClaimPattern(
        "class1_drugs_approved",
        "conversion",
        "class-1 innovative drugs approved",
        "count",
        Y,
        (r"[1一]类创新药",),
    ),
    ClaimPattern(
        "venture_fund_size",
        "finance",
        "integrated S&T venture fund",
        "yuan",
        Y,
        (r"创业投资基金|创投基金",),
    ),
    ClaimPattern(
        "tech_innovation_fund_size",
        "finance",
        "city technology innovation fund",
        "yuan",
        Y,
        (r"科技创新基金",),
    ),
    ClaimPattern(
        "brics_partner_institutions",
        "open",
        "BRICS incubation park partner institutions",
        "count",
        Y,
        (r"金砖", r"机构"),
    ),
    ClaimPattern(
        "brics_partner_countries",
        "open",
        "BRICS incubation park partner countries",
        "count",
        Y,
        (r"金砖", r"国家"),
    ),
    ClaimPattern(
        "brics_projects",
        "open",
        "cooperation projects landed through the BRICS network",
        "count",
        Y,
        (r"金砖", r"项目"),
    ),
    ClaimPattern(
        "ocean_programme_institutions",
        "open",
        "ocean negative-emissions programme institutions",
        "count",
        Y,
        (r"负排放|大科学计划", r"机构"),
    ),
    ClaimPattern(
        "ocean_programme_countries",
        "open",
        "ocean negative-emissions programme countries and regions",
        "count",
        Y,
        (r"负排放|大科学计划", r"国家|地区"),
    ),
)

# Chinese names of the published claims' indicators that the catalogue does not hold (the
# catalogue's own `name_zh` names the others).
NAMES_ZH = {
    "top10_science_advances_years": "连续入选“中国科学十大进展”年数",
    "science_city_new_entities": "科学城核心区累计新增企业和研发机构",
    "torch_zone_national_rank": "火炬高新区全国综合评价排名",
    "new_rd_institutions_national": "国家级院所和龙头企业设立新型研发机构或赋能平台",
    "hitech_mfg_va_growth": "高技术制造业增加值同比增长",
    "new_display_rank": "新型显示产业综合竞争力全国排名",
    "smart_factories": "国家级智能制造示范工厂",
    "digital_economy_share": "数字经济占GDP比重",
    "key_tech_projects": "重大技术攻关、揭榜挂帅和产学研合作项目",
    "national_major_projects_led": "牵头承担国家重大科技专项",
    "leading_level_products": "达到国内或国际领先水平的产品和技术",
    "class1_drugs_approved": "获批1类创新药",
    "brics_partner_institutions": "金砖创新基地孵化园合作机构",
    "brics_partner_countries": "金砖创新基地孵化园合作国家",
    "brics_projects": "金砖合作网络落地合作项目",
    "ocean_programme_institutions": "海洋负排放国际大科学计划参与机构",
    "ocean_programme_countries": "海洋负排放国际大科学计划参与国家和地区",
}
