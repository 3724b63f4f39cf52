"""Pipeline and capital-chain API: funnel, Sankey links, projects, one project (people and money
by role), leverage, funds and a fund's portfolio."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from fourchain.bootstrap.pipeline import PipelineStores
from fourchain.domain.pipeline import IncubationStage
from fourchain.entrypoints.web.api.common import ERRORS
from fourchain.entrypoints.web.deps import AskerDep, ServicesDep
from fourchain.entrypoints.web.tables import Sorting, api_sort_query, api_sorting
from fourchain.services import finance
from fourchain.services.pipeline import (
    ProjectSummary,
    pipeline_flows,
    pipeline_funnel,
    project_list,
    states,
)
from fourchain.services.pipeline_views import project_view

router = APIRouter(prefix="/api", tags=["pipeline"], responses=ERRORS)

Cohort = Annotated[int | None, Query(ge=2000, le=2100, description="Start year of the projects")]
Key = Annotated[str, Query(max_length=50)]
ProjectId = Annotated[str, Path(min_length=1, max_length=40)]
FundKey = Annotated[str, Path(min_length=1, max_length=40)]
PageQuery = Annotated[int, Query(ge=1, le=100_000)]
# The project list's orders (its stages are derived from the event log, so it sorts here).
PROJECT_SORTS: dict[str, Callable[[ProjectSummary], Any]] = {
    "id": lambda i: i.project.id,
    "title": lambda i: i.project.title,
    "started": lambda i: i.state.started,
    "trl": lambda i: i.state.trl,
    "funding": lambda i: i.state.funding,
}


def stores(services: ServicesDep) -> Iterator[PipelineStores]:
    """One read connection per request; every view of a request sees the same data."""
    with services.pipeline.reading() as found:
        yield found


StoresDep = Annotated[PipelineStores, Depends(stores)]


class FunnelRowOut(BaseModel):
    stage: str
    entered: int
    passed: int
    conversion: float | None
    median_days: float | None


class FlowOut(BaseModel):
    source: str
    target: str
    count: int


class ProjectOut(BaseModel):
    id: str
    title: str
    cluster: str | None
    chain: str | None
    stage: str | None
    exit: str | None
    started: str | None
    stage_since: str | None
    institution: str | None
    trl: int | None
    enterprise: str | None
    funding: float


class ProjectList(BaseModel):
    items: list[ProjectOut]
    total: int
    page: int
    pages: int


class EventOut(BaseModel):
    kind: str
    on: str
    by: str
    stage: str | None
    exit: str | None
    trl: int | None
    evidence: list[str]
    institution: str | None
    amount: float | None
    note: str
    override_reason: str | None


class MemberOut(BaseModel):
    role: str
    joined: str
    left: str | None
    person: dict[str, str | None]


class ProjectDetailOut(BaseModel):
    """A project: everyone sees its timeline; people's fields and the money depend on the
    caller's role (money is null when the caller may not see it)."""

    project: ProjectOut
    overrides: list[str]
    timeline: list[EventOut]
    team: list[MemberOut]
    money: dict[str, Any] | None


class FundOut(BaseModel):
    key: str
    name: str
    kind: str
    size: float
    parent: str | None
    committed: float
    public_committed: float
    invested: float
    investments: int
    projects: int
    enterprises: int
    guaranteed: float


class PortfolioItem(BaseModel):
    investor: str
    round: str
    amount: float
    on: str
    project: str | None
    enterprise: str | None
    stage: str | None
    exit: str | None


@router.get("/pipeline/funnel", response_model=list[FunnelRowOut])
def funnel(stores: StoresDep, cohort: Cohort = None) -> list[dict[str, object]]:
    """Per stage, in order: projects that entered and passed it, conversion, median days."""
    return [row.as_json() for row in pipeline_funnel(stores.pipeline, cohort)]


@router.get("/pipeline/flows", response_model=list[FlowOut])
def flows(stores: StoresDep, cohort: Cohort = None) -> list[FlowOut]:
    """The Sankey links: stage to next stage, last stage to its exit."""
    links = pipeline_flows(stores.pipeline, cohort)
    return [FlowOut(source=f.source, target=f.target, count=f.count) for f in links]


