"""Institutions of every kind: universities and labs, the five stages of the full-chain
incubation system, enterprise R&D centres hosted by firms, and innovation consortia."""

from __future__ import annotations

import random
from datetime import date

from fourchain.demo.calibration import (
    INNOVATION_CONSORTIA_2025,
    LAST_YEAR,
    NATIONAL_KEY_LABS_2025,
    RD_CENTRES_2021_2025,
)
from fourchain.demo.firms import Firm
from fourchain.demo.tiers import CalibrationFailed
from fourchain.demo.vocabulary import DISTRICT_WEIGHTS, SYNTHETIC_MARK, VOCABULARY, ZONES
from fourchain.domain.registry import InstitutionKind as K

Row = dict[str, object]

# Research fields per cluster, for lab and institute names.
_FIELDS = {
    "electronic_information": ("半导体光电", "新型显示", "集成电路"),
    "machinery_equipment": ("智能制造", "高端装备"),
    "trade_logistics": ("智慧物流",),
    "financial_services": ("金融科技",),
    "biomedicine": ("疫苗与分子诊断", "创新药物", "海洋生物医药"),
    "new_materials": ("能源材料", "稀土功能材料", "先进碳材料"),
    "new_energy": ("电化学储能", "光伏技术"),
    "culture_tourism_creative": ("数字文创",),
    "artificial_intelligence": ("智能感知", "类脑计算"),
    "hydrogen_storage": ("氢能技术", "碱性电解水制氢"),
}
_STAGE_SERVICES = {
    K.NEW_RD_INSTITUTION: "组织面向产业的研发，产出可转化成果；承接企业委托研发",
    K.PROOF_OF_CONCEPT_CENTRE: "概念验证资金、技术与市场可行性评估、原型制作",
    K.PILOT_PLATFORM: "小试中试工艺放大、检测验证、样品试制",
    K.INCUBATOR: "场地、创业辅导、投融资对接、知识产权服务",
    K.INDUSTRY_PARK: "规模化生产空间、产业链配套、人才公寓与政策兑现",
}
# Counts at scale 1 for the kinds whose totals are not published.
_PLAIN_COUNTS = {
    K.UNIVERSITY: 8,
    K.RESEARCH_INSTITUTE: 12,
    K.PROVINCIAL_LAB: 6,
    K.NEW_RD_INSTITUTION: 48,
    K.PROOF_OF_CONCEPT_CENTRE: 14,
    K.PILOT_PLATFORM: 22,
    K.INCUBATOR: 36,
    K.INDUSTRY_PARK: 8,
}
_NAME_SUFFIX = {
    K.UNIVERSITY: "大学",
    K.RESEARCH_INSTITUTE: "研究所",
    K.PROVINCIAL_LAB: "省实验室",
    K.NEW_RD_INSTITUTION: "研究院",
    K.PROOF_OF_CONCEPT_CENTRE: "概念验证中心",
    K.PILOT_PLATFORM: "中试平台",
    K.INCUBATOR: "孵化器",
    K.INDUSTRY_PARK: "未来产业园",
}
# Made-up university names (no real institution is called so); each also carries （示例）.
_UNIVERSITY_NAMES = (
    "鹭屿大学",
    "海湾理工学院",
    "嘉禾医学院",
    "东渡海事学院",
    "云顶科技大学",
    "环岛职业技术学院",
    "五缘湾工程学院",
    "筼筜师范学院",
)
_FIRST_YEAR = {
    K.UNIVERSITY: 1950,
    K.RESEARCH_INSTITUTE: 1978,
    K.PROVINCIAL_LAB: 2019,
    K.NEW_RD_INSTITUTION: 2016,
    K.PROOF_OF_CONCEPT_CENTRE: 2021,
    K.PILOT_PLATFORM: 2018,
    K.INCUBATOR: 2012,
    K.INDUSTRY_PARK: 2022,
}


def _count(n: int, scale: float) -> int:
    return max(1, round(n * scale))


def _day(rng: random.Random, first: int, last: int) -> date:
    return date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))


class InstitutionMaker:
    def __init__(self, rng: random.Random, scale: float) -> None:
        self.rng = rng
        self.scale = scale
        self.rows: list[Row] = []
        self.serial: dict[str, int] = {}

    def add(
        self, kind: K, name: str, cluster: str | None, recognised: date, **extra: object
    ) -> Row:
        n = self.serial[kind.value] = self.serial.get(kind.value, 0) + 1
        district = self.rng.choice(list(DISTRICT_WEIGHTS))
        zones = [z for z, ds in ZONES.items() if district in ds]
        row: Row = {
            "id": f"{kind.value}-{n:04d}",
            "name": name + SYNTHETIC_MARK,
            "kind": kind.value,
            "level": None,
            "district": district,
            "zone": self.rng.choice(zones) if zones and self.rng.random() < 0.7 else None,
            "cluster": cluster,
            "host_credit_code": None,
            "recognised": recognised,
            "closed": None,
            "capacity": None,
            "services": None,
        }
        row.update(extra)
        self.rows.append(row)
        return row

    def field(self, cluster: str) -> str:
        return self.rng.choice(_FIELDS[cluster])


