"""Open collaboration: partner organisations (with their ISO 3166 country), the networks and
programmes they belong to, cooperation agreements, joint projects, innovation-consortium
members, and the honours and rankings register (awards, rankings, designations, approvals,
each with the document that published it).

Pure: the figures the pages and the catalogue give are computed here from plain records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

HOME_COUNTRY = "CN"  # the city's own country: a partner elsewhere is an international one


class PartnerKind(StrEnum):
    UNIVERSITY = "university"
    RESEARCH = "research_institute"
    ENTERPRISE = "enterprise"
    INCUBATOR = "incubator"
    GOVERNMENT = "government"
    ASSOCIATION = "association"
    OTHER = "other"


PARTNER_KIND_LABELS: dict[str, tuple[str, str]] = {
    PartnerKind.UNIVERSITY: ("高校", "University"),
    PartnerKind.RESEARCH: ("科研院所", "Research institute"),
    PartnerKind.ENTERPRISE: ("企业", "Enterprise"),
    PartnerKind.INCUBATOR: ("孵化机构", "Incubator"),
    PartnerKind.GOVERNMENT: ("政府机构", "Government body"),
    PartnerKind.ASSOCIATION: ("协会联盟", "Association"),
    PartnerKind.OTHER: ("其他", "Other"),
}


class NetworkKind(StrEnum):
    NETWORK = "network"  # a standing network (an incubation park's international network)
    PROGRAMME = "programme"  # a programme with members (a big-science programme)


NETWORK_KIND_LABELS: dict[str, tuple[str, str]] = {
    NetworkKind.NETWORK: ("合作网络", "Network"),
    NetworkKind.PROGRAMME: ("合作计划", "Programme"),
}


class ConsortiumRole(StrEnum):
    LEAD = "lead"
    CORE = "core"
    MEMBER = "member"


CONSORTIUM_ROLE_LABELS: dict[str, tuple[str, str]] = {
    ConsortiumRole.LEAD: ("牵头单位", "Lead"),
    ConsortiumRole.CORE: ("核心成员", "Core member"),
    ConsortiumRole.MEMBER: ("成员单位", "Member"),
}

MEMBER_KIND_LABELS: dict[str, tuple[str, str]] = {
    "enterprise": ("企业", "Enterprise"),
    "institution": ("机构", "Institution"),
    "partner": ("合作机构", "Partner organisation"),
}


class HonourKind(StrEnum):
    AWARD = "award"
    RANKING = "ranking"
    DESIGNATION = "designation"
    APPROVAL = "approval"


HONOUR_KIND_LABELS: dict[str, tuple[str, str]] = {
    HonourKind.AWARD: ("奖项入选", "Award"),
    HonourKind.RANKING: ("排名", "Ranking"),
    HonourKind.DESIGNATION: ("认定称号", "Designation"),
    HonourKind.APPROVAL: ("审批获批", "Approval"),
}

# The categories of honour the catalogue reads; a register may hold others ("other").
HONOUR_CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "top10_science_advances": ("中国科学十大进展", "China's top-10 science advances"),
    "torch_zone_evaluation": ("国家高新区综合评价", "National high-tech zone evaluation"),
    "new_display_rank": ("新型显示产业竞争力排名", "New-display industry competitiveness rank"),
    "smart_factory": (
        "国家智能制造示范工厂",
        "National smart-manufacturing demonstration factory",
    ),
    "class1_drug": ("1类创新药获批", "Class-1 innovative drug approval"),
    "other": ("其他", "Other"),
}


@dataclass(frozen=True)
class Partner:
    key: str
    name_zh: str
    name_en: str
    country: str  # ISO 3166-1 alpha-2
    kind: str

    @property
    def international(self) -> bool:
        return self.country != HOME_COUNTRY


@dataclass(frozen=True)
class Network:
    key: str
    name_zh: str
    name_en: str
    kind: str
    host: str = ""
    founded: date | None = None


@dataclass(frozen=True)
class Membership:
    network: str
    partner: str
    joined: date
    left: date | None = None

    def active_on(self, day: date) -> bool:
        return self.joined <= day and (self.left is None or self.left > day)


@dataclass(frozen=True)
class JointProject:
    id: int
    title: str
    partner: str
    started: date
    network: str | None = None


@dataclass(frozen=True)
class Honour:
    id: int
    kind: str
    category: str
    title: str
    holder: str
    awarded: date
    source: str
    rank: int | None = None


@dataclass(frozen=True)
class NetworkFigures:
    network: str
    institutions: int
    countries: int
    projects: int
    international_institutions: int


def network_figures(
    network: str,
    memberships: Iterable[Membership],
    partners: Mapping[str, Partner],
    projects: Iterable[JointProject],
    day: date,
) -> NetworkFigures:
    """A network's or programme's partner institutions, their countries and the joint projects
    started through it, as of `day` (members who have joined and not left by then)."""
    members = {
        m.partner
        for m in memberships
        if m.network == network and m.active_on(day) and m.partner in partners
    }
    countries = {partners[p].country for p in members}
    started = sum(1 for p in projects if p.network == network and p.started <= day)
    foreign = sum(1 for p in members if partners[p].international)
    return NetworkFigures(network, len(members), len(countries), started, foreign)


def international_share(
    projects: Iterable[JointProject], partners: Mapping[str, Partner], year: int
) -> float | None:
    """Percent of the joint projects started in `year` whose partner is outside China; None
    when none started."""
    chosen = [p for p in projects if p.started.year == year and p.partner in partners]
    if not chosen:
        return None
    foreign = sum(1 for p in chosen if partners[p.partner].international)
    return foreign / len(chosen) * 100


def partners_by_country(partners: Iterable[Partner]) -> dict[str, int]:
    """How many partner organisations each country has, largest first."""
    counts: dict[str, int] = {}
    for partner in partners:
        counts[partner.country] = counts.get(partner.country, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def consecutive_years(years: Iterable[int], last: int) -> int:
    """Years in a row ending in `last` that appear in `years` (0 when `last` is not one)."""
    held = set(years)
    count = 0
    while last - count in held:
        count += 1
    return count
