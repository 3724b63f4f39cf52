"""Registry API: the enterprise directory, profiles, confidential yearly figures, institutions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from fourchain.domain.registry import Certificate, EnterpriseYear, InstitutionKind, Tier
from fourchain.entrypoints.web.api.common import ERRORS
from fourchain.entrypoints.web.deps import AskerDep, ServicesDep, utc_now
from fourchain.entrypoints.web.tables import Sorting, api_sort_query, api_sorting
from fourchain.services.registry_views import (
    DIRECTORY_SORTS,
    INSTITUTION_SORTS,
    DirectoryQuery,
    EnterpriseIdentity,
    EnterpriseRow,
    InstitutionQuery,
    InstitutionRow,
)

router = APIRouter(prefix="/api", tags=["registry"], responses=ERRORS)

CreditCode = Annotated[str, Path(min_length=1, max_length=18, description="统一社会信用代码")]
YearPath = Annotated[int, Path(ge=1980, le=2100)]
PageQuery = Annotated[int, Query(ge=1, le=100_000, description="1-based page number")]
PageSize = Annotated[int, Query(ge=1, le=100)]


class EnterpriseList(BaseModel):
    items: list[EnterpriseRow]
    total: int
    page: int
    pages: int
    page_size: int


class ChainLinkOut(BaseModel):
    chain: str
    chain_name_zh: str
    chain_name_en: str
    link_name_zh: str
    link_name_en: str
    position: str


class EnterpriseOut(BaseModel):
    """The public profile: identity, every certificate, the tiers held, the chain link.
    The yearly figures are confidential and served apart (`/years`)."""

    enterprise: EnterpriseIdentity
    certificates: list[Certificate]
    tiers_held: list[Tier]
    held_on: date
    chain_link: ChainLinkOut | None


class InstitutionList(BaseModel):
    items: list[InstitutionRow]
    total: int
    page: int
    pages: int
    page_size: int


class DashboardOut(BaseModel):
    year: int | None
    enterprises: int
    certificates: dict[str, int]
    institutions: dict[str, int]
    patents: dict[str, int]
    years: list[int]
    certificates_per_tier: dict[str, list[int]]
    enterprises_per_cluster: dict[str, int]
    district: str | None = None
    # the headline figures (narrowed to the district where the data allows) and their change
    # from the year before in percent (null without a year before)
    figures: dict[str, int] = {}
    changes: dict[str, float | None] = {}


@router.get("/enterprises", response_model=EnterpriseList)
def list_enterprises(
    services: ServicesDep,
    query: Annotated[str, Query(max_length=200, description="name or credit code")] = "",
    cluster: Annotated[str, Query(max_length=50)] = "",
    district: Annotated[str, Query(max_length=50)] = "",
    tier: Annotated[Tier | None, Query(description="holding this tier")] = None,
    page: PageQuery = 1,
    page_size: PageSize = 20,
    sort: Annotated[str, api_sort_query(DIRECTORY_SORTS)] = "",
) -> EnterpriseList:
    """Search the directory (public identity only; never a figure)."""
    order = api_sorting(sort, Sorting("name"))
    tier_key = tier.value if tier else ""
    q = DirectoryQuery(
        query, cluster, district, tier_key, page, page_size, order.key, order.descending
    )
    found = services.registry.views.directory(q, utc_now().date())
    return EnterpriseList(
        items=found.items,
        total=found.total,
        page=found.page,
        pages=found.pages,
        page_size=found.page_size,
    )


@router.get("/enterprises/{credit_code}", response_model=EnterpriseOut)
def get_enterprise(
    credit_code: CreditCode, viewer: AskerDep, services: ServicesDep
) -> EnterpriseOut:
    """One enterprise's public profile."""
    profile = services.registry.views.profile(credit_code, viewer, with_figures=False)
    link = None
    if profile.chain is not None:
        chain, chain_zh, chain_en, link_zh, link_en, position = profile.chain
        link = ChainLinkOut(
            chain=chain,
            chain_name_zh=chain_zh,
            chain_name_en=chain_en,
            link_name_zh=link_zh,
            link_name_en=link_en,
            position=position,
        )
    return EnterpriseOut(
        enterprise=profile.identity,
        certificates=profile.certificates,
        tiers_held=sorted({c.tier for c in profile.held}, key=list(Tier).index),
        held_on=profile.reference_day,
        chain_link=link,
    )


