"""The indicator catalogue as data: what each indicator is, how it is defined and what it reads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """The unit an indicator is computed for."""

    CITY = "city"
    DISTRICT = "district"
    ZONE = "zone"
    CLUSTER = "cluster"
    CHAIN = "chain"


class Basis(StrEnum):
    """How a value comes about: a stock at year end, a flow within a year, a ratio, ..."""

    STOCK = "stock at year end"
    FLOW = "flow within the year"
    SPAN_FLOW = "flow over a span of years"
    RATIO = "ratio of two figures of the year"
    GROWTH = "growth between two years"
    STATISTIC = "published macro statistic"
    COMPOSITE = "composite index"


class SpanRule(StrEnum):
    """What a claim over a span of years (e.g. 2021-2025) means for this indicator."""

    SPAN = "span"  # the indicator is defined over the span itself (a total or a compound growth)
    EACH = "each"  # the claim holds for each year of the span
    LAST = "last"  # the claim is the value in the span's last year


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    unit: str  # as in published_figures.csv: percent, percentage points, count, yuan, ...
    definition: str
    expression: str
    records: tuple[str, ...]
    levels: tuple[Level, ...]
    basis: Basis
    span_rule: SpanRule = SpanRule.LAST
    first_year: int | None = None  # the earliest year it can have a value (a base year, say)
    # it can also be given for a span of months within a year (records dated to the day, or
    # statistics published for January–August, say)
    monthly: bool = False

    @property
    def is_span(self) -> bool:
        return self.span_rule is SpanRule.SPAN


CITY = (Level.CITY,)
BY_AREA = (Level.CITY, Level.DISTRICT, Level.ZONE, Level.CLUSTER, Level.CHAIN)
CERTS = ("certificates",)
PANEL = ("enterprises", "enterprise_years")


def _held(id_: str, zh: str, en: str, tier: str) -> Indicator:
    return Indicator(
        id_,
        zh,
        en,
        "count",
        f"distinct enterprises holding a `{tier}` certificate valid at year end "
        "(issued ≤ day ≤ expires, not revoked by then)",
        f"count(distinct credit_code | tier = '{tier}' ∧ issued ≤ 31-12-Y ≤ expires "
        "∧ (revoked is null ∨ revoked > 31-12-Y))",
        CERTS,
        BY_AREA,
        Basis.STOCK,
    )


def _active(id_: str, zh: str, en: str, kind: str) -> Indicator:
    return Indicator(
        id_,
        zh,
        en,
        "count",
        f"institutions of kind `{kind}` active at year end (recognised ≤ day, not closed)",
        f"count(id | kind = '{kind}' ∧ (recognised is null ∨ recognised ≤ 31-12-Y) "
        "∧ (closed is null ∨ closed > 31-12-Y))",
        ("institutions",),
        (Level.CITY, Level.DISTRICT, Level.ZONE, Level.CLUSTER),
        Basis.STOCK,
    )


ABOVE_SCALE = (
    "industry_code in sections B, C or D (first letter) and main_business_revenue ≥ 20,000,000"
)

INDICATORS: tuple[Indicator, ...] = (
    _held("hnte_count", "国家高新技术企业数", "National high-tech enterprises", "hnte"),
    Indicator(
        "hnte_net_gain_per_year",
        "高新技术企业年净增数",
        "Net gain of high-tech enterprises",
        "count",
        "hnte_count(Y) − hnte_count(Y−1)",
        "hnte_count(Y) - hnte_count(Y-1)",
        CERTS,
        CITY,
        Basis.GROWTH,
        SpanRule.EACH,
    ),
    _held("little_giants", "专精特新“小巨人”企业数", "Little giant enterprises", "little_giant"),
    Indicator(
        "little_giants_growth_vs_2020",
        "“小巨人”企业数较2020年增长",
        "Little giants, growth on 2020",
        "percent",
        "(little_giants(Y) / little_giants(2020) − 1) × 100",
        "(little_giants(Y) / little_giants(2020) - 1) * 100",
        CERTS,
        CITY,
        Basis.GROWTH,
        first_year=2020,
    ),
    Indicator(
        "little_giants_province_share",
        "“小巨人”企业数占全省比重",
        "Little giants, share of the province",
        "percent",
        "little_giants(Y) / macro(fujian, Y, little_giants) × 100",
        "little_giants(Y) / macro['fujian', Y, 'little_giants'] * 100",
        ("certificates", "macro_stats"),
        CITY,
        Basis.RATIO,
    ),
    _held(
        "single_champions",
        "制造业单项冠军企业数",
        "Manufacturing single-item champions",
        "single_champion",
    ),
    _active(
        "national_key_labs", "全国重点实验室数", "National key laboratories", "national_key_lab"
    ),
    _active(
        "innovation_consortia",
        "创新联合体数",
        "Innovation consortia",
        "innovation_consortium",
    ),
    Indicator(
        "enterprise_rd_centres",
        "认定企业研发中心数",
        "Enterprise R&D centres recognised",
        "count",
        "institutions of kind `enterprise_rd_centre` recognised in the span (e.g. 2021–2025)",
        "count(id | kind = 'enterprise_rd_centre' ∧ year(recognised) ∈ [a, b])",
        ("institutions",),
        (Level.CITY, Level.DISTRICT, Level.ZONE, Level.CLUSTER),
        Basis.SPAN_FLOW,
        SpanRule.SPAN,
    ),
    Indicator(
        "rd_intensity",
        "全社会研发经费投入强度",
        "R&D intensity (GERD / GDP)",
        "percent",
        "macro(xiamen, Y, rd_spending) / macro(xiamen, Y, gdp) × 100",
        "macro['xiamen', Y, 'rd_spending'] / macro['xiamen', Y, 'gdp'] * 100",
        ("macro_stats",),
        CITY,
        Basis.RATIO,
    ),
    Indicator(
        "rd_intensity_gap_national",
        "研发投入强度高于全国平均水平",
        "R&D intensity above the national average",
        "percentage points",
        "rd_intensity(Y) − macro(china, Y, rd_intensity)",
        "rd_intensity(Y) - macro['china', Y, 'rd_intensity']",
        ("macro_stats",),
        CITY,
        Basis.RATIO,
    ),
    Indicator(
        "enterprise_rd_growth",
        "企业研发经费年均增长",
        "Enterprise R&D spending, compound annual growth",
        "percent",
        "compound annual growth of Σ rd_expense over the panel across the span a–b: "
        "((Σ b / Σ (a−1))^(1/(b−a+1)) − 1) × 100",
        "((sum(rd_expense | year = b) / sum(rd_expense | year = a-1)) ^ (1/(b-a+1)) - 1) * 100",
        ("enterprise_years",),
        CITY,
        Basis.GROWTH,
        SpanRule.SPAN,
    ),
    Indicator(
        "high_value_patents_per_10k",
        "每万人口高价值发明专利拥有量",
        "High-value invention patents per 10,000 residents",
        "per 10000 residents",
        "high-value invention patents valid at year end / (macro(xiamen, Y, population) / 10,000)",
        "count(number | invention ∧ valid(31-12-Y) ∧ (hv_* ∨ filed < 31-12-(Y-10))) "
        "/ (macro['xiamen', Y, 'population'] / 10000)",
        ("patents", "macro_stats"),
        CITY,
        Basis.RATIO,
    ),
    Indicator(
        "above_scale_rd_revenue_ratio",
        "规上工业企业研发经费占营业收入比重",
        "Above-scale industry: R&D over main business revenue",
        "percent",
        f"Σ rd_expense / Σ main_business_revenue × 100 over above-scale industrial enterprises "
        f"in Y: {ABOVE_SCALE} that year",
        "sum(rd_expense) / sum(main_business_revenue) * 100 | above_scale_industrial(Y)",
        PANEL,
        BY_AREA,
        Basis.RATIO,
    ),
    Indicator(
        "above_scale_rd_revenue_ratio_change_vs_2020",
        "规上工业企业研发经费占比较2020年变化",
        "Above-scale industry R&D ratio, change on 2020",
        "percentage points",
        "above_scale_rd_revenue_ratio(Y) − above_scale_rd_revenue_ratio(2020)",
        "above_scale_rd_revenue_ratio(Y) - above_scale_rd_revenue_ratio(2020)",
        PANEL,
        CITY,
        Basis.GROWTH,
        first_year=2020,
    ),
    Indicator(
        "strategic_emerging_output_share",
        "战略性新兴产业占规上工业产值比重",
        "Strategic emerging industries' share of above-scale industrial output",
        "percent",
        "Σ revenue of above-scale industrial enterprises with strategic_emerging true / "
        "Σ revenue of all above-scale industrial enterprises × 100",
        "sum(revenue | strategic_emerging) / sum(revenue) * 100 | above_scale_industrial(Y)",
        PANEL,
        BY_AREA,
        Basis.RATIO,
    ),
    Indicator(
        "pillar_clusters_scale",
        "四大支柱产业集群规模",
        "Pillar industry clusters, total scale",
        "yuan",
        "Σ macro(xiamen, Y, cluster_output.<key>) over clusters of kind `pillar`",
        "sum(macro['xiamen', Y, 'cluster_output.' || key] | clusters.kind = 'pillar')",
        ("macro_stats", "clusters"),
        CITY,
        Basis.STATISTIC,
    ),
    Indicator(
        "strategic_emerging_scale",
        "战略性新兴产业规模",
        "Strategic emerging industries, total scale",
        "yuan",
        "Σ macro(xiamen, Y, cluster_output.<key>) over clusters of kind `strategic_emerging`",
        "sum(macro['xiamen', Y, 'cluster_output.' || key] | clusters.kind = 'strategic_emerging')",
        ("macro_stats", "clusters"),
        CITY,
        Basis.STATISTIC,
    ),
    Indicator(
        "new_energy_output",
        "新能源产业产值",
        "New energy output",
        "yuan",
        "macro(xiamen, Y, cluster_output.new_energy)",
        "macro['xiamen', Y, 'cluster_output.new_energy']",
        ("macro_stats",),
        CITY,
        Basis.STATISTIC,
    ),
    Indicator(
        "new_energy_growth",
        "新能源产业产值增速",
        "New energy output, growth year on year",
        "percent",
        "(new_energy_output(Y) / new_energy_output(Y−1) − 1) × 100",
        "(new_energy_output(Y) / new_energy_output(Y-1) - 1) * 100",
        ("macro_stats",),
        CITY,
        Basis.GROWTH,
        SpanRule.EACH,
    ),
    Indicator(
        "biomedicine_revenue_years_over_100bn",
        "生物医药产业营收连续超千亿年数",
        "Consecutive years of biomedicine revenue above 100 billion yuan",
        "years",
        "consecutive years ending in Y with cluster_output.biomedicine ≥ 100,000,000,000",
        "max n: ∀ y ∈ (Y-n, Y]: macro['xiamen', y, 'cluster_output.biomedicine'] ≥ 1e11",
        ("macro_stats",),
        CITY,
        Basis.STATISTIC,
    ),
    Indicator(
        "conversion_projects",
        "企业高新技术成果转化项目数",
        "Enterprise high-tech achievement conversion projects",
        "count",
        "conversion projects recognised in the span (e.g. 2021–2025)",
        "count(conversion_projects | year(recognised) ∈ [a, b])",
        ("conversion_projects",),
        CITY,
        Basis.SPAN_FLOW,
        SpanRule.SPAN,
    ),
    Indicator(
        "venture_fund_size",
        "科技创业投资基金规模",
        "S&T venture fund size",
        "yuan",
        "size of the fund of kind `venture` (科技创投基金) at the end of the span's last year",
        "sum(size | funds.kind = 'venture' ∧ established ≤ 31-12-Y)",
        ("funds",),
        CITY,
        Basis.STOCK,
        SpanRule.SPAN,
    ),
    Indicator(
        "tech_innovation_fund_size",
        "科技创新基金规模",
        "City technology innovation fund size",
        "yuan",
        "size of the fund of kind `tech_innovation` (科技创新基金) "
        "at the end of the span's last year",
        "sum(size | funds.kind = 'tech_innovation' ∧ established ≤ 31-12-Y)",
        ("funds",),
        CITY,
        Basis.STOCK,
        SpanRule.SPAN,
    ),
    Indicator(
        "fusion_index",
        "四链融合指数",
        "Four-chain fusion index",
        "index",
        "per industry chain: innovation (institutions, invention patents, conversions), "
        "industry (output, enterprises, tiered enterprises), capital (equity financing), "
        "talent (S&T staff); each measure min-max normalised over the chains after outlier "
        "handling, equal weights within a chain dimension, the mean of the four dimensions × 100",
        "100 * mean_d(mean_{m ∈ d}(minmax_chains(winsor_2sd(m))))",
        ("enterprises", "enterprise_years", "certificates", "institutions", "patents"),
        (Level.CHAIN,),
        Basis.COMPOSITE,
    ),
    Indicator(
        "key_tech_projects",
        "组织关键核心技术攻关、揭榜挂帅和产学研合作项目数",
        "Key technology projects organised (breakthrough, open competition, IUR)",
        "count",
        "programme projects approved (立项) in the span under programmes of kind breakthrough, "
        "challenge or iur",
        "count(programme_projects | year(approved) ∈ [a, b] "
        "∧ programmes.kind ∈ {breakthrough, challenge, iur})",
        ("programme_projects", "programme_calls", "programmes"),
        CITY,
        Basis.SPAN_FLOW,
        SpanRule.SPAN,
    ),
    Indicator(
        "national_major_projects_led",
        "牵头承担国家重大科技专项数",
        "National major S&T projects led",
        "count",
        "projects of programmes of kind national_major that a city organisation leads, "
        "approved in the span",
        "count(programme_projects | year(approved) ∈ [a, b] ∧ programmes.kind = 'national_major')",
        ("programme_projects", "programme_calls", "programmes"),
        CITY,
        Basis.SPAN_FLOW,
        SpanRule.SPAN,
    ),
    Indicator(
        "leading_level_products",
        "达到国内领先及以上水平的产品或技术数",
        "Products or technologies appraised at national-leading level or above",
        "count",
        "distinct products appraised in the span at 国际领先, 国际先进 or 国内领先 level, "
        "recorded as outcomes of programme projects",
        "count(distinct reference | programme_outcomes.kind = 'product' ∧ level ∈ "
        "{international_leading, international_advanced, domestic_leading} "
        "∧ year(appraised) ∈ [a, b])",
        ("programme_outcomes",),
        CITY,
        Basis.SPAN_FLOW,
        SpanRule.SPAN,
    ),
    Indicator(
        "programme_funding",
        "科技计划项目财政资金",
        "Public funding of programme projects",
        "yuan",
        "Σ public funding (元) of programme projects approved in the span; by programme and "
        "cluster in `fourchain programmes funding`",
        "sum(public_budget | programme_projects, year(approved) ∈ [a, b])",
        ("programme_projects", "programme_calls", "programmes"),
        CITY,
        Basis.SPAN_FLOW,
        SpanRule.SPAN,
    ),
)

# The science city's core area as the registry names the zone, and the networks and honour
# categories the open-collaboration and honours indicators read (docs/collaboration.md).
SCIENCE_CITY_ZONE = "厦门科学城核心区"
BRICS_NETWORK = "brics_incubation"
OCEAN_PROGRAMME = "ocean_negative_emissions"
COLLAB = ("partners", "network_members")


def _network(id_: str, zh: str, en: str, network: str, what: str) -> Indicator:
    records: tuple[str, ...]
    if what == "countries":
        definition = (
            f"distinct countries and regions (ISO 3166) of the partners of network `{network}` "
            "who are members at year end (joined ≤ day, not left)"
        )
        expression = (
            f"count(distinct partners.country | network_members.network = '{network}' "
            "∧ joined ≤ 31-12-Y ∧ (left is null ∨ left > 31-12-Y))"
        )
        records = COLLAB
    elif what == "projects":
        definition = f"joint projects landed through network `{network}` by year end"
        expression = f"count(joint_projects | network = '{network}' ∧ started ≤ 31-12-Y)"
        records = ("joint_projects",)
    else:
        definition = (
            f"distinct partner institutions of network `{network}` who are members at year end "
            "(joined ≤ day, not left)"
        )
        expression = (
            f"count(distinct partner | network_members.network = '{network}' "
            "∧ joined ≤ 31-12-Y ∧ (left is null ∨ left > 31-12-Y))"
        )
        records = COLLAB
    return Indicator(id_, zh, en, "count", definition, expression, records, CITY, Basis.STOCK)


def _rank(id_: str, zh: str, en: str, category: str) -> Indicator:
    return Indicator(
        id_,
        zh,
        en,
        "rank",
        f"the best rank among honours of category `{category}` published in the year",
        f"min(rank | honours.category = '{category}' ∧ year(awarded) = Y)",
        ("honours",),
        CITY,
        Basis.STATISTIC,
    )


COLLABORATION_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "science_city_new_entities",
        "科学城核心区新增经营主体和研发机构数",
        "Science city core area: new enterprises and R&D institutions",
        "count",
        f"enterprises founded plus institutions recognised in zone `{SCIENCE_CITY_ZONE}` "
        "within the span (e.g. 2021–2025)",
        f"count(enterprises | zone = '{SCIENCE_CITY_ZONE}' ∧ year(founded) ∈ [a, b]) + "
        f"count(institutions | zone = '{SCIENCE_CITY_ZONE}' ∧ year(recognised) ∈ [a, b])",
        ("enterprises", "institutions"),
        CITY,
        Basis.SPAN_FLOW,
        SpanRule.SPAN,
    ),
    _network(
        "brics_partner_institutions",
        "金砖孵化园国际合作网络成员机构数",
        "BRICS incubation park network: partner institutions",
        BRICS_NETWORK,
        "institutions",
    ),
    _network(
        "brics_partner_countries",
        "金砖孵化园国际合作网络覆盖国家数",
        "BRICS incubation park network: partner countries",
        BRICS_NETWORK,
        "countries",
    ),
    _network(
        "brics_projects",
        "金砖孵化园网络落地合作项目数",
        "BRICS incubation park network: cooperation projects landed",
        BRICS_NETWORK,
        "projects",
    ),
    _network(
        "ocean_programme_institutions",
        "海洋负排放国际大科学计划参与机构数",
        "Ocean negative-emissions programme: institutions",
        OCEAN_PROGRAMME,
        "institutions",
    ),
    _network(
        "ocean_programme_countries",
        "海洋负排放国际大科学计划参与国家和地区数",
        "Ocean negative-emissions programme: countries and regions",
        OCEAN_PROGRAMME,
        "countries",
    ),
    Indicator(
        "international_cooperation_share",
        "国际合作项目占比",
        "International share of cooperation projects",
        "percent",
        "joint projects started in the year whose partner is outside China (country ≠ CN) / "
        "all joint projects started in the year × 100",
        "count(joint_projects ⋈ partners | year(started) = Y ∧ country ≠ 'CN') "
        "/ count(joint_projects | year(started) = Y) * 100",
        ("joint_projects", "partners"),
        CITY,
        Basis.RATIO,
    ),
    Indicator(
        "top10_science_advances_years",
        "连续入选中国科学十大进展年数",
        "Consecutive years with a result among China's top-10 science advances",
        "years",
        "consecutive years ending in Y with an honour of category `top10_science_advances`",
        "max n: ∀ y ∈ (Y-n, Y]: count(honours | category = 'top10_science_advances' "
        "∧ year(awarded) = y) ≥ 1",
        ("honours",),
        CITY,
        Basis.STATISTIC,
    ),
    _rank(
        "torch_zone_national_rank",
        "火炬高新区国家综合评价排名",
        "Torch high-tech zone rank in the national evaluation",
        "torch_zone_evaluation",
    ),
    _rank(
        "new_display_rank",
        "新型显示产业全国竞争力排名",
        "New-display industry national competitiveness rank",
        "new_display_rank",
    ),
    Indicator(
        "smart_factories",
        "国家智能制造示范工厂数",
        "National smart-manufacturing demonstration factories",
        "count",
        "distinct holders of an honour of category `smart_factory` designated by year end",
        "count(distinct holder | honours.category = 'smart_factory' ∧ awarded ≤ 31-12-Y)",
        ("honours",),
        CITY,
        Basis.STOCK,
    ),
    Indicator(
        "class1_drugs_approved",
        "1类创新药获批数",
        "Class-1 innovative drugs approved",
        "count",
        "honours of category `class1_drug` (approvals) dated in the year, or in the months "
        "of a span within it",
        "count(honours | category = 'class1_drug' ∧ awarded ∈ [first day, last day])",
        ("honours",),
        CITY,
        Basis.FLOW,
        monthly=True,
    ),
    Indicator(
        "hitech_mfg_va_growth",
        "规上高技术制造业增加值增速",
        "High-tech manufacturing value added, growth year on year",
        "percent",
        "macro(xiamen, Y, hitech_mfg_va_growth); for January–M the cumulative figure the "
        "statistics bureau publishes, key hitech_mfg_va_growth@01-MM",
        "macro['xiamen', Y, 'hitech_mfg_va_growth' || ('@MM-MM' for a span of months)]",
        ("macro_stats",),
        CITY,
        Basis.STATISTIC,
        monthly=True,
    ),
    Indicator(
        "digital_economy_share",
        "数字经济占GDP比重",
        "Digital economy share of GDP",
        "percent",
        "macro(xiamen, Y, digital_economy_share), as the statistics bureau publishes it",
        "macro['xiamen', Y, 'digital_economy_share']",
        ("macro_stats",),
        CITY,
        Basis.STATISTIC,
    ),
)

INDICATORS = (*INDICATORS, *COLLABORATION_INDICATORS)

CATALOGUE: dict[str, Indicator] = {indicator.id: indicator for indicator in INDICATORS}

# Where a registry cannot give a published figure: the reason the claims check reports.
NOT_IN_REGISTRY = (
    "the registry keeps no records of this (a ranking, an award, a one-off event or a "
    "statistic outside the registry)"
)
