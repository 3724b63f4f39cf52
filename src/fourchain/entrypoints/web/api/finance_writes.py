"""Capital-chain writes through the API, for bureau administrators: funds and commitments,
investments, subsidies and their payments, loans, R&D insurance policies and claims. Each
record and its audit entry commit together (services/finance_desk)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from fourchain.domain.accounts import Principal
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
from fourchain.entrypoints.web.api.common import (
    ERRORS,
    NO_NUL,
    WithdrawalIn,
    error_answer,
    reason_of,
)
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.services.finance_desk import FinanceDesk

# The book refuses what would not reconcile (an over-committed fund, a subsidy paid beyond its
# amount, a claim beyond its cover, a record others still rest on): 409 saying so.
router = APIRouter(
    prefix="/api/finance",
    tags=["finance"],
    responses={
        **ERRORS,
        409: error_answer("The write would leave the book unreconciled (the reason)"),
    },
)

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


class RecordedPart(BaseModel):
    """A commitment, disbursement or claim recorded: its id (for its withdrawal), and `ok` as
    these routes answered before they gave the id."""

    id: int
    ok: bool = True


# The answer of a part recorded, documented as such.
PART_CREATED: dict[int | str, dict[str, Any]] = {
    201: {"description": "Recorded: the new record's id (`ok` kept for older callers)"}
}


class FundIn(BaseModel):
    key: Key
    name: Name
    kind: FundKind
    size: Money
    parent: Annotated[str | None, Field(default=None, max_length=40, pattern=NO_NUL)] = None


class FundTermsIn(BaseModel):
    """A fund's terms as edited (its key stays)."""

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


@router.post(
    "/funds/{fund_key}/commitments",
    response_model=RecordedPart,
    status_code=201,
    responses=PART_CREATED,
)
def commit(
    principal: CurrentPrincipal,
    desk: DeskDep,
    fund_key: Annotated[str, Path(max_length=40)],
    body: CommitmentIn,
) -> RecordedPart:
    """An investor's commitment to a fund, within the fund's size; answers its id."""
    commitment = Commitment(fund_key, body.investor, body.amount, body.public, body.on)
    return RecordedPart(id=desk.commit(principal, commitment))


@router.post("/investments", response_model=Recorded, status_code=201)
def invest(principal: CurrentPrincipal, desk: DeskDep, body: InvestmentIn) -> Recorded:
    """An investment; into a project, it also enters the project's history."""
    desk.invest(principal, Investment(**body.model_dump()))
    return Recorded()


@router.post("/subsidies", response_model=Created, status_code=201)
def award_subsidy(principal: CurrentPrincipal, desk: DeskDep, body: SubsidyIn) -> Created:
    """A subsidy awarded (paid later, in disbursements)."""
    return Created(id=desk.award_subsidy(principal, Subsidy(**body.model_dump())))


@router.post(
    "/subsidies/{subsidy_id}/disbursements",
    response_model=RecordedPart,
    status_code=201,
    responses=PART_CREATED,
)
def disburse(
    principal: CurrentPrincipal, desk: DeskDep, subsidy_id: Id, body: DisbursementIn
) -> RecordedPart:
    """A payment of an awarded subsidy, never beyond its amount; answers its id."""
    return RecordedPart(id=desk.disburse(principal, subsidy_id, Disbursement(body.on, body.amount)))


@router.post("/loans", response_model=Recorded, status_code=201)
def lend(principal: CurrentPrincipal, desk: DeskDep, body: LoanIn) -> Recorded:
    """A bank loan, optionally guaranteed by a fund for a share of it."""
    desk.lend(principal, Loan(**body.model_dump()))
    return Recorded()


@router.post("/insurance/policies", response_model=Created, status_code=201)
def insure(principal: CurrentPrincipal, desk: DeskDep, body: PolicyIn) -> Created:
    """An R&D insurance policy."""
    return Created(id=desk.insure(principal, InsurancePolicy(**body.model_dump())))


@router.post(
    "/insurance/policies/{policy_id}/claims",
    response_model=RecordedPart,
    status_code=201,
    responses=PART_CREATED,
)
def claim(principal: CurrentPrincipal, desk: DeskDep, policy_id: Id, body: ClaimIn) -> RecordedPart:
    """A claim paid on a policy, within its cover and term; answers its id."""
    return RecordedPart(
        id=desk.claim(principal, policy_id, Claim(body.on, body.amount, body.reason))
    )


# --- corrections: replace a record's terms, or withdraw it (its row and audit history stay; the
# capital book and every figure leave it out from then on). One registration per kind, each
# documenting its own path, body model and text in OpenAPI.


