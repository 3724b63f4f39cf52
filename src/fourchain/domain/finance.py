"""The capital chain (资金链): funds and their commitments, investments, subsidies, guaranteed
loans and R&D insurance; the money flows they make, money in by any grouping, public money's
leverage and the reconciliation of totals with their flows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from fourchain.errors import Conflict, InvalidInput


class FundKind(StrEnum):
    VENTURE = "venture"  # 科创风投基金
    TECH_INNOVATION = "tech_innovation"  # 市科技创新基金
    CREDIT_ENHANCEMENT = "credit_enhancement"  # 科创增信子基金


FUND_LABELS: dict[FundKind, tuple[str, str]] = {
    FundKind.VENTURE: ("科创风投基金", "S&T venture fund"),
    FundKind.TECH_INNOVATION: ("科技创新基金", "Technology innovation fund"),
    FundKind.CREDIT_ENHANCEMENT: ("科创增信子基金", "Credit-enhancement sub-fund"),
}


class FlowKind(StrEnum):
    INVESTMENT = "investment"
    SUBSIDY = "subsidy"
    LOAN = "loan"
    INSURANCE_CLAIM = "insurance_claim"


@dataclass(frozen=True)
class Fund:
    key: str
    name: str
    kind: FundKind
    size: float
    parent: str | None = None


@dataclass(frozen=True)
class Commitment:
    fund: str
    investor: str
    amount: float
    public: bool
    on: date


@dataclass(frozen=True)
class Investment:
    investor: str
    round: str
    amount: float
    on: date
    fund: str | None = None
    project: str | None = None
    enterprise: str | None = None


@dataclass(frozen=True)
class Disbursement:
    on: date
    amount: float


@dataclass(frozen=True)
class Subsidy:
    programme: str
    amount: float
    awarded: date
    conditions: str = ""
    project: str | None = None
    enterprise: str | None = None
    disbursements: tuple[Disbursement, ...] = ()

    @property
    def disbursed(self) -> float:
        return sum(d.amount for d in self.disbursements)


@dataclass(frozen=True)
class Loan:
    bank: str
    amount: float
    on: date
    term_months: int
    guarantee_fund: str | None = None
    guaranteed_share: float = 0.0
    project: str | None = None
    enterprise: str | None = None


@dataclass(frozen=True)
class Claim:
    on: date
    amount: float
    reason: str


@dataclass(frozen=True)
class InsurancePolicy:
    insurer: str
    premium: float
    cover: float
    start: date
    end: date
    project: str | None = None
    enterprise: str | None = None
    claims: tuple[Claim, ...] = ()

    @property
    def paid(self) -> float:
        return sum(c.amount for c in self.claims)


@dataclass(frozen=True)
class MoneyFlow:
    """Money reaching a project or enterprise: its public and private parts."""

    kind: FlowKind
    source: str
    on: date
    public: float
    private: float
    project: str | None = None
    enterprise: str | None = None

    @property
    def amount(self) -> float:
        return self.public + self.private


def positive(amount: float, what: str) -> None:
    if not amount > 0:
        raise InvalidInput(
            f"{what}须为正数，收到 {amount} / {what}: must be positive, got {amount}"
        )


def one_recipient(project: str | None, enterprise: str | None, what: str) -> None:
    if (project is None) == (enterprise is None):
        raise InvalidInput(
            f"{what}须且只能指向一个项目或一家企业 / {what} goes to exactly one project "
            "or one enterprise"
        )


def public_share(commitments: Iterable[Commitment]) -> float:
    """The share of a fund's committed money that is public (0 when nothing is committed)."""
    items = list(commitments)
    total = sum(c.amount for c in items)
    return sum(c.amount for c in items if c.public) / total if total else 0.0


def check_commitment(fund: Fund, existing: Iterable[Commitment], new: Commitment) -> None:
    positive(new.amount, "认缴金额 commitment")
    committed = sum(c.amount for c in existing)
    if committed + new.amount > fund.size + 0.005:
        raise Conflict(
            f"基金 {fund.key} 规模 {fund.size:,.0f} 元，已认缴 {committed:,.0f} 元，"
            f"不能再认缴 {new.amount:,.0f} 元 / fund {fund.key} would be over-committed: size "
            f"{fund.size:,.0f}, committed {committed:,.0f}, new {new.amount:,.0f} yuan"
        )


