"""Capital-chain storage: funds, commitments, investments, subsidies and their disbursements,
guaranteed loans, insurance policies and claims; read back as one CapitalBook."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, update

from fourchain.adapters.db.tables import chain_links, enterprises
from fourchain.adapters.db.tables_pipeline import (
    fund_commitments,
    funds,
    insurance_claims,
    insurance_policies,
    investments,
    loans,
    subsidies,
    subsidy_disbursements,
)
from fourchain.domain.finance import (
    CapitalBook,
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

# The money records that can be edited and withdrawn, by kind.
MONEY_TABLES: dict[str, Table] = {
    "investments": investments,
    "subsidies": subsidies,
    "loans": loans,
    "insurance_policies": insurance_policies,
    # parts of a fund, a subsidy and a policy: withdrawn only (a mistaken entry undone)
    "fund_commitments": fund_commitments,
    "subsidy_disbursements": subsidy_disbursements,
    "insurance_claims": insurance_claims,
}

# The column naming the fund, subsidy or policy a part belongs to.
PART_COLUMNS: dict[str, str] = {
    "fund_commitments": "fund",
    "subsidy_disbursements": "subsidy_id",
    "insurance_claims": "policy_id",
}


class SqlFinanceStore:
    """Reads and appends on one connection; the caller owns the transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(table), rows)

    def _insert_one(self, table: Any, row: dict[str, Any]) -> int:
        result = self.connection.execute(insert(table).returning(table.c.id), row)
        return int(result.scalar_one())

    def add_funds(self, items: Iterable[Fund]) -> None:
        self._insert(
            funds,
            [
                {
                    "key": f.key,
                    "name": f.name,
                    "kind": f.kind.value,
                    "size": f.size,
                    "parent": f.parent,
                    "manager": None,
                    "established": None,
                }
                for f in items
            ],
        )

    def add_commitments(self, items: Iterable[Commitment]) -> None:
        self._insert(
            fund_commitments,
            [
                {
                    "fund": c.fund,
                    "investor": c.investor,
                    "amount": c.amount,
                    "public": c.public,
                    "committed_on": c.on,
                }
                for c in items
            ],
        )

    def add_commitment(self, c: Commitment) -> int:
        row = {
            "fund": c.fund,
            "investor": c.investor,
            "amount": c.amount,
            "public": c.public,
            "committed_on": c.on,
        }
        return self._insert_one(fund_commitments, row)

    def add_investments(self, items: Iterable[Investment]) -> None:
        self._insert(
            investments,
            [
                {
                    "fund": i.fund,
                    "investor": i.investor,
                    "round": i.round,
                    "amount": i.amount,
                    "invested_on": i.on,
                    "project_id": i.project,
                    "enterprise": i.enterprise,
                }
                for i in items
            ],
        )

    def add_subsidy(self, subsidy: Subsidy) -> int:
        sid = self._insert_one(
            subsidies,
            {
                "programme": subsidy.programme,
                "amount": subsidy.amount,
                "conditions": subsidy.conditions or None,
                "awarded_on": subsidy.awarded,
                "project_id": subsidy.project,
                "enterprise": subsidy.enterprise,
            },
        )
        self.add_disbursements(sid, subsidy.disbursements)
        return sid

    def add_disbursements(self, subsidy_id: int, items: Iterable[Disbursement]) -> None:
        self._insert(
            subsidy_disbursements,
            [{"subsidy_id": subsidy_id, "paid_on": d.on, "amount": d.amount} for d in items],
        )

    def add_disbursement(self, subsidy_id: int, d: Disbursement) -> int:
        row = {"subsidy_id": subsidy_id, "paid_on": d.on, "amount": d.amount}
        return self._insert_one(subsidy_disbursements, row)

    def add_loans(self, items: Iterable[Loan]) -> None:
        self._insert(
            loans,
            [
                {
                    "bank": x.bank,
                    "amount": x.amount,
                    "lent_on": x.on,
                    "term_months": x.term_months,
                    "guarantee_fund": x.guarantee_fund,
                    "guaranteed_share": x.guaranteed_share,
                    "project_id": x.project,
                    "enterprise": x.enterprise,
                }
                for x in items
            ],
        )

    def add_policy(self, policy: InsurancePolicy) -> int:
        pid = self._insert_one(
            insurance_policies,
            {
                "insurer": policy.insurer,
                "premium": policy.premium,
                "cover": policy.cover,
                "starts": policy.start,
                "ends": policy.end,
                "project_id": policy.project,
                "enterprise": policy.enterprise,
            },
        )
        self.add_claims(pid, policy.claims)
        return pid

    def add_claims(self, policy_id: int, items: Iterable[Claim]) -> None:
        self._insert(
            insurance_claims,
            [
                {"policy_id": policy_id, "paid_on": c.on, "amount": c.amount, "reason": c.reason}
                for c in items
            ],
        )

    def add_claim(self, policy_id: int, c: Claim) -> int:
        row = {"policy_id": policy_id, "paid_on": c.on, "amount": c.amount, "reason": c.reason}
        return self._insert_one(insurance_claims, row)

    def subsidy(self, subsidy_id: int) -> Subsidy | None:
        return self._subsidies(subsidies.c.id == subsidy_id).get(subsidy_id)

    def policy(self, policy_id: int) -> InsurancePolicy | None:
        return self._policies(insurance_policies.c.id == policy_id).get(policy_id)

    def _subsidies(self, where: Any = None) -> dict[int, Subsidy]:
        paid: dict[int, list[Disbursement]] = defaultdict(list)
        live_paid = subsidy_disbursements.c.withdrawn.is_(None)
        query = select(subsidy_disbursements).where(live_paid).order_by(subsidy_disbursements.c.id)
        for row in self.connection.execute(query):
            paid[row.subsidy_id].append(Disbursement(row.paid_on, row.amount))
        q = select(subsidies).where(subsidies.c.withdrawn.is_(None)).order_by(subsidies.c.id)
        if where is not None:
            q = q.where(where)
        return {
            row.id: Subsidy(
                row.programme,
                row.amount,
                row.awarded_on,
                row.conditions or "",
                row.project_id,
                row.enterprise,
                tuple(paid[row.id]),
            )
            for row in self.connection.execute(q)
        }

    def _policies(self, where: Any = None) -> dict[int, InsurancePolicy]:
        claims: dict[int, list[Claim]] = defaultdict(list)
        live_claims = insurance_claims.c.withdrawn.is_(None)
        query = select(insurance_claims).where(live_claims).order_by(insurance_claims.c.id)
        for row in self.connection.execute(query):
            claims[row.policy_id].append(Claim(row.paid_on, row.amount, row.reason))
        live = insurance_policies.c.withdrawn.is_(None)
        q = select(insurance_policies).where(live).order_by(insurance_policies.c.id)
        if where is not None:
            q = q.where(where)
        return {
            row.id: InsurancePolicy(
                row.insurer,
                row.premium,
                row.cover,
                row.starts,
                row.ends,
                row.project_id,
                row.enterprise,
                tuple(claims[row.id]),
            )
            for row in self.connection.execute(q)
        }

    def book(self) -> CapitalBook:
        """The live records: a withdrawn fund leaves with its commitments."""
        c = self.connection
        live_funds = select(funds.c.key).where(funds.c.withdrawn.is_(None))
        committed = (
            select(fund_commitments)
            .where(fund_commitments.c.withdrawn.is_(None), fund_commitments.c.fund.in_(live_funds))
            .order_by(fund_commitments.c.id)
        )
        return CapitalBook(
            funds=tuple(
                Fund(r.key, r.name, FundKind(r.kind), r.size, r.parent)
                for r in c.execute(
                    select(funds).where(funds.c.withdrawn.is_(None)).order_by(funds.c.key)
                )
            ),
            commitments=tuple(
                Commitment(r.fund, r.investor, r.amount, bool(r.public), r.committed_on)
                for r in c.execute(committed)
            ),
            investments=tuple(
                Investment(
                    r.investor, r.round, r.amount, r.invested_on, r.fund, r.project_id, r.enterprise
                )
                for r in c.execute(
                    select(investments)
                    .where(investments.c.withdrawn.is_(None))
                    .order_by(investments.c.id)
                )
            ),
            subsidies=tuple(self._subsidies().values()),
            loans=tuple(
                Loan(
                    r.bank,
                    r.amount,
                    r.lent_on,
                    r.term_months,
                    r.guarantee_fund,
                    r.guaranteed_share,
                    r.project_id,
                    r.enterprise,
                )
                for r in c.execute(
                    select(loans).where(loans.c.withdrawn.is_(None)).order_by(loans.c.id)
                )
            ),
            policies=tuple(self._policies().values()),
        )

    def money_record(self, kind: str, record_id: int) -> dict[str, object] | None:
        """One investment, subsidy, loan or insurance policy as its columns (withdrawn ones
        too), or None."""
        table = MONEY_TABLES[kind]
        row = self.connection.execute(select(table).where(table.c.id == record_id)).first()
        return None if row is None else dict(row._mapping)

    def money_records(self, kind: str) -> list[dict[str, object]]:
        """The records of a kind not withdrawn, newest first."""
        table = MONEY_TABLES[kind]
        query = select(table).where(table.c.withdrawn.is_(None)).order_by(table.c.id.desc())
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def parts(self, kind: str, owner: str | int) -> list[dict[str, object]]:
        """The live parts of a kind (commitments, disbursements, claims) of one fund, subsidy
        or policy, oldest first."""
        table = MONEY_TABLES[kind]
        mine = table.c[PART_COLUMNS[kind]] == owner
        query = select(table).where(mine, table.c.withdrawn.is_(None)).order_by(table.c.id)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def update_money_record(self, kind: str, record_id: int, values: dict[str, object]) -> None:
        table = MONEY_TABLES[kind]
        self.connection.execute(update(table).where(table.c.id == record_id).values(values))

    def withdraw_money_record(self, kind: str, record_id: int, day: date) -> None:
        self.update_money_record(kind, record_id, {"withdrawn": day})

    def fund_record(self, key: str) -> dict[str, object] | None:
        """One fund as its columns (a withdrawn one too), or None."""
        row = self.connection.execute(select(funds).where(funds.c.key == key)).first()
        return None if row is None else dict(row._mapping)

    def update_fund(self, key: str, values: dict[str, object]) -> None:
        self.connection.execute(update(funds).where(funds.c.key == key).values(values))

    def fund_dependants(self, key: str) -> dict[str, int]:
        """The live records that rest on a fund: its investments, the loans it guarantees and
        its sub-funds."""
        counted = {
            "investments": select(func.count())
            .select_from(investments)
            .where(investments.c.fund == key, investments.c.withdrawn.is_(None)),
            "loans": select(func.count())
            .select_from(loans)
            .where(loans.c.guarantee_fund == key, loans.c.withdrawn.is_(None)),
            "funds": select(func.count())
            .select_from(funds)
            .where(funds.c.parent == key, funds.c.withdrawn.is_(None)),
        }
        return {kind: int(self.connection.scalar(q) or 0) for kind, q in counted.items()}

    def enterprise_places(self) -> dict[str, tuple[str | None, str | None]]:
        """Each enterprise's cluster and industry chain (through its chain link)."""
        query = select(enterprises.c.credit_code, enterprises.c.cluster, chain_links.c.chain).join(
            chain_links, chain_links.c.key == enterprises.c.chain_link, isouter=True
        )
        return {code: (cluster, chain) for code, cluster, chain in self.connection.execute(query)}