def _route(
    run: Callable[..., None],
    name: str,
    doc: str,
    params: list[tuple[str, Any]],
    optional: tuple[str, ...] = (),
) -> Callable[..., Recorded]:
    """An endpoint taking the principal, the desk and `params` (path parameters, then any
    body), typed so that FastAPI reads and documents each; those named in `optional` default
    to None."""

    def endpoint(principal: Principal, desk: FinanceDesk, **given: Any) -> Recorded:
        run(desk, principal, *given.values())
        return Recorded()

    keyword, no = inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.empty
    fixed = [("principal", CurrentPrincipal), ("desk", DeskDep), *params]
    setattr(  # noqa: B010 - FastAPI reads the signature
        endpoint,
        "__signature__",
        inspect.Signature(
            [
                inspect.Parameter(n, keyword, annotation=a, default=None if n in optional else no)
                for n, a in fixed
            ],
            return_annotation=Recorded,
        ),
    )
    endpoint.__name__ = name
    endpoint.__doc__ = doc
    return endpoint


def _corrections(
    path: str,
    kind: str,
    noun: str,
    body: type[BaseModel],
    edit: Callable[[FinanceDesk, Principal, Any, Any], None],
    docs: tuple[str, str],
    key: tuple[str, Any] = ("record_id", Id),
) -> None:
    """PUT {path}/{key} replaces a record's terms with `body`; POST {path}/{key}/withdraw
    withdraws it."""
    at = f"{path}/{{{key[0]}}}"
    router.add_api_route(
        at,
        _route(edit, f"edit_{noun}", docs[0], [key, ("body", body)]),
        methods=["PUT"],
        response_model=Recorded,
    )
    _withdraw_route(f"{at}/withdraw", kind, noun, docs[1], [key])


def _withdraw_route(path: str, kind: str, noun: str, doc: str, keys: list[tuple[str, Any]]) -> None:
    """POST {path}: withdraw a record of `kind`; with two path keys, the first is the record
    it must belong to. An optional body gives the reason, kept in the audit entry."""

    def run(desk: FinanceDesk, principal: Principal, *given: Any) -> None:
        *ids, body = given
        parent, record = (None, ids[0]) if len(ids) == 1 else ids
        desk.withdraw(principal, kind, record, parent, reason_of(body))

    params = [*keys, ("body", WithdrawalIn | None)]
    endpoint = _route(run, f"withdraw_{noun}", doc, params, optional=("body",))
    router.add_api_route(path, endpoint, methods=["POST"], response_model=Recorded)


def _as(model: Callable[..., Any]) -> Callable[[BaseModel], Any]:
    return lambda body: model(**body.model_dump())


FundKey = Annotated[str, Path(max_length=40)]

_corrections(
    "/investments",
    "investments",
    "investment",
    InvestmentIn,
    lambda desk, who, i, body: desk.edit_investment(who, i, _as(Investment)(body)),
    (
        "Replace an investment's terms; its fund must still hold the money committed to it.",
        "Withdraw an investment recorded in error.",
    ),
)
_corrections(
    "/subsidies",
    "subsidies",
    "subsidy",
    SubsidyIn,
    lambda desk, who, i, body: desk.edit_subsidy(who, i, _as(Subsidy)(body)),
    (
        "Replace a subsidy's terms; it must still cover what was disbursed.",
        "Withdraw a subsidy (with its disbursements).",
    ),
)
_corrections(
    "/loans",
    "loans",
    "loan",
    LoanIn,
    lambda desk, who, i, body: desk.edit_loan(who, i, _as(Loan)(body)),
    ("Replace a loan's terms.", "Withdraw a loan recorded in error."),
)
_corrections(
    "/insurance/policies",
    "insurance_policies",
    "policy",
    PolicyIn,
    lambda desk, who, i, body: desk.edit_policy(who, i, _as(InsurancePolicy)(body)),
    (
        "Replace a policy's terms; it must still cover the claims paid.",
        "Withdraw an R&D insurance policy (with its claims).",
    ),
)
_corrections(
    "/funds",
    "fund",
    "fund",
    FundTermsIn,
    lambda desk, who, key, b: desk.edit_fund(who, key, Fund(key, b.name, b.kind, b.size, b.parent)),
    (
        "Replace a fund's name, kind, size and parent; its commitments and investments must "
        "still fit.",
        "Withdraw a fund: it leaves the funds list, the leverage figures and the portfolio, "
        "and keeps its history. Refused (409, with the count) while live investments, "
        "guaranteed loans or sub-funds rest on it.",
    ),
    key=("fund_key", FundKey),
)
_withdraw_route(
    "/funds/{fund_key}/commitments/{record_id}/withdraw",
    "fund_commitments",
    "commitment",
    "Withdraw a fund commitment entered in error.",
    [("fund_key", FundKey), ("record_id", Id)],
)
_withdraw_route(
    "/subsidies/{subsidy_id}/disbursements/{record_id}/withdraw",
    "subsidy_disbursements",
    "disbursement",
    "Withdraw a subsidy disbursement entered in error.",
    [("subsidy_id", Id), ("record_id", Id)],
)
_withdraw_route(
    "/insurance/policies/{policy_id}/claims/{record_id}/withdraw",
    "insurance_claims",
    "claim",
    "Withdraw an insurance claim entered in error.",
    [("policy_id", Id), ("record_id", Id)],
)
