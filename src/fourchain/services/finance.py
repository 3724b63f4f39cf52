"""Capital-chain use cases: record funds, commitments, investments, subsidies, loans and
insurance (money reaching a project is also a funding event in its history), and the views —
money in by stage, cluster and chain, public money's leverage, and a fund's portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fourchain.domain.finance import (
    CapitalBook,
    Claim,
    Commitment,
    Disbursement,
    Fund,
    InsurancePolicy,
    Investment,
    Loan,
    MoneyFlow,
    Reconciliation,
    Split,
    Subsidy,
    check_claim,
    check_commitment,
    check_disbursement,
    check_investment,
    check_loan,
    money_flows,
    money_in,
    one_recipient,
    positive,
    reconcile,
    total,
)
from fourchain.domain.pipeline import EventKind, PipelineEvent, Project, ProjectState
from fourchain.errors import NotFound
from fourchain.services.pipeline import record
from fourchain.services.ports import FinanceStore, PipelineStore


def _fund(book: CapitalBook, key: str) -> Fund:
    for fund in book.funds:
        if fund.key == key:
            return fund
    raise NotFound(f"没有基金 {key} / no fund {key}")


def _funding_event(
    pipeline: PipelineStore,
    project: str | None,
    flow: str,
    amount: float,
    by: str,
    on: date,
    now: datetime,
) -> None:
    """Money reaching a project enters its history; the state machine refuses money for a
    project that has left the pipeline (give it to the enterprise instead)."""
    if project is None:
        return
    event = PipelineEvent(EventKind.FUNDING, on, by, amount=amount, note=flow)
    record(pipeline, project, event, now)


# The note a funding event carries: which money it was (the amount is on the event).
def investment_note(round_: str, investor: str) -> str:
    return f"投资（{round_}）· {investor}"


def subsidy_note(programme: str) -> str:
    return f"财政补助 · {programme}"


def loan_note(bank: str) -> str:
    return f"贷款 · {bank}"


def commit(store: FinanceStore, commitment: Commitment) -> int:
    book = store.book()
    fund = _fund(book, commitment.fund)
    check_commitment(fund, [c for c in book.commitments if c.fund == fund.key], commitment)
    return store.add_commitment(commitment)


def invest(
    store: FinanceStore, pipeline: PipelineStore, investment: Investment, by: str, now: datetime
) -> None:
    book = store.book()
    fund = _fund(book, investment.fund) if investment.fund else None
    mine = [c for c in book.commitments if fund and c.fund == fund.key]
    invested = sum(i.amount for i in book.investments if fund and i.fund == fund.key)
    check_investment(fund, mine, invested, investment)
    _funding_event(
        pipeline,
        investment.project,
        investment_note(investment.round, investment.investor),
        investment.amount,
        by,
        investment.on,
        now,
    )
    store.add_investments([investment])


def award_subsidy(store: FinanceStore, subsidy: Subsidy) -> int:
    positive(subsidy.amount, "补助金额 subsidy")
    one_recipient(subsidy.project, subsidy.enterprise, "补助 subsidy")
    return store.add_subsidy(
        Subsidy(
            subsidy.programme,
            subsidy.amount,
            subsidy.awarded,
            subsidy.conditions,
            subsidy.project,
            subsidy.enterprise,
        )
    )


def disburse(
    store: FinanceStore,
    pipeline: PipelineStore,
    subsidy_id: int,
    payment: Disbursement,
    by: str,
    now: datetime,
) -> int:
    subsidy = store.subsidy(subsidy_id)
    if subsidy is None:
        raise NotFound(f"没有补助 {subsidy_id} / no subsidy {subsidy_id}")
    check_disbursement(subsidy, payment)
    _funding_event(
        pipeline,
        subsidy.project,
        subsidy_note(subsidy.programme),
        payment.amount,
        by,
        payment.on,
        now,
    )
    return store.add_disbursement(subsidy_id, payment)


def lend(store: FinanceStore, pipeline: PipelineStore, loan: Loan, by: str, now: datetime) -> None:
    guarantor = _fund(store.book(), loan.guarantee_fund) if loan.guarantee_fund else None
    check_loan(loan, guarantor)
    _funding_event(pipeline, loan.project, loan_note(loan.bank), loan.amount, by, loan.on, now)
    store.add_loans([loan])


def insure(store: FinanceStore, policy: InsurancePolicy) -> int:
    positive(policy.premium, "保费 premium")
    positive(policy.cover, "保额 cover")
    one_recipient(policy.project, policy.enterprise, "保单 policy")
    return store.add_policy(policy)


def claim(store: FinanceStore, policy_id: int, paid: Claim) -> int:
    """R&D insurance pays when the research fails, often after the project has stopped, so a
    claim is money in but not an event in the project's history."""
    policy = store.policy(policy_id)
    if policy is None:
        raise NotFound(f"没有保单 {policy_id} / no insurance policy {policy_id}")
    check_claim(policy, paid)
    return store.add_claim(policy_id, paid)


