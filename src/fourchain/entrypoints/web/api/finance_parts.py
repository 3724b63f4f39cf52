"""The parts of the capital chain, each with its id, for bureau staff: a fund's commitments, a
subsidy's disbursements and a policy's claims (live ones, oldest first), so that a part can be
found again and withdrawn when entered in error."""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, Path
from pydantic import BaseModel

from fourchain.entrypoints.web.api.common import ERRORS
from fourchain.entrypoints.web.api.pipeline import StoresDep
from fourchain.services import finance

router = APIRouter(prefix="/api/finance", tags=["finance"], responses=ERRORS)

FundKey = Annotated[str, Path(min_length=1, max_length=40)]
Id = Annotated[int, Path(ge=1, le=2_000_000_000)]


class CommitmentOut(BaseModel):
    id: int
    fund: str
    investor: str
    amount: float
    public: bool
    on: date


class DisbursementOut(BaseModel):
    id: int
    subsidy_id: int
    on: date
    amount: float


class ClaimOut(BaseModel):
    id: int
    policy_id: int
    on: date
    amount: float
    reason: str


Part = TypeVar("Part", CommitmentOut, DisbursementOut, ClaimOut)


def _rows(model: type[Part], rows: list[dict[str, object]], day: str) -> list[Part]:
    """Each stored row as `model`, its day column (`day`) read as `on`."""
    return [model.model_validate({**row, "on": row[day]}) for row in rows]


@router.get("/funds/{fund_key}/commitments", response_model=list[CommitmentOut])
def commitments(fund_key: FundKey, stores: StoresDep) -> list[CommitmentOut]:
    """A fund's live commitments, each with its id (bureau staff); 404 for no such fund."""
    rows = finance.fund_commitments(stores.finance, fund_key)
    return _rows(CommitmentOut, rows, "committed_on")


@router.get("/subsidies/{subsidy_id}/disbursements", response_model=list[DisbursementOut])
def disbursements(subsidy_id: Id, stores: StoresDep) -> list[DisbursementOut]:
    """A subsidy's live disbursements, each with its id (bureau staff); 404 for no such
    subsidy (or a withdrawn one)."""
    rows = finance.subsidy_disbursements(stores.finance, subsidy_id)
    return _rows(DisbursementOut, rows, "paid_on")


@router.get("/insurance/policies/{policy_id}/claims", response_model=list[ClaimOut])
def claims(policy_id: Id, stores: StoresDep) -> list[ClaimOut]:
    """A policy's live claims, each with its id (bureau staff); 404 for no such policy (or a
    withdrawn one)."""
    rows = finance.policy_claims(stores.finance, policy_id)
    return _rows(ClaimOut, rows, "paid_on")
