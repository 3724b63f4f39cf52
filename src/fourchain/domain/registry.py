"""The ecosystem's actors and assets: enterprises and their panel, certificates, institutions,
patents, clusters and chains, and macro statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Tier(StrEnum):
    """A rung of the gradient-cultivation ladder (梯度培育)."""

    TECH_SME = "tech_sme"  # 科技型中小企业
    HNTE = "hnte"  # 高新技术企业
    INNOVATIVE_SME = "innovative_sme"  # 创新型中小企业
    SRDI_SME = "srdi_sme"  # 专精特新中小企业
    LITTLE_GIANT = "little_giant"  # 专精特新"小巨人"
    SINGLE_CHAMPION = "single_champion"  # 制造业单项冠军


TIER_LABELS: dict[Tier, tuple[str, str]] = {
    Tier.TECH_SME: ("科技型中小企业", "Tech-based SME"),
    Tier.HNTE: ("高新技术企业", "High and new technology enterprise"),
    Tier.INNOVATIVE_SME: ("创新型中小企业", "Innovative SME"),
    Tier.SRDI_SME: ("专精特新中小企业", "Specialised-refined SME"),
    Tier.LITTLE_GIANT: ("专精特新“小巨人”", "Little giant"),
    Tier.SINGLE_CHAMPION: ("制造业单项冠军", "Single-item champion"),
}


class InstitutionKind(StrEnum):
    UNIVERSITY = "university"
    NATIONAL_KEY_LAB = "national_key_lab"
    PROVINCIAL_LAB = "provincial_lab"
    NEW_RD_INSTITUTION = "new_rd_institution"
    PROOF_OF_CONCEPT_CENTRE = "proof_of_concept_centre"
    PILOT_PLATFORM = "pilot_platform"
    INCUBATOR = "incubator"
    INDUSTRY_PARK = "industry_park"
    ENTERPRISE_RD_CENTRE = "enterprise_rd_centre"
    INNOVATION_CONSORTIUM = "innovation_consortium"
    RESEARCH_INSTITUTE = "research_institute"


INSTITUTION_LABELS: dict[InstitutionKind, tuple[str, str]] = {
    InstitutionKind.UNIVERSITY: ("高等院校", "University"),
    InstitutionKind.NATIONAL_KEY_LAB: ("全国重点实验室", "National key laboratory"),
    InstitutionKind.PROVINCIAL_LAB: ("省实验室", "Provincial laboratory"),
    InstitutionKind.NEW_RD_INSTITUTION: ("新型研发机构", "New-type R&D institution"),
    InstitutionKind.PROOF_OF_CONCEPT_CENTRE: ("概念验证中心", "Proof-of-concept centre"),
    InstitutionKind.PILOT_PLATFORM: ("小试中试平台", "Pilot-scale test platform"),
    InstitutionKind.INCUBATOR: ("标杆孵化器", "Benchmark incubator"),
    InstitutionKind.INDUSTRY_PARK: ("未来产业园", "Future-industry park"),
    InstitutionKind.ENTERPRISE_RD_CENTRE: ("企业研发中心", "Enterprise R&D centre"),
    InstitutionKind.INNOVATION_CONSORTIUM: ("创新联合体", "Innovation consortium"),
    InstitutionKind.RESEARCH_INSTITUTE: ("科研院所", "Research institute"),
}


class ClusterKind(StrEnum):
    PILLAR = "pillar"
    STRATEGIC_EMERGING = "strategic_emerging"
    FUTURE = "future"


class LinkPosition(StrEnum):
    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"


class PatentKind(StrEnum):
    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"


@dataclass
class Enterprise:
    credit_code: str
    name: str
    founded: date | None = None
    district: str | None = None
    zone: str | None = None
    industry_code: str | None = None
    cluster: str | None = None
    chain_link: str | None = None
    above_scale: bool | None = None
    leading: bool | None = None
    niche_since: int | None = None
    main_product: str | None = None
    strategic_emerging: bool | None = None
    key_chain_role: str | None = None
    rd_institution_level: str | None = None


@dataclass
class EnterpriseYear:
    """One enterprise's figures for one year (a row of the panel). None means unknown."""

    credit_code: str
    year: int
    employees: int | None = None
    st_staff: int | None = None
    rd_staff: int | None = None
    revenue: float | None = None
    main_business_revenue: float | None = None
    hitech_revenue: float | None = None
    rd_expense: float | None = None
    rd_expense_domestic: float | None = None
    total_cost: float | None = None
    net_profit: float | None = None
    total_assets: float | None = None
    total_liabilities: float | None = None
    export_revenue: float | None = None
    equity_financing: float | None = None
    class1_ip: int | None = None
    class1_ip_high_value: int | None = None
    class1_ip_self_developed: int | None = None
    class2_ip: int | None = None
    conversions: int | None = None
    standards_led: int | None = None
    niche_market_share: float | None = None
    global_rank: int | None = None
    digital_level: int | None = None
    major_incident: bool | None = None
    dishonest_listed: bool | None = None


@dataclass
class Certificate:
    credit_code: str
    tier: Tier
    issued: date
    expires: date
    number: str | None = None
    issuer: str | None = None
    revoked: date | None = None

    def valid_on(self, day: date) -> bool:
        """Held on `day`: issued by then, not expired before it, not revoked by then."""
        if self.revoked is not None and self.revoked <= day:
            return False
        return self.issued <= day <= self.expires


@dataclass
class Institution:
    id: str
    name: str
    kind: InstitutionKind
    level: str | None = None
    district: str | None = None
    zone: str | None = None
    cluster: str | None = None
    host_credit_code: str | None = None
    recognised: date | None = None
    closed: date | None = None
    capacity: int | None = None
    services: str | None = None

    def active_on(self, day: date) -> bool:
        if self.recognised is not None and self.recognised > day:
            return False
        return self.closed is None or self.closed > day


@dataclass
class Patent:
    number: str
    title: str
    kind: PatentKind
    filed: date
    abstract: str | None = None
    ipc: str | None = None
    holder_credit_code: str | None = None
    holder_institution: str | None = None
    granted: date | None = None
    lapsed: date | None = None
    hv_strategic_emerging: bool = False
    hv_overseas_family: bool = False
    hv_pledge_financing: bool = False
    hv_award: bool = False

    def valid_on(self, day: date) -> bool:
        """Granted by `day` and not lapsed by then."""
        if self.granted is None or self.granted > day:
            return False
        return self.lapsed is None or self.lapsed > day

    def high_value_on(self, day: date) -> bool:
        """CNIPA's high-value invention patent: a valid invention patent meeting any of the five
        conditions (strategic emerging field, overseas family, maintained over 10 years, pledge
        financing, national S&T award or China Patent Award)."""
        if self.kind is not PatentKind.INVENTION or not self.valid_on(day):
            return False
        maintained_over_10 = self.filed < maintained_ten_years_cutoff(day)
        return (
            self.hv_strategic_emerging
            or self.hv_overseas_family
            or self.hv_pledge_financing
            or self.hv_award
            or maintained_over_10
        )


def maintained_ten_years_cutoff(day: date) -> date:
    """A patent filed before this date has been maintained for over ten years on `day`."""
    try:
        return day.replace(year=day.year - 10)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year - 10, day=28)


def year_end(year: int) -> date:
    return date(year, 12, 31)
