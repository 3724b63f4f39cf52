"""Add the full-chain incubation pipeline, the capital and talent chains and the conversion
projects to a registry that already holds the demo city. Entry point: `build_pipeline_demo`."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, or_, select

from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.adapters.db.tables import (
    chain_links,
    chains,
    clusters,
    enterprises,
    institutions,
)
from fourchain.adapters.db.tables_pipeline import conversion_projects, pipeline_projects
from fourchain.demo.identifiers import NamePool, credit_code
from fourchain.demo.pipeline_capital import (
    FUNDS,
    Capital,
    add_money,
    conversion_rows,
    people_for,
)
from fourchain.demo.pipeline_histories import (
    SCIENCE_CITY,
    Generated,
    Host,
    Startup,
    generate_histories,
)
from fourchain.demo.vocabulary import SYNTHETIC_MARK, VOCABULARY, ZONES
from fourchain.domain.funnel import FunnelRow, funnel
from fourchain.domain.pipeline import STAGE_HOST_KIND, STAGES, IncubationStage
from fourchain.domain.talent import Membership, Person
from fourchain.errors import Conflict, InvalidInput

Progress = Callable[[str, int, int], None]
PUBLISHED_CONVERSIONS = 1775  # 2021–2025
PUBLISHED_SCIENCE_CITY = 2500  # "more than 2,500" new entities in the core area, 2021–2025
FIRST, LAST = date(2021, 1, 1), date(2025, 12, 31)
# New platforms the science city set up 2021–2024, at scale 1 (its share of the five stages).
SCIENCE_CITY_PLATFORMS = {
    IncubationStage.RD_INSTITUTION: 6,
    IncubationStage.PROOF_OF_CONCEPT: 4,
    IncubationStage.PILOT: 4,
    IncubationStage.INCUBATOR: 6,
    IncubationStage.INDUSTRY_PARK: 3,
}
PLATFORM_NAMES = {
    IncubationStage.RD_INSTITUTION: "产业技术研究院",
    IncubationStage.PROOF_OF_CONCEPT: "概念验证中心",
    IncubationStage.PILOT: "中试基地",
    IncubationStage.INCUBATOR: "标杆孵化器",
    IncubationStage.INDUSTRY_PARK: "未来产业园",
}


@dataclass(frozen=True)
class PipelineDemoStats:
    rows: dict[str, int]
    funnel: list[FunnelRow]
    figures: dict[str, float] = field(default_factory=dict)


def _count(connection: Connection, table: Any, *where: Any) -> int:
    return int(connection.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def science_city_entities(connection: Connection) -> int:
    """Enterprises founded and institutions recognised in the science city's core area,
    2021–2025 (the published carrier figure)."""
    e, i = enterprises.c, institutions.c
    return _count(
        connection, enterprises, e.zone == SCIENCE_CITY, e.founded.between(FIRST, LAST)
    ) + _count(connection, institutions, i.zone == SCIENCE_CITY, i.recognised.between(FIRST, LAST))


class Writer:
    """Collects the rows the pipeline adds to the registry itself (platforms, enterprises)."""

    def __init__(self, connection: Connection, rng: random.Random) -> None:
        self.rng = rng
        self.codes = set(connection.scalars(select(enterprises.c.credit_code)))
        self.names = NamePool(rng)
        self.names.used.update(connection.scalars(select(enterprises.c.name)))
        self.serial = 400_000_000
        self.enterprise_rows: list[dict[str, object]] = []
        self.institution_rows: list[dict[str, object]] = []
        links = connection.execute(select(chain_links.c.key, chain_links.c.chain)).all()
        self.links: dict[str, list[str]] = {}
        for key, chain in links:
            self.links.setdefault(chain, []).append(key)

    def enterprise(
        self, founded: date, cluster: str, chain: str | None, zone: str | None, district: str | None
    ) -> str:
        district = district or self.rng.choice(ZONES.get(zone or "", ("集美",)))
        while True:
            self.serial += 41
            code = credit_code(district, self.serial)
            if code not in self.codes:
                break
        self.codes.add(code)
        vocabulary = VOCABULARY.get(cluster)
        word = self.rng.choice(vocabulary.trade_words) if vocabulary else "科技"
        self.enterprise_rows.append(
            {
                "credit_code": code,
                "name": self.names.firm(word),
                "founded": founded,
                "district": district,
                "zone": zone,
                "industry_code": None,
                "cluster": cluster,
                "chain_link": self.rng.choice(self.links[chain]) if chain in self.links else None,
                "above_scale": False,
                "leading": False,
                "niche_since": None,
                "main_product": None,
                "strategic_emerging": None,
                "key_chain_role": None,
                "rd_institution_level": "none",
            }
        )
        return code

    def incorporate(self, startup: Startup) -> str:
        return self.enterprise(
            startup.founded, startup.cluster, startup.chain, startup.zone, startup.district
        )

    def platforms(
        self, scale: float, cluster_keys: list[str]
    ) -> list[tuple[IncubationStage, Host]]:
        made = []
        for stage, n in SCIENCE_CITY_PLATFORMS.items():
            for k in range(1, max(1, round(n * scale)) + 1):
                cluster = cluster_keys[(k * 7 + STAGES.index(stage)) % len(cluster_keys)]
                kind = STAGE_HOST_KIND[stage].value
                recognised = date(2021 + (k % 4), 1 + (k * 5) % 12, 10)
                district = ("集美", "同安")[k % 2]
                row: dict[str, object] = {
                    "id": f"sc-{kind}-{k:03d}",
                    "kind": kind,
                    "level": "municipal",
                    "name": f"厦门科学城{VOCABULARY[cluster].trade_words[0]}{PLATFORM_NAMES[stage]}"
                    f"{k}号{SYNTHETIC_MARK}",
                    "district": district,
                    "zone": SCIENCE_CITY,
                    "cluster": cluster,
                    "host_credit_code": None,
                    "recognised": recognised,
                    "closed": None,
                    "capacity": self.rng.randint(30, 150),
                    "services": PLATFORM_NAMES[stage],
                }
                self.institution_rows.append(row)
                made.append(
                    (
                        stage,
                        Host(
                            str(row["id"]), kind, SCIENCE_CITY, district, cluster, recognised, None
                        ),
                    )
                )
        return made


def _hosts(connection: Connection) -> dict[IncubationStage, list[Host]]:
    c = institutions.c
    kinds = {kind.value: stage for stage, kind in STAGE_HOST_KIND.items()}
    found: dict[IncubationStage, list[Host]] = {stage: [] for stage in STAGES}
    query = select(c.id, c.kind, c.zone, c.district, c.cluster, c.recognised, c.closed).where(
        c.kind.in_(list(kinds))
    )
    for row in connection.execute(query):
        found[kinds[row.kind]].append(Host(*row))
    return found


def build_pipeline_demo(
    engine: Engine, *, seed: int, scale: float = 1.0, progress: Progress | None = None
) -> PipelineDemoStats:
    """Generate projects 2021–2025 through the real state machine, their money and people,
    the conversion projects and enough science-city start-ups and tenants to meet the published
    carrier figure, and write them in one transaction. Exact published figures at scale 1."""
    if not 0 < scale <= 1:
        raise InvalidInput(f"scale must be in (0, 1], got {scale}")
    report = progress or (lambda _stage, _done, _total: None)
    rng = random.Random(f"fourchain-demo:{seed}:pipeline")
    with engine.begin() as connection:
        if _count(connection, pipeline_projects) or _count(connection, conversion_projects):
            raise Conflict("the database already holds pipeline projects; build into a fresh city")
        firms = [
            tuple(r)
            for r in connection.execute(
                select(
                    enterprises.c.credit_code, enterprises.c.cluster, enterprises.c.founded
                ).where(or_(enterprises.c.founded.is_(None), enterprises.c.founded <= LAST))
            )
        ]
        if not firms:
            raise InvalidInput(
                "the pipeline demo needs a registry with enterprises (build the demo city first)"
            )
        before = science_city_entities(connection)
        cluster_names = dict(connection.execute(select(clusters.c.key, clusters.c.name_zh)).all())
        by_cluster: dict[str, list[str]] = {}
        for key, cluster in connection.execute(select(chains.c.key, chains.c.cluster)):
            by_cluster.setdefault(cluster, []).append(key)
        writer = Writer(connection, rng)
        hosts = _hosts(connection)
        for stage, host in writer.platforms(scale, sorted(VOCABULARY)):
            hosts[stage].append(host)
        report("pipeline histories", 1, 4)
        generated = generate_histories(rng, scale, hosts, by_cluster, writer.incorporate)
        capital = add_money(rng, generated, firms, scale)
        report("capital and talent", 2, 4)
        target = math.ceil((PUBLISHED_SCIENCE_CITY + 40) * scale)
        added = sum(
            1 for r in writer.enterprise_rows + writer.institution_rows if r["zone"] == SCIENCE_CITY
        )
        tenants = max(0, target - before - added)
        for _ in range(tenants):
            cluster = rng.choice(sorted(VOCABULARY))
            founded = date(rng.randint(2021, 2025), rng.randint(1, 9), rng.randint(1, 28))
            chain = rng.choice(by_cluster.get(cluster, [None]))
            writer.enterprise(founded, cluster, chain, SCIENCE_CITY, None)
        persons, members = people_for(rng, generated)
        products = {k: v.products for k, v in VOCABULARY.items()}
        conversions = conversion_rows(
            rng, round(PUBLISHED_CONVERSIONS * scale), generated, firms, products, cluster_names
        )
        rows = _write(connection, writer, generated, capital, persons, members, conversions)
        report("written", 3, 4)
        after = science_city_entities(connection)
    states = [h.state for h in generated.histories.values()]
    rows["science_city_tenants"] = tenants
    return PipelineDemoStats(
        rows=rows,
        funnel=funnel(states),
        figures={
            "science_city_new_entities": float(after),
            "science_city_before_pipeline": float(before),
            "conversion_projects": float(len(conversions)),
            "admin_overrides": float(generated.overrides),
        },
    )


def _write(
    connection: Connection,
    writer: Writer,
    generated: Generated,
    capital: Capital,
    persons: list[Person],
    members: list[Membership],
    conversions: list[dict[str, object]],
) -> dict[str, int]:
    now = datetime(2025, 10, 22, 9, 0)
    if writer.institution_rows:
        connection.execute(insert(institutions), writer.institution_rows)
    for start in range(0, len(writer.enterprise_rows), 5000):
        connection.execute(insert(enterprises), writer.enterprise_rows[start : start + 5000])
    store, money = SqlPipelineStore(connection), SqlFinanceStore(connection)
    store.add_projects(generated.projects)
    store.append_many({pid: h.events for pid, h in generated.histories.items()}, now)
    money.add_funds(FUNDS)
    money.add_commitments(capital.commitments)
    money.add_investments(capital.investments)
    for subsidy in capital.subsidies:
        money.add_subsidy(subsidy)
    money.add_loans(capital.loans)
    for policy in capital.policies:
        money.add_policy(policy)
    store.add_people(persons)
    store.add_memberships(members)
    for start in range(0, len(conversions), 5000):
        connection.execute(insert(conversion_projects), conversions[start : start + 5000])
    return {
        "institutions": len(writer.institution_rows),
        "enterprises": len(writer.enterprise_rows),
        "pipeline_projects": len(generated.projects),
        "pipeline_events": sum(len(h.events) for h in generated.histories.values()),
        "startups": len(generated.startups),
        "investments": len(capital.investments),
        "subsidies": len(capital.subsidies),
        "loans": len(capital.loans),
        "insurance_policies": len(capital.policies),
        "people": len(persons),
        "conversion_projects": len(conversions),
    }
