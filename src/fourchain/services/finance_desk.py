"""The bureau's desk for the capital chain: record funds, commitments, investments, subsidies
and their payments, loans, R&D insurance policies and claims, each with its audit entry in the
same transaction (a unit of work) and only by a bureau administrator."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Protocol

from fourchain.domain.accounts import Principal, Role
from fourchain.domain.audit import Action, Result
from fourchain.domain.finance import (
    Claim,
    Commitment,
    Disbursement,
    Fund,
    InsurancePolicy,
    Investment,
    Loan,
    Subsidy,
    positive,
)
from fourchain.errors import Conflict, InvalidInput, PermissionDenied
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

    def _note(self, unit: FinanceUnit, who: str, obj: str, detail: str) -> None:
        unit.audit.record(
            self.clock(),
            Action.RECORD_CREATED,
            Result.SUCCESS,
            username=who,
            object=obj,
            detail=detail,
        )

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
                raise Conflict(f"基金 {fund.key} 已存在 (fund {fund.key} exists)")
            if fund.parent is not None and fund.parent not in keys:
                raise InvalidInput(f"parent: 没有母基金 {fund.parent} (no fund {fund.parent})")
            unit.finance.add_funds([fund])
            self._note(unit, who, f"fund:{fund.key}", f"{fund.kind.value} size={fund.size:g}")

    def commit(self, principal: Principal, commitment: Commitment) -> None:
        who = _require_admin(principal)
        with self.units() as unit:
            finance.commit(unit.finance, commitment)
            detail = f"{commitment.investor} amount={commitment.amount:g}"
            self._note(unit, who, f"fund:{commitment.fund}:commitment", detail)

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

    def disburse(self, principal: Principal, subsidy_id: int, payment: Disbursement) -> None:
        who = _require_admin(principal)
        with self.units() as unit:
            finance.disburse(unit.finance, unit.pipeline, subsidy_id, payment, who, self._stamp())
            self._note(unit, who, f"subsidy:{subsidy_id}", f"disbursed={payment.amount:g}")

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

    def claim(self, principal: Principal, policy_id: int, paid: Claim) -> None:
        who = _require_admin(principal)
        with self.units() as unit:
            finance.claim(unit.finance, policy_id, paid)
            self._note(unit, who, f"insurance_policy:{policy_id}", f"claim={paid.amount:g}")
