"""CLI writes of the capital chain, for scripts: `finance invest`, `finance subsidy` and
`finance loan`, their corrections `finance edit-investment|edit-subsidy|edit-loan|edit-fund`
and `finance withdraw KIND ID` (`finance withdraw fund KEY`). The command line holds the
database, so it records as a bureau administrator; the audit trail names the operating-system
user, and each record commits with its entry."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import date
from typing import Annotated

import typer

from fourchain.bootstrap import open_services
from fourchain.domain.accounts import Principal, Role
from fourchain.domain.finance import Fund, FundKind, Investment, Loan, Subsidy
from fourchain.entrypoints.cli.options import DbOption
from fourchain.entrypoints.cli.pipeline import finance_app
from fourchain.errors import InvalidInput
from fourchain.services.finance_desk import FinanceDesk

Amount = Annotated[float, typer.Option("--amount", help="Amount in 元 (yuan).", min=0.01)]
On = Annotated[str, typer.Option("--on", help="Date, e.g. 2025-03-01.")]
Project = Annotated[str | None, typer.Option("--project", help="The incubation project's ID.")]
Enterprise = Annotated[
    str | None, typer.Option("--enterprise", help="The enterprise's credit code.")
]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"--on: 日期应如 2025-03-01 (a date like 2025-03-01, not {text!r})"
        ) from None


def _run(db: str | None, write: Callable[[FinanceDesk, Principal], object]) -> None:
    principal = Principal(username=f"cli:{getpass.getuser()}", role=Role.BUREAU_ADMIN)
    with open_services(db) as services:
        write(services.finance_desk, principal)


@finance_app.command("invest")
def invest_command(
    investor: Annotated[str, typer.Option("--investor", help="Who invests.")],
    round_: Annotated[str, typer.Option("--round", help="The round: angel, A, B …")],
    amount: Amount,
    on: On,
    fund: Annotated[str | None, typer.Option("--fund", help="The fund it comes from.")] = None,
    project: Project = None,
    enterprise: Enterprise = None,
    db: DbOption = None,
) -> None:
    """Record an investment in a project (it enters the project's history) or an enterprise."""
    investment = Investment(investor, round_, amount, _day(on), fund, project, enterprise)
    _run(db, lambda desk, who: desk.invest(who, investment))
    typer.echo(f"investment of {amount:,.0f} 元 by {investor} recorded")


@finance_app.command("subsidy")
def subsidy_command(
    programme: Annotated[str, typer.Option("--programme", help="The subsidy programme.")],
    amount: Amount,
    on: On,
    conditions: Annotated[str, typer.Option("--conditions", help="Conditions attached.")] = "",
    project: Project = None,
    enterprise: Enterprise = None,
    db: DbOption = None,
) -> None:
    """Record a subsidy awarded to a project or an enterprise; prints its id."""
    subsidy = Subsidy(programme, amount, _day(on), conditions, project, enterprise)
    found: list[int] = []
    _run(db, lambda desk, who: found.append(desk.award_subsidy(who, subsidy)))
    typer.echo(f"subsidy {found[0]} recorded")


# a loan's terms, the same for recording and for editing one
Bank = Annotated[str, typer.Option("--bank", help="The lending bank.")]
TermMonths = Annotated[int, typer.Option("--term-months", min=1, max=600)]
GuaranteeFund = Annotated[
    str | None, typer.Option("--guarantee-fund", help="A credit-enhancement fund.")
]
GuaranteedShare = Annotated[float, typer.Option("--guaranteed-share", min=0, max=1)]


@finance_app.command("loan")
def loan_command(
    bank: Bank,
    amount: Amount,
    on: On,
    term_months: TermMonths,
    guarantee_fund: GuaranteeFund = None,
    guaranteed_share: GuaranteedShare = 0.0,
    project: Project = None,
    enterprise: Enterprise = None,
    db: DbOption = None,
) -> None:
    """Record a bank loan to a project or an enterprise."""
    loan = Loan(
        bank, amount, _day(on), term_months, guarantee_fund, guaranteed_share, project, enterprise
    )
    _run(db, lambda desk, who: desk.lend(who, loan))
    typer.echo(f"loan of {amount:,.0f} 元 from {bank} recorded")


RecordId = Annotated[int, typer.Argument(help="The record's number (编号).", min=1)]


@finance_app.command("edit-investment")
def edit_investment_command(
    record_id: RecordId,
    investor: Annotated[str, typer.Option("--investor", help="Who invests.")],
    round_: Annotated[str, typer.Option("--round", help="The round: angel, A, B …")],
    amount: Amount,
    on: On,
    fund: Annotated[str | None, typer.Option("--fund", help="The fund it comes from.")] = None,
    project: Project = None,
    enterprise: Enterprise = None,
    db: DbOption = None,
) -> None:
    """Replace investment RECORD_ID's terms (its fund must still hold the money)."""
    investment = Investment(investor, round_, amount, _day(on), fund, project, enterprise)
    _run(db, lambda desk, who: desk.edit_investment(who, record_id, investment))
    typer.echo(f"investment {record_id} edited")


@finance_app.command("edit-subsidy")
def edit_subsidy_command(
    record_id: RecordId,
    programme: Annotated[str, typer.Option("--programme", help="The subsidy programme.")],
    amount: Amount,
    on: On,
    conditions: Annotated[str, typer.Option("--conditions", help="Conditions attached.")] = "",
    project: Project = None,
    enterprise: Enterprise = None,
    db: DbOption = None,
) -> None:
    """Replace subsidy RECORD_ID's terms (it must still cover what was disbursed)."""
    subsidy = Subsidy(programme, amount, _day(on), conditions, project, enterprise)
    _run(db, lambda desk, who: desk.edit_subsidy(who, record_id, subsidy))
    typer.echo(f"subsidy {record_id} edited")


@finance_app.command("edit-loan")
def edit_loan_command(
    record_id: RecordId,
    bank: Bank,
    amount: Amount,
    on: On,
    term_months: TermMonths,
    guarantee_fund: GuaranteeFund = None,
    guaranteed_share: GuaranteedShare = 0.0,
    project: Project = None,
    enterprise: Enterprise = None,
    db: DbOption = None,
) -> None:
    """Replace loan RECORD_ID's terms."""
    loan = Loan(
        bank, amount, _day(on), term_months, guarantee_fund, guaranteed_share, project, enterprise
    )
    _run(db, lambda desk, who: desk.edit_loan(who, record_id, loan))
    typer.echo(f"loan {record_id} edited")


@finance_app.command("edit-fund")
def edit_fund_command(
    key: Annotated[str, typer.Argument(help="The fund's key.")],
    name: Annotated[str, typer.Option("--name", help="The fund's name.")],
    kind: Annotated[
        FundKind, typer.Option("--kind", help="venture, tech_innovation or credit_enhancement.")
    ],
    size: Annotated[float, typer.Option("--size", help="Fund size in 元 (yuan).", min=0.01)],
    parent: Annotated[str | None, typer.Option("--parent", help="The parent fund's key.")] = None,
    db: DbOption = None,
) -> None:
    """Replace fund KEY's name, kind, size and parent (its commitments and investments must
    still fit)."""
    fund = Fund(key, name, kind, size, parent)
    _run(db, lambda desk, who: desk.edit_fund(who, key, fund))
    typer.echo(f"fund {key} edited")


@finance_app.command("withdraw")
def withdraw_command(
    kind: Annotated[
        str,
        typer.Argument(
            help="fund, investments, subsidies, loans, insurance_policies, fund_commitments, "
            "subsidy_disbursements or insurance_claims."
        ),
    ],
    record: Annotated[str, typer.Argument(help="The fund's key, or the record's number (编号).")],
    db: DbOption = None,
) -> None:
    """Withdraw a fund or a money record entered in error: its row and audit history stay,
    every figure leaves it out. A fund is refused while live investments rest on it."""
    if kind == "fund":
        record_id: int | str = record
    elif record.isdigit() and int(record) >= 1:
        record_id = int(record)
    else:
        raise InvalidInput(f"RECORD: 编号应为正整数 (a record number, not {record!r})")
    _run(db, lambda desk, who: desk.withdraw(who, kind, record_id))
    typer.echo(f"{kind} {record} withdrawn")


def register(app: typer.Typer) -> None:
    """The commands hang on the `finance` group (registered by the pipeline area)."""
