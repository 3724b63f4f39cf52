"""The demo city's technology market: achievements from its institutions, enterprise demands,
registered contracts, cooperation projects (> 600 in 2021–2025 at scale 1) and challenge calls
in every state, all composed from per-cluster vocabulary and written in one transaction."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, select

from fourchain.adapters.db.challenge_repo import SqlChallenges
from fourchain.adapters.db.market_repo import SqlMarket
from fourchain.adapters.db.registry_read import SqlRegistryReader
from fourchain.adapters.db.tables import enterprises, institutions, patents
from fourchain.demo.market_calls import CallPlanner
from fourchain.demo.vocabulary import SYNTHETIC_NOTE, VOCABULARY
from fourchain.domain.market import (
    Achievement,
    ContractType,
    CooperationKind,
    CooperationProject,
    Demand,
    IPStatus,
    Party,
    PartyKind,
    TechContract,
    TransferMode,
)
from fourchain.errors import InvalidInput

ACHIEVEMENTS_AT_SCALE_1 = 900
DEMANDS_AT_SCALE_1 = 450
CONTRACTS_AT_SCALE_1 = 1200
# Per year at scale 1; with the challenge projects the 2021–2025 total passes 600.
BREAKTHROUGH_PER_YEAR = 30
IUR_PER_YEAR = 92
FIRST_YEAR, LAST_YEAR = 2020, 2025

# Kinds of institution that offer research results for transfer.
OFFERING_KINDS = (
    "university",
    "research_institute",
    "national_key_lab",
    "provincial_lab",
    "new_rd_institution",
    "proof_of_concept_centre",
)
DISCIPLINES = {
    "electronic_information": "电子科学与技术",
    "machinery_equipment": "机械工程",
    "trade_logistics": "管理科学与工程",
    "financial_services": "应用经济学",
    "biomedicine": "药学",
    "new_materials": "材料科学与工程",
    "new_energy": "动力工程及工程热物理",
    "culture_tourism_creative": "设计学",
    "artificial_intelligence": "计算机科学与技术",
    "hydrogen_storage": "化学工程与技术",
}
TRL_WEIGHTS = {2: 3, 3: 10, 4: 18, 5: 22, 6: 20, 7: 15, 8: 8, 9: 4}
CONTRACT_TYPES = {
    ContractType.DEVELOPMENT: 0.35,
    ContractType.SERVICE: 0.30,
    ContractType.LICENCE: 0.15,
    ContractType.TRANSFER: 0.12,
    ContractType.CONSULTING: 0.08,
}


@dataclass(frozen=True)
class MarketDemoStats:
    rows: dict[str, int]


@dataclass(frozen=True)
class City:
    """What the market demo needs of the demo city already in the database."""

    institutions: list[tuple[str, str | None]]  # (id, cluster) of offering institutions
    enterprises: list[tuple[str, str | None]]  # (credit code, cluster)
    patents_by_institution: dict[str, list[str]]
    demo_enterprise: str
    demo_institution: str


def _scaled(n: int, scale: float, floor: int) -> int:
    return max(floor, round(n * scale))


def read_city(connection: Connection, bindings: tuple[str | None, str | None]) -> City:
    """The city as the market needs it; `bindings` are the enterprise and institution the demo
    accounts are bound to, so their pages show the market's records."""
    i, e = institutions.c, enterprises.c
    offering = [
        (row.id, row.cluster)
        for row in connection.execute(
            select(i.id, i.cluster).where(i.kind.in_(OFFERING_KINDS)).order_by(i.id)
        )
    ]
    firms = [
        (row.credit_code, row.cluster)
        for row in connection.execute(select(e.credit_code, e.cluster).order_by(e.credit_code))
    ]
    if not offering or not firms:
        raise InvalidInput(
            "the market demo needs the demo city's enterprises and institutions: "
            "build the city first (fourchain.demo.build.build_demo)"
        )
    held: dict[str, list[str]] = {}
    query = select(patents.c.holder_institution, patents.c.number).where(
        patents.c.holder_institution.is_not(None), patents.c.granted.is_not(None)
    )
    for holder, number in connection.execute(query.order_by(patents.c.number)):
        held.setdefault(holder, []).append(number)
    return City(
        offering,
        firms,
        held,
        bindings[0] or firms[0][0],
        bindings[1] or offering[0][0],
    )