# --- the parts of a fund, a subsidy or a policy, each with its id (live ones, oldest first)


def fund_commitments(store: FinanceStore, fund_key: str) -> list[dict[str, object]]:
    found = store.fund_record(fund_key)
    if found is None or found.get("withdrawn") is not None:
        raise NotFound(f"没有基金 {fund_key} (no fund {fund_key})")
    return store.parts("fund_commitments", fund_key)


def subsidy_disbursements(store: FinanceStore, subsidy_id: int) -> list[dict[str, object]]:
    if store.subsidy(subsidy_id) is None:
        raise NotFound(f"没有补助 {subsidy_id} / no subsidy {subsidy_id}")
    return store.parts("subsidy_disbursements", subsidy_id)


def policy_claims(store: FinanceStore, policy_id: int) -> list[dict[str, object]]:
    if store.policy(policy_id) is None:
        raise NotFound(f"没有保单 {policy_id} / no insurance policy {policy_id}")
    return store.parts("insurance_claims", policy_id)


@dataclass(frozen=True)
class Places:
    """Where each flow lands: the project's stage on the day, its cluster and chain."""

    projects: dict[str, Project]
    states: dict[str, ProjectState]
    enterprises: dict[str, tuple[str | None, str | None]]
    graduates: frozenset[str]

    def stage(self, flow: MoneyFlow) -> str:
        if flow.project is not None:
            state = self.states[flow.project]
            stage = state.stage_on(flow.on)
            if stage is not None:
                return stage.value
            # An insurance claim is paid when the research failed: after the project stopped.
            return "exited" if state.exited_on and flow.on >= state.exited_on else "before_start"
        return "graduated" if flow.enterprise in self.graduates else "enterprise"

    def cluster(self, flow: MoneyFlow) -> str:
        if flow.project is not None:
            return self.projects[flow.project].cluster or "unknown"
        return self.enterprises.get(flow.enterprise or "", (None, None))[0] or "unknown"

    def chain(self, flow: MoneyFlow) -> str:
        if flow.project is not None:
            return self.projects[flow.project].chain or "unknown"
        return self.enterprises.get(flow.enterprise or "", (None, None))[1] or "unknown"


def places(store: FinanceStore, pipeline: PipelineStore, states: dict[str, ProjectState]) -> Places:
    return Places(
        {p.id: p for p in pipeline.projects()},
        states,
        store.enterprise_places(),
        frozenset(s.enterprise for s in states.values() if s.enterprise),
    )


@dataclass(frozen=True)
class CapitalView:
    overall: Split
    by_kind: dict[str, Split]
    by_stage: dict[str, Split]
    by_cluster: dict[str, Split]
    by_chain: dict[str, Split]
    reconciliation: Reconciliation

    def as_json(self) -> dict[str, object]:
        def groups(g: dict[str, Split]) -> dict[str, object]:
            return {k: v.as_json() for k, v in sorted(g.items())}

        return {
            **self.overall.as_json(),
            "by_kind": groups(self.by_kind),
            "by_stage": groups(self.by_stage),
            "by_cluster": groups(self.by_cluster),
            "by_chain": groups(self.by_chain),
            "reconciled": self.reconciliation.ok,
            "problems": self.reconciliation.problems,
        }


