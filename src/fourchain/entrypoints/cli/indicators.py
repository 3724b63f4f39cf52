"""CLI commands of the indicators area: `indicators`, `claims` and `report five-year`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from fourchain.bootstrap import database_url, open_database, open_services
from fourchain.bootstrap.foresight import indicator_source, plan_outlook
from fourchain.bootstrap.indicators import to_simplified
from fourchain.domain.indicators.catalogue import CATALOGUE, NOT_IN_REGISTRY
from fourchain.domain.indicators.claims import Status, Verdict
from fourchain.entrypoints.cli.options import (
    DbOption,
    EngineOption,
    JsonFlag,
    MasterOption,
    SnapshotOption,
    YearOption,
)
from fourchain.errors import InvalidInput
from fourchain.services.claims import (
    check_claims,
    check_release,
    claims_csv,
    claims_json,
    extract,
    read_claims,
    release_text,
)
from fourchain.services.indicators import IndicatorValue, check_year, year_indicators
from fourchain.services.ports import IndicatorSource, ReportWriter
from fourchain.services.reports import build_five_year

report_app = typer.Typer(help="Reports built from the registry.", no_args_is_help=True)
_err = Console(stderr=True)


def _loaded(db: Path | str | None) -> tuple[IndicatorSource, ReportWriter]:
    """The registry loaded into the analytics engine (the database is closed after), and the
    writer of report files."""
    with open_services(db) as services, _err.status("读取登记库 reading the registry…"):
        return services.indicators.load(), services.reports.writer


def _source(db: Path | str | None) -> IndicatorSource:
    return _loaded(db)[0]


def _value_text(value: IndicatorValue) -> str:
    if value.value is None:
        return "—"
    return f"{value.value:,.4f}".rstrip("0").rstrip(".")


def _elsewhere(
    db: Path | str | None, engine: str, master: str, snapshot: Path | None
) -> IndicatorSource:
    """The catalogue on a Parquet snapshot or on PySpark (docs/scale.md)."""
    database = None if snapshot is not None else open_database(database_url(db), create=False)
    try:
        with _err.status(f"读取登记库 reading the registry ({engine})…"):
            return indicator_source(database, engine=engine, master=master, snapshot=snapshot)
    finally:
        if database is not None:
            database.dispose()


def indicators(
    db: DbOption = None,
    year: YearOption = 2025,
    as_json: JsonFlag = False,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = "local[*]",
    snapshot: SnapshotOption = None,
) -> None:
    """Every indicator of the catalogue in YEAR (span ones over the five years ending in it)."""
    check_year(year)
    if engine != "duckdb" or snapshot is not None:
        source = _elsewhere(db, engine, spark_master, snapshot)
    else:
        source = _source(db)
    with _err.status("计算指标 computing the indicators…"):
        values = year_indicators(source, year)
    if as_json:
        typer.echo(json.dumps([v.as_json() for v in values], ensure_ascii=False, indent=1))
        return
    table = Table(title=f"指标 Indicators, {year}")
    for column in ("指标 Indicator", "值 Value", "单位 Unit"):
        table.add_column(column, justify="right" if column.startswith("值") else "left")
    for value in values:
        spec = CATALOGUE[value.id]
        name = f"{spec.name_zh} {spec.name_en}" + (f" [{value.chain}]" if value.chain else "")
        table.add_row(name, _value_text(value), value.unit)
    Console().print(table)


ClaimsWhat = Annotated[
    str,
    typer.Argument(
        metavar="FILE.csv|extract|check",
        help="A claims CSV in published_figures.csv's layout, checked against the registry; or "
        "`extract` (a press release's claims as CSV) or `check` (extract and check) "
        "followed by FILE.",
    ),
]
ClaimsFile = Annotated[
    Path | None,
    typer.Argument(
        metavar="[FILE]",
        help="After extract or check: a press release (text or HTML, simplified or "
        "traditional); after check, a .csv is checked as it is.",
        show_default=False,
    ),
]
ReleaseYear = Annotated[
    int | None,
    typer.Option("--year", help="The year a release speaks from (default: its date)."),
]

_STYLE = {
    Status.CONSISTENT: "green",
    Status.INCONSISTENT: "red",
    Status.NOT_DERIVABLE: "dim",
}
_ACTIONS = ("extract", "check")


def claims(
    what: ClaimsWhat,
    file: ClaimsFile = None,
    db: DbOption = None,
    as_json: JsonFlag = False,
    year: ReleaseYear = None,
) -> None:
    """Check published claims against the registry (consistent, inconsistent or not
    derivable); `claims extract FILE` reads the claims of a press release, `claims check FILE`
    extracts and checks them."""
    # One command with a small dispatch rather than a group: `fourchain claims FILE.csv`,
    # which other tools call, must keep working, and a Click group takes its first argument
    # for a command's name.
    if what not in _ACTIONS:
        if file is not None:
            raise InvalidInput(f"unknown claims action {what!r}: use extract or check")
        _check_csv(Path(what), db, as_json)
        return
    if file is None:
        raise InvalidInput(f"claims {what}: give the FILE to read")
    if what == "check" and file.suffix.lower() == ".csv":
        _check_csv(file, db, as_json)
        return
    release = extract(release_text(file), to_simplified, year, name=str(file))
    if what == "extract":
        if as_json:
            typer.echo(json.dumps(claims_json(release.claims), ensure_ascii=False, indent=1))
        else:
            typer.echo(claims_csv(release.claims), nl=False)
        return
    source = _source(db)
    with _err.status("核对 checking the claims…"):
        checked = check_release(source, release)
    verdicts = [(s.text, c, v) for s in checked for c, v in s.verdicts]
    if as_json:
        rows = [
            {**v.as_json(), "unit": c.unit_text, "figure": c.figure, "sentence": text}
            for text, c, v in verdicts
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    _print_verdicts(file.name, [v for _, _, v in verdicts])


def _check_csv(file: Path, db: Path | str | None, as_json: bool) -> None:
    parsed = read_claims(file)
    source = _source(db)
    with _err.status("核对 checking the claims…"):
        verdicts = check_claims(source, parsed)
    if as_json:
        typer.echo(json.dumps([v.as_json() for v in verdicts], ensure_ascii=False, indent=1))
        return
    _print_verdicts(file.name, verdicts)


def _print_verdicts(name: str, verdicts: list[Verdict]) -> None:
    table = Table(title=f"发布数据核对 Claims check: {name}")
    for column in ("id", "period", "published", "computed", "status"):
        table.add_column(column, no_wrap=True)
    table.add_column("detail")
    for verdict in verdicts:
        computed = "—" if verdict.computed is None else f"{verdict.computed:,.4f}"
        style = _STYLE[verdict.status]
        table.add_row(
            verdict.claim.id,
            str(verdict.claim.period),
            f"{verdict.claim.value} {verdict.claim.unit} ({verdict.claim.bound.value})",
            computed,
            f"[{style}]{verdict.status.value}[/{style}]",
            "不在登记库中 not kept in the registry"
            if verdict.detail == NOT_IN_REGISTRY
            else verdict.detail,
        )
    Console().print(table)


OutOption = Annotated[Path, typer.Option("--out", help="Folder for report.html, .pdf and .xlsx.")]
LangOption = Annotated[
    str, typer.Option("--lang", help="zh (默认, Chinese) or en (English edition).")
]
_STEPS = {
    "indicators": "计算指标 computing the indicators",
    "html": "生成网页 writing report.html",
    "pdf": "排版PDF writing report.pdf",
    "xlsx": "导出数据 writing report.xlsx",
}


@report_app.command("five-year")
def five_year(
    out: OutOption, db: DbOption = None, year: YearOption = 2025, lang: LangOption = "zh"
) -> None:
    """The five-year bulletin ending in YEAR: report.html, report.pdf and report.xlsx in OUT."""
    check_year(year)
    source, writer = _loaded(db)
    database = open_database(database_url(db), create=False)
    try:
        projected = plan_outlook(database, source, year)
    finally:
        database.dispose()
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), console=_err, transient=True
    ) as bar:
        task = bar.add_task("", total=len(_STEPS))

        def step(name: str) -> None:
            bar.update(task, description=_STEPS[name], advance=0 if name == "indicators" else 1)

        paths = build_five_year(source, writer, year, out, lang, progress=step, outlook=projected)
    for path in paths:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("indicators")(indicators)
    app.command("claims")(claims)
    app.add_typer(report_app, name="report")
    app.add_typer(report_app, name="report")