def check_investment(
    fund: Fund | None,
    commitments: Iterable[Commitment],
    invested: float,
    new: Investment,
) -> None:
    """A fund cannot invest more than its investors committed."""
    positive(new.amount, "投资金额 investment")
    one_recipient(new.project, new.enterprise, "投资 investment")
    if fund is None:
        return
    committed = sum(c.amount for c in commitments)
    if invested + new.amount > committed + 0.005:
        raise Conflict(
            f"基金 {fund.key} 已认缴 {committed:,.0f} 元、已投 {invested:,.0f} 元，不足以投资 "
            f"{new.amount:,.0f} 元 / fund {fund.key} has {committed - invested:,.0f} yuan "
            f"uncommitted to investments, less than {new.amount:,.0f}"
        )


def check_disbursement(subsidy: Subsidy, new: Disbursement) -> None:
    positive(new.amount, "拨付金额 disbursement")
    if new.on < subsidy.awarded:
        raise InvalidInput(
            f"拨付日期 {new.on} 早于立项 {subsidy.awarded} / disbursed {new.on} before the "
            f"award on {subsidy.awarded}"
        )
    if subsidy.disbursed + new.amount > subsidy.amount + 0.005:
        raise Conflict(
            f"补助 {subsidy.amount:,.0f} 元已拨 {subsidy.disbursed:,.0f} 元，不能再拨 "
            f"{new.amount:,.0f} 元 / the subsidy of {subsidy.amount:,.0f} yuan would be "
            f"over-disbursed ({subsidy.disbursed:,.0f} paid, {new.amount:,.0f} more asked)"
        )


def check_loan(loan: Loan, guarantor: Fund | None) -> None:
    positive(loan.amount, "贷款金额 loan")
    one_recipient(loan.project, loan.enterprise, "贷款 loan")
    if loan.guarantee_fund is None:
        return
    if guarantor is None or guarantor.kind is not FundKind.CREDIT_ENHANCEMENT:
        raise InvalidInput(
            f"担保基金 {loan.guarantee_fund} 不是增信基金 / guarantor {loan.guarantee_fund} "
            "is not a credit-enhancement fund"
        )
    if not 0 < loan.guaranteed_share <= 1:
        raise InvalidInput(
            f"担保比例须在 (0, 1]，收到 {loan.guaranteed_share} / guaranteed share must be "
            f"in (0, 1], got {loan.guaranteed_share}"
        )


def check_claim(policy: InsurancePolicy, new: Claim) -> None:
    positive(new.amount, "赔付金额 claim")
    if not policy.start <= new.on <= policy.end:
        raise InvalidInput(
            f"赔付日期 {new.on} 不在保单期 {policy.start}–{policy.end} 内 / the claim on "
            f"{new.on} is outside the policy period {policy.start}–{policy.end}"
        )
    if policy.paid + new.amount > policy.cover + 0.005:
        raise Conflict(
            f"保额 {policy.cover:,.0f} 元已赔 {policy.paid:,.0f} 元，不能再赔 {new.amount:,.0f} "
            f"元 / the claim would exceed the cover of {policy.cover:,.0f} yuan "
            f"({policy.paid:,.0f} already paid)"
        )