@router.get("/enterprises/{credit_code}/years", response_model=list[EnterpriseYear])
def list_years(
    credit_code: CreditCode, viewer: AskerDep, services: ServicesDep
) -> list[EnterpriseYear]:
    """Every year of an enterprise's figures: its own users and bureau staff only (404 to
    anyone else, exactly as for an enterprise that does not exist)."""
    return services.registry.views.figures(credit_code, viewer)


@router.get("/enterprises/{credit_code}/years/{year}", response_model=EnterpriseYear)
def get_year(
    credit_code: CreditCode, year: YearPath, viewer: AskerDep, services: ServicesDep
) -> EnterpriseYear:
    """One year of an enterprise's figures (confidential, as above)."""
    return services.registry.views.year(credit_code, year, viewer)


@router.get("/dashboard", response_model=DashboardOut)
def dashboard(
    services: ServicesDep,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    district: Annotated[str | None, Query(max_length=200)] = None,
) -> DashboardOut:
    """The home dashboard's figures: registry aggregates only, at the end of `year` (the last
    year of data by default), narrowed to `district` where the data allows; a year or district
    without data is not found (404)."""
    board = services.registry.views.dashboard(year, district or None)
    summary = board.summary
    return DashboardOut(
        year=board.year,
        enterprises=summary.enterprises if summary else 0,
        certificates=summary.certificates if summary else {},
        institutions=summary.institutions if summary else {},
        patents=summary.patents if summary else {},
        years=board.years,
        certificates_per_tier=board.certificates_per_tier,
        enterprises_per_cluster=board.enterprises_per_cluster,
        district=board.district,
        figures=board.figures,
        changes=board.changes,
    )


@router.get("/institutions", response_model=InstitutionList)
def list_institutions(
    services: ServicesDep,
    query: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[list[InstitutionKind] | None, Query(max_length=20)] = None,
    page: PageQuery = 1,
    page_size: PageSize = 20,
    sort: Annotated[str, api_sort_query(INSTITUTION_SORTS)] = "",
) -> InstitutionList:
    """Institutions and platforms, optionally of some kinds."""
    order = api_sorting(sort, Sorting("kind"))
    kinds = tuple(k.value for k in kind or ())
    found = services.registry.views.institutions(
        InstitutionQuery(query, kinds, page, page_size, order.key, order.descending)
    )
    return InstitutionList(
        items=found.items,
        total=found.total,
        page=found.page,
        pages=found.pages,
        page_size=found.page_size,
    )


class InstitutionOut(BaseModel):
    id: str
    name: str
    kind: str
    level: str | None
    district: str | None
    zone: str | None
    cluster: str | None
    host_credit_code: str | None
    recognised: date | None
    closed: date | None
    capacity: int | None
    services: str | None
    patents: int


@router.get("/institutions/{institution_id}", response_model=InstitutionOut)
def get_institution(
    institution_id: Annotated[str, Path(min_length=1, max_length=40)], services: ServicesDep
) -> InstitutionOut:
    """One institution or services."""
    found, held = services.registry.views.institution(institution_id)
    return InstitutionOut(
        id=found.id,
        name=found.name,
        kind=found.kind.value,
        level=found.level,
        district=found.district,
        zone=found.zone,
        cluster=found.cluster,
        host_credit_code=found.host_credit_code,
        recognised=found.recognised,
        closed=found.closed,
        capacity=found.capacity,
        services=found.services,
        patents=held,
    )


class AccountOut(BaseModel):
    username: str
    role: str


@router.get("/institutions/{institution_id}/accounts", response_model=list[AccountOut])
def institution_accounts(
    institution_id: Annotated[str, Path(min_length=1, max_length=40)],
    viewer: AskerDep,
    services: ServicesDep,
) -> list[AccountOut]:
    """The accounts bound to an institution: its own users and bureau staff only (404 to
    anyone else, exactly as for an institution that does not exist)."""
    found = services.auth.accounts.of_institution(viewer.principal, institution_id)
    return [AccountOut(username=a.username, role=a.role.value) for a in found]