def _cluster(rng: random.Random, cluster: str | None) -> str:
    return cluster if cluster in VOCABULARY else rng.choice(sorted(VOCABULARY))


def _day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def make_achievement(
    rng: random.Random, institution: str, cluster: str | None, held: list[str]
) -> Achievement:
    key = _cluster(rng, cluster)
    v = VOCABULARY[key]
    obj, feature, method = rng.choice(v.objects), rng.choice(v.features), rng.choice(v.methods)
    product = rng.choice(v.products)
    title = f"基于{method}的{obj}{feature}提升技术"
    abstract = (
        f"本成果面向{product}，采用{method}改进{obj}的结构与工艺，{feature}较现有方案明显改善，"
        f"已完成样品验证，可用于{rng.choice(v.products)}的生产。{SYNTHETIC_NOTE}"
    )
    status = rng.choices(
        (IPStatus.GRANTED, IPStatus.APPLIED, IPStatus.TRADE_SECRET, IPStatus.NONE),
        (0.55, 0.25, 0.12, 0.08),
    )[0]
    numbers: tuple[str, ...] = ()
    if status is IPStatus.GRANTED:
        numbers = tuple(rng.sample(held, min(len(held), rng.randint(1, 3)))) if held else ()
        if not numbers:
            status = IPStatus.APPLIED
    if status is IPStatus.APPLIED:
        numbers = (f"CN{rng.randint(2021, 2025)}1{rng.randrange(10**7):07d}.{rng.randrange(10)}",)
    modes = tuple(m for m in TransferMode if rng.random() < 0.5) or (TransferMode.LICENCE,)
    price = round(rng.lognormvariate(13.2, 0.8), -4)
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    return Achievement(
        institution_id=institution,
        title=title,
        abstract=abstract,
        keywords=(obj, method, feature),
        trl=rng.choices(list(TRL_WEIGHTS), list(TRL_WEIGHTS.values()))[0],
        ip_status=status,
        transfer_modes=modes,
        contact=f"技术转移办公室 0592-{rng.randrange(10**7):07d}",
        published=_day(rng, year),
        discipline=DISCIPLINES[key],
        ipc=rng.choice(v.ipc),
        patent_numbers=numbers,
        asking_terms=rng.choice(("面议", f"许可费 {price / 1e4:,.0f} 万元起", "入门费 + 销售提成")),
        asking_price=price,
        cluster=key,
        listed=rng.random() > 0.05,
    ).validate()


def make_demand(
    rng: random.Random, credit_code: str, cluster: str | None, confidential: bool
) -> Demand:
    key = _cluster(rng, cluster)
    v = VOCABULARY[key]
    obj, feature = rng.choice(v.objects), rng.choice(v.features)
    published = _day(rng, rng.randint(FIRST_YEAR, LAST_YEAR))
    return Demand(
        credit_code=credit_code,
        problem=f"{obj}{feature}不足的技术攻关",
        description=(
            f"我司{rng.choice(v.products)}产品中{obj}的{feature}未达到客户要求，"
            f"希望与高校院所合作，采用{rng.choice(v.methods)}等方法解决。{SYNTHETIC_NOTE}"
        ),
        field=DISCIPLINES[key],
        budget=round(rng.lognormvariate(12.8, 0.9), -4),
        deadline=published + timedelta(days=rng.randint(90, 540)),
        published=published,
        confidential=confidential,
        cluster=key,
    ).validate()


