"""The bureau's desk for the capital chain: record funds, commitments, investments, subsidies
and their payments, loans, R&D insurance policies and claims, each with its audit entry in the
same transaction (a unit of work) and only by a bureau administrator."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Protocol

from fourchain.domain.accounts import Principal, Role
from fourchain.domain.audit import Action, Result, details
from fourchain.domain.finance import (
    Claim,
    Commitment,
    Disbursement,
    Fund,
    InsurancePolicy,
    Investment,
    Loan,
    Subsidy,
    check_loan,
    one_recipient,
    positive,
    reconcile,
)
from fourchain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services import finance
from fourchain.services.audit import AuditTrail
from fourchain.services.ports import FinanceStore, PipelineStore


class FinanceUnit(Protocol):
    """One transaction: the capital book, the pipeline (money reaching a project is an event
    in its history) and the audit trail, all on one connection."""

    @property
    def finance(self) -> FinanceStore: ...
    @property
    def pipeline(self) -> PipelineStore: ...
    @property
    def audit(self) -> AuditTrail: ...


FinanceUnits = Callable[[], AbstractContextManager[FinanceUnit]]


def _require_admin(principal: Principal) -> str:
    if principal.role is not Role.BUREAU_ADMIN:
        raise PermissionDenied("仅科技局管理员可登记资金记录 (bureau administrators only)")
    return principal.username or "bureau_admin"


class FinanceDesk:
    """Writes of the capital chain; reads stay with services.finance."""

    def __init__(self, units: FinanceUnits, clock: Callable[[], datetime] | None = None) -> None:
        self.units = units
        self.clock = clock or (lambda: datetime.now(UTC))

    def _stamp(self) -> datetime:
        """The pipeline's event log keeps naive UTC times."""
        return self.clock().astimezone(UTC).replace(tzinfo=None)

    def _note(
        self,
        unit: FinanceUnit,
        who: str,
        obj: str,
        detail: str,
        action: Action = Action.RECORD_CREATED,
    ) -> None:
        unit.audit.record(
            self.clock(), action, Result.SUCCESS, username=who, object=obj, detail=detail
        )

    def _edited(
        self,
        unit: FinanceUnit,
        who: str,
        obj: str,
        found: dict[str, object],
        values: dict[str, object],
    ) -> None:
        """After an edit is written: refuse it if the book no longer adds up, else audit the
        fields it changed (old and new), in the same transaction."""
        problems = reconcile(unit.finance.book(), {}).problems
        if problems:
            raise Conflict(f"改后账目不平 (the edit breaks the book): {'; '.join(problems)}")
        changed = {k: [found.get(k), v] for k, v in values.items() if found.get(k) != v}
        self._note(unit, who, obj, details(changed=changed), Action.RECORD_EDITED)

    @staticmethod
    def _recipient(unit: FinanceUnit, project: str | None, enterprise: str | None) -> None:
        if project is not None:
            unit.pipeline.project(project)  # NotFound names the project
        if enterprise is not None and not unit.pipeline.enterprise_exists(enterprise):
            raise InvalidInput(f"enterprise: 登记库中没有企业 {enterprise} (no such enterprise)")

    def create_fund(self, principal: Principal, fund: Fund) -> None:
        who = _require_admin(principal)
        positive(fund.size, "基金规模 fund size")
        with self.units() as unit:
            keys = {f.key for f in unit.finance.book().funds}
            if fund.key in keys:
                raise Conflict(f"key: 基金 {fund.key} 已存在 (fund {fund.key} exists)")
            if fund.parent is not None and fund.parent not in keys:
                raise InvalidInput(f"parent: 没有母基金 {fund.parent} (no fund {fund.parent})")
            unit.finance.add_funds([fund])
            self._note(unit, who, f"fund:{fund.key}", f"{fund.kind.value} size={fund.size:g}")

    def commit(self, principal: Principal, commitment: Commitment) -> int:
        """Record an investor's commitment to a fund; its id."""
        who = _require_admin(principal)
        with self.units() as unit:
            new_id = finance.commit(unit.finance, commitment)
            detail = details(
                fund=commitment.fund, investor=commitment.investor, amount=commitment.amount
            )
            self._note(unit, who, f"fund_commitment:{new_id}", detail)
            return new_id

    def invest(self, principal: Principal, investment: Investment) -> None:
        who = _require_admin(principal)
        with self.units() as unit:
            self._recipient(unit, investment.project, investment.enterprise)
            finance.invest(unit.finance, unit.pipeline, investment, who, self._stamp())
            target = investment.project or investment.enterprise
            detail = f"{investment.investor} {investment.round} amount={investment.amount:g}"
            self._note(unit, who, f"investment:{target}", detail)

    def award_subsidy(self, principal: Principal, subsidy: Subsidy) -> int:
        who = _require_admin(principal)
        with self.units() as unit:
            self._recipient(unit, subsidy.project, subsidy.enterprise)
            new_id = finance.award_subsidy(unit.finance, subsidy)
            detail = f"{subsidy.programme} amount={subsidy.amount:g}"
            self._note(unit, who, f"subsidy:{new_id}", detail)
            return new_id

    def disburse(self, principal: Principal, subsidy_id: int, payment: Disbursement) -> int:
        """Record a payment of an awarded subsidy; its id."""
        who = _require_admin(principal)
        with self.units() as unit:
            new_id = finance.disburse(
                unit.finance, unit.pipeline, subsidy_id, payment, who, self._stamp()
            )
            detail = details(subsidy_id=subsidy_id, amount=payment.amount)
            self._note(unit, who, f"subsidy_disbursement:{new_id}", detail)
            return new_id

    def lend(self, principal: Principal, loan: Loan) -> None:
        who = _require_admin(principal)
        with self.units() as unit:
            self._recipient(unit, loan.project, loan.enterprise)
            finance.lend(unit.finance, unit.pipeline, loan, who, self._stamp())
            target = loan.project or loan.enterprise
            self._note(unit, who, f"loan:{target}", f"{loan.bank} amount={loan.amount:g}")

    def insure(self, principal: Principal, policy: InsurancePolicy) -> int:
        who = _require_admin(principal)
        with self.units() as unit:
            self._recipient(unit, policy.project, policy.enterprise)
            new_id = finance.insure(unit.finance, policy)
            detail = f"{policy.insurer} cover={policy.cover:g}"
            self._note(unit, who, f"insurance_policy:{new_id}", detail)
            return new_id

    def claim(self, principal: Principal, policy_id: int, paid: Claim) -> int:
        """Record a claim paid on a policy; its id."""
        who = _require_admin(principal)
        with self.units() as unit:
            new_id = finance.claim(unit.finance, policy_id, paid)
            detail = details(policy_id=policy_id, amount=paid.amount, reason=paid.reason)
            self._note(unit, who, f"insurance_claim:{new_id}", detail)
            return new_id

    # --- corrections: edit and withdraw an investment, a subsidy, a loan or a policy

    def edit_investment(self, principal: Principal, record_id: int, new: Investment) -> None:
        positive(new.amount, "投资金额 investment")
        one_recipient(new.project, new.enterprise, "投资 investment")
        values: dict[str, object] = {
            "fund": new.fund,
            "investor": new.investor,
            "round": new.round,
            "amount": new.amount,
            "invested_on": new.on,
        }
        self._edit(principal, "investments", record_id, values, new.project, new.enterprise)

    def edit_subsidy(self, principal: Principal, record_id: int, new: Subsidy) -> None:
        positive(new.amount, "补助金额 subsidy")
        one_recipient(new.project, new.enterprise, "补助 subsidy")
        values: dict[str, object] = {
            "programme": new.programme,
            "amount": new.amount,
            "conditions": new.conditions,
            "awarded_on": new.awarded,
        }
        self._edit(principal, "subsidies", record_id, values, new.project, new.enterprise)

    def edit_loan(self, principal: Principal, record_id: int, new: Loan) -> None:
        values: dict[str, object] = {
            "bank": new.bank,
            "amount": new.amount,
            "lent_on": new.on,
            "term_months": new.term_months,
            "guarantee_fund": new.guarantee_fund,
            "guaranteed_share": new.guaranteed_share,
        }
        self._edit(principal, "loans", record_id, values, new.project, new.enterprise, loan=new)

    def edit_policy(self, principal: Principal, record_id: int, new: InsurancePolicy) -> None:
        positive(new.premium, "保费 premium")
        positive(new.cover, "保额 cover")
        one_recipient(new.project, new.enterprise, "保单 policy")
        if new.start > new.end:
            raise InvalidInput(
                f"start: 起保日期 {new.start} 晚于终保日期 {new.end} (starts after it ends)"
            )
        values: dict[str, object] = {
            "insurer": new.insurer,
            "premium": new.premium,
            "cover": new.cover,
            "starts": new.start,
            "ends": new.end,
        }
        self._edit(principal, "insurance_policies", record_id, values, new.project, new.enterprise)

    def _found(self, unit: FinanceUnit, kind: str, record_id: int) -> dict[str, object]:
        found = unit.finance.money_record(kind, record_id)
        if found is None:
            raise NotFound(f"没有{MONEY_KINDS[kind]} {record_id} (no {kind} record {record_id})")
        if found.get("withdrawn") is not None:
            raise Conflict(
                f"{MONEY_KINDS[kind]} {record_id} 已撤回 (withdrawn on {found['withdrawn']})"
            )
        return found

    def _edit(
        self,
        principal: Principal,
        kind: str,
        record_id: int,
        values: dict[str, object],
        project: str | None,
        enterprise: str | None,
        loan: Loan | None = None,
    ) -> None:
        """Change a record in place; the book must still hold together (each fund, subsidy
        and policy within what backs it), else nothing is written."""
        who = _require_admin(principal)
        with self.units() as unit:
            found = self._found(unit, kind, record_id)
            self._recipient(unit, project, enterprise)
            book = unit.finance.book()
            fund = values.get("fund")
            if fund is not None and fund not in {f.key for f in book.funds}:
                raise InvalidInput(f"fund: 没有基金 {fund} (no fund {fund})")
            if loan is not None:
                guarantor = next((f for f in book.funds if f.key == loan.guarantee_fund), None)
                check_loan(loan, guarantor)
            values = {**values, "project_id": project, "enterprise": enterprise}
            unit.finance.update_money_record(kind, record_id, values)
            self._edited(unit, who, f"{MONEY_OBJECTS[kind]}:{record_id}", found, values)

    def withdraw(
        self,
        principal: Principal,
        kind: str,
        record_id: int | str,
        parent: object = None,
        reason: str | None = None,
    ) -> None:
        """Withdraw a fund (by its key), an investment, subsidy, loan or policy, or a fund's
        commitment, a subsidy's disbursement or a policy's claim (entered in error): its row
        stays (with the day), the capital book and every figure leave it out from now on.
        `parent`, when given, is the fund, subsidy or policy the part must belong to. The
        reason, when one is given, goes into the audit entry."""
        who = _require_admin(principal)
        why = " ".join((reason or "").split())[:1000] or None
        if kind == "fund":
            self._withdraw_fund(who, str(record_id), why)
            return
        if kind not in MONEY_KINDS or not isinstance(record_id, int):
            raise InvalidInput(f"kind: {kind} 不可撤回; one of fund, {', '.join(MONEY_KINDS)}")
        with self.units() as unit:
            found = self._found(unit, kind, record_id)
            owner = PART_OWNERS.get(kind)
            if parent is not None and owner is not None and found.get(owner) != parent:
                raise NotFound(
                    f"{parent} 没有{MONEY_KINDS[kind]} {record_id} (no {kind} record {record_id})"
                )
            unit.finance.withdraw_money_record(kind, record_id, self.clock().date())
            problems = reconcile(unit.finance.book(), {}).problems
            if owner is not None and problems:
                raise Conflict(
                    f"撤回后账目不平 (withdrawing it breaks the book): {'; '.join(problems)}"
                )
            record = {k: v for k, v in found.items() if k not in ("id", "withdrawn")}
            kept = details(record=record, reason=why)
            obj = f"{MONEY_OBJECTS[kind]}:{record_id}"
            self._note(unit, who, obj, kept, Action.RECORD_WITHDRAWN)

    # --- a fund: edit its terms, or withdraw it once nothing live rests on it

    def _live_fund(self, unit: FinanceUnit, key: str) -> dict[str, object]:
        found = unit.finance.fund_record(key)
        if found is None:
            raise NotFound(f"没有基金 {key} (no fund {key})")
        if found.get("withdrawn") is not None:
            raise Conflict(f"基金 {key} 已撤回 (withdrawn on {found['withdrawn']})")
        return found

    def edit_fund(self, principal: Principal, key: str, new: Fund) -> None:
        """Replace a fund's name, kind, size and parent; its commitments and investments must
        still fit, else nothing is written."""
        who = _require_admin(principal)
        positive(new.size, "基金规模 fund size")
        with self.units() as unit:
            found = self._live_fund(unit, key)
            parents = {f.key: f.parent for f in unit.finance.book().funds}
            up = new.parent
            while up is not None:
                if up not in parents:
                    raise InvalidInput(f"parent: 没有母基金 {up} (no fund {up})")
                if up == key:
                    raise InvalidInput(f"parent: 基金 {key} 不能是自己的母基金 (a cycle)")
                up = parents[up]
            values: dict[str, object] = {
                "name": new.name,
                "kind": new.kind.value,
                "size": new.size,
                "parent": new.parent,
            }
            unit.finance.update_fund(key, values)
            self._edited(unit, who, f"fund:{key}", found, values)

    def _withdraw_fund(self, who: str, key: str, reason: str | None) -> None:
        with self.units() as unit:
            found = self._live_fund(unit, key)
            resting = {k: n for k, n in unit.finance.fund_dependants(key).items() if n}
            if resting:
                listed = "、".join(f"{n} 笔{FUND_DEPENDANTS[k]}" for k, n in resting.items())
                english = ", ".join(f"{n} {k}" for k, n in resting.items())
                raise Conflict(
                    f"基金 {key} 仍有 {listed}，请先撤回 "
                    f"(fund {key} still has live {english}; withdraw them first)"
                )
            unit.finance.update_fund(key, {"withdrawn": self.clock().date()})
            record = {k: v for k, v in found.items() if k != "withdrawn"}
            kept = details(record=record, reason=reason)
            self._note(unit, who, f"fund:{key}", kept, Action.RECORD_WITHDRAWN)


# The money records a bureau administrator can edit and withdraw, and their names.
MONEY_KINDS: dict[str, str] = {
    "investments": "投资",
    "subsidies": "财政补助",
    "loans": "贷款",
    "insurance_policies": "研发保险保单",
    # parts, withdrawn only
    "fund_commitments": "基金认缴",
    "subsidy_disbursements": "补助拨付",
    "insurance_claims": "保险理赔",
}
MONEY_OBJECTS: dict[str, str] = {
    "investments": "investment",
    "subsidies": "subsidy",
    "loans": "loan",
    "insurance_policies": "insurance_policy",
    "fund_commitments": "fund_commitment",
    "subsidy_disbursements": "subsidy_disbursement",
    "insurance_claims": "insurance_claim",
}
# The column naming the record a part belongs to.
PART_OWNERS: dict[str, str] = {
    "fund_commitments": "fund",
    "subsidy_disbursements": "subsidy_id",
    "insurance_claims": "policy_id",
}
# What can rest on a fund, and keeps it from being withdrawn while live.
FUND_DEPENDANTS: dict[str, str] = {"investments": "投资", "loans": "担保贷款", "funds": "子基金"}