def capital_view(book: CapitalBook, where: Places) -> CapitalView:
    """Money in, split public/private, by kind, stage, cluster and chain; each grouping is
    reconciled with the flows it came from."""
    flows = money_flows(book)
    by_kind = money_in(flows, lambda f: f.kind.value)
    by_stage = money_in(flows, where.stage)
    by_cluster = money_in(flows, where.cluster)
    by_chain = money_in(flows, where.chain)
    checked = reconcile(
        book,
        {"by kind": by_kind, "by stage": by_stage, "by cluster": by_cluster, "by chain": by_chain},
    )
    return CapitalView(total(flows), by_kind, by_stage, by_cluster, by_chain, checked)


@dataclass(frozen=True)
class FundSummary:
    fund: Fund
    committed: float
    public_committed: float
    invested: float
    investments: int
    projects: int
    enterprises: int
    guaranteed: float = 0.0  # loan principal a credit-enhancement fund stands behind

    def as_json(self) -> dict[str, object]:
        f = self.fund
        return {
            "key": f.key,
            "name": f.name,
            "kind": f.kind.value,
            "size": f.size,
            "parent": f.parent,
            "committed": float(round(self.committed, 2)),
            "public_committed": float(round(self.public_committed, 2)),
            "invested": float(round(self.invested, 2)),
            "investments": self.investments,
            "projects": self.projects,
            "enterprises": self.enterprises,
            "guaranteed": float(round(self.guaranteed, 2)),
        }


def fund_summaries(book: CapitalBook) -> list[FundSummary]:
    result = []
    for fund in book.funds:
        mine = [c for c in book.commitments if c.fund == fund.key]
        deals = [i for i in book.investments if i.fund == fund.key]
        result.append(
            FundSummary(
                fund,
                sum(c.amount for c in mine),
                sum(c.amount for c in mine if c.public),
                sum(i.amount for i in deals),
                len(deals),
                len({i.project for i in deals if i.project}),
                len({i.enterprise for i in deals if i.enterprise}),
                sum(
                    x.amount * x.guaranteed_share
                    for x in book.loans
                    if x.guarantee_fund == fund.key
                ),
            )
        )
    return result


def portfolio(book: CapitalBook, fund_key: str) -> list[Investment]:
    """A fund's investments, newest first (the page joins each project's progress)."""
    _fund(book, fund_key)
    return sorted(
        (i for i in book.investments if i.fund == fund_key), key=lambda i: i.on, reverse=True
    )


@dataclass(frozen=True)
class ProjectMoney:
    """Money that reached one project, and its enterprise after it graduated."""

    investments: list[Investment]
    subsidies: list[Subsidy]
    loans: list[Loan]
    policies: list[InsurancePolicy]

    @property
    def total(self) -> float:
        return (
            sum(i.amount for i in self.investments)
            + sum(s.disbursed for s in self.subsidies)
            + sum(x.amount for x in self.loans)
            + sum(p.paid for p in self.policies)
        )


def project_money(book: CapitalBook, project_id: str, enterprise: str | None) -> ProjectMoney:
    def mine(project: str | None, code: str | None) -> bool:
        return project == project_id or (enterprise is not None and code == enterprise)

    return ProjectMoney(
        sorted((i for i in book.investments if mine(i.project, i.enterprise)), key=lambda i: i.on),
        [s for s in book.subsidies if mine(s.project, s.enterprise)],
        sorted((x for x in book.loans if mine(x.project, x.enterprise)), key=lambda x: x.on),
        [p for p in book.policies if mine(p.project, p.enterprise)],
    )
