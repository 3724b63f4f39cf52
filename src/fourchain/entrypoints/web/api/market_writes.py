"""Technology-market writes through the API: an enterprise's demands and an institution's
achievements are published, edited and withdrawn by their owners (or a bureau administrator
on their behalf). Each change and its audit entry commit together (services/market)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

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
    Viewer,
)
from fourchain.entrypoints.web.api.common import ERRORS, NO_NUL, WithdrawalIn, reason_of
from fourchain.entrypoints.web.api.market import Created, Done, Id, MarketViewer, RecordsDep
from fourchain.entrypoints.web.deps import ServicesDep, utc_now
from fourchain.entrypoints.web.pages.market import records_changed
from fourchain.errors import InvalidInput

router = APIRouter(prefix="/api/market", tags=["market"], responses=ERRORS)

Line = Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]
Body = Annotated[str, Field(min_length=1, max_length=5000, pattern=NO_NUL)]


class DemandIn(BaseModel):
    """A demand as its enterprise states it; `credit_code` only when a bureau administrator
    publishes for an enterprise (an enterprise user always publishes as itself)."""

    problem: Line
    description: Body
    field: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
    budget: float = Field(ge=0, le=1e12, description="元")
    deadline: date
    confidential: bool = False
    cluster: str | None = Field(default=None, max_length=50, pattern=NO_NUL)
    credit_code: str | None = Field(default=None, max_length=18, pattern=NO_NUL)


class AchievementIn(BaseModel):
    """An achievement as its institution offers it; `institution_id` only for a bureau
    administrator publishing on an institution's behalf."""

    title: Line
    abstract: Body
    keywords: list[Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]] = Field(
        min_length=1, max_length=30
    )
    trl: int = Field(ge=1, le=9)
    ip_status: IPStatus
    transfer_modes: list[TransferMode] = Field(min_length=1, max_length=10)
    contact: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    discipline: str | None = Field(default=None, max_length=100, pattern=NO_NUL)
    ipc: str | None = Field(default=None, max_length=40, pattern=NO_NUL)
    patent_numbers: list[Annotated[str, Field(max_length=40, pattern=NO_NUL)]] = Field(
        default_factory=list, max_length=50
    )
    asking_terms: str = Field(default="", max_length=300, pattern=NO_NUL)
    asking_price: float | None = Field(default=None, ge=0, le=1e12)
    cluster: str | None = Field(default=None, max_length=50, pattern=NO_NUL)
    listed: bool = True
    institution_id: str | None = Field(default=None, max_length=40, pattern=NO_NUL)


def _owner(viewer: Viewer, given: str | None, field: str) -> str:
    if viewer.party is not None:
        return viewer.party.id
    if not given:
        raise InvalidInput(f"{field}: 请指明所属单位 (say whose record it is)")
    return given.strip()


def _demand(viewer: Viewer, body: DemandIn) -> Demand:
    return Demand(
        credit_code=_owner(viewer, body.credit_code, "credit_code"),
        problem=body.problem.strip(),
        description=body.description.strip(),
        field=body.field.strip(),
        budget=body.budget,
        deadline=body.deadline,
        published=utc_now().date(),
        confidential=body.confidential,
        cluster=body.cluster or None,
    )


def _achievement(viewer: Viewer, body: AchievementIn) -> Achievement:
    return Achievement(
        institution_id=_owner(viewer, body.institution_id, "institution_id"),
        title=body.title.strip(),
        abstract=body.abstract.strip(),
        keywords=tuple(k.strip() for k in body.keywords),
        trl=body.trl,
        ip_status=body.ip_status,
        transfer_modes=tuple(dict.fromkeys(body.transfer_modes)),
        contact=body.contact.strip(),
        published=utc_now().date(),
        discipline=body.discipline or None,
        ipc=body.ipc or None,
        patent_numbers=tuple(p.strip() for p in body.patent_numbers if p.strip()),
        asking_terms=body.asking_terms.strip(),
        asking_price=body.asking_price,
        cluster=body.cluster or None,
        listed=body.listed,
    )


@router.post("/demands", response_model=Created, status_code=201)
def publish_demand(
    services: ServicesDep, viewer: MarketViewer, records: RecordsDep, body: DemandIn
) -> Created:
    """Publish a demand in the caller's enterprise's name."""
    new_id = records.publish_demand(viewer, _demand(viewer, body))
    records_changed(services)
    return Created(id=new_id)


@router.put("/demands/{demand_id}", response_model=Done)
def edit_demand(
    services: ServicesDep, viewer: MarketViewer, records: RecordsDep, demand_id: Id, body: DemandIn
) -> Done:
    """Replace a demand's text and terms (its enterprise and publication day stay)."""
    records.edit_demand(viewer, demand_id, _demand(viewer, body))
    records_changed(services)
    return Done()


@router.post("/demands/{demand_id}/withdraw", response_model=Done)
def withdraw_demand(
    services: ServicesDep,
    viewer: MarketViewer,
    records: RecordsDep,
    demand_id: Id,
    body: WithdrawalIn | None = None,
) -> Done:
    """Take a demand off the market: lists, pages and matching answer as if it were gone;
    the record and its audit history stay (with the reason, when the body gives one)."""
    records.withdraw_demand(viewer, demand_id, reason_of(body))
    records_changed(services)
    return Done()


@router.post("/achievements", response_model=Created, status_code=201)
def publish_achievement(
    services: ServicesDep, viewer: MarketViewer, records: RecordsDep, body: AchievementIn
) -> Created:
    """Publish an achievement in the caller's institution's name."""
    new_id = records.publish_achievement(viewer, _achievement(viewer, body))
    records_changed(services)
    return Created(id=new_id)


