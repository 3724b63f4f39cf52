"""CLI writes on the market's records, for scripts: withdraw a demand, an achievement, a
technology contract or a cooperation project. The
command line holds the database itself, so it acts as a bureau administrator, and the audit
trail names the operating-system user who ran it."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from fourchain.bootstrap import open_services
from fourchain.domain.accounts import Role
from fourchain.domain.market import Viewer
from fourchain.entrypoints.cli.market_records import (
    achievements_app,
    contracts_app,
    cooperation_app,
    demands_app,
)
from fourchain.entrypoints.cli.options import DbOption

IdArgument = Annotated[int, typer.Argument(min=1, help="The record's id.", show_default=False)]
ReasonOption = Annotated[
    str | None, typer.Option(help="Why it is withdrawn (kept in the audit log).")
]


def console_admin() -> Viewer:
    """Whoever runs the CLI: a bureau administrator, named in the audit trail."""
    return Viewer(Role.BUREAU_ADMIN, username=f"cli:{getpass.getuser()}")


@demands_app.command("withdraw")
def demand_withdraw(
    demand_id: IdArgument, reason: ReasonOption = None, db: DbOption = None
) -> None:
    """Take demand ID off the market at once (lists, pages and matching); the record and its
    audit history (with the reason) stay."""
    with open_services(db) as services:
        services.market.records.withdraw_demand(console_admin(), demand_id, reason)
        services.market.records_changed()  # matching too: the worker syncs the index
    typer.echo(f"demand {demand_id} withdrawn")


@achievements_app.command("withdraw")
def achievement_withdraw(
    achievement_id: IdArgument, reason: ReasonOption = None, db: DbOption = None
) -> None:
    """Take achievement ID off the market at once; the record and its history (with the
    reason) stay."""
    with open_services(db) as services:
        records = services.market.records
        records.withdraw_achievement(console_admin(), achievement_id, reason)
        services.market.records_changed()  # matching too: the worker syncs the index
    typer.echo(f"achievement {achievement_id} withdrawn")


@contracts_app.command("withdraw")
def contract_withdraw(contract_id: IdArgument, db: DbOption = None) -> None:
    """Withdraw technology contract ID, registered in error: lists and the turnover leave it
    out; the record and its audit history stay."""
    with open_services(db) as services:
        services.market.records.withdraw_contract(console_admin(), contract_id)
    typer.echo(f"contract {contract_id} withdrawn")


@cooperation_app.command("withdraw")
def cooperation_withdraw(
    project_id: IdArgument,
    reason: Annotated[
        str, typer.Option(help="Why it is withdrawn (kept in the audit log).")
    ] = "登记有误 (recorded in error)",
    db: DbOption = None,
) -> None:
    """Withdraw cooperation project ID, recorded in error: it leaves the lists and the
    counts; the record and its audit history (title, reason) stay."""
    with open_services(db) as services:
        records = services.market.records
        records.withdraw_cooperation_project(console_admin(), project_id, reason)
    typer.echo(f"cooperation project {project_id} withdrawn")


def register(app: typer.Typer) -> None:
    """The commands hang on the market's `demands`, `achievements`, `contracts` and
    `cooperation` groups (registered by market_records); importing this module adds them."""
