"""CLI commands of the outlook: `outlook` (each yearly indicator projected to the plan's end,
its backtest and the chance of each plan target) and `targets` (the plan targets' records)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fourchain.bootstrap import database_url, open_database
from fourchain.bootstrap.foresight import (
    foresight_services,
    indicator_source,
    targets_from_file,
    targets_to_file,
)
from fourchain.domain.foresight.outlook import Outlook
from fourchain.domain.indicators.catalogue import CATALOGUE
from fourchain.entrypoints.cli.options import DbOption, JsonFlag
from fourchain.services.outlook import outlook

targets_app = typer.Typer(help="The bureau's plan targets (规划目标).", no_args_is_help=True)
_err = Console(stderr=True)


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}" if abs(value) < 1e6 else f"{value:,.4g}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def outlook_command(
    to: Annotated[int, typer.Option("--to", help="The last year projected (the plan's end).")],
    indicator: Annotated[
        str | None, typer.Option("--indicator", help="Only this catalogue indicator.")
    ] = None,
    base: Annotated[
        int, typer.Option("--base", help="The last observed year (the backtest's year).")
    ] = 2025,
    since: Annotated[int, typer.Option("--since", help="The first year the model sees.")] = 2020,
    level: Annotated[float, typer.Option("--level", help="The interval's coverage.")] = 0.8,
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Project each yearly indicator to --to with an interval; backtest; chance of each target."""
    database = open_database(database_url(db), create=False)
    try:
        with _err.status("读取登记库 reading the registry…"):
            source = indicator_source(database)
        with foresight_services(database) as services:
            targets = services.targets.targets()
            found = outlook(
                source,
                targets,
                services.fit,
                base=base,
                to=to,
                since=since,
                indicator=indicator,
                level=level,
            )
    finally:
        database.dispose()
    if as_json:
        typer.echo(json.dumps([o.as_json() for o in found], ensure_ascii=False, indent=1))
        return
    _print(found, base, to, level)


def _print(found: list[Outlook], base: int, to: int, level: float) -> None:
    table = Table(title=f"展望 Outlook {base}→{to} ({level:.0%} 区间 interval)")
    for column in (
        "指标 Indicator",
        f"{base}",
        f"{to} 预测 projected",
        "区间 interval",
        f"回测 backtest {base} error",
        "目标 Targets: P(reach)",
    ):
        table.add_column(column)
    for o in found:
        spec = CATALOGUE[o.indicator]
        last = o.projection[-1] if o.projection else None
        b = o.backtest
        table.add_row(
            f"{spec.name_zh}\n{o.indicator} ({o.unit})",
            _num(o.history.get(base)),
            _num(last.value) if last else (o.note or "—"),
            f"{_num(last.low)} – {_num(last.high)}" if last else "",
            "—" if b is None else f"{_num(b.error)} ({_pct(b.percent_error)})",
            "\n".join(
                f"{t.target.year} {'≥' if t.target.direction == 'at_least' else '≤'}"
                f"{_num(t.target.value)}: {t.probability:.0%}"
                for t in o.targets
            ),
        )
    Console().print(table)


FileArgument = Annotated[Path, typer.Argument(help="A CSV or XLSX file of plan targets.")]


@targets_app.command("import")
def import_targets(file: FileArgument, db: DbOption = None) -> None:
    """Import plan targets (indicator, year, value, direction, plan, source, note): all rows or
    none; a target already stored for the indicator and year is replaced."""
    targets = targets_from_file(file)
    database = open_database(database_url(db))
    try:
        with foresight_services(database) as services:
            written, given = services.targets.save(targets)
    finally:
        database.dispose()
    typer.echo(f"{file.name}: {given} plan target(s), {written} inserted or changed")


@targets_app.command("export")
def export_targets(file: FileArgument, db: DbOption = None) -> None:
    """Write the stored plan targets to a CSV or XLSX file (the import layout)."""
    database = open_database(database_url(db), create=False)
    try:
        with foresight_services(database) as services:
            n = targets_to_file(file, services.targets.targets())
    finally:
        database.dispose()
    typer.echo(f"{file}: {n} plan target(s)")


@targets_app.command("list")
def list_targets(db: DbOption = None, as_json: JsonFlag = False) -> None:
    """The stored plan targets with their sources."""
    database = open_database(database_url(db), create=False)
    try:
        with foresight_services(database) as services:
            targets = services.targets.targets()
    finally:
        database.dispose()
    if as_json:
        typer.echo(json.dumps([t.as_json() for t in targets], ensure_ascii=False))
        return
    table = Table(title="规划目标 Plan targets")
    for column in ("指标 Indicator", "年度 Year", "目标 Target", "规划 Plan", "来源 Source"):
        table.add_column(column)
    for t in targets:
        sign = "≥" if t.direction == "at_least" else "≤"
        table.add_row(t.indicator, str(t.year), f"{sign}{_num(t.value)}", t.plan, t.source)
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("outlook")(outlook_command)
    app.add_typer(targets_app, name="targets")