@router.get("/pipeline/projects", response_model=ProjectList)
def projects(
    stores: StoresDep,
    stage: Annotated[IncubationStage | None, Query(description="Current stage")] = None,
    cluster: Key = "",
    cohort: Cohort = None,
    page: PageQuery = 1,
    sort: Annotated[str, api_sort_query(PROJECT_SORTS)] = "",
) -> ProjectList:
    """Projects with their derived stage; `stage` keeps those in it now. 50 a page."""
    items = project_list(
        stores.pipeline,
        stage=stage,
        cluster=cluster or None,
        cohort=cohort,
    )
    if sort:  # derived states: ordered here, after the derivation (unknown first when up)
        order = api_sorting(sort, Sorting("id"))
        value = PROJECT_SORTS[order.key]
        items.sort(key=lambda i: (value(i) is not None, value(i) or 0), reverse=order.descending)
    pages = max(1, -(-len(items) // 50))
    chosen = items[(page - 1) * 50 : page * 50]
    return ProjectList(
        items=[ProjectOut.model_validate(i.as_json()) for i in chosen],
        total=len(items),
        page=page,
        pages=pages,
    )


@router.get("/pipeline/projects/{project_id}", response_model=ProjectDetailOut)
def project(project_id: ProjectId, stores: StoresDep, viewer: AskerDep) -> ProjectDetailOut:
    """One project: timeline, team (fields by role) and money (bureau, hosts, its enterprise)."""
    view = project_view(stores.pipeline, stores.finance, project_id, viewer.principal)
    summary = ProjectSummary(view.project, view.state).as_json()
    money = None
    if view.money is not None:
        money = {
            "total": round(view.money.total, 2),
            "investments": [
                {"investor": i.investor, "round": i.round, "amount": i.amount, "on": str(i.on)}
                for i in view.money.investments
            ],
            "subsidies": [
                {"programme": s.programme, "amount": s.amount, "disbursed": s.disbursed}
                for s in view.money.subsidies
            ],
            "loans": [
                {
                    "bank": x.bank,
                    "amount": x.amount,
                    "on": str(x.on),
                    "guaranteed_by": x.guarantee_fund,
                }
                for x in view.money.loans
            ],
            "insurance": [
                {"insurer": p.insurer, "cover": p.cover, "paid": p.paid}
                for p in view.money.policies
            ],
        }
    return ProjectDetailOut(
        project=ProjectOut.model_validate(summary),
        overrides=list(view.state.overrides),
        timeline=[
            EventOut(
                kind=e.kind.value,
                on=e.on.isoformat(),
                by=e.by,
                stage=e.stage.value if e.stage else None,
                exit=e.exit.value if e.exit else None,
                trl=e.trl,
                evidence=sorted(e.evidence),
                institution=e.institution,
                amount=e.amount if view.money is not None else None,
                note=e.note,
                override_reason=e.override_reason,
            )
            for e in view.events
        ],
        team=[
            MemberOut(role=m.role, joined=m.joined, left=m.left, person=m.person) for m in view.team
        ],
        money=money,
    )


@router.get("/finance/leverage")
def leverage(stores: StoresDep) -> dict[str, Any]:
    """Money in, public and private, by kind, stage, cluster and chain; leverage = private yuan
    per public yuan; `reconciled` says every grouping adds up to the flows."""
    store, pipeline = stores.finance, stores.pipeline
    return finance.capital_view(
        store.book(), finance.places(store, pipeline, states(pipeline))
    ).as_json()


@router.get("/finance/funds", response_model=list[FundOut])
def funds(stores: StoresDep) -> list[dict[str, object]]:
    """Each fund: size, commitments (the public part), invested, portfolio counts."""
    return [s.as_json() for s in finance.fund_summaries(stores.finance.book())]


@router.get("/finance/funds/{fund_key}/portfolio", response_model=list[PortfolioItem])
def portfolio(fund_key: FundKey, stores: StoresDep) -> list[PortfolioItem]:
    """A fund's investments, newest first, with each project's progress (bureau only)."""
    pipeline = stores.pipeline
    derived = states(pipeline)
    out = []
    for i in finance.portfolio(stores.finance.book(), fund_key):
        state = derived.get(i.project or "")
        out.append(
            PortfolioItem(
                investor=i.investor,
                round=i.round,
                amount=i.amount,
                on=i.on.isoformat(),
                project=i.project,
                enterprise=i.enterprise,
                stage=state.stage.value if state and state.stage else None,
                exit=state.exit.value if state and state.exit else None,
            )
        )
    return out