def build_market_demo(
    engine: Engine, *, seed: int, scale: float = 1.0, today: date | None = None
) -> MarketDemoStats:
    """Add the market to a demo city already in the database, in one transaction. Calls that
    are open for applications close after `today` (default: the real today), so the browser
    demo can apply to them; everything else depends only on the seed and scale."""
    if not 0 < scale <= 1:
        raise InvalidInput(f"scale must be in (0, 1], got {scale}")
    rng = random.Random(f"fourchain-demo:{seed}:market")
    day = today or date.today()
    bindings = SqlRegistryReader(engine).demo_bindings()
    with engine.begin() as connection:
        city = read_city(connection, bindings)
        market, challenges = SqlMarket(connection), SqlChallenges(connection)
        rows = {"achievements": 0, "demands": 0, "tech_contracts": 0}
        achievement_ids: list[int] = []
        for n in range(_scaled(ACHIEVEMENTS_AT_SCALE_1, scale, 20)):
            # The demo institution account owns the first few, so its pages are never empty.
            owner, cluster = (
                (city.demo_institution, None) if n < 5 else rng.choice(city.institutions)
            )
            held = city.patents_by_institution.get(owner, [])
            achievement_ids.append(
                market.add_achievement(make_achievement(rng, owner, cluster, held))
            )
        rows["achievements"] = len(achievement_ids)
        demand_ids: list[int] = []
        for n in range(_scaled(DEMANDS_AT_SCALE_1, scale, 12)):
            code, cluster = (city.demo_enterprise, None) if n < 4 else rng.choice(city.enterprises)
            confidential = n in (1, 3) or (n >= 4 and rng.random() < 0.3)
            demand_ids.append(market.add_demand(make_demand(rng, code, cluster, confidential)))
        rows["demands"] = len(demand_ids)
        for n in range(_scaled(CONTRACTS_AT_SCALE_1, scale, 20)):
            market.add_contract(_contract(rng, city, n, achievement_ids, demand_ids))
        rows["tech_contracts"] = _scaled(CONTRACTS_AT_SCALE_1, scale, 20)
        planner = CallPlanner(rng, city.institutions, city.enterprises, day)
        awarded = planner.build_all(challenges, scale, city.demo_institution, city.demo_enterprise)
        rows.update(planner.counts)
        projects = _cooperation(rng, city, scale, awarded)
        rows["cooperation_projects"] = market.add_cooperation_projects(projects)
    return MarketDemoStats(rows)


def _party(kind: PartyKind, ident: str) -> Party:
    return Party(kind, ident)


def _contract(
    rng: random.Random, city: City, n: int, achievements: list[int], demands: list[int]
) -> TechContract:
    seller = _party(PartyKind.INSTITUTION, rng.choice(city.institutions)[0])
    buyer = _party(PartyKind.ENTERPRISE, rng.choice(city.enterprises)[0])
    signed = _day(rng, rng.randint(FIRST_YEAR, LAST_YEAR))
    kind = rng.choices(list(CONTRACT_TYPES), list(CONTRACT_TYPES.values()))[0]
    return TechContract(
        number=f"3502{signed.year}{n + 1:06d}",
        title=f"{rng.choice(('联合研发', '技术服务', '专利许可', '技术转让'))}合同{SYNTHETIC_NOTE}",
        seller=seller,
        buyer=buyer,
        type=kind,
        value=round(rng.lognormvariate(13.0, 1.1), -3),
        signed=signed,
        registered=signed + timedelta(days=rng.randint(3, 40)) if rng.random() > 0.04 else None,
        achievement_id=rng.choice(achievements) if rng.random() < 0.3 else None,
        demand_id=rng.choice(demands) if rng.random() < 0.2 else None,
    ).validate()


def _cooperation(
    rng: random.Random, city: City, scale: float, awarded: list[tuple[int, int, Party]]
) -> list[CooperationProject]:
    projects = [
        CooperationProject(
            CooperationKind.CHALLENGE,
            year,
            f"揭榜挂帅项目（榜单 {call_id}）",
            lead,
            (),
            0.0,
            call_id,
        )
        for call_id, year, lead in awarded
    ]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for kind, per_year in (
            (CooperationKind.BREAKTHROUGH, BREAKTHROUGH_PER_YEAR),
            (CooperationKind.IUR, IUR_PER_YEAR),
        ):
            for _ in range(_scaled(per_year, scale, 1)):
                code, cluster = rng.choice(city.enterprises)
                v = VOCABULARY[_cluster(rng, cluster)]
                partners = tuple(
                    {_party(PartyKind.INSTITUTION, rng.choice(city.institutions)[0]) for _ in "ab"}
                )
                word = "关键技术攻关" if kind is CooperationKind.BREAKTHROUGH else "产学研联合开发"
                projects.append(
                    CooperationProject(
                        kind,
                        year,
                        f"{rng.choice(v.objects)}{word}",
                        _party(PartyKind.ENTERPRISE, code),
                        tuple(sorted(partners, key=str)),
                        round(rng.lognormvariate(14.0, 0.7), -4),
                    ).validate()
                )
    return projects
