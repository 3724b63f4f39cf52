"""Registry commands: `db upgrade` and `summary`."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from fourchain.bootstrap import database_url, open_services
from fourchain.domain.registry import INSTITUTION_LABELS, TIER_LABELS, InstitutionKind, Tier
from fourchain.entrypoints.cli.options import DbOption, JsonFlag, YearOption
from fourchain.services.registry import RegistrySummary, summarise

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Apply every migration the database lacks."""
    url = database_url(db)
    with open_services(url, create=True):
        pass
    typer.echo(f"database is up to date: {url}")


def summary(db: DbOption = None, year: YearOption = 2025, as_json: JsonFlag = False) -> None:
    """Counts at the end of YEAR: enterprises, certificates per tier, institutions, patents."""
    with open_services(db) as services, services.registry.counts() as counts:
        result = summarise(counts, year)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        _print_summary(result)


def _print_summary(result: RegistrySummary) -> None:
    table = Table(title=f"登记概况 Registry summary, end of {result.year}")
    table.add_column("项目 Item")
    table.add_column("数量 Count", justify="right")
    table.add_row("企业 Enterprises", f"{result.enterprises:,}")
    for tier in Tier:
        zh, en = TIER_LABELS[tier]
        table.add_row(f"{zh} {en}", f"{result.certificates[tier.value]:,}")
    for kind in InstitutionKind:
        zh, en = INSTITUTION_LABELS[kind]
        table.add_row(f"{zh} {en}", f"{result.institutions[kind.value]:,}")
    for key, n in result.patents.items():
        table.add_row(f"专利 Patents: {key}", f"{n:,}")
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command("summary")(summary)
