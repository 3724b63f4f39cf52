"""Technology-market API: achievements, demands, contracts, cooperation counts, challenge calls
and applications (each answer holds only what the caller may see), and the applicant's and
reviewer's writes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from fourchain.domain.challenge import ChallengeApplication, ChallengeCall, Ranked
from fourchain.domain.market import (
    ACHIEVEMENT_SORTS,
    DEMAND_SORTS,
    Achievement,
    Demand,
    ListQuery,
    TechContract,
)
from fourchain.domain.matching import DocumentKind, Filters
from fourchain.domain.matching.fusion import query_kind
from fourchain.entrypoints.web.api.common import ERRORS
from fourchain.entrypoints.web.deps import ServicesDep, ViewerDep, utc_now
from fourchain.entrypoints.web.pages.market import MatchingDep
from fourchain.entrypoints.web.tables import Sorting, api_sort_query, api_sorting
from fourchain.errors import InvalidInput
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from fourchain.services.market_matching import MAX_QUERY_CHARS, MAX_TOP, QUERY_FINDS

router = APIRouter(prefix="/api/market", tags=["market"], responses=ERRORS)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
Text = Annotated[str, Query(max_length=200)]
PageQuery = Annotated[int, Query(ge=1, le=100_000, description="1-based page number")]
PageSize = Annotated[int, Query(ge=1, le=100)]


async def _records(services: ServicesDep) -> MarketRecords:
    return services.market.records


async def _desk(services: ServicesDep) -> ChallengeDesk:
    return services.market.desk


RecordsDep = Annotated[MarketRecords, Depends(_records)]
DeskDep = Annotated[ChallengeDesk, Depends(_desk)]
MarketViewer = ViewerDep  # the market's viewer (deps.current_viewer)


class AchievementList(BaseModel):
    items: list[Achievement]
    total: int


class DemandList(BaseModel):
    items: list[Demand]
    total: int


class ContractList(BaseModel):
    items: list[TechContract]
    total: int


class CallOut(BaseModel):
    """A call with the applications the caller may see; the ranking for the bureau only."""

    call: ChallengeCall
    applications: list[ChallengeApplication]
    ranking: list[Ranked]


class ApplicationOut(BaseModel):
    application: ChallengeApplication
    feedback: str | None


class ApplicationIn(BaseModel):
    team_lead: str = Field(min_length=1, max_length=100)
    team: str = Field(default="", max_length=5000)
    proposal: str = Field(min_length=1, max_length=300)
    approach: str = Field(min_length=1, max_length=5000)
    requested: float = Field(ge=0, le=1e12)


class DeclarationIn(BaseModel):
    conflicted: bool
    statement: str = Field(default="", max_length=5000)


class ScoresIn(BaseModel):
    points: dict[str, float] = Field(max_length=20)


class Created(BaseModel):
    id: int


class Done(BaseModel):
    ok: bool = True


NEWEST_FIRST = Sorting("published", descending=True)


def _query(
    text: str, cluster: str, trl_min: int | None, page: int, size: int, sort: str = ""
) -> ListQuery:
    order = api_sorting(sort, NEWEST_FIRST)
    return ListQuery(
        text=text.strip() or None,
        cluster=cluster or None,
        trl_min=trl_min,
        limit=size,
        offset=(page - 1) * size,
        sort=order.key,
        descending=order.descending,
    )


@router.get("/achievements", response_model=AchievementList)
def list_achievements(
    viewer: MarketViewer,
    records: RecordsDep,
    text: Text = "",
    cluster: Text = "",
    trl_min: Annotated[int | None, Query(ge=1, le=9)] = None,
    page: PageQuery = 1,
    page_size: PageSize = 20,
    sort: Annotated[str, api_sort_query(ACHIEVEMENT_SORTS)] = "",
) -> AchievementList:
    """Achievements, newest first: listed ones, plus the caller's own unlisted ones."""
    query = _query(text, cluster, trl_min, page, page_size, sort)
    found = records.achievements(viewer, query)
    return AchievementList(items=found.items, total=found.total)


@router.get("/achievements/{achievement_id}", response_model=Achievement)
def get_achievement(viewer: MarketViewer, records: RecordsDep, achievement_id: Id) -> Achievement:
    """One achievement."""
    return records.achievement(viewer, achievement_id)[0]


@router.get("/demands", response_model=DemandList)
def list_demands(
    viewer: MarketViewer,
    records: RecordsDep,
    text: Text = "",
    cluster: Text = "",
    page: PageQuery = 1,
    page_size: PageSize = 20,
    sort: Annotated[str, api_sort_query(DEMAND_SORTS)] = "",
) -> DemandList:
    """Demands, newest first; a confidential one only to its enterprise and the bureau."""
    found = records.demands(viewer, _query(text, cluster, None, page, page_size, sort))
    return DemandList(items=found.items, total=found.total)


@router.get("/demands/{demand_id}", response_model=Demand)
def get_demand(viewer: MarketViewer, records: RecordsDep, demand_id: Id) -> Demand:
    """One demand (a confidential one answers 404 to anyone but its enterprise and the bureau)."""
    return records.demand(viewer, demand_id)[0]


@router.get("/contracts", response_model=ContractList)
def list_contracts(
    viewer: MarketViewer,
    records: RecordsDep,
    year: Annotated[int | None, Query(ge=1980, le=2100)] = None,
    page: PageQuery = 1,
    page_size: PageSize = 20,
) -> ContractList:
    """Registered contracts the caller is a party to (all of them for the bureau)."""
    offset = (page - 1) * page_size
    found = records.contracts(viewer, year=year, limit=page_size, offset=offset)
    return ContractList(items=found.items, total=found.total)


