"""Capital-chain writes through the API, for bureau administrators: funds and commitments,
investments, subsidies and their payments, loans, R&D insurance policies and claims. Each
record and its audit entry commit together (services/finance_desk)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from fourchain.domain.finance import (
    Claim,
    Commitment,
    Disbursement,
    Fund,
    FundKind,
    InsurancePolicy,
    Investment,
    Loan,
    Subsidy,
)
from fourchain.entrypoints.web.api.common import ERRORS, NO_NUL
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.services.finance_desk import FinanceDesk

router = APIRouter(prefix="/api/finance", tags=["finance"], responses=ERRORS)

Money = Annotated[float, Field(gt=0, le=1e13, description="元")]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
Key = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
ProjectId = Annotated[str | None, Field(default=None, max_length=40, pattern=NO_NUL)]
CreditCode = Annotated[
    str | None, Field(default=None, min_length=18, max_length=18, pattern=NO_NUL)
]
Id = Annotated[int, Path(ge=1, le=2_000_000_000)]


def _desk(services: ServicesDep) -> FinanceDesk:
    return services.finance_desk


DeskDep = Annotated[FinanceDesk, Depends(_desk)]


class Created(BaseModel):
    id: int


class Recorded(BaseModel):
    ok: bool = True


class FundIn(BaseModel):
    key: Key
    name: Name
    kind: FundKind
    size: Money
    parent: Annotated[str | None, Field(default=None, max_length=40, pattern=NO_NUL)] = None


class CommitmentIn(BaseModel):
    investor: Name
    amount: Money
    public: bool
    on: date


class InvestmentIn(BaseModel):
    """Money from an investor into a project or an enterprise (one of the two)."""

    investor: Name
    round: Annotated[str, Field(min_length=1, max_length=30, pattern=NO_NUL)]
    amount: Money
    on: date
    fund: Annotated[str | None, Field(default=None, max_length=40, pattern=NO_NUL)] = None
    project: ProjectId = None
    enterprise: CreditCode = None


class SubsidyIn(BaseModel):
    programme: Name
    amount: Money
    awarded: date
    conditions: Annotated[str, Field(max_length=2000, pattern=NO_NUL)] = ""
    project: ProjectId = None
    enterprise: CreditCode = None


class DisbursementIn(BaseModel):
    on: date
    amount: Money


class LoanIn(BaseModel):
    bank: Name
    amount: Money
    on: date
    term_months: int = Field(ge=1, le=600)
    guarantee_fund: Annotated[str | None, Field(default=None, max_length=40, pattern=NO_NUL)] = None
    guaranteed_share: float = Field(default=0.0, ge=0, le=1)
    project: ProjectId = None
    enterprise: CreditCode = None


class PolicyIn(BaseModel):
    insurer: Name
    premium: Money
    cover: Money
    start: date
    end: date
    project: ProjectId = None
    enterprise: CreditCode = None


class ClaimIn(BaseModel):
    on: date
    amount: Money
    reason: Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]


@router.post("/funds", response_model=Recorded, status_code=201)
def create_fund(principal: CurrentPrincipal, desk: DeskDep, body: FundIn) -> Recorded:
    """Register a fund (a parent fund must exist already)."""
    desk.create_fund(principal, Fund(body.key, body.name, body.kind, body.size, body.parent))
    return Recorded()


@router.post("/funds/{fund_key}/commitments", response_model=Recorded, status_code=201)
def commit(
    principal: CurrentPrincipal,
    desk: DeskDep,
    fund_key: Annotated[str, Path(max_length=40)],
    body: CommitmentIn,
) -> Recorded:
    """An investor's commitment to a fund, within the fund's size."""
    commitment = Commitment(fund_key, body.investor, body.amount, body.public, body.on)
    desk.commit(principal, commitment)
    return Recorded()


@router.post("/investments", response_model=Recorded, status_code=201)
def invest(principal: CurrentPrincipal, desk: DeskDep, body: InvestmentIn) -> Recorded:
    """An investment; into a project, it also enters the project's history."""
    desk.invest(principal, Investment(**body.model_dump()))
    return Recorded()


@router.post("/subsidies", response_model=Created, status_code=201)
def award_subsidy(principal: CurrentPrincipal, desk: DeskDep, body: SubsidyIn) -> Created:
    """A subsidy awarded (paid later, in disbursements)."""
    return Created(id=desk.award_subsidy(principal, Subsidy(**body.model_dump())))


