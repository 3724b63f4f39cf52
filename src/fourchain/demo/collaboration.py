"""The demo city's open collaboration and honours: partner organisations in real countries
(made-up names marked （示例）), the BRICS incubation park's international network and the ocean
negative-emissions programme with their members, agreements and joint projects, innovation
consortium members, and the honours register — calibrated to the published figures (45
institutions in 11 countries and 138 projects; 104 institutions from 35 countries and regions;
two years in the top-10 science advances; rank 14 and 6; 7 smart factories; 2 class-1 drugs in
January–September 2025). The figures do not depend on the scale."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine, insert, select

from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.adapters.db.tables_collab import (
    consortium_members,
    cooperation_agreements,
    honours,
    joint_projects,
    network_members,
    networks,
    partners,
)
from fourchain.demo.vocabulary import SYNTHETIC_MARK
from fourchain.domain.indicators.catalogue import BRICS_NETWORK, OCEAN_PROGRAMME

Row = dict[str, object]
BRICS_INSTITUTIONS, BRICS_PROJECTS = 45, 138
OCEAN_INSTITUTIONS = 104
DOMESTIC_PROJECTS = 64  # joint projects with domestic partners outside the two networks
SMART_FACTORIES = 7
SOURCE_MARK = "（示例引用）"
EN_MARK = " (example)"

# (ISO 3166 alpha-2, a city's English and Chinese names): the BRICS network's 11 countries.
BRICS_CITIES: tuple[tuple[str, str, str], ...] = (
    ("CN", "Xiamen", "厦门"),
    ("BR", "Sao Paulo", "圣保罗"),
    ("RU", "Kazan", "喀山"),
    ("IN", "Bengaluru", "班加罗尔"),
    ("ZA", "Johannesburg", "约翰内斯堡"),
    ("EG", "Alexandria", "亚历山大"),
    ("ET", "Addis Ababa", "亚的斯亚贝巴"),
    ("IR", "Isfahan", "伊斯法罕"),
    ("AE", "Abu Dhabi", "阿布扎比"),
    ("ID", "Surabaya", "泗水"),
    ("KZ", "Almaty", "阿拉木图"),
)
# The ocean programme's 35 countries and regions.
OCEAN_CITIES: tuple[tuple[str, str, str], ...] = (
    ("CN", "Qingdao", "青岛"),
    ("US", "Woods Hole", "伍兹霍尔"),
    ("GB", "Southampton", "南安普敦"),
    ("DE", "Kiel", "基尔"),
    ("FR", "Brest", "布雷斯特"),
    ("JP", "Yokosuka", "横须贺"),
    ("KR", "Busan", "釜山"),
    ("AU", "Hobart", "霍巴特"),
    ("CA", "Halifax", "哈利法克斯"),
    ("NO", "Bergen", "卑尔根"),
    ("NL", "Texel", "特塞尔"),
    ("DK", "Aarhus", "奥胡斯"),
    ("SE", "Gothenburg", "哥德堡"),
    ("FI", "Helsinki", "赫尔辛基"),
    ("IT", "Naples", "那不勒斯"),
    ("ES", "Vigo", "维戈"),
    ("PT", "Lisbon", "里斯本"),
    ("BE", "Ostend", "奥斯坦德"),
    ("CH", "Zurich", "苏黎世"),
    ("AT", "Vienna", "维也纳"),
    ("IL", "Haifa", "海法"),
    ("SG", "Singapore", "新加坡"),
    ("MY", "Kuala Terengganu", "瓜拉登嘉楼"),
    ("TH", "Phuket", "普吉"),
    ("VN", "Nha Trang", "芽庄"),
    ("PH", "Manila", "马尼拉"),
    ("ID", "Bali", "巴厘"),
    ("IN", "Goa", "果阿"),
    ("ZA", "Cape Town", "开普敦"),
    ("BR", "Rio Grande", "里奥格兰德"),
    ("CL", "Valparaiso", "瓦尔帕莱索"),
    ("NZ", "Wellington", "惠灵顿"),
    ("RU", "Vladivostok", "符拉迪沃斯托克"),
    ("HK", "Hong Kong", "香港"),
    ("MX", "Ensenada", "恩塞纳达"),
)
# (partner kind, Chinese suffix, English pattern)
BRICS_KINDS = (
    ("incubator", "国际创新中心", "{} International Innovation Centre"),
    ("university", "理工大学", "{} University of Technology"),
    ("enterprise", "数字科技公司", "{} Digital Technologies"),
    ("research_institute", "新材料研究院", "{} Institute of New Materials"),
    ("association", "科技园区协会", "{} Science Park Association"),
)
OCEAN_KINDS = (
    ("research_institute", "海洋研究所", "{} Institute of Oceanography"),
    ("university", "海洋大学", "{} Ocean University"),
    ("research_institute", "碳汇实验室", "{} Carbon Sink Laboratory"),
    ("university", "海洋与地球科学学院", "{} School of Ocean and Earth Science"),
)
DOMESTIC_CITIES = (
    ("Fuzhou", "福州"),
    ("Shanghai", "上海"),
    ("Shenzhen", "深圳"),
    ("Hangzhou", "杭州"),
    ("Wuhan", "武汉"),
    ("Hefei", "合肥"),
)


@dataclass(frozen=True)
class CollaborationDemoStats:
    rows: dict[str, int]


def _partner(key: str, code: str, city_en: str, city_zh: str, kind: tuple[str, str, str]) -> Row:
    return {
        "key": key,
        "name_zh": f"{city_zh}{kind[1]}{SYNTHETIC_MARK}",
        "name_en": kind[2].format(city_en) + EN_MARK,
        "country": code,
        "kind": kind[0],
        "city": city_en,
    }


def _day(rng: random.Random, first: int, last: int) -> date:
    return date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))


class CollaborationMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.partners: list[Row] = []
        self.members: list[Row] = []
        self.agreements: list[Row] = []
        self.projects: list[Row] = []
        self.joined: dict[str, date] = {}

    def _members(
        self,
        network: str,
        cities: tuple[tuple[str, str, str], ...],
        kinds: tuple[tuple[str, str, str], ...],
        total: int,
        first: int,
    ) -> list[str]:
        """`total` members spread over every city's country (each country at least one)."""
        keys: list[str] = []
        for i in range(total):
            code, city_en, city_zh = cities[i % len(cities)]
            round_ = i // len(cities)
            kind = kinds[round_ % len(kinds)]
            key = f"{network}.{code.lower()}{round_ + 1}"
            self.partners.append(_partner(key, code, city_en, city_zh, kind))
            joined = _day(self.rng, first, 2025)
            self.joined[key] = joined
            self.members.append({"network": network, "partner": key, "joined": joined})
            keys.append(key)
        return keys

    def brics(self) -> list[str]:
        keys = self._members(BRICS_NETWORK, BRICS_CITIES, BRICS_KINDS, BRICS_INSTITUTIONS, 2021)
        # One more institution joined and left again: a member at the end of 2022, not of 2025.
        code, city_en, city_zh = BRICS_CITIES[1]
        left_key = f"{BRICS_NETWORK}.{code.lower()}x"
        self.partners.append(_partner(left_key, code, city_en, city_zh, BRICS_KINDS[2]))
        self.members.append(
            {
                "network": BRICS_NETWORK,
                "partner": left_key,
                "joined": date(2021, 6, 18),
                "left": date(2023, 6, 30),
            }
        )
        return keys

    def ocean(self) -> list[str]:
        return self._members(OCEAN_PROGRAMME, OCEAN_CITIES, OCEAN_KINDS, OCEAN_INSTITUTIONS, 2022)

    def domestic(self) -> list[str]:
        keys = []
        for i, (city_en, city_zh) in enumerate(DOMESTIC_CITIES):
            key = f"domestic.{city_en.lower()}"
            kind = BRICS_KINDS[1] if i % 2 == 0 else OCEAN_KINDS[0]
            self.partners.append(_partner(key, "CN", city_en, city_zh, kind))
            keys.append(key)
        return keys

    def joint_projects(self, brics: list[str], domestic: list[str], firms: list[str]) -> None:
        titles = ("跨境孵化", "联合研发", "技术转移", "联合实验室", "成果落地")
        for i in range(BRICS_PROJECTS):
            partner = brics[i % len(brics)]
            start = max(self.joined[partner], date(2021, 3, 1))
            started = max(_day(self.rng, start.year, 2025), start)
            self.projects.append(
                {
                    "title": f"金砖合作{titles[i % len(titles)]}项目{i + 1:03d}{SYNTHETIC_MARK}",
                    "partner": partner,
                    "network": BRICS_NETWORK,
                    "credit_code": firms[i % len(firms)] if firms else None,
                    "started": started,
                }
            )
        for i in range(DOMESTIC_PROJECTS):
            self.projects.append(
                {
                    "title": f"产学研{titles[i % len(titles)]}项目{i + 1:03d}{SYNTHETIC_MARK}",
                    "partner": domestic[i % len(domestic)],
                    "network": None,
                    "credit_code": firms[(i * 7) % len(firms)] if firms else None,
                    "started": _day(self.rng, 2021, 2025),
                }
            )

    def agreements_for(self, network: str, keys: list[str], name: str) -> None:
        for key in keys[::3]:
            signed = self.joined[key]
            self.agreements.append(
                {
                    "title": f"{name}合作备忘录{SYNTHETIC_MARK}",
                    "partner": key,
                    "network": network,
                    "signed": signed,
                    "expires": date(signed.year + 5, signed.month, signed.day),
                }
            )


