"""The demo city's industry chains per cluster and their upstream / midstream / downstream
links (rows for the `chains` and `chain_links` tables)."""

from __future__ import annotations

from dataclasses import dataclass

from fourchain.domain.registry import LinkPosition

UP, MID, DOWN = LinkPosition.UPSTREAM, LinkPosition.MIDSTREAM, LinkPosition.DOWNSTREAM


@dataclass(frozen=True)
class ChainSpec:
    key: str
    cluster: str
    name_zh: str
    name_en: str
    links: tuple[tuple[str, str, str, LinkPosition], ...]  # key suffix, zh, en, position


CHAINS: tuple[ChainSpec, ...] = (
    ChainSpec("new_display", "electronic_information", "新型显示产业链", "New display", (
        ("materials", "显示材料", "Display materials", UP),
        ("panels", "面板制造", "Panel manufacturing", MID),
        ("modules", "模组与整机", "Modules and devices", DOWN),
    )),
    ChainSpec("integrated_circuits", "electronic_information", "集成电路产业链", "ICs", (
        ("design", "芯片设计", "Chip design", UP),
        ("manufacturing", "制造与封测", "Fabrication and packaging", MID),
        ("applications", "终端应用", "Applications", DOWN),
    )),
    ChainSpec("software_services", "electronic_information", "软件和信息服务产业链",
              "Software and IT services", (
        ("platforms", "基础软件", "Platform software", UP),
        ("applications", "行业应用软件", "Industry applications", MID),
        ("services", "信息技术服务", "IT services", DOWN),
    )),
    ChainSpec("construction_machinery", "machinery_equipment", "工程机械产业链",
              "Construction machinery", (
        ("components", "核心零部件", "Core components", UP),
        ("machines", "整机制造", "Machine manufacturing", MID),
        ("aftermarket", "后市场服务", "Aftermarket services", DOWN),
    )),
    ChainSpec("smart_equipment", "machinery_equipment", "智能装备产业链", "Smart equipment", (
        ("parts", "精密部件", "Precision parts", UP),
        ("robots", "机器人与数控装备", "Robots and CNC equipment", MID),
        ("integration", "系统集成", "System integration", DOWN),
    )),
    ChainSpec("port_logistics", "trade_logistics", "港航物流产业链", "Port logistics", (
        ("shipping", "航运与港口", "Shipping and ports", UP),
        ("warehousing", "仓储与配送", "Warehousing and distribution", MID),
        ("supply_chain", "供应链管理", "Supply-chain management", DOWN),
    )),
    ChainSpec("commodity_trade", "trade_logistics", "大宗商品贸易产业链", "Commodity trade", (
        ("sourcing", "采购与进口", "Sourcing and import", UP),
        ("processing", "加工配送", "Processing and distribution", MID),
        ("sales", "分销与出口", "Sales and export", DOWN),
    )),
    ChainSpec("tech_finance", "financial_services", "科技金融产业链", "Tech finance", (
        ("capital", "创投与基金", "Venture capital and funds", UP),
        ("credit", "科技信贷与增信", "Tech credit and enhancement", MID),
        ("services", "金融信息服务", "Financial information services", DOWN),
    )),
    ChainSpec("insurance_tech", "financial_services", "科技保险产业链", "Tech insurance", (
        ("products", "研发险与保险产品", "R&D and insurance products", UP),
        ("underwriting", "承保与风控", "Underwriting and risk control", MID),
        ("claims", "理赔与服务", "Claims and services", DOWN),
    )),
    ChainSpec("vaccines_biologics", "biomedicine", "疫苗与生物药产业链", "Vaccines and biologics", (
        ("research", "药物发现", "Drug discovery", UP),
        ("production", "生产制造", "Production", MID),
        ("distribution", "流通与临床应用", "Distribution and clinical use", DOWN),
    )),
    ChainSpec("medical_devices", "biomedicine", "医疗器械产业链", "Medical devices", (
        ("components", "核心部件与材料", "Components and materials", UP),
        ("devices", "器械制造", "Device manufacturing", MID),
        ("services", "检测与服务", "Testing and services", DOWN),
    )),
    ChainSpec("tungsten_rare_earth", "new_materials", "钨与稀土材料产业链",
              "Tungsten and rare earths", (
        ("smelting", "冶炼分离", "Smelting and separation", UP),
        ("processing", "深加工材料", "Processed materials", MID),
        ("components", "应用器件", "Application components", DOWN),
    )),
    ChainSpec("functional_materials", "new_materials", "功能材料产业链", "Functional materials", (
        ("monomers", "基础原料", "Base chemicals", UP),
        ("materials", "功能材料制备", "Functional materials", MID),
        ("applications", "下游应用", "Applications", DOWN),
    )),
    ChainSpec("batteries_storage", "new_energy", "锂电与储能产业链", "Batteries and storage", (
        ("materials", "电池材料", "Battery materials", UP),
        ("cells", "电芯与模组", "Cells and modules", MID),
        ("systems", "储能系统与应用", "Storage systems", DOWN),
    )),
    ChainSpec("photovoltaics", "new_energy", "光伏产业链", "Photovoltaics", (
        ("silicon", "硅材料与电池片", "Silicon and cells", UP),
        ("inverters", "逆变与组件", "Inverters and modules", MID),
        ("plants", "电站开发运维", "Plant development", DOWN),
    )),
    ChainSpec("digital_creative", "culture_tourism_creative", "数字创意产业链", "Digital media", (
        ("content", "内容创作", "Content creation", UP),
        ("production", "制作与技术", "Production technology", MID),
        ("distribution", "发行与文旅消费", "Distribution and tourism", DOWN),
    )),
    ChainSpec("cultural_tourism", "culture_tourism_creative", "文旅融合产业链", "Tourism", (
        ("resources", "文化与旅游资源", "Cultural and tourism resources", UP),
        ("products", "文旅产品开发", "Tourism products", MID),
        ("consumption", "文旅消费服务", "Tourism consumption", DOWN),
    )),
    ChainSpec("ai_applications", "artificial_intelligence", "人工智能产业链", "AI applications", (
        ("compute", "算力与数据", "Compute and data", UP),
        ("models", "算法与模型", "Algorithms and models", MID),
        ("scenarios", "行业应用", "Industry scenarios", DOWN),
    )),
    ChainSpec("intelligent_robots", "artificial_intelligence", "智能机器人产业链",
              "Intelligent robots", (
        ("sensors", "感知与控制部件", "Sensors and controllers", UP),
        ("robots", "机器人本体", "Robot bodies", MID),
        ("services", "场景集成与运维", "Integration and operation", DOWN),
    )),
    ChainSpec("hydrogen", "hydrogen_storage", "氢能产业链", "Hydrogen", (
        ("production", "制氢", "Hydrogen production", UP),
        ("storage", "储运", "Storage and transport", MID),
        ("use", "燃料电池应用", "Fuel-cell applications", DOWN),
    )),
    ChainSpec("new_storage", "hydrogen_storage", "新型储能产业链", "New-type storage", (
        ("materials", "储能材料", "Storage materials", UP),
        ("systems", "液流与压缩空气储能系统", "Flow and air storage systems", MID),
        ("grid", "电网侧应用", "Grid applications", DOWN),
    )),
)  # fmt: skip


def chain_rows() -> list[dict[str, object]]:
    return [
        {"key": c.key, "name_zh": c.name_zh, "name_en": c.name_en, "cluster": c.cluster}
        for c in CHAINS
    ]


def link_rows() -> list[dict[str, object]]:
    return [
        {
            "key": f"{c.key}.{suffix}",
            "chain": c.key,
            "name_zh": zh,
            "name_en": en,
            "position": position.value,
        }
        for c in CHAINS
        for suffix, zh, en, position in c.links
    ]


def links_by_cluster() -> dict[str, list[str]]:
    """Each cluster's link keys, in a fixed order."""
    result: dict[str, list[str]] = {}
    for c in CHAINS:
        result.setdefault(c.cluster, []).extend(f"{c.key}.{suffix}" for suffix, *_ in c.links)
    return result