@router.post("/subsidies/{subsidy_id}/disbursements", response_model=Recorded, status_code=201)
def disburse(
    principal: CurrentPrincipal, desk: DeskDep, subsidy_id: Id, body: DisbursementIn
) -> Recorded:
    """A payment of an awarded subsidy, never beyond its amount."""
    desk.disburse(principal, subsidy_id, Disbursement(body.on, body.amount))
    return Recorded()


@router.post("/loans", response_model=Recorded, status_code=201)
def lend(principal: CurrentPrincipal, desk: DeskDep, body: LoanIn) -> Recorded:
    """A bank loan, optionally guaranteed by a fund for a share of it."""
    desk.lend(principal, Loan(**body.model_dump()))
    return Recorded()


@router.post("/insurance/policies", response_model=Created, status_code=201)
def insure(principal: CurrentPrincipal, desk: DeskDep, body: PolicyIn) -> Created:
    """An R&D insurance policy."""
    return Created(id=desk.insure(principal, InsurancePolicy(**body.model_dump())))


@router.post("/insurance/policies/{policy_id}/claims", response_model=Recorded, status_code=201)
def claim(principal: CurrentPrincipal, desk: DeskDep, policy_id: Id, body: ClaimIn) -> Recorded:
    """A claim paid on a policy, within its cover and term."""
    desk.claim(principal, policy_id, Claim(body.on, body.amount, body.reason))
    return Recorded()


# --- corrections: replace a money record's terms, or withdraw it (its row and audit history
# stay; the capital book and every figure leave it out from then on)


@router.put("/investments/{record_id}", response_model=Recorded)
def edit_investment(
    principal: CurrentPrincipal, desk: DeskDep, record_id: Id, body: InvestmentIn
) -> Recorded:
    """Replace an investment's terms; its fund must still hold the money committed to it."""
    desk.edit_investment(principal, record_id, Investment(**body.model_dump()))
    return Recorded()


@router.post("/investments/{record_id}/withdraw", response_model=Recorded)
def withdraw_investment(principal: CurrentPrincipal, desk: DeskDep, record_id: Id) -> Recorded:
    """Withdraw an investment recorded in error."""
    desk.withdraw(principal, "investments", record_id)
    return Recorded()


@router.put("/subsidies/{record_id}", response_model=Recorded)
def edit_subsidy(
    principal: CurrentPrincipal, desk: DeskDep, record_id: Id, body: SubsidyIn
) -> Recorded:
    """Replace a subsidy's terms; it must still cover what was disbursed."""
    desk.edit_subsidy(principal, record_id, Subsidy(**body.model_dump()))
    return Recorded()


@router.post("/subsidies/{record_id}/withdraw", response_model=Recorded)
def withdraw_subsidy(principal: CurrentPrincipal, desk: DeskDep, record_id: Id) -> Recorded:
    """Withdraw a subsidy (with its disbursements)."""
    desk.withdraw(principal, "subsidies", record_id)
    return Recorded()


@router.put("/loans/{record_id}", response_model=Recorded)
def edit_loan(principal: CurrentPrincipal, desk: DeskDep, record_id: Id, body: LoanIn) -> Recorded:
    """Replace a loan's terms."""
    desk.edit_loan(principal, record_id, Loan(**body.model_dump()))
    return Recorded()


@router.post("/loans/{record_id}/withdraw", response_model=Recorded)
def withdraw_loan(principal: CurrentPrincipal, desk: DeskDep, record_id: Id) -> Recorded:
    """Withdraw a loan recorded in error."""
    desk.withdraw(principal, "loans", record_id)
    return Recorded()


@router.put("/insurance/policies/{record_id}", response_model=Recorded)
def edit_policy(
    principal: CurrentPrincipal, desk: DeskDep, record_id: Id, body: PolicyIn
) -> Recorded:
    """Replace a policy's terms; it must still cover the claims paid."""
    desk.edit_policy(principal, record_id, InsurancePolicy(**body.model_dump()))
    return Recorded()


@router.post("/insurance/policies/{record_id}/withdraw", response_model=Recorded)
def withdraw_policy(principal: CurrentPrincipal, desk: DeskDep, record_id: Id) -> Recorded:
    """Withdraw an R&D insurance policy (with its claims)."""
    desk.withdraw(principal, "insurance_policies", record_id)
    return Recorded()
