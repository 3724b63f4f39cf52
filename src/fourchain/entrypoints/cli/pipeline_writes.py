"""CLI corrections of the pipeline's records, for scripts: `pipeline add-conversion`,
`pipeline withdraw-conversion ID`, `pipeline withdraw-project ID`, `pipeline withdraw-person
ID`, `pipeline attach PROJECT PERSON` and `pipeline detach PROJECT PERSON`. The command line
holds the database, so it acts as a bureau administrator; the audit trail names the
operating-system user, and each change commits with its entry."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import date
from typing import Annotated

import typer

from fourchain.bootstrap import open_services
from fourchain.domain.accounts import Principal, Role
from fourchain.entrypoints.cli.finance_writes import On, _day
from fourchain.entrypoints.cli.options import DbOption
from fourchain.entrypoints.cli.pipeline import pipeline_app
from fourchain.services.pipeline_desk import Conversion, PipelineDesk

Key = Annotated[str, typer.Argument(help="The record's ID.")]


def _run(db: str | None, write: Callable[[PipelineDesk, Principal], object]) -> object:
    principal = Principal(username=f"cli:{getpass.getuser()}", role=Role.BUREAU_ADMIN)
    with open_services(db) as services:
        return write(services.pipeline_desk, principal)


@pipeline_app.command("add-conversion")
def add_conversion(
    credit_code: Annotated[str, typer.Option("--enterprise", help="The credit code.")],
    title: Annotated[str, typer.Option("--title", help="项目名称 The project's title.")],
    year: Annotated[int, typer.Option("--year", help="The year recognised.")],
    field: Annotated[str | None, typer.Option("--field", help="技术领域 Field.")] = None,
    project: Annotated[
        str | None, typer.Option("--project", help="The incubation project it came from.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Register a conversion project (成果转化项目); prints its number."""
    conversion = Conversion(credit_code, title, year, field, project)
    new_id = _run(db, lambda desk, who: desk.create_conversion(who, conversion))
    typer.echo(f"conversion project {new_id} recorded")


# Why a record is withdrawn: kept in its audit entry, as the web's confirmation asks.
Reason = Annotated[
    str, typer.Option("--reason", help="Why it is withdrawn (kept in the audit log).")
]


@pipeline_app.command("withdraw-conversion")
def withdraw_conversion(
    record_id: Annotated[int, typer.Argument(min=1)], reason: Reason = "", db: DbOption = None
) -> None:
    """Withdraw a conversion project entered in error: the indicator leaves it out."""
    _run(db, lambda desk, who: desk.withdraw(who, "conversion_projects", record_id, reason))
    typer.echo(f"conversion project {record_id} withdrawn")


@pipeline_app.command("withdraw-project")
def withdraw_project(project_id: Key, reason: Reason = "", db: DbOption = None) -> None:
    """Withdraw an incubation project: it leaves lists, the funnel and the explorer; its
    history and audit trail stay."""
    _run(db, lambda desk, who: desk.withdraw(who, "pipeline_projects", project_id, reason))
    typer.echo(f"project {project_id} withdrawn")


@pipeline_app.command("withdraw-person")
def withdraw_person(person_id: Key, reason: Reason = "", db: DbOption = None) -> None:
    """Withdraw a person: they leave the teams and the experts."""
    _run(db, lambda desk, who: desk.withdraw(who, "people", person_id, reason))
    typer.echo(f"person {person_id} withdrawn")


@pipeline_app.command("attach")
def attach(
    project_id: Key,
    person_id: Annotated[str, typer.Argument(help="The person's ID.")],
    role: Annotated[
        str, typer.Option("--role", help="lead_scientist, founder or team_member.")
    ] = "team_member",
    on: On = "",
    db: DbOption = None,
) -> None:
    """Put a person on a project's team from a day (--on, default today)."""
    joined = _day(on) if on else date.today()
    _run(db, lambda desk, who: desk.attach(who, project_id, person_id, role, joined))
    typer.echo(f"{person_id} on project {project_id}")


@pipeline_app.command("detach")
def detach(
    project_id: Key,
    person_id: Annotated[str, typer.Argument(help="The person's ID.")],
    db: DbOption = None,
) -> None:
    """Record that a person left a project's team today (the team's history keeps them;
    they may be attached again)."""
    left = _run(db, lambda desk, who: desk.detach(who, project_id, person_id))
    typer.echo(f"{person_id} left project {project_id} on {left}")


def register(app: typer.Typer) -> None:
    """The commands hang on the `pipeline` group (registered by the pipeline area)."""
