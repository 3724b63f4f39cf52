"""The demo city's enterprises: who they are (the `enterprises` columns) and the latent traits
(size, growth, research intensity, survival) that the tiers and the panel are drawn from."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from fourchain.demo.calibration import FIRST_YEAR, LAST_YEAR
from fourchain.demo.chains import links_by_cluster
from fourchain.demo.identifiers import NamePool, credit_code
from fourchain.demo.vocabulary import (
    CLUSTER_WEIGHTS,
    DISTRICT_WEIGHTS,
    VOCABULARY,
    ZONES,
)

# Median first-year revenue (yuan) of a newly founded firm, and mean yearly growth, by cluster.
_BASE_REVENUE = {
    "electronic_information": 5.5e6,
    "machinery_equipment": 6.0e6,
    "trade_logistics": 9.0e6,
    "financial_services": 4.0e6,
    "biomedicine": 3.0e6,
    "new_materials": 6.0e6,
    "new_energy": 5.0e6,
    "culture_tourism_creative": 1.8e6,
    "artificial_intelligence": 2.0e6,
    "hydrogen_storage": 2.5e6,
}
_GROWTH = {
    "electronic_information": 0.075,
    "machinery_equipment": 0.055,
    "trade_logistics": 0.05,
    "financial_services": 0.04,
    "biomedicine": 0.10,
    "new_materials": 0.08,
    "new_energy": 0.19,
    "culture_tourism_creative": 0.04,
    "artificial_intelligence": 0.15,
    "hydrogen_storage": 0.17,
}
_MAX_REVENUE = 8.0e10


@dataclass(slots=True)
class Firm:
    index: int
    credit_code: str
    name: str
    cluster: str
    industry_code: str
    district: str
    zone: str | None
    founded: date
    death_year: int | None  # last panel year of a firm that closes before 2025
    revenue0: float  # revenue in its first panel year (yuan)
    growth: float  # mean yearly revenue growth
    tech: float  # latent research intensity, 0..1
    chain_link: str | None
    main_product: str
    strategic_emerging: bool | None
    key_chain_role: str | None
    compliant: bool  # a tier holder whose figures meet the tier's hard conditions
    weak_point: str  # which condition a near miss falls short on
    leading: bool = False
    niche_since: int | None = None
    rd_institution_level: str | None = None
    held: dict[int, set[str]] = field(default_factory=dict)  # year → tiers valid at its end

    @property
    def section(self) -> str:
        return self.industry_code[0]

    @property
    def industrial(self) -> bool:
        return self.section in ("B", "C", "D")

    @property
    def first_year(self) -> int:
        return max(FIRST_YEAR, self.founded.year)

    @property
    def last_year(self) -> int:
        return self.death_year if self.death_year is not None else LAST_YEAR

    @property
    def survivor(self) -> bool:
        return self.death_year is None

    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def holds(self, tier: str, year: int) -> bool:
        return tier in self.held.get(year, ())

    def ever_holds(self, tier: str) -> bool:
        return any(tier in tiers for tiers in self.held.values())

    def enterprise_row(self) -> dict[str, object]:
        return {
            "credit_code": self.credit_code,
            "name": self.name,
            "founded": self.founded,
            "district": self.district,
            "zone": self.zone,
            "industry_code": self.industry_code,
            "cluster": self.cluster,
            "chain_link": self.chain_link,
            "above_scale": None,  # set from the panel
            "leading": self.leading,
            "niche_since": self.niche_since,
            "main_product": self.main_product,
            "strategic_emerging": self.strategic_emerging,
            "key_chain_role": self.key_chain_role,
            "rd_institution_level": self.rd_institution_level,
        }


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _founded(rng: random.Random) -> date:
    age = min(rng.gammavariate(2.4, 4.6), 35.0)
    day = date(LAST_YEAR, 10, 31) - timedelta(days=int(age * 365.25))
    return max(day, date(1990, 1, 1))


def _revenue0(rng: random.Random, cluster: str, founded: date) -> float:
    """Revenue in the first panel year: older firms are larger; a firm founded that year
    reports only the months it traded."""
    age = max(0, FIRST_YEAR - founded.year)
    log_rev = math.log(_BASE_REVENUE[cluster]) + 0.07 * min(age, 25) + rng.gauss(0.0, 1.5)
    revenue = min(math.exp(log_rev), _MAX_REVENUE)
    if founded.year >= FIRST_YEAR:
        revenue *= max(0.1, (12 - founded.month + 1) / 12)
    return revenue


def make_firms(rng: random.Random, count: int) -> list[Firm]:
    """`count` synthetic firms with unique names and credit codes, in a fixed order."""
    names = NamePool(rng)
    links = links_by_cluster()
    zones_by_district = {
        district: [zone for zone, districts in ZONES.items() if district in districts]
        for district in DISTRICT_WEIGHTS
    }
    firms: list[Firm] = []
    for index in range(count):
        cluster = _pick(rng, CLUSTER_WEIGHTS)
        vocab = VOCABULARY[cluster]
        district = _pick(rng, DISTRICT_WEIGHTS)
        options = zones_by_district[district]
        zone = rng.choice(options) if options and rng.random() < 0.62 else None
        founded = _founded(rng)
        w = vocab.tech_weight
        tech = rng.betavariate(1.0 + 4.0 * w, 1.0 + 4.0 * (1.0 - w))
        age = LAST_YEAR - founded.year
        death_year: int | None = None
        # Small young firms close more often; closures spread over 2020-2024.
        if founded.year < LAST_YEAR and rng.random() < (0.10 if age < 8 else 0.05):
            death_year = rng.randint(max(FIRST_YEAR, founded.year), LAST_YEAR - 1)
        growth = _GROWTH[cluster] + rng.gauss(0.0, 0.07) + (0.08 if age < 6 else 0.0)
        strategic: bool | None = rng.random() < vocab.strategic_share
        if rng.random() < 0.02:
            strategic = None
        role = rng.choices(["none", "supplies_leading", "fills_gap", None], weights=[80, 12, 3, 5])[
            0
        ]
        firms.append(
            Firm(
                index=index,
                credit_code=credit_code(district, 7_000_000 + index * 37),
                name=names.firm(rng.choice(vocab.trade_words)),
                cluster=cluster,
                industry_code=rng.choice(vocab.industry_codes),
                district=district,
                zone=zone,
                founded=founded,
                death_year=death_year,
                revenue0=_revenue0(rng, cluster, founded),
                growth=growth,
                tech=tech,
                chain_link=rng.choice(links[cluster]) if rng.random() < 0.85 else None,
                main_product=rng.choice(vocab.products),
                strategic_emerging=strategic,
                key_chain_role=role,
                compliant=rng.random() < 0.88,
                weak_point=rng.choice(("rd", "rd", "st_staff", "hitech", "domestic")),
            )
        )
    _mark_leading(firms)
    return firms


def _mark_leading(firms: list[Firm]) -> None:
    """Leading firms (龙头企业): the largest surviving firms of each cluster."""
    by_cluster: dict[str, list[Firm]] = {}
    for firm in firms:
        if firm.survivor and firm.founded.year <= FIRST_YEAR - 3:
            by_cluster.setdefault(firm.cluster, []).append(firm)
    for members in by_cluster.values():
        members.sort(key=lambda f: (-f.revenue0, f.index))
        for firm in members[: max(1, len(members) // 80)]:
            firm.leading = True