def _honours(connection: Connection, rng: random.Random) -> list[Row]:
    universities = list(
        connection.scalars(
            select(institutions.c.name)
            .where(institutions.c.kind == "university")
            .order_by(institutions.c.id)
        )
    )
    holder = universities[0] if universities else f"鹭屿大学{SYNTHETIC_MARK}"
    makers = list(
        connection.execute(
            select(enterprises.c.credit_code, enterprises.c.name)
            .where(enterprises.c.industry_code.like("C%"))
            .order_by(enterprises.c.credit_code)
        ).all()
    )
    pharma = (
        list(
            connection.execute(
                select(enterprises.c.credit_code, enterprises.c.name)
                .where(enterprises.c.cluster == "biomedicine")
                .order_by(enterprises.c.credit_code)
            ).all()
        )
        or makers
    )
    rows: list[Row] = [
        {
            "kind": "award",
            "category": "top10_science_advances",
            "title": "2023年度中国科学十大进展入选成果",
            "holder": holder,
            "awarded": date(2024, 2, 29),
            "source": f"科技部高技术研究发展中心：2023年度“中国科学十大进展”发布{SOURCE_MARK}",
        },
        {
            "kind": "award",
            "category": "top10_science_advances",
            "title": "2024年度中国科学十大进展入选成果",
            "holder": holder,
            "awarded": date(2025, 3, 13),
            "source": f"科技部高技术研究发展中心：2024年度“中国科学十大进展”发布{SOURCE_MARK}",
        },
        {
            "kind": "ranking",
            "category": "torch_zone_evaluation",
            "title": "国家高新区首次综合评价",
            "holder": f"火炬高技术产业开发区{SYNTHETIC_MARK}",
            "awarded": date(2024, 11, 20),
            "rank": 14,
            "source": f"科技部火炬中心关于国家高新区综合评价结果的通报{SOURCE_MARK}",
        },
        {
            "kind": "ranking",
            "category": "new_display_rank",
            "title": "新型显示产业全国竞争力排名",
            "holder": f"新型显示产业集群{SYNTHETIC_MARK}",
            "awarded": date(2025, 7, 8),
            "rank": 6,
            "source": f"中国电子信息产业发展研究院：2025新型显示产业竞争力研究报告{SOURCE_MARK}",
        },
    ]
    factory_years = (2022, 2023, 2023, 2024, 2024, 2025, 2025)
    for (code, name), year in zip(
        rng.sample(makers, min(SMART_FACTORIES, len(makers))), factory_years, strict=False
    ):
        rows.append(
            {
                "kind": "designation",
                "category": "smart_factory",
                "title": f"{year}年度智能制造示范工厂",
                "holder": name,
                "credit_code": code,
                "awarded": date(year, 12, 15),
                "source": f"工业和信息化部等四部门：{year}年度智能制造示范工厂揭榜单位名单"
                + SOURCE_MARK,
            }
        )
    approvals = (date(2024, 6, 12), date(2025, 3, 21), date(2025, 8, 5), date(2025, 11, 18))
    for i, day in enumerate(approvals):
        code, name = pharma[(i * 5) % len(pharma)]
        rows.append(
            {
                "kind": "approval",
                "category": "class1_drug",
                "title": f"1类创新药上市许可（示例药品{i + 1}）",
                "holder": name,
                "credit_code": code,
                "awarded": day,
                "source": f"国家药品监督管理局药品批准证明文件送达信息{SOURCE_MARK}",
            }
        )
    return [{"rank": None, "credit_code": None, **row} for row in rows]


