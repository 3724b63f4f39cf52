"""Each indicator's definition in Chinese, for the notes of the Chinese edition of reports."""

from __future__ import annotations

_HELD = (
    "年末（12月31日）持有有效{0}证书（发证日≤当日≤有效期至，且未被撤销）的企业数，同一企业只计一次"
)
_ACTIVE = "年末处于存续状态（已认定且未撤销）的{0}数量"
_ABOVE = "国民经济行业代码首字母为B、C、D且当年主营业务收入不低于2000万元的规模以上工业企业"

DEFINITIONS_ZH: dict[str, str] = {
    "hnte_count": _HELD.format("高新技术企业"),
    "hnte_net_gain_per_year": "当年末高新技术企业数减上年末高新技术企业数",
    "little_giants": _HELD.format("专精特新“小巨人”"),
    "little_giants_growth_vs_2020": "（当年末“小巨人”企业数 ÷ 2020年末“小巨人”企业数 − 1）× 100%",
    "little_giants_province_share": "全市“小巨人”企业数 ÷ 全省“小巨人”企业数 × 100%",
    "single_champions": _HELD.format("制造业单项冠军"),
    "national_key_labs": _ACTIVE.format("全国重点实验室"),
    "innovation_consortia": _ACTIVE.format("创新联合体"),
    "enterprise_rd_centres": "统计期内认定的企业研发中心数量",
    "rd_intensity": "全社会研发经费支出 ÷ 地区生产总值 × 100%",
    "rd_intensity_gap_national": "本市研发投入强度减全国研发投入强度（百分点）",
    "enterprise_rd_growth": (
        "企业研发费用合计的年均复合增长率：（期末年合计 ÷ 基期年合计）^(1/年数) − 1"
    ),
    "high_value_patents_per_10k": (
        "年末有效高价值发明专利数 ÷ 年末常住人口（万人）；高价值发明专利指属战略性新兴产业、"
        "有海外同族、维持年限超过10年、实现质押融资或获国家科技奖、中国专利奖之一的有效发明专利"
    ),
    "above_scale_rd_revenue_ratio": f"{_ABOVE}的研发费用合计 ÷ 主营业务收入合计 × 100%",
    "above_scale_rd_revenue_ratio_change_vs_2020": "当年比重减2020年比重（百分点）",
    "strategic_emerging_output_share": (
        f"{_ABOVE}中属战略性新兴产业企业的营业收入 ÷ 全部规模以上工业企业营业收入 × 100%"
    ),
    "pillar_clusters_scale": "四大支柱产业集群产值之和（统计部门发布）",
    "strategic_emerging_scale": "四大战略性新兴产业产值之和（统计部门发布）",
    "new_energy_output": "新能源产业产值（统计部门发布）",
    "new_energy_growth": "新能源产业产值比上年增长（%）",
    "biomedicine_revenue_years_over_100bn": "截至当年，生物医药产业营收连续不低于1000亿元的年数",
    "conversion_projects": "统计期内登记的企业高新技术成果转化项目数",
    "venture_fund_size": "期末已设立的科创风投基金规模（子基金不重复计算）",
    "tech_innovation_fund_size": "期末已设立的市科技创新基金规模（子基金不重复计算）",
    "fusion_index": (
        "按产业链计算：创新链（机构、发明专利、成果转化）、产业链（产值、企业数、梯度企业数）、"
        "资金链（股权融资）、人才链（科技人员）各指标剔除异常值后做极差标准化，"
        "维度内等权平均，四个维度算术平均后乘以100"
    ),
    "key_tech_projects": ("统计期内立项的关键核心技术攻关、揭榜挂帅和产学研合作类科技计划项目数"),
    "national_major_projects_led": "统计期内本市单位牵头承担并立项的国家重大科技专项项目数",
    "leading_level_products": (
        "统计期内经评价达到国际领先、国际先进或国内领先水平的产品或技术数（同名只计一次）"
    ),
    "programme_funding": (
        "统计期内立项的科技计划项目财政资金合计（元）；按计划和产业集群分列见科技计划项目页面"
    ),
    "science_city_new_entities": "统计期内科学城核心区新设立的企业数与新认定的研发机构数之和",
    "brics_partner_institutions": "年末金砖孵化园国际合作网络的成员机构数（已加入且未退出）",
    "brics_partner_countries": "年末金砖孵化园国际合作网络成员机构所在国家数（ISO 3166）",
    "brics_projects": "截至年末通过金砖孵化园国际合作网络落地的合作项目累计数",
    "ocean_programme_institutions": "年末海洋负排放国际大科学计划的参与机构数（已加入且未退出）",
    "ocean_programme_countries": "年末海洋负排放国际大科学计划参与机构所在国家和地区数（ISO 3166）",
    "international_cooperation_share": "当年启动的合作项目中，合作方在中国以外的项目占比 × 100%",
    "top10_science_advances_years": "截至当年连续入选“中国科学十大进展”的年数",
    "torch_zone_national_rank": "当年发布的国家高新区综合评价中火炬高新区的名次",
    "new_display_rank": "当年发布的新型显示产业全国竞争力排名中的名次",
    "smart_factories": "截至年末获评国家智能制造示范工厂的企业数",
    "class1_drugs_approved": "当年（或年内指定月份）获批上市的1类创新药数量",
    "hitech_mfg_va_growth": "统计部门公布的规模以上高技术制造业增加值同比增速（可为1—M月累计）",
    "digital_economy_share": "统计部门公布的数字经济增加值占地区生产总值比重",
}