def make_institutions(rng: random.Random, firms: list[Firm], scale: float) -> list[Row]:
    maker = InstitutionMaker(rng, scale)
    clusters = list(VOCABULARY)
    used_names: set[str] = set()
    for kind, n in _PLAIN_COUNTS.items():
        for i in range(_count(n, scale)):
            cluster = clusters[(i * 3 + len(kind.value)) % len(clusters)]
            if kind is K.UNIVERSITY:
                name = f"厦门{_UNIVERSITY_NAMES[i % len(_UNIVERSITY_NAMES)]}"
            else:
                name = f"厦门{maker.field(cluster)}{_NAME_SUFFIX[kind]}"
            if name in used_names:
                name = f"厦门{maker.field(cluster)}{_NAME_SUFFIX[kind]}{i + 1}号"
            used_names.add(name)
            level = "provincial" if kind is K.PROVINCIAL_LAB else rng.choice(LEVELS_PLAIN)
            capacity = rng.randint(20, 200) if kind in _STAGE_SERVICES else None
            closed = None
            if kind is K.NEW_RD_INSTITUTION and rng.random() < 0.06:
                closed = _day(rng, 2022, LAST_YEAR)
            maker.add(
                kind, name, cluster, _day(rng, _FIRST_YEAR[kind], LAST_YEAR - 1),
                level=level, capacity=capacity, services=_STAGE_SERVICES.get(kind), closed=closed,
            )  # fmt: skip
    _national_labs(maker, scale)
    _rd_centres(maker, firms, scale)
    _consortia(maker, firms, scale)
    return maker.rows


LEVELS_PLAIN = ("municipal", "provincial", "national")


def _national_labs(maker: InstitutionMaker, scale: float) -> None:
    """Seven active at end 2025: some recognised before 2020, most in the 2022-2023
    reorganisation, and one earlier lab closed when its field was merged."""
    fields = ("海洋环境", "能源材料", "半导体光电", "疫苗研发", "稀土功能材料", "近海海洋",
              "分子诊断", "电化学")  # fmt: skip
    active = _count(NATIONAL_KEY_LABS_2025, scale)
    for i in range(active + 1):
        cluster = ("biomedicine", "new_materials", "electronic_information")[i % 3]
        closed = date(2022, 12, 31) if i == active else None
        if i < 2 or closed is not None:
            recognised = date(2016 + i % 2, 6, 1)
        else:
            recognised = date(2022 + i % 2, 3 + i, 15)
        maker.add(
            K.NATIONAL_KEY_LAB, f"{fields[i % len(fields)]}全国重点实验室", cluster,
            recognised, level="national", closed=closed,
            services="依托在厦高校与科研院所，承担国家重大科研任务",
        )  # fmt: skip


def _rd_centres(maker: InstitutionMaker, firms: list[Firm], scale: float) -> None:
    """Enterprise R&D centres: some from 2015-2020, exactly 411 recognised in 2021-2025."""
    rng = maker.rng
    recent = round(RD_CENTRES_2021_2025 * scale)
    earlier = round(260 * scale)

    def rung(firm: Firm) -> int:
        return 2 if firm.ever_holds("single_champion") else int(firm.ever_holds("little_giant"))

    # Champions and little giants first: the tiers expect a high-level R&D institution.
    hosts = sorted(
        (f for f in firms if f.survivor and f.founded.year <= 2019 and f.tech >= 0.45),
        key=lambda f: (-rung(f), -(f.tech + rng.random() * 0.3), f.index),
    )
    if len(hosts) < recent + earlier:
        raise CalibrationFailed(f"{recent + earlier} R&D centres need hosts; {len(hosts)} fit")
    rank = {"none": 0, "municipal": 1, "provincial": 2, "national": 3}
    for i, firm in enumerate(hosts[: recent + earlier]):
        year = rng.randint(2021, LAST_YEAR) if i < recent else rng.randint(2015, 2020)
        weights = ((70, 25, 5), (30, 55, 15), (0, 40, 60))[rung(firm)]
        level = rng.choices(LEVELS_PLAIN, weights=weights)[0]
        closed = _day(rng, year + 1, LAST_YEAR) if year < 2020 and rng.random() < 0.05 else None
        maker.add(
            K.ENTERPRISE_RD_CENTRE, f"{firm.name.removesuffix(SYNTHETIC_MARK)}研发中心",
            firm.cluster, _day(rng, year, year), level=level,
            host_credit_code=firm.credit_code, closed=closed,
            services="企业内部研发组织，承担新产品与关键工艺开发",
        )  # fmt: skip
        if rank[level] > rank.get(firm.rd_institution_level or "none", 0):
            firm.rd_institution_level = level
    for firm in firms:
        if firm.rd_institution_level is None and rng.random() < 0.9:
            firm.rd_institution_level = "none"


def _consortia(maker: InstitutionMaker, firms: list[Firm], scale: float) -> None:
    """Innovation consortia led by leading firms: one more than the 11 was formed and
    later dissolved, so 11 are active at end 2025."""
    rng = maker.rng
    active = _count(INNOVATION_CONSORTIA_2025, scale)
    leaders = [f for f in firms if f.leading and f.survivor]
    leaders.sort(key=lambda f: (-f.revenue0, f.index))
    if len(leaders) < active + 1:
        raise CalibrationFailed(f"{active + 1} consortia need leading hosts; {len(leaders)} fit")
    for i, firm in enumerate(leaders[: active + 1]):
        closed = date(2024, 6, 30) if i == active else None
        maker.add(
            K.INNOVATION_CONSORTIUM, f"厦门{maker.field(firm.cluster)}创新联合体",
            firm.cluster, _day(rng, 2021, LAST_YEAR - 1 if closed is None else 2022),
            level="municipal", host_credit_code=firm.credit_code, closed=closed,
            capacity=rng.randint(6, 25),
            services="龙头企业牵头，联合高校院所与上下游企业开展关键核心技术攻关",
        )  # fmt: skip