def _consortium_members(connection: Connection, rng: random.Random) -> list[Row]:
    consortia = connection.execute(
        select(institutions.c.id, institutions.c.host_credit_code, institutions.c.recognised)
        .where(institutions.c.kind == "innovation_consortium")
        .order_by(institutions.c.id)
    ).all()
    research = list(
        connection.scalars(
            select(institutions.c.id)
            .where(institutions.c.kind.in_(("university", "research_institute")))
            .order_by(institutions.c.id)
        )
    )
    firms = list(
        connection.scalars(select(enterprises.c.credit_code).order_by(enterprises.c.credit_code))
    )
    rows: list[Row] = []
    for consortium, host, recognised in consortia:
        joined = recognised or date(2022, 1, 1)
        if host is not None:
            rows.append(
                {
                    "consortium": consortium,
                    "member_kind": "enterprise",
                    "member_id": host,
                    "role": "lead",
                    "joined": joined,
                }
            )
        for code in rng.sample(firms, min(rng.randint(3, 6), len(firms))):
            if code != host:
                rows.append(
                    {
                        "consortium": consortium,
                        "member_kind": "enterprise",
                        "member_id": code,
                        "role": "member",
                        "joined": joined,
                    }
                )
        for ident in rng.sample(research, min(2, len(research))):
            rows.append(
                {
                    "consortium": consortium,
                    "member_kind": "institution",
                    "member_id": ident,
                    "role": "core",
                    "joined": joined,
                }
            )
    return [{"left": None, **row} for row in rows]