@router.get("/cooperation", response_model=dict[str, dict[int, int]])
def cooperation_counts(records: RecordsDep) -> dict[str, dict[int, int]]:
    """Cooperation projects organised per kind and year (breakthrough, challenge, iur)."""
    return records.cooperation_counts()


@router.get("/challenges", response_model=list[ChallengeCall])
def list_challenges(viewer: MarketViewer, desk: DeskDep) -> list[ChallengeCall]:
    """Challenge calls, newest first (drafts only for the bureau)."""
    return desk.calls(viewer)


@router.get("/challenges/{call_id}", response_model=CallOut)
def get_challenge(viewer: MarketViewer, desk: DeskDep, call_id: Id) -> CallOut:
    """A call and the applications the caller may see: their own, their review desk's, or
    (the bureau) all of them with the ranking."""
    view = desk.view(viewer, call_id)
    return CallOut(call=view.call, applications=view.applications, ranking=view.ranking)


@router.post("/challenges/{call_id}/applications", response_model=Created, status_code=201)
def apply(viewer: MarketViewer, desk: DeskDep, call_id: Id, body: ApplicationIn) -> Created:
    """Apply to a published call in the caller's organisation's name."""
    if viewer.party is None:
        raise InvalidInput("applicant: 账号未绑定单位 (the account has no organisation)")
    application = ChallengeApplication(
        call_id=call_id,
        applicant=viewer.party,
        team_lead=body.team_lead,
        team=body.team,
        proposal=body.proposal,
        approach=body.approach,
        requested=body.requested,
        submitted=utc_now().date(),
    )
    return Created(id=desk.apply(viewer, application))


@router.get("/applications", response_model=list[ChallengeApplication])
def list_applications(viewer: MarketViewer, desk: DeskDep) -> list[ChallengeApplication]:
    """The applications the caller may see: their own, or those on their review desk."""
    return desk.applications(viewer)


@router.get("/applications/{application_id}", response_model=ApplicationOut)
def get_application(viewer: MarketViewer, desk: DeskDep, application_id: Id) -> ApplicationOut:
    """One application (404 to anyone who may not see it) and, for its applicant and the
    bureau, the written feedback."""
    application, feedback = desk.application(viewer, application_id)
    return ApplicationOut(application=application, feedback=feedback)


@router.post("/applications/{application_id}/declaration", response_model=Done)
def declare(viewer: MarketViewer, desk: DeskDep, application_id: Id, body: DeclarationIn) -> Done:
    """The reviewer's conflict-of-interest declaration (final once made)."""
    desk.declare(viewer, application_id, conflicted=body.conflicted, statement=body.statement)
    return Done()


@router.post("/applications/{application_id}/scores", response_model=Done)
def score(viewer: MarketViewer, desk: DeskDep, application_id: Id, body: ScoresIn) -> Done:
    """The reviewer's score sheet: 0–100 points for each criterion of the rubric."""
    desk.score(viewer, application_id, body.points)
    return Done()


# ------------------------------------------------------------------------------------ search
class SearchHit(BaseModel):
    """One record found: its kind and key, its title, the calibrated 0–100 relevance, the
    mode's own score, the rank within its kind, and why (terms per visible field, the BM25
    score and the cosine); `duplicates` are near-duplicate records collapsed under it."""

    kind: str
    id: str
    title: str
    relevance: float | None
    score: float
    rank: int
    terms: list[str]
    fields: list[str]
    bm25: float | None
    cosine: float | None
    detail: str
    duplicates: list[str]


class SearchOut(BaseModel):
    query: str
    query_kind: str  # title, keywords, description or other_language: the fusion's weights
    mode: str
    results: list[SearchHit]


SearchKind = Literal["achievement", "expert", "institution", "enterprise"]
Kinds = Annotated[list[SearchKind] | None, Query(description="repeatable; default: all four")]


@router.get("/search", response_model=SearchOut)
def search(
    viewer: MarketViewer,
    service: MatchingDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, pattern=r"\S")],
    kind: Kinds = None,
    top: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10,
    mode: Annotated[Literal["bm25", "dense", "hybrid"] | None, Query()] = None,
    field: Annotated[list[str] | None, Query(max_length=20)] = None,
    trl_min: Annotated[int | None, Query(ge=1, le=9)] = None,
    trl_max: Annotated[int | None, Query(ge=1, le=9)] = None,
    ip_status: Annotated[list[str] | None, Query(max_length=10)] = None,
    district: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> SearchOut:
    """Free-text search of the market (achievements, experts, institutions, enterprises),
    over what the caller may see: the same records and fields the matches on the pages show.
    Hybrid or dense asked for before the vectors exist answers by BM25 (`mode` says which);
    an empty TRL range finds no achievement."""
    kinds = frozenset(DocumentKind(k) for k in kind) if kind else QUERY_FINDS
    if trl_min is not None and trl_max is not None and trl_min > trl_max:
        kinds -= {DocumentKind.ACHIEVEMENT}
        trl_min = trl_max = None
    if mode is not None and mode != "bm25" and mode not in service.status().modes:
        mode = "bm25"
    chosen = mode or ("hybrid" if "hybrid" in service.status().modes else "bm25")
    filters = Filters(
        fields=frozenset(field or ()),
        trl_min=trl_min,
        trl_max=trl_max,
        ip_statuses=frozenset(ip_status or ()),
        districts=frozenset(district or ()),
    )
    found = (
        service.query(viewer, q, kinds=kinds, top=top, mode=chosen, filters=filters)
        if kinds
        else []
    )
    return SearchOut(
        query=q,
        query_kind=query_kind(q).value,
        mode=chosen,
        results=[SearchHit.model_validate(f.as_json()) for f in found],
    )