@router.put("/achievements/{achievement_id}", response_model=Done)
def edit_achievement(
    services: ServicesDep,
    viewer: MarketViewer,
    records: RecordsDep,
    achievement_id: Id,
    body: AchievementIn,
) -> Done:
    """Replace an achievement's description and terms (its institution and day stay)."""
    records.edit_achievement(viewer, achievement_id, _achievement(viewer, body))
    records_changed(services)
    return Done()


@router.post("/achievements/{achievement_id}/withdraw", response_model=Done)
def withdraw_achievement(
    services: ServicesDep,
    viewer: MarketViewer,
    records: RecordsDep,
    achievement_id: Id,
    body: WithdrawalIn | None = None,
) -> Done:
    """Take an achievement off the market (the record and its history stay, with the reason
    when the body gives one)."""
    records.withdraw_achievement(viewer, achievement_id, reason_of(body))
    records_changed(services)
    return Done()


class PartyIn(BaseModel):
    kind: PartyKind
    id: str = Field(min_length=1, max_length=40, pattern=NO_NUL)

    def party(self) -> Party:
        return Party(self.kind, self.id.strip())


class ContractIn(BaseModel):
    """A technology contract as registered (技术合同认定登记)."""

    number: str = Field(min_length=1, max_length=60, pattern=NO_NUL)
    title: Line
    seller: PartyIn
    buyer: PartyIn
    type: ContractType
    value: float = Field(gt=0, le=1e13, description="元")
    signed: date
    registered: date | None = None
    achievement_id: int | None = Field(default=None, ge=1, le=2_000_000_000)
    demand_id: int | None = Field(default=None, ge=1, le=2_000_000_000)


class CooperationIn(BaseModel):
    kind: CooperationKind
    year: int = Field(ge=1980, le=2100)
    title: Line
    lead: PartyIn
    partners: list[PartyIn] = Field(default_factory=list, max_length=50)
    funding: float = Field(default=0.0, ge=0, le=1e13)
    challenge_call_id: int | None = Field(default=None, ge=1, le=2_000_000_000)


def _contract(body: ContractIn) -> TechContract:
    return TechContract(
        number=body.number.strip(),
        title=body.title.strip(),
        seller=body.seller.party(),
        buyer=body.buyer.party(),
        type=body.type,
        value=body.value,
        signed=body.signed,
        registered=body.registered,
        achievement_id=body.achievement_id,
        demand_id=body.demand_id,
    )


def _cooperation(body: CooperationIn) -> CooperationProject:
    return CooperationProject(
        kind=body.kind,
        year=body.year,
        title=body.title.strip(),
        lead=body.lead.party(),
        partners=tuple(p.party() for p in body.partners),
        funding=body.funding,
        challenge_call_id=body.challenge_call_id,
    )


@router.post("/contracts", response_model=Created, status_code=201)
def register_contract(viewer: MarketViewer, records: RecordsDep, body: ContractIn) -> Created:
    """Register a technology contract (bureau administrators)."""
    return Created(id=records.register_contract(viewer, _contract(body)))


@router.put("/contracts/{contract_id}", response_model=Done)
def edit_contract(
    services: ServicesDep,
    viewer: MarketViewer,
    records: RecordsDep,
    contract_id: Id,
    body: ContractIn,
) -> Done:
    """Correct a registered contract (bureau administrators); a withdrawn one is 404."""
    records.edit_contract(viewer, contract_id, _contract(body))
    services.data_changed()
    return Done()


class Added(BaseModel):
    added: int


@router.post("/cooperation", response_model=Added, status_code=201)
def add_cooperation_project(
    viewer: MarketViewer, records: RecordsDep, body: CooperationIn
) -> Added:
    """Record an organised cooperation project (bureau administrators)."""
    return Added(added=records.add_cooperation_projects(viewer, [_cooperation(body)]))


@router.put("/cooperation/{project_id}", response_model=Done)
def edit_cooperation_project(
    services: ServicesDep,
    viewer: MarketViewer,
    records: RecordsDep,
    project_id: Id,
    body: CooperationIn,
) -> Done:
    """Correct a cooperation project (bureau administrators); a withdrawn one is 404."""
    records.edit_cooperation_project(viewer, project_id, _cooperation(body))
    services.data_changed()
    return Done()


@router.post("/contracts/{contract_id}/withdraw", response_model=Done)
def withdraw_contract(
    services: ServicesDep,
    viewer: MarketViewer,
    records: RecordsDep,
    contract_id: Id,
    body: WithdrawalIn | None = None,
) -> Done:
    """Withdraw a contract registered in error (bureau administrators): lists and the
    contract turnover leave it out; the record and its audit history stay (with the reason,
    when the body gives one)."""
    records.withdraw_contract(viewer, contract_id, reason_of(body))
    services.data_changed()
    return Done()


# The reason an API withdrawal without one records: the route exists for projects recorded in
# error, and a client written before the reason was asked for keeps working.
IN_ERROR = "登记有误 (recorded in error)"


@router.post("/cooperation/{project_id}/withdraw", response_model=Done)
def withdraw_cooperation_project(
    services: ServicesDep,
    viewer: MarketViewer,
    records: RecordsDep,
    project_id: Id,
    body: WithdrawalIn | None = None,
) -> Done:
    """Withdraw a cooperation project recorded in error (bureau administrators): it leaves the
    lists and the counts; the record and its audit history (title, reason) stay."""
    reason = (reason_of(body) or "").strip()
    records.withdraw_cooperation_project(viewer, project_id, reason or IN_ERROR)
    services.data_changed()
    return Done()