NETWORK_ROWS: tuple[Row, ...] = (
    {
        "key": BRICS_NETWORK,
        "name_zh": "金砖创新基地孵化园国际合作网络",
        "name_en": "BRICS innovation base incubation park international network",
        "kind": "network",
        "host": f"金砖创新基地孵化园{SYNTHETIC_MARK}",
        "founded": date(2021, 3, 1),
    },
    {
        "key": OCEAN_PROGRAMME,
        "name_zh": "海洋负排放国际大科学计划",
        "name_en": "Ocean negative carbon emissions international big-science programme",
        "kind": "programme",
        "host": f"鹭屿大学{SYNTHETIC_MARK}",
        "founded": date(2022, 6, 8),
    },
)


def build_collaboration_demo(engine: Engine, *, seed: int) -> CollaborationDemoStats:
    """Write the collaboration network, consortium members and honours in one transaction."""
    rng = random.Random(f"fourchain-demo:{seed}:collaboration")
    maker = CollaborationMaker(rng)
    brics = maker.brics()
    ocean = maker.ocean()
    domestic = maker.domestic()
    maker.agreements_for(BRICS_NETWORK, brics, "金砖孵化园国际合作")
    maker.agreements_for(OCEAN_PROGRAMME, ocean, "海洋负排放大科学计划")
    with engine.begin() as connection:
        firms = list(
            connection.scalars(
                select(enterprises.c.credit_code).order_by(enterprises.c.credit_code).limit(400)
            )
        )
        maker.joint_projects(brics, domestic, firms)
        members = _consortium_members(connection, rng)
        honour_rows = _honours(connection, rng)
        tables = (
            (partners, maker.partners),
            (networks, list(NETWORK_ROWS)),
            (network_members, [{"left": None, **m} for m in maker.members]),
            (cooperation_agreements, maker.agreements),
            (joint_projects, maker.projects),
            (consortium_members, members),
            (honours, honour_rows),
        )
        written: dict[str, int] = {}
        for table, rows in tables:
            if rows:
                connection.execute(insert(table), rows)
            written[table.name] = len(rows)
    return CollaborationDemoStats(written)