@dataclass(frozen=True)
class CapitalBook:
    """Everything the capital chain holds, as one value the computations read."""

    funds: tuple[Fund, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    investments: tuple[Investment, ...] = ()
    subsidies: tuple[Subsidy, ...] = ()
    loans: tuple[Loan, ...] = ()
    policies: tuple[InsurancePolicy, ...] = ()

    def fund_public_share(self) -> dict[str, float]:
        return {
            f.key: public_share(c for c in self.commitments if c.fund == f.key) for f in self.funds
        }


def money_flows(book: CapitalBook) -> list[MoneyFlow]:
    """Money in: a fund's investment is public in the fund's public share; subsidies are
    public; bank loans (guaranteed or not), private investors and insurance claims private."""
    shares = book.fund_public_share()
    result: list[MoneyFlow] = []
    for inv in book.investments:
        share = shares.get(inv.fund, 0.0) if inv.fund else 0.0
        result.append(
            MoneyFlow(
                FlowKind.INVESTMENT,
                inv.fund or inv.investor,
                inv.on,
                inv.amount * share,
                inv.amount * (1 - share),
                inv.project,
                inv.enterprise,
            )
        )
    for sub in book.subsidies:
        for d in sub.disbursements:
            result.append(
                MoneyFlow(
                    FlowKind.SUBSIDY,
                    sub.programme,
                    d.on,
                    d.amount,
                    0.0,
                    sub.project,
                    sub.enterprise,
                )
            )
    for loan in book.loans:
        result.append(
            MoneyFlow(
                FlowKind.LOAN, loan.bank, loan.on, 0.0, loan.amount, loan.project, loan.enterprise
            )
        )
    for policy in book.policies:
        for c in policy.claims:
            result.append(
                MoneyFlow(
                    FlowKind.INSURANCE_CLAIM,
                    policy.insurer,
                    c.on,
                    0.0,
                    c.amount,
                    policy.project,
                    policy.enterprise,
                )
            )
    return result


@dataclass
class Split:
    public: float = 0.0
    private: float = 0.0
    count: int = 0

    @property
    def total(self) -> float:
        return self.public + self.private

    @property
    def leverage(self) -> float | None:
        """Private yuan per public yuan; None when no public money went in."""
        return round(self.private / self.public, 4) if self.public else None

    def add(self, flow: MoneyFlow) -> None:
        self.public += flow.public
        self.private += flow.private
        self.count += 1

    def as_json(self) -> dict[str, object]:
        return {
            "public": round(self.public, 2),
            "private": round(self.private, 2),
            "total": round(self.total, 2),
            "count": self.count,
            "leverage": self.leverage,
        }


def money_in(flows: Iterable[MoneyFlow], key: Callable[[MoneyFlow], str]) -> dict[str, Split]:
    """Money in grouped by `key` (a stage, cluster, chain, kind, year …)."""
    groups: dict[str, Split] = {}
    for flow in flows:
        groups.setdefault(key(flow), Split()).add(flow)
    return groups


def total(flows: Iterable[MoneyFlow]) -> Split:
    split = Split()
    for flow in flows:
        split.add(flow)
    return split


@dataclass(frozen=True)
class Reconciliation:
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def reconcile(book: CapitalBook, groupings: dict[str, dict[str, Split]]) -> Reconciliation:
    """Check that every view's groups add up to the book's flows, and that each fund,
    subsidy and policy stays within what backs it."""
    problems: list[str] = []
    overall = total(money_flows(book))
    for name, groups in groupings.items():
        summed = sum(s.total for s in groups.values())
        if abs(summed - overall.total) > 0.01 * max(1, len(groups)):
            problems.append(f"{name}: groups add to {summed:,.2f}, flows to {overall.total:,.2f}")
    for fund in book.funds:
        committed = sum(c.amount for c in book.commitments if c.fund == fund.key)
        invested = sum(i.amount for i in book.investments if i.fund == fund.key)
        if committed > fund.size + 0.005:
            problems.append(f"fund {fund.key}: committed {committed:,.2f} > size {fund.size:,.2f}")
        if invested > committed + 0.005:
            problems.append(
                f"fund {fund.key}: invested {invested:,.2f} > committed {committed:,.2f}"
            )
    for sub in book.subsidies:
        if sub.disbursed > sub.amount + 0.005:
            problems.append(f"subsidy {sub.programme}: disbursed {sub.disbursed:,.2f} > awarded")
    for policy in book.policies:
        if policy.paid > policy.cover + 0.005:
            problems.append(f"policy of {policy.insurer}: claims {policy.paid:,.2f} > cover")
    return Reconciliation(problems)
